//! `rsvpMentorCall`: an invited mentor answers, until the call is recorded.

use uuid::Uuid;

use super::{
    model::{MentorCall, MentorCallStatus, Rsvp},
    repo,
};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    request::RequestCtx,
    state::AppState,
};

/// Answers an invitation.
///
/// # Errors
/// NOT_FOUND unless invited; CONFLICT once the call is recorded.
#[tracing::instrument(skip_all, fields(call = %call_id))]
pub async fn rsvp_mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    call_id: Uuid,
    rsvp: Rsvp,
) -> AppResult<MentorCall> {
    let me = policy::require_person(&rc.actor)?;
    let txn = rc.begin_write(state.db()).await?;
    let call = repo::find(&txn, call_id).await?;
    let invited = call.is_some() && repo::is_invited(&txn, call_id, me.id).await?;
    policy::require_invited(invited)?;
    let call = call.ok_or_else(|| AppError::NotFound("no such mentor call".into()))?;
    if call.status != MentorCallStatus::Scheduled {
        return Err(AppError::Conflict(
            "this call has already taken place".into(),
        ));
    }
    repo::set_rsvp(&txn, call_id, me.id, rsvp).await?;
    txn.commit().await?;
    Ok(call)
}
