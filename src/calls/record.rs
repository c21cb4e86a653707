//! `recordMentorCall`: the council records who came, the minutes, action items and the
//! announcements the call carried; missing the call `MENTORSHIP_MISSED_CALLS_ALERT` times in
//! a row raises one alert.

use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{MentorCall, MentorCallStatus},
    repo,
};
use crate::{
    alerts::{self, model::MentorAlertKind},
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    request::RequestCtx,
    state::AppState,
};

/// What happened in a call.
#[derive(Clone, Debug)]
pub struct RecordMentorCall {
    pub call_id: Uuid,
    pub attended: Vec<Uuid>,
    pub minutes: Option<String>,
    pub action_items: Vec<String>,
    pub announcement_ids: Vec<Uuid>,
}

/// Records attendance, minutes, action items and announcements to relay; raises the
/// missed-calls alerts.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown call; CONFLICT when already recorded or
/// not yet held; BAD_USER_INPUT for attendees who were not invited or announcements that need
/// no relaying.
#[tracing::instrument(skip_all, fields(call = %cmd.call_id))]
pub async fn record_mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    cmd: RecordMentorCall,
) -> AppResult<MentorCall> {
    policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    // Locked: two recordings at once must not both find it SCHEDULED.
    let call = repo::find_for_update(&txn, cmd.call_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such mentor call".into()))?;
    if call.status != MentorCallStatus::Scheduled {
        return Err(AppError::Conflict("this call is already recorded".into()));
    }
    if call.scheduled_for > now {
        return Err(AppError::Conflict(
            "this call has not taken place yet".into(),
        ));
    }
    let invited: Vec<Uuid> = repo::invitations(&txn, call.id)
        .await?
        .into_iter()
        .map(|a| a.mentor_id)
        .collect();
    if let Some(stranger) = cmd.attended.iter().find(|id| !invited.contains(id)) {
        return Err(AppError::bad_input(
            "input.attendedMentorIds",
            format!("{stranger} was not invited"),
        ));
    }
    let relayable = repo::relayable(&txn, &cmd.announcement_ids).await?;
    if let Some(id) = cmd
        .announcement_ids
        .iter()
        .find(|id| !relayable.contains(id))
    {
        return Err(AppError::bad_input(
            "input.announcementIds",
            format!("{id} is not an announcement to relay"),
        ));
    }
    repo::mark_attendance(&txn, call.id, &cmd.attended).await?;
    let recorded = MentorCall {
        status: MentorCallStatus::Held,
        minutes: cmd.minutes,
        action_items: cmd.action_items,
        recorded_at: Some(now),
        ..call
    };
    repo::record(&txn, &recorded).await?;
    repo::link_announcements(&txn, recorded.id, &cmd.announcement_ids).await?;
    let threshold = state.settings().missed_calls_alert.max(1) as usize;
    let absent: Vec<Uuid> = invited
        .iter()
        .filter(|m| !cmd.attended.contains(m))
        .copied()
        .collect();
    for mentor in streaks_reaching(&txn, &absent, threshold).await? {
        let message = format!("Missed the last {threshold} mentor calls.");
        alerts::raise::system_alert(&txn, mentor, MentorAlertKind::MissedCalls, message, now)
            .await?;
    }
    let entry = Entry {
        action: "record_mentor_call",
        subject_type: "mentor_call",
        subject_id: Some(recorded.id),
        before: None,
        after: Some(json!({"attended": cmd.attended.len(), "invited": invited.len()})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(recorded)
}

/// The mentors among `absent` whose missed recorded calls in a row number exactly
/// `threshold` now (so the alert is raised once, when the streak reaches the count).
async fn streaks_reaching(
    conn: &impl ConnectionTrait,
    absent: &[Uuid],
    threshold: usize,
) -> AppResult<Vec<Uuid>> {
    let recent = repo::recent_attendance(conn, absent, threshold + 1).await?;
    Ok(absent
        .iter()
        .copied()
        .filter(|mentor| {
            let streak = recent
                .iter()
                .filter(|(m, _)| m == mentor)
                .take_while(|(_, attended)| !attended)
                .count();
            streak == threshold
        })
        .collect())
}
