//! `scheduleMentorCall`: the council plans a call and every live mentor is invited.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{MentorCall, MentorCallStatus},
    repo,
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    notifications::{self, Notice, NotificationKind},
    request::RequestCtx,
    state::AppState,
};

/// A new call.
#[derive(Clone, Debug)]
pub struct ScheduleMentorCall {
    pub scheduled_for: DateTime<Utc>,
    pub agenda: String,
    pub link: Option<String>,
}

/// Schedules a call and invites every mentor.
///
/// # Errors
/// FORBIDDEN unless council; BAD_USER_INPUT for a time not within the next year.
#[tracing::instrument(skip_all, fields(scheduled_for = %cmd.scheduled_for))]
pub async fn schedule_mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ScheduleMentorCall,
) -> AppResult<MentorCall> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    if !crate::clock::within_next_year(now, cmd.scheduled_for) {
        return Err(AppError::bad_input(
            "input.scheduledFor",
            "must be within the next year",
        ));
    }
    let txn = rc.begin_write(state.db()).await?;
    let call = MentorCall {
        id: Uuid::now_v7(),
        scheduled_for: cmd.scheduled_for,
        agenda: cmd.agenda,
        link: cmd.link,
        status: MentorCallStatus::Scheduled,
        minutes: None,
        action_items: Vec::new(),
        created_by: council.id,
        created_at: now,
        recorded_at: None,
    };
    let mentors = crate::role_guide::repo::live_mentor_ids(&txn).await?;
    repo::insert(&txn, &call, &mentors).await?;
    let notices: Vec<Notice> = mentors
        .iter()
        .map(|to| Notice {
            to: *to,
            kind: NotificationKind::MentorCallScheduled,
            title: "Mentor call".into(),
            body: format!(
                "A mentor call is planned for {}. Please RSVP.",
                call.scheduled_for.format("%Y-%m-%d %H:%M UTC")
            ),
            subject_id: Some(call.id),
        })
        .collect();
    notifications::notify(&txn, now, &notices).await?;
    let entry = Entry {
        action: "schedule_mentor_call",
        subject_type: "mentor_call",
        subject_id: Some(call.id),
        before: None,
        after: Some(json!({"scheduledFor": call.scheduled_for, "invited": mentors.len()})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(call)
}
