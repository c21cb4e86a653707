//! `endMentorship`.

use uuid::Uuid;

use super::{
    model::{Mentorship, MentorshipEndReason, MentorshipStatus},
    repo,
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    db,
    error::{AppError, AppResult},
    events::DomainEvent,
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
    let txn = db::begin_write(state.db()).await?;
    let before = repo::find(&txn, cmd.mentorship_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such mentorship".into()))?;
    repo::end(
        &txn,
        before.id,
        cmd.reason,
        cmd.note.clone(),
        council.id,
        now,
    )
    .await?;
    let after = Mentorship {
        status: MentorshipStatus::Ended,
        ended_at: Some(now),
        end_reason: Some(cmd.reason),
        end_note: cmd.note,
        ended_by: Some(council.id),
        ..before.clone()
    };
    audit::record(
        &txn,
        rc,
        now,
        Entry {
            action: "end_mentorship",
            subject_type: "mentorship",
            subject_id: Some(before.id),
            before: Some(before.audit_json()),
            after: Some(after.audit_json()),
        },
    )
    .await?;
    txn.commit().await?;
    state.events().publish(DomainEvent::MentorshipEnded {
        mentorship_id: after.id,
        mentor_id: after.mentor_id,
        mentee_id: after.mentee_id,
        reason: cmd.reason,
    });
    Ok(after)
}
