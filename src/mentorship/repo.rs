//! Queries on `mentorship`. Helpers take any connection and never commit.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{check_in, mentor_profile, mentorship};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::model::{Mentorship, MentorshipEndReason, MentorshipStatus};
use crate::{
    check_in::model::CheckInStatus,
    db::for_update,
    error::{AppError, AppResult},
    paging::{Order, Page, keyset},
};

/// Which mentorships a council list shows.
#[derive(Clone, Debug, Default)]
pub struct MentorshipFilter {
    /// Only ACTIVE (true) or only ENDED (false).
    pub active: Option<bool>,
    /// Of this mentor.
    pub mentor_id: Option<Uuid>,
    /// Of this mentee.
    pub mentee_id: Option<Uuid>,
    /// In which this person took part, as mentor or mentee (their history).
    pub participant: Option<Uuid>,
    /// Only active ones whose next check-in is past due (true), or not past due (false),
    /// given the two thresholds computed from the clock.
    pub overdue: Option<OverdueAt>,
}

/// The instants that make a mentorship overdue: no held check-in and started before
/// `started_before`, or last held check-in before `held_before`.
#[derive(Clone, Copy, Debug)]
pub struct OverdueAt {
    pub overdue: bool,
    pub started_before: DateTime<Utc>,
    pub held_before: DateTime<Utc>,
}

/// One mentorship.
///
/// # Errors
/// A database fault.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<Mentorship>> {
    mentorship::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(Mentorship::try_from)
        .transpose()
}

/// The mentorship, its row locked until the transaction ends (PostgreSQL; SQLite's write
/// transaction already excludes other writers): what changes a mentorship's meetings and
/// what ends it serialize here.
///
/// # Errors
/// A database fault.
pub async fn find_for_update(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<Mentorship>> {
    let select = crate::db::for_update(
        conn.get_database_backend(),
        mentorship::Entity::find_by_id(id),
    );
    select
        .one(conn)
        .await?
        .map(Mentorship::try_from)
        .transpose()
}

/// Mentorships by id.
///
/// # Errors
/// A database fault.
pub async fn find_many(conn: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<Mentorship>> {
    mentorship::Entity::find()
        .filter(mentorship::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(Mentorship::try_from)
        .collect::<crate::error::AppResult<Vec<_>>>()
}

/// The active mentorship of each of these mentees.
///
/// # Errors
/// A database fault.
pub async fn active_of_mentees(
    conn: &impl ConnectionTrait,
    mentee_ids: &[Uuid],
) -> AppResult<Vec<Mentorship>> {
    mentorship::Entity::find()
        .filter(mentorship::Column::MenteeId.is_in(mentee_ids.iter().copied()))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(Mentorship::try_from)
        .collect::<crate::error::AppResult<Vec<_>>>()
}

/// The active mentorships of each of these mentors, in id order.
///
/// # Errors
/// A database fault.
pub async fn active_of_mentors(
    conn: &impl ConnectionTrait,
    mentor_ids: &[Uuid],
) -> AppResult<Vec<Mentorship>> {
    mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.is_in(mentor_ids.iter().copied()))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .order_by_asc(mentorship::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(Mentorship::try_from)
        .collect::<crate::error::AppResult<Vec<_>>>()
}

#[derive(FromQueryResult)]
struct LastHeld {
    mentorship_id: Uuid,
    last_held: Option<DateTime<Utc>>,
}

/// The latest held check-in of each mentorship (one grouped statement).
///
/// # Errors
/// A database fault.
pub async fn last_held(
    conn: &impl ConnectionTrait,
    mentorship_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, DateTime<Utc>>> {
    let rows = check_in::Entity::find()
        .select_only()
        .column(check_in::Column::MentorshipId)
        .column_as(check_in::Column::HeldAt.max(), "last_held")
        .filter(check_in::Column::MentorshipId.is_in(mentorship_ids.iter().copied()))
        .filter(check_in::Column::Status.eq(CheckInStatus::Held.as_str()))
        .group_by(check_in::Column::MentorshipId)
        .into_model::<LastHeld>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.last_held.map(|at| (r.mentorship_id, at)))
        .collect())
}

/// The mentorships matching `filter`.
pub fn filtered(filter: &MentorshipFilter) -> Select<mentorship::Entity> {
    let mut select = mentorship::Entity::find();
    if let Some(active) = filter.active {
        select = select.filter(
            mentorship::Column::Status.eq(if active {
                MentorshipStatus::Active
            } else {
                MentorshipStatus::Ended
            }
            .as_str()),
        );
    }
    if let Some(mentor) = filter.mentor_id {
        select = select.filter(mentorship::Column::MentorId.eq(mentor));
    }
    if let Some(mentee) = filter.mentee_id {
        select = select.filter(mentorship::Column::MenteeId.eq(mentee));
    }
    if let Some(person) = filter.participant {
        select = select.filter(
            Condition::any()
                .add(mentorship::Column::MentorId.eq(person))
                .add(mentorship::Column::MenteeId.eq(person)),
        );
    }
    if let Some(at) = filter.overdue {
        let last_held = Query::select()
            .expr(check_in::Column::HeldAt.max())
            .from(check_in::Entity)
            .and_where(
                Expr::col((check_in::Entity, check_in::Column::MentorshipId))
                    .equals((mentorship::Entity, mentorship::Column::Id)),
            )
            .and_where(
                Expr::col((check_in::Entity, check_in::Column::Status))
                    .eq(CheckInStatus::Held.as_str()),
            )
            .to_owned();
        let overdue = Condition::any()
            .add(
                Condition::all()
                    .add(Expr::SubQuery(None, Box::new(last_held.clone().into())).is_null())
                    .add(mentorship::Column::StartedAt.lt(at.started_before)),
            )
            .add(Expr::SubQuery(None, Box::new(last_held.into())).lt(at.held_before));
        select = select.filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()));
        select = select.filter(if at.overdue { overdue } else { overdue.not() });
    }
    select
}

