//! Storage of mentor calls and their invitations.

use entity::{announcement, mentor_call, mentor_call_attendance};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde_json::json;
use uuid::Uuid;

use super::model::{Invitation, MentorCall, MentorCallStatus, Rsvp};
use crate::{auth::policy::Scope, db, error::AppResult, stored::read_all};

/// Most invitations one call has (every live mentor of a program).
pub const MAX_INVITED: u64 = 5_000;

/// Inserts a call and invites `mentors` (in chunks, so any number fits a statement).
///
/// # Errors
/// A database fault.
pub async fn insert(
    conn: &impl ConnectionTrait,
    call: &MentorCall,
    mentors: &[Uuid],
) -> AppResult<()> {
    mentor_call::Entity::insert(mentor_call::ActiveModel {
        id: Set(call.id),
        scheduled_for: Set(call.scheduled_for),
        agenda: Set(call.agenda.clone()),
        link: Set(call.link.clone()),
        status: Set(call.status.as_str().into()),
        minutes: Set(call.minutes.clone()),
        action_items: Set(json!(call.action_items)),
        created_by: Set(call.created_by),
        created_at: Set(call.created_at),
        recorded_at: Set(call.recorded_at),
    })
    .exec_without_returning(conn)
    .await?;
    let rows: Vec<mentor_call_attendance::ActiveModel> = mentors
        .iter()
        .map(|m| mentor_call_attendance::ActiveModel {
            call_id: Set(call.id),
            mentor_id: Set(*m),
            rsvp: Set(None),
            attended: Set(None),
        })
        .collect();
    for chunk in rows.chunks(500) {
        mentor_call_attendance::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// A call.
///
/// # Errors
/// A database fault; INTERNAL for a corrupt row.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<MentorCall>> {
    mentor_call::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(MentorCall::try_from)
        .transpose()
}

/// A call, locked for the rest of the transaction (PostgreSQL; SQLite's write transaction
/// already excludes other writers).
///
/// # Errors
/// A database fault; INTERNAL for a corrupt row.
pub async fn find_for_update(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<MentorCall>> {
    db::for_update(
        conn.get_database_backend(),
        mentor_call::Entity::find_by_id(id),
    )
    .one(conn)
    .await?
    .map(MentorCall::try_from)
    .transpose()
}

/// Whether `mentor` was invited to `call`.
///
/// # Errors
/// A database fault.
pub async fn is_invited(conn: &impl ConnectionTrait, call: Uuid, mentor: Uuid) -> AppResult<bool> {
    Ok(mentor_call_attendance::Entity::find_by_id((call, mentor))
        .one(conn)
        .await?
        .is_some())
}

/// The calls a scope sees: every call, or those its person was invited to.
pub fn visible(scope: Scope) -> Select<mentor_call::Entity> {
    let select = mentor_call::Entity::find();
    let Scope::Own(viewer) = scope else {
        return select;
    };
    let invited = sea_orm::sea_query::Query::select()
        .column(mentor_call_attendance::Column::CallId)
        .from(mentor_call_attendance::Entity)
        .and_where(mentor_call_attendance::Column::MentorId.eq(viewer))
        .to_owned();
    select.filter(mentor_call::Column::Id.in_subquery(invited))
}

/// Every invitation of a call, in mentor order.
///
/// # Errors
/// A database fault; INTERNAL for a corrupt row.
pub async fn invitations(conn: &impl ConnectionTrait, call: Uuid) -> AppResult<Vec<Invitation>> {
    let rows = mentor_call_attendance::Entity::find()
        .filter(mentor_call_attendance::Column::CallId.eq(call))
        .order_by_asc(mentor_call_attendance::Column::MentorId)
        .limit(MAX_INVITED)
        .all(conn)
        .await?;
    read_all(rows)
}

/// Stores a mentor's answer.
///
/// # Errors
/// A database fault.
pub async fn set_rsvp(
    conn: &impl ConnectionTrait,
    call: Uuid,
    mentor: Uuid,
    rsvp: Rsvp,
) -> AppResult<()> {
    mentor_call_attendance::Entity::update_many()
        .set(mentor_call_attendance::ActiveModel {
            rsvp: Set(Some(rsvp.as_str().into())),
            ..Default::default()
        })
        .filter(mentor_call_attendance::Column::CallId.eq(call))
        .filter(mentor_call_attendance::Column::MentorId.eq(mentor))
        .exec(conn)
        .await?;
    Ok(())
}

/// Marks who came and who did not: two statements, whatever the number of mentors.
///
/// # Errors
/// A database fault.
pub async fn mark_attendance(
    conn: &impl ConnectionTrait,
    call: Uuid,
    attended: &[Uuid],
) -> AppResult<()> {
    for (came, filter) in [
        (
            true,
            mentor_call_attendance::Column::MentorId.is_in(attended.to_vec()),
        ),
        (
            false,
            mentor_call_attendance::Column::MentorId.is_not_in(attended.to_vec()),
        ),
    ] {
        mentor_call_attendance::Entity::update_many()
            .set(mentor_call_attendance::ActiveModel {
                attended: Set(Some(came)),
                ..Default::default()
            })
            .filter(mentor_call_attendance::Column::CallId.eq(call))
            .filter(filter)
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Stores a call's record (status, minutes, action items, when).
///
/// # Errors
/// A database fault.
pub async fn record(conn: &impl ConnectionTrait, call: &MentorCall) -> AppResult<()> {
    mentor_call::Entity::update(mentor_call::ActiveModel {
        id: Set(call.id),
        status: Set(MentorCallStatus::Held.as_str().into()),
        minutes: Set(call.minutes.clone()),
        action_items: Set(json!(call.action_items)),
        recorded_at: Set(call.recorded_at),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Whether each of `ids` is an announcement mentors must relay.
///
/// # Errors
/// A database fault.
pub async fn relayable(conn: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<Uuid>> {
    Ok(announcement::Entity::find()
        .select_only()
        .column(announcement::Column::Id)
        .filter(announcement::Column::Id.is_in(ids.to_vec()))
        .filter(announcement::Column::RelayRequired.eq(true))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Ties announcements to the call that carried them.
///
/// # Errors
/// A database fault.
pub async fn link_announcements(
    conn: &impl ConnectionTrait,
    call: Uuid,
    ids: &[Uuid],
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    announcement::Entity::update_many()
        .set(announcement::ActiveModel {
            call_id: Set(Some(call)),
            ..Default::default()
        })
        .filter(announcement::Column::Id.is_in(ids.to_vec()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Each of `mentors`' last `n` recorded invitations, newest first, as (mentor, attended):
/// one statement for all of them, by a window function.
///
/// # Errors
/// A database fault.
pub async fn recent_attendance(
    conn: &impl ConnectionTrait,
    mentors: &[Uuid],
    n: usize,
) -> AppResult<Vec<(Uuid, bool)>> {
    if mentors.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (2..mentors.len() + 2).map(|n| format!("${n}")).collect();
    let q = format!(
        "SELECT mentor_id, attended FROM (SELECT a.mentor_id, a.attended, ROW_NUMBER() OVER \
         (PARTITION BY a.mentor_id ORDER BY c.scheduled_for DESC) AS rn \
         FROM mentor_call_attendance a JOIN mentor_call c ON c.id = a.call_id \
         WHERE a.attended IS NOT NULL AND a.mentor_id IN ({})) t \
         WHERE rn <= $1 ORDER BY mentor_id, rn",
        list.join(", ")
    );
    let mut values: Vec<sea_orm::Value> = vec![(n as i64).into()];
    values.extend(mentors.iter().map(|id| sea_orm::Value::from(*id)));
    let rows = conn
        .query_all_raw(db::statement(conn.get_database_backend(), &q, values))
        .await?;
    let mut recent = Vec::with_capacity(rows.len());
    for row in rows {
        recent.push((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
    }
    Ok(recent)
}
