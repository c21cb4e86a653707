//! Storage of the points of contact: one row per area.

use chrono::{DateTime, Utc};
use entity::council_contact;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryOrder, sea_query::OnConflict};
use uuid::Uuid;

use crate::error::AppResult;

/// Every area's row, in area order (three areas at most).
///
/// # Errors
/// A database fault.
pub async fn all(conn: &impl ConnectionTrait) -> AppResult<Vec<council_contact::Model>> {
    Ok(council_contact::Entity::find()
        .order_by_asc(council_contact::Column::Area)
        .all(conn)
        .await?)
}

/// One area's row.
///
/// # Errors
/// A database fault.
pub async fn find(
    conn: &impl ConnectionTrait,
    area: &str,
) -> AppResult<Option<council_contact::Model>> {
    Ok(council_contact::Entity::find_by_id(area).one(conn).await?)
}

/// Sets (or replaces) an area's contact.
///
/// # Errors
/// A database fault.
pub async fn upsert(
    conn: &impl ConnectionTrait,
    area: &str,
    person: Uuid,
    at: DateTime<Utc>,
    by: Uuid,
) -> AppResult<()> {
    council_contact::Entity::insert(council_contact::ActiveModel {
        area: Set(area.into()),
        person_id: Set(person),
        updated_at: Set(at),
        updated_by: Set(by),
    })
    .on_conflict(
        OnConflict::column(council_contact::Column::Area)
            .update_columns([
                council_contact::Column::PersonId,
                council_contact::Column::UpdatedAt,
                council_contact::Column::UpdatedBy,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}
