//! `resolveMentorAlert`: the council answers an alert — re-assignments, the mentor's new
//! status and the resolution, all in one transaction.

use serde_json::json;
use uuid::Uuid;

use super::{
    model::{MentorAlert, MentorAlertKind, MentorAlertStatus},
    raise::set_mentor_status,
    repo,
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    mentor::model::MentorStatus,
    mentorship::{
        assign::{ReassignMentor, reassign_in},
        model::MentorshipEndReason,
        repo as mentorship_repo,
    },
    notifications::{self, Notice, NotificationKind},
    request::RequestCtx,
    state::AppState,
};

/// One re-assignment of a resolution.
#[derive(Clone, Debug)]
pub struct Move {
    pub mentee_id: Uuid,
    pub new_mentor_id: Uuid,
    pub allow_over_capacity: bool,
}

/// The council's answer to an alert.
#[derive(Clone, Debug)]
pub struct ResolveMentorAlert {
    pub alert_id: Uuid,
    pub resolution: String,
    pub mentor_status: Option<MentorStatus>,
    pub reassignments: Vec<Move>,
}

/// Resolves an alert: every re-assignment, the mentor's new status and the resolution, in
/// one transaction.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown alert; CONFLICT when already
/// resolved; any re-assignment's error (naming `input.reassignments.N…`) — and then nothing
/// at all has changed.
#[tracing::instrument(skip_all, fields(alert = %cmd.alert_id))]
pub async fn resolve_mentor_alert(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ResolveMentorAlert,
) -> AppResult<MentorAlert> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let alert = repo::find(&txn, cmd.alert_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such alert".into()))?;
    if alert.status != MentorAlertStatus::Open {
        return Err(AppError::Conflict("this alert is already resolved".into()));
    }
    let mut done = Vec::new();
    for (i, m) in cmd.reassignments.iter().enumerate() {
        let at_item = |err: AppError| match err {
            AppError::BadUserInput { field, message } => AppError::BadUserInput {
                field: Some(format!(
                    "input.reassignments.{i}.{}",
                    field.unwrap_or_default().trim_start_matches("input.")
                )),
                message,
            },
            other => other,
        };
        let current = mentorship_repo::active_of_mentees(&txn, &[m.mentee_id])
            .await?
            .pop();
        if current.is_none_or(|c| c.mentor_id != alert.mentor_id) {
            return Err(at_item(AppError::bad_input(
                "input.menteeId",
                "not a current mentee of this mentor",
            )));
        }
        let reassign = ReassignMentor {
            mentee_id: m.mentee_id,
            new_mentor_id: m.new_mentor_id,
            reason: end_reason(alert.kind),
            note: Some(cmd.resolution.clone()),
            allow_over_capacity: m.allow_over_capacity,
        };
        done.push(
            reassign_in(state, &txn, rc, &reassign, council.id)
                .await
                .map_err(at_item)?,
        );
    }
    if let Some(status) = cmd.mentor_status {
        let keep_break = if status == MentorStatus::Paused {
            alert.return_on
        } else {
            None
        };
        set_mentor_status(&txn, alert.mentor_id, status, keep_break, now).await?;
    }
    if !repo::resolve(&txn, alert.id, council.id, &cmd.resolution, now).await? {
        return Err(AppError::Conflict("this alert is already resolved".into()));
    }
    let entry = Entry {
        action: "resolve_mentor_alert",
        subject_type: "mentor_alert",
        subject_id: Some(alert.id),
        before: Some(json!({"status": MentorAlertStatus::Open.as_str()})),
        after: Some(json!({
            "status": MentorAlertStatus::Resolved.as_str(),
            "mentorStatus": cmd.mentor_status.map(MentorStatus::as_str),
            "reassigned": done.iter().map(|d| d.new.mentee_id).collect::<Vec<_>>(),
        })),
    };
    audit::record(&txn, rc, now, entry).await?;
    let notice = Notice {
        to: alert.mentor_id,
        kind: NotificationKind::MentorAlertResolved,
        title: "The council handled your alert".into(),
        body: cmd.resolution.clone(),
        subject_id: Some(alert.id),
    };
    notifications::notify(&txn, now, &[notice]).await?;
    txn.commit().await?;
    Ok(MentorAlert {
        status: MentorAlertStatus::Resolved,
        handled_by: Some(council.id),
        handled_at: Some(now),
        resolution: Some(cmd.resolution),
        ..alert
    })
}

fn end_reason(kind: MentorAlertKind) -> MentorshipEndReason {
    match kind {
        MentorAlertKind::Overwhelmed => MentorshipEndReason::MentorOverwhelmed,
        MentorAlertKind::SteppingDown => MentorshipEndReason::MentorSteppedDown,
        MentorAlertKind::InactivityDetected | MentorAlertKind::MissedCalls => {
            MentorshipEndReason::MentorInactive
        }
        MentorAlertKind::NeedsBreak | MentorAlertKind::MentorRoleRemoved => {
            MentorshipEndReason::Other
        }
    }
}
