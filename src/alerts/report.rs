//! `reportMentorLoad`: a mentor tells the council they are overwhelmed, need a break or are
//! stepping down; their status follows at once.

use chrono::{DateTime, Utc};

use super::{
    model::{MentorAlert, MentorAlertKind},
    raise::{alert_council, set_mentor_status},
    repo,
};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    mentor::model::{MentorProfile, MentorStatus},
    request::RequestCtx,
    state::AppState,
};

/// A mentor telling the council about their load.
#[derive(Clone, Debug)]
pub struct ReportMentorLoad {
    pub kind: MentorAlertKind,
    pub message: Option<String>,
    /// Required for NEEDS_BREAK.
    pub return_on: Option<DateTime<Utc>>,
}

/// Opens an alert for the council and sets the reporting mentor's status.
///
/// # Errors
/// FORBIDDEN for someone without a mentor profile; BAD_USER_INPUT for INACTIVITY_DETECTED
/// or a break without a return date within a year; CONFLICT when the same kind is open.
#[tracing::instrument(skip_all)]
pub async fn report_mentor_load(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ReportMentorLoad,
) -> AppResult<MentorAlert> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let (status, break_until) = match cmd.kind {
        MentorAlertKind::Overwhelmed => (MentorStatus::Overwhelmed, None),
        MentorAlertKind::SteppingDown => (MentorStatus::Paused, None),
        MentorAlertKind::NeedsBreak => match cmd.return_on {
            Some(at) if crate::clock::within_next_year(now, at) => (MentorStatus::Paused, Some(at)),
            _ => {
                return Err(AppError::bad_input(
                    "input.returnOn",
                    "a break needs a return date within the next year",
                ));
            }
        },
        MentorAlertKind::InactivityDetected
        | MentorAlertKind::MissedCalls
        | MentorAlertKind::MentorRoleRemoved => {
            return Err(AppError::bad_input(
                "input.kind",
                "this kind is detected by the system, not reported",
            ));
        }
    };
    let txn = rc.begin_write(state.db()).await?;
    let live = crate::mentor::repo::find(&txn, me.id)
        .await?
        .map(MentorProfile::try_from)
        .transpose()?
        .is_some_and(|p| p.is_live());
    policy::require_live_mentor(live)?;
    let alert = MentorAlert {
        return_on: break_until,
        ..MentorAlert::open(me.id, cmd.kind, cmd.message, now)
    };
    repo::insert(&txn, &alert).await?;
    set_mentor_status(&txn, me.id, status, break_until, now).await?;
    alert_council(&txn, &alert, now).await?;
    txn.commit().await?;
    Ok(alert)
}
