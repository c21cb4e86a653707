//! Queries on `check_in`.

use chrono::{DateTime, Utc};
use entity::check_in;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::{CheckIn, CheckInOrder, CheckInStatus, WHEN_SQL};
use crate::{
    error::AppResult,
    paging::{Order, Page, keyset, keyset_by},
};

/// One check-in.
///
/// # Errors
/// A database fault.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<CheckIn>> {
    check_in::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(CheckIn::try_from)
        .transpose()
}

/// A page of a mentorship's check-ins in `order`; after a cursor, the rows past the cursor's
/// row in that order.
///
/// # Errors
/// A database fault.
pub async fn list(
    conn: &impl ConnectionTrait,
    mentorship_id: Uuid,
    page: &Page,
    order: CheckInOrder,
) -> AppResult<Vec<CheckIn>> {
    let select = check_in::Entity::find().filter(check_in::Column::MentorshipId.eq(mentorship_id));
    let select = match order {
        CheckInOrder::Created => keyset(select, check_in::Column::Id, Order::OldestFirst, page),
        CheckInOrder::Latest => keyset_by(
            (conn.get_database_backend(), select),
            WHEN_SQL,
            check_in::Column::Id,
            Order::NewestFirst,
            page,
        ),
    };
    let rows = select.all(conn).await?;
    rows.into_iter()
        .map(CheckIn::try_from)
        .collect::<crate::error::AppResult<Vec<_>>>()
}

/// Inserts a check-in.
///
/// # Errors
/// A database fault.
pub async fn insert(conn: &impl ConnectionTrait, c: &CheckIn) -> AppResult<()> {
    check_in::Entity::insert(check_in::ActiveModel {
        id: Set(c.id),
        mentorship_id: Set(c.mentorship_id),
        status: Set(c.status.as_str().into()),
        scheduled_for: Set(c.scheduled_for),
        held_at: Set(c.held_at),
        agenda: Set(c.agenda.clone()),
        mentee_plans: Set(c.mentee_plans.clone()),
        support_needs: Set(c.support_needs.clone()),
        notes: Set(c.notes.clone()),
        cancel_reason: Set(c.cancel_reason.clone()),
        created_by: Set(c.created_by),
        created_at: Set(c.created_at),
        updated_at: Set(c.created_at),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Moves a PLANNED check-in to `c`'s status and fields; false when it was no longer PLANNED
/// (a concurrent change won).
///
/// # Errors
/// A database fault.
pub async fn update_planned(
    conn: &impl ConnectionTrait,
    c: &CheckIn,
    at: DateTime<Utc>,
) -> AppResult<bool> {
    let result = check_in::Entity::update_many()
        .set(check_in::ActiveModel {
            status: Set(c.status.as_str().into()),
            held_at: Set(c.held_at),
            mentee_plans: Set(c.mentee_plans.clone()),
            support_needs: Set(c.support_needs.clone()),
            notes: Set(c.notes.clone()),
            cancel_reason: Set(c.cancel_reason.clone()),
            updated_at: Set(at),
            ..Default::default()
        })
        .filter(check_in::Column::Id.eq(c.id))
        .filter(check_in::Column::Status.eq(CheckInStatus::Planned.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
