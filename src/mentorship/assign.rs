//! `assignMentor` and `reassignMentor`.

use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::{
    end::{Ending, end_in},
    model::{Mentorship, MentorshipEndReason, MentorshipStatus},
    notices, repo,
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    mentor::model::MentorProfile,
    notifications, people,
    people::model::PersonStatus,
    request::RequestCtx,
    state::AppState,
};

/// Give a mentee without a mentor a mentor.
#[derive(Clone, Debug)]
pub struct AssignMentor {
    pub mentee_id: Uuid,
    pub mentor_id: Uuid,
    pub note: Option<String>,
    pub allow_over_capacity: bool,
}

/// Move a mentee from their current mentor to another.
#[derive(Clone, Debug)]
pub struct ReassignMentor {
    pub mentee_id: Uuid,
    pub new_mentor_id: Uuid,
    pub reason: MentorshipEndReason,
    pub note: Option<String>,
    pub allow_over_capacity: bool,
}

/// Assigns a mentor to a mentee who has none.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for unknown people; BAD_USER_INPUT for
/// self-mentoring or a mentor without a profile; CONFLICT when the mentee already has a
/// mentor; CAPACITY_EXCEEDED without the override.
#[tracing::instrument(skip_all, fields(mentee = %cmd.mentee_id, mentor = %cmd.mentor_id))]
pub async fn assign_mentor(
    state: &AppState,
    rc: &RequestCtx,
    cmd: AssignMentor,
) -> AppResult<Mentorship> {
    let council = policy::require_council(&rc.actor)?;
    let txn = rc.begin_write(state.db()).await?;
    if !repo::active_of_mentees(&txn, &[cmd.mentee_id])
        .await?
        .is_empty()
    {
        return Err(AppError::Conflict(
            "this mentee already has an active mentor; re-assign instead".into(),
        ));
    }
    let start = Start {
        mentee_id: cmd.mentee_id,
        mentor_id: cmd.mentor_id,
        note: cmd.note,
        allow_over_capacity: cmd.allow_over_capacity,
        by: council.id,
    };
    let mentorship = start_mentorship(state, &txn, rc, start, "assign_mentor").await?;
    let notices = notices::started(&txn, &mentorship).await?;
    notifications::notify(&txn, mentorship.started_at, &notices).await?;
    txn.commit().await?;
    Ok(mentorship)
}

/// Ends the mentee's current mentorship and starts one with the new mentor, atomically.
///
/// # Errors
/// As [`assign_mentor`]; NOT_FOUND when the mentee has no active mentorship; BAD_USER_INPUT
/// when the new mentor is the current one. Nothing changes on any error.
#[tracing::instrument(skip_all, fields(mentee = %cmd.mentee_id, mentor = %cmd.new_mentor_id))]
pub async fn reassign_mentor(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ReassignMentor,
) -> AppResult<Mentorship> {
    let council = policy::require_council(&rc.actor)?;
    let txn = rc.begin_write(state.db()).await?;
    let done = reassign_in(state, &txn, rc, &cmd, council.id).await?;
    txn.commit().await?;
    Ok(done.new)
}

/// A re-assignment made inside a transaction: the mentorship ended and the one started.
pub struct Reassigned {
    pub old: Mentorship,
    pub new: Mentorship,
}

/// The rules of a re-assignment inside the caller's transaction (`reassignMentor`, and the
/// council resolving a mentor alert), with audit entries and notifications.
///
/// # Errors
/// As [`reassign_mentor`].
pub async fn reassign_in(
    state: &AppState,
    txn: &DatabaseTransaction,
    rc: &RequestCtx,
    cmd: &ReassignMentor,
    by: Uuid,
) -> AppResult<Reassigned> {
    let now = state.clock().now();
    let old = repo::active_of_mentees(txn, &[cmd.mentee_id])
        .await?
        .pop()
        .ok_or_else(|| {
            AppError::NotFound("this mentee has no active mentorship to re-assign".into())
        })?;
    if old.mentor_id == cmd.new_mentor_id {
        return Err(AppError::bad_input(
            "input.newMentorId",
            "this is already the mentee's mentor",
        ));
    }
    let ending = Ending {
        reason: cmd.reason,
        note: cmd.note.clone(),
        by,
        at: now,
    };
    let old = end_in(txn, rc, &old, ending).await?;
    let start = Start {
        mentee_id: cmd.mentee_id,
        mentor_id: cmd.new_mentor_id,
        note: cmd.note.clone(),
        allow_over_capacity: cmd.allow_over_capacity,
        by,
    };
    let new = start_mentorship(state, txn, rc, start, "reassign_mentor").await?;
    let notices = notices::reassigned(txn, &old, &new).await?;
    notifications::notify(txn, now, &notices).await?;
    Ok(Reassigned { old, new })
}

struct Start {
    mentee_id: Uuid,
    mentor_id: Uuid,
    note: Option<String>,
    allow_over_capacity: bool,
    by: Uuid,
}

/// The rules of a new mentorship, inside the caller's transaction: both people exist, no
/// self-mentoring, a mentor profile, capacity (counted under the mentor's row lock), then
/// the row and its audit entry.
async fn start_mentorship(
    state: &AppState,
    txn: &DatabaseTransaction,
    rc: &RequestCtx,
    start: Start,
    action: &str,
) -> AppResult<Mentorship> {
    if start.mentee_id == start.mentor_id {
        return Err(AppError::bad_input(
            "input.mentorId",
            "nobody can mentor themself",
        ));
    }
    // The mentee's row is locked, so an erasure of them (which locks it too) is either
    // before (and the mentee is not found) or after (and ends this mentorship).
    let mentee = people::repo::lock(txn, start.mentee_id).await?;
    if mentee.is_none_or(|m| m.status == PersonStatus::Erased.as_str()) {
        return Err(AppError::NotFound("no such mentee".into()));
    }
    let profile: MentorProfile = repo::lock_mentor_profile(txn, start.mentor_id)
        .await?
        .map(MentorProfile::try_from)
        .transpose()?
        .ok_or_else(|| AppError::NotFound("no such mentor".into()))?;
    let active = repo::count_active_of_mentor(txn, start.mentor_id).await? as usize;
    let over_capacity = !profile.accepts(active);
    if over_capacity && !start.allow_over_capacity {
        return Err(AppError::CapacityExceeded(format!(
            "this mentor has {active} of {} mentees, or is not taking new ones; \
             set allowOverCapacity to override",
            profile.capacity
        )));
    }
    let now = state.clock().now();
    let mentorship = Mentorship {
        id: Uuid::now_v7(),
        mentor_id: start.mentor_id,
        mentee_id: start.mentee_id,
        status: MentorshipStatus::Active,
        started_at: now,
        ended_at: None,
        end_reason: None,
        note: start.note,
        end_note: None,
        assigned_by: Some(start.by),
        ended_by: None,
        over_capacity,
    };
    repo::insert(txn, &mentorship).await?;
    let mut after = mentorship.audit_json();
    if over_capacity {
        after["capacityOverride"] =
            serde_json::json!({ "activeBefore": active, "capacity": profile.capacity });
    }
    audit::record(
        txn,
        rc,
        now,
        Entry {
            action,
            subject_type: "mentorship",
            subject_id: Some(mentorship.id),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(mentorship)
}
