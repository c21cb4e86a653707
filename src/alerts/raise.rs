//! Raising alerts: the council is told of every new one, and the mentor's status follows.
//! Used by mentors reporting (`report`), and by the system (`inactivity`, missed calls).

use chrono::{DateTime, Utc};
use entity::mentor_profile;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    model::{MentorAlert, MentorAlertKind},
    repo,
};
use crate::{
    council::{self, ContactArea},
    error::{AppError, AppResult},
    mentor::model::{MentorProfile, MentorStatus},
    notifications::{self, Notice, NotificationKind},
};

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

/// Raises an alert the system found (a streak of missed calls) for a live mentor, unless
/// one of its kind is already open; tells the council. Returns whether it was raised.
///
/// # Errors
/// A database fault.
pub async fn system_alert(
    conn: &impl ConnectionTrait,
    mentor: Uuid,
    kind: MentorAlertKind,
    message: String,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let live = crate::mentor::repo::find(conn, mentor)
        .await?
        .map(MentorProfile::try_from)
        .transpose()?
        .is_some_and(|p| p.is_live());
    if !live {
        return Ok(false);
    }
    let alert = MentorAlert::open(mentor, kind, Some(message), now);
    match repo::insert(conn, &alert).await {
        Err(AppError::Conflict(_)) => Ok(false),
        other => {
            other?;
            alert_council(conn, &alert, now).await?;
            Ok(true)
        }
    }
}
