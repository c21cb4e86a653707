//! Batch reads for nested lists: each parent's first rows, or each parent's count, for a
//! whole page of parents in one statement. The SQL of the loaders (`graphql::loaders`),
//! kept here with the rest of the database edge.

use sea_orm::DatabaseConnection;

use crate::error::AppError;

/// The first `fetch` rows (in id order) of each parent in `parents`, in one statement: a
/// window function numbers each parent's rows. For nested connections asked for their first
/// page in a list (`mentorships { checkIns(first: 3) }`), which would otherwise cost one
/// statement per parent.
///
/// # Errors
/// A database fault.
pub async fn first_of_each<E>(
    conn: &DatabaseConnection,
    parent: E::Column,
    parents: &[uuid::Uuid],
    fetch: u64,
) -> Result<Vec<E::Model>, AppError>
where
    E: sea_orm::EntityTrait,
    E::Model: sea_orm::FromQueryResult,
{
    use sea_orm::IdenStatic;
    if parents.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = (E::default().table_name(), parent.as_str());
    let list: Vec<String> = (2..parents.len() + 2).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT * FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY t.{column} ORDER BY t.id) \
         AS page_rank FROM {table} t WHERE t.{column} IN ({})) ranked \
         WHERE page_rank <= $1 ORDER BY {column}, id",
        list.join(", ")
    );
    let mut values: Vec<sea_orm::Value> = vec![(fetch as i64).into()];
    values.extend(parents.iter().map(|p| sea_orm::Value::from(*p)));
    let statement = crate::db::statement(conn.get_database_backend(), &sql, values);
    Ok(E::find().from_raw_sql(statement).all(conn).await?)
}

/// How many rows each parent in `parents` has, in one grouped statement.
///
/// # Errors
/// A database fault.
pub async fn count_of_each<E>(
    conn: &DatabaseConnection,
    parent: E::Column,
    parents: &[uuid::Uuid],
) -> Result<std::collections::HashMap<uuid::Uuid, u64>, AppError>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    let rows: Vec<(uuid::Uuid, i64)> = E::find()
        .select_only()
        .column(parent)
        .column_as(parent.count(), "n")
        .filter(parent.is_in(parents.iter().copied()))
        .group_by(parent)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(p, n)| (p, n.max(0) as u64))
        .collect())
}

/// A table whose rows are listed under a parent row in nested connections (check-ins of a
/// mentorship, messages of a support thread).
pub trait Children: sea_orm::EntityTrait {
    /// The column holding the parent's id.
    fn parent_column() -> Self::Column;
    /// The parent of a row.
    fn parent_of(row: &Self::Model) -> uuid::Uuid;
}
