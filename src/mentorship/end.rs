//! `endMentorship`.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use super::{
    model::{Mentorship, MentorshipEndReason, MentorshipStatus},
    notices, repo,
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    notifications,
    request::RequestCtx,
    state::AppState,
};

/// End a running mentorship.
#[derive(Clone, Debug)]
pub struct EndMentorship {
    pub mentorship_id: Uuid,
    pub reason: MentorshipEndReason,
    pub note: Option<String>,
}

/// Ends an active mentorship, with reason and note.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown id; CONFLICT when it already ended.
#[tracing::instrument(skip_all, fields(mentorship = %cmd.mentorship_id))]
pub async fn end_mentorship(
    state: &AppState,
    rc: &RequestCtx,
    cmd: EndMentorship,
) -> AppResult<Mentorship> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let before = repo::find_for_update(&txn, cmd.mentorship_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such mentorship".into()))?;
    let ending = Ending {
        reason: cmd.reason,
        note: cmd.note,
        by: council.id,
        at: now,
    };
    let after = end_in(&txn, rc, &before, ending).await?;
    let notices = notices::ended(&txn, &after).await?;
    notifications::notify(&txn, now, &notices).await?;
    txn.commit().await?;
    Ok(after)
}

/// How a mentorship ends.
pub struct Ending {
    pub reason: MentorshipEndReason,
    pub note: Option<String>,
    pub by: Uuid,
    pub at: DateTime<Utc>,
}

/// Ends `before` inside the caller's transaction, with its audit entry; the one place that
/// ends mentorships (`endMentorship`, `reassignMentor`).
///
/// # Errors
/// CONFLICT when it had already ended; a database fault.
pub async fn end_in(
    txn: &DatabaseTransaction,
    rc: &RequestCtx,
    before: &Mentorship,
    ending: Ending,
) -> AppResult<Mentorship> {
    repo::end(
        txn,
        before.id,
        ending.reason,
        ending.note.clone(),
        ending.by,
        ending.at,
    )
    .await?;
    let after = Mentorship {
        status: MentorshipStatus::Ended,
        ended_at: Some(ending.at),
        end_reason: Some(ending.reason),
        end_note: ending.note,
        ended_by: Some(ending.by),
        ..before.clone()
    };
    let entry = Entry {
        action: "end_mentorship",
        subject_type: "mentorship",
        subject_id: Some(before.id),
        before: Some(before.audit_json()),
        after: Some(after.audit_json()),
    };
    audit::record(txn, rc, ending.at, entry).await?;
    Ok(after)
}