/// A page of mentorships matching `filter`, in id order.
///
/// # Errors
/// A database fault.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &MentorshipFilter,
    page: &Page,
) -> AppResult<Vec<Mentorship>> {
    let select = filtered(filter);
    keyset(select, mentorship::Column::Id, Order::OldestFirst, page)
        .all(conn)
        .await?
        .into_iter()
        .map(Mentorship::try_from)
        .collect::<crate::error::AppResult<Vec<_>>>()
}

/// The mentor's profile, locked until the transaction ends (PostgreSQL), so that concurrent
/// assignments to one mentor count their mentees one after the other.
///
/// # Errors
/// A database fault.
pub async fn lock_mentor_profile(
    conn: &impl ConnectionTrait,
    mentor_id: Uuid,
) -> AppResult<Option<mentor_profile::Model>> {
    let select = mentor_profile::Entity::find_by_id(mentor_id);
    Ok(for_update(conn.get_database_backend(), select)
        .one(conn)
        .await?)
}

/// How many active mentees the mentor has.
///
/// # Errors
/// A database fault.
pub async fn count_active_of_mentor(
    conn: &impl ConnectionTrait,
    mentor_id: Uuid,
) -> AppResult<u64> {
    Ok(mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.eq(mentor_id))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .count(conn)
        .await?)
}

/// Inserts a new ACTIVE mentorship. The partial unique index turns a concurrent second
/// assignment of the same mentee into CONFLICT, identically on both engines.
///
/// # Errors
/// CONFLICT when the mentee already has an active mentor; a database fault.
pub async fn insert(conn: &impl ConnectionTrait, m: &Mentorship) -> AppResult<()> {
    let row = mentorship::ActiveModel {
        id: Set(m.id),
        mentor_id: Set(m.mentor_id),
        mentee_id: Set(m.mentee_id),
        status: Set(MentorshipStatus::Active.as_str().into()),
        started_at: Set(m.started_at),
        ended_at: Set(None),
        end_reason: Set(None),
        note: Set(m.note.clone()),
        end_note: Set(None),
        assigned_by: Set(m.assigned_by),
        ended_by: Set(None),
        over_capacity: Set(m.over_capacity),
    };
    mentorship::Entity::insert(row)
        .exec_without_returning(conn)
        .await
        .map_err(|e| {
            crate::db::conflict_on_unique(
                e,
                "this mentee already has an active mentor; re-assign instead",
            )
        })?;
    Ok(())
}

/// Ends an ACTIVE mentorship. Only a row still ACTIVE is changed, so of two concurrent ends
/// one wins and the other gets CONFLICT.
///
/// # Errors
/// CONFLICT when it had already ended; a database fault.
pub async fn end(
    conn: &impl ConnectionTrait,
    id: Uuid,
    reason: MentorshipEndReason,
    note: Option<String>,
    by: Uuid,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let result = mentorship::Entity::update_many()
        .set(mentorship::ActiveModel {
            status: Set(MentorshipStatus::Ended.as_str().into()),
            ended_at: Set(Some(at)),
            end_reason: Set(Some(reason.as_str().into())),
            end_note: Set(note),
            ended_by: Set(Some(by)),
            ..Default::default()
        })
        .filter(mentorship::Column::Id.eq(id))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(AppError::Conflict(
            "this mentorship has already ended".into(),
        ));
    }
    // Meetings still planned will not happen: an ended mentorship has none.
    entity::check_in::Entity::update_many()
        .set(check_in::ActiveModel {
            status: Set(CheckInStatus::Cancelled.as_str().into()),
            cancel_reason: Set(Some("the mentorship ended".into())),
            updated_at: Set(at),
            ..Default::default()
        })
        .filter(check_in::Column::MentorshipId.eq(id))
        .filter(check_in::Column::Status.eq(CheckInStatus::Planned.as_str()))
        .exec(conn)
        .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct ActiveCount {
    mentor_id: Uuid,
    active: i64,
}

/// Active mentee counts of all mentors with at least one (one grouped statement).
///
/// # Errors
/// A database fault.
pub async fn active_counts(conn: &impl ConnectionTrait) -> AppResult<HashMap<Uuid, usize>> {
    let rows = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::MentorId)
        .column_as(mentorship::Column::Id.count(), "active")
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .group_by(mentorship::Column::MentorId)
        .into_model::<ActiveCount>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.mentor_id, usize::try_from(r.active).unwrap_or(0)))
        .collect())
}

/// Overdue active mentorships per mentor (one grouped statement).
///
/// # Errors
/// A database fault.
pub async fn overdue_counts(
    conn: &impl ConnectionTrait,
    at: OverdueAt,
) -> AppResult<HashMap<Uuid, usize>> {
    let filter = MentorshipFilter {
        overdue: Some(OverdueAt {
            overdue: true,
            ..at
        }),
        ..MentorshipFilter::default()
    };
    let rows = filtered(&filter)
        .select_only()
        .column(mentorship::Column::MentorId)
        .column_as(mentorship::Column::Id.count(), "active")
        .group_by(mentorship::Column::MentorId)
        .into_model::<ActiveCount>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.mentor_id, usize::try_from(r.active).unwrap_or(0)))
        .collect())
}
