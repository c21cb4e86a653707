//! What the database already holds for an import: its remembered records and the rows they
//! point to, read in chunks of keys (never a whole table).

use std::collections::HashMap;

use entity::import_record;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppResult;

/// Keys per `IN (…)`: well under both engines' limits on bound parameters.
const CHUNK: usize = 500;

/// The rows of `E` whose `column` is one of `values` and that match `extra`.
///
/// # Errors
/// A database fault.
pub async fn find_in<E, V>(
    conn: &impl ConnectionTrait,
    column: E::Column,
    values: impl IntoIterator<Item = V>,
    extra: Condition,
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
    V: Into<sea_orm::Value>,
{
    let values: Vec<sea_orm::Value> = values.into_iter().map(Into::into).collect();
    let mut rows = Vec::new();
    for chunk in values.chunks(CHUNK) {
        rows.extend(
            E::find()
                .filter(column.is_in(chunk.iter().cloned()))
                .filter(extra.clone())
                .all(conn)
                .await?,
        );
    }
    Ok(rows)
}

/// The remembered records of `kind` among `keys`, by key.
///
/// # Errors
/// A database fault.
pub async fn links<'a>(
    conn: &impl ConnectionTrait,
    kind: &str,
    keys: impl IntoIterator<Item = &'a String>,
) -> AppResult<HashMap<String, import_record::Model>> {
    let only_kind = Condition::all().add(import_record::Column::Kind.eq(kind));
    let keys: Vec<String> = keys.into_iter().cloned().collect();
    Ok(
        find_in::<import_record::Entity, _>(conn, import_record::Column::Key, keys, only_kind)
            .await?
            .into_iter()
            .map(|r| (r.key.clone(), r))
            .collect(),
    )
}
