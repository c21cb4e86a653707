//! A mentor's current mentees, paged in SQL: the first page of every mentor in a list in one
//! window-function statement, later pages by keyset, counts grouped — never a mentor's whole
//! list loaded to be sliced.

use std::collections::HashMap;

use entity::mentorship;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::{Mentorship, MentorshipStatus};
use crate::{
    db::batch::{Sort, count_of_each, first_of_each},
    error::AppResult,
    paging::{Order, Page, keyset},
};

/// Only active mentorships.
fn active() -> Option<(mentorship::Column, &'static str)> {
    Some((
        mentorship::Column::Status,
        MentorshipStatus::Active.as_str(),
    ))
}

/// The first `fetch` active mentorships (in id order) of each of `mentors`, in one
/// statement.
///
/// # Errors
/// A database fault; INTERNAL for a corrupt row.
pub async fn first_of_mentors(
    conn: &impl ConnectionTrait,
    mentors: &[Uuid],
    fetch: u64,
) -> AppResult<Vec<Mentorship>> {
    let rows = first_of_each::<mentorship::Entity>(
        conn,
        mentorship::Column::MentorId,
        mentors,
        fetch,
        active(),
        (Sort::Created, decode),
    )
    .await?;
    rows.into_iter().map(Mentorship::try_from).collect()
}

/// A later page of one mentor's active mentorships (after a cursor).
///
/// # Errors
/// A database fault; INTERNAL for a corrupt row.
pub async fn page_of_mentor(
    conn: &impl ConnectionTrait,
    mentor: Uuid,
    page: &Page,
) -> AppResult<Vec<Mentorship>> {
    let select = mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.eq(mentor))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()));
    keyset(select, mentorship::Column::Id, Order::OldestFirst, page)
        .all(conn)
        .await?
        .into_iter()
        .map(Mentorship::try_from)
        .collect()
}

/// How many active mentorships each of `mentors` has, in one grouped statement.
///
/// # Errors
/// A database fault.
pub async fn counts(
    conn: &impl ConnectionTrait,
    mentors: &[Uuid],
) -> AppResult<HashMap<Uuid, u64>> {
    count_of_each::<mentorship::Entity>(conn, mentorship::Column::MentorId, mentors, active()).await
}

/// A mentorship row selected in the order of `db::rows::select_list` (by position: see
/// `db::rows`).
///
/// # Errors
/// A column of an unexpected type.
fn decode(row: &sea_orm::QueryResult) -> Result<mentorship::Model, sea_orm::DbErr> {
    let mut c = crate::db::rows::Cols::new(row, 0);
    Ok(mentorship::Model {
        id: c.next()?,
        mentor_id: c.next()?,
        mentee_id: c.next()?,
        status: c.next()?,
        started_at: c.next()?,
        ended_at: c.next()?,
        end_reason: c.next()?,
        note: c.next()?,
        end_note: c.next()?,
        assigned_by: c.next()?,
        ended_by: c.next()?,
        over_capacity: c.next()?,
    })
}
