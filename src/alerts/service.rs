//! `reportMentorLoad`, `resolveMentorAlert`, `mentorAlerts`.

use chrono::{DateTime, Duration, Utc};
use entity::{mentor_alert, mentor_profile};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{MentorAlert, MentorAlertKind, MentorAlertStatus},
    repo,
};
use crate::{
    audit::{self, Entry},
    auth::{Role, policy},
    council::{self, ContactArea},
    db,
    error::{AppError, AppResult},
    mentor::model::{MentorProfile, MentorStatus},
    mentorship::{
        assign::{ReassignMentor, reassign_in},
        model::MentorshipEndReason,
        repo as mentorship_repo,
    },
    notifications::{self, Notice, NotificationKind},
    paging::{Order, Page, TotalCount, page_of},
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

/// Sets a mentor's status (and break end) inside a transaction.
///
/// # Errors
/// A database fault.
pub async fn set_mentor_status(
    conn: &impl ConnectionTrait,
    mentor: Uuid,
    status: MentorStatus,
    break_until: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    mentor_profile::Entity::update_many()
        .set(mentor_profile::ActiveModel {
            status: Set(status.as_str().into()),
            break_until: Set(break_until),
            updated_at: Set(at),
            ..Default::default()
        })
        .filter(mentor_profile::Column::PersonId.eq(mentor))
        .exec(conn)
        .await?;
    Ok(())
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
            Some(at) if at > now && at <= now + Duration::days(365) => {
                (MentorStatus::Paused, Some(at))
            }
            _ => {
                return Err(AppError::bad_input(
                    "input.returnOn",
                    "a break needs a return date within the next year",
                ));
            }
        },
        MentorAlertKind::InactivityDetected | MentorAlertKind::MissedCalls => {
            return Err(AppError::bad_input(
                "input.kind",
                "this kind is detected by the system, not reported",
            ));
        }
    };
    let txn = db::begin_write(state.db()).await?;
    let profile = crate::mentor::repo::find(&txn, me.id)
        .await?
        .map(MentorProfile::from)
        .filter(MentorProfile::is_live)
        .ok_or_else(|| AppError::Forbidden("only mentors report their load".into()))?;
    let alert = MentorAlert {
        id: Uuid::now_v7(),
        mentor_id: profile.person_id,
        kind: cmd.kind,
        message: cmd.message,
        return_on: break_until,
        status: MentorAlertStatus::Open,
        created_at: now,
        handled_by: None,
        handled_at: None,
        resolution: None,
    };
    repo::insert(&txn, &alert).await?;
    set_mentor_status(&txn, me.id, status, break_until, now).await?;
    alert_council(&txn, &alert, now).await?;
    txn.commit().await?;
    Ok(alert)
}

/// Tells the council about a new alert.
///
/// # Errors
/// A database fault.
pub async fn alert_council(
    conn: &impl ConnectionTrait,
    alert: &MentorAlert,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let notices: Vec<Notice> = council::responsible(conn, ContactArea::MentorshipAdministration)
        .await?
        .into_iter()
        .map(|to| Notice {
            to,
            kind: NotificationKind::MentorAlertOpened,
            title: "A mentor needs attention".into(),
            body: format!(
                "New {} alert.",
                alert.kind.as_str().to_lowercase().replace('_', " ")
            ),
            subject_id: Some(alert.id),
        })
        .collect();
    notifications::notify(conn, at, &notices).await
}

fn end_reason(kind: MentorAlertKind) -> MentorshipEndReason {
    match kind {
        MentorAlertKind::Overwhelmed => MentorshipEndReason::MentorOverwhelmed,
        MentorAlertKind::SteppingDown => MentorshipEndReason::MentorSteppedDown,
        MentorAlertKind::InactivityDetected | MentorAlertKind::MissedCalls => {
            MentorshipEndReason::MentorInactive
        }
        MentorAlertKind::NeedsBreak => MentorshipEndReason::Other,
    }
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
    let txn = db::begin_write(state.db()).await?;
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
        before: Some(json!({"status": "OPEN"})),
        after: Some(json!({
            "status": "RESOLVED",
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

/// Alerts: all for the council; a mentor's own for everyone else.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn mentor_alerts(
    state: &AppState,
    rc: &RequestCtx,
    mentor: Option<Uuid>,
    status: Option<MentorAlertStatus>,
    kind: Option<MentorAlertKind>,
    page: Page,
) -> AppResult<(Vec<MentorAlert>, TotalCount)> {
    let me = policy::require_person(&rc.actor)?;
    let mentor = if me.has(Role::Council) {
        mentor
    } else {
        Some(me.id)
    };
    let select = repo::filtered(mentor, status, kind);
    let (rows, total) = page_of(
        state.db(),
        select,
        mentor_alert::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    Ok((rows.into_iter().map(MentorAlert::from).collect(), total))
}
