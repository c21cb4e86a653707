//! A mentor's current mentees, paged in SQL: the first page of every mentor in a list in one
//! window-function statement, later pages by keyset, counts grouped — never a mentor's whole
//! list loaded to be sliced.

use std::collections::HashMap;

use entity::mentorship;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::model::{Mentorship, MentorshipStatus};
use crate::{
    db,
    error::AppResult,
    paging::{Order, Page, keyset},
};

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
    if mentors.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (3..mentors.len() + 3).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT * FROM (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.mentor_id ORDER BY m.id) \
         AS page_rank FROM mentorship m WHERE m.status = $2 AND m.mentor_id IN ({})) ranked \
         WHERE page_rank <= $1 ORDER BY mentor_id, id",
        list.join(", ")
    );
    let mut values: Vec<sea_orm::Value> = vec![
        (fetch as i64).into(),
        MentorshipStatus::Active.as_str().into(),
    ];
    values.extend(mentors.iter().map(|m| sea_orm::Value::from(*m)));
    let statement = db::statement(conn.get_database_backend(), &sql, values);
    mentorship::Entity::find()
        .from_raw_sql(statement)
        .all(conn)
        .await?
        .into_iter()
        .map(Mentorship::try_from)
        .collect()
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
    let rows: Vec<(Uuid, i64)> = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::MentorId)
        .column_as(mentorship::Column::Id.count(), "n")
        .filter(mentorship::Column::MentorId.is_in(mentors.iter().copied()))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .group_by(mentorship::Column::MentorId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(m, n)| (m, n.max(0) as u64))
        .collect())
}
