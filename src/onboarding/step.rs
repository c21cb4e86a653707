//! `setMentorApplicationStatus`: the council reviews, accepts into onboarding, completes
//! or declines; the applicant withdraws. Completion grants the mentor profile.

use entity::{mentor_application as app, mentor_profile};
use serde_json::json;
use uuid::Uuid;

use super::model::MentorApplication;
use super::{
    model::ApplicationStatus,
    repo,
    service::{NEW_MENTOR_CAPACITY, not_found, status_of, tell},
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    mentor::model::{Capacity, MentorStatus},
    notifications::NotificationKind,
    request::RequestCtx,
    state::AppState,
};

/// A step of an application.
#[derive(Clone, Debug)]
pub struct Step {
    pub application_id: Uuid,
    pub status: ApplicationStatus,
    pub note: Option<String>,
    /// The new mentor's capacity, on completion ([`NEW_MENTOR_CAPACITY`] when `None`).
    pub capacity: Option<Capacity>,
}

/// Moves an application one step: the council reviews, accepts into onboarding, completes
/// or declines; the applicant withdraws. Completion grants the mentor profile.
///
/// # Errors
/// NOT_FOUND unless council or applicant; FORBIDDEN for a step that is not the caller's to
/// take; CONFLICT for a move the process does not allow or a completion with steps left.
#[tracing::instrument(skip_all, fields(application = %cmd.application_id, status = ?cmd.status))]
pub async fn set_mentor_application_status(
    state: &AppState,
    rc: &RequestCtx,
    cmd: Step,
) -> AppResult<MentorApplication> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let before = repo::find_for_update(&txn, cmd.application_id)
        .await?
        .filter(|row| policy::can_view_application(me, row.applicant_id))
        .ok_or_else(not_found)?;
    let current = status_of(&before)?;
    policy::require_application_step(me, cmd.status.stepper(), before.applicant_id)?;
    if !current.can_become(cmd.status) {
        return Err(AppError::Conflict(format!(
            "an application that is {} cannot become {}",
            current.as_str(),
            cmd.status.as_str()
        )));
    }
    let mut row = app::Model {
        status: cmd.status.as_str().into(),
        note: cmd.note,
        updated_at: now,
        ..before.clone()
    };
    if !cmd.status.is_open() {
        row.closed_at = Some(now);
    }
    if cmd.status == ApplicationStatus::Completed {
        let left: Vec<String> = repo::items(&txn, row.id)
            .await?
            .into_iter()
            .filter(|i| i.done_at.is_none())
            .map(|i| i.label)
            .collect();
        if !left.is_empty() {
            return Err(AppError::Conflict(format!(
                "the checklist is not complete: {}",
                left.join("; ")
            )));
        }
        row.completed_at = Some(now);
        make_mentor(&txn, &row, cmd.capacity, now).await?;
    }
    repo::save_step(&txn, &row).await?;
    let entry = Entry {
        action: "set_mentor_application_status",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: Some(json!({"status": before.status})),
        after: Some(json!({"status": row.status, "note": row.note})),
    };
    audit::record(&txn, rc, now, entry).await?;
    let body = match &row.note {
        Some(note) => format!("The application is now {}: {note}", row.status),
        None => format!("The application is now {}.", row.status),
    };
    tell(
        &txn,
        &row,
        me.id,
        NotificationKind::MentorApplicationUpdated,
        "Mentor application updated".into(),
        body,
    )
    .await?;
    txn.commit().await?;
    if row.completed_at.is_some() {
        // The applicant may be a MENTOR from now on: no cached caller may lag.
        state.callers().forget_all();
    }
    MentorApplication::try_from(row)
}

/// Creates the mentor profile of a completed application (or revives a retired one); a
/// profile granted meanwhile by other means is left as it is.
async fn make_mentor(
    conn: &impl sea_orm::ConnectionTrait,
    row: &app::Model,
    capacity: Option<Capacity>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let existing = crate::mentor::repo::find(conn, row.applicant_id).await?;
    if existing
        .as_ref()
        .is_some_and(|p| p.status != MentorStatus::Retired.as_str())
    {
        return Ok(());
    }
    let profile = mentor_profile::Model {
        person_id: row.applicant_id,
        capacity: capacity.map_or(NEW_MENTOR_CAPACITY, Capacity::get),
        status: MentorStatus::Active.as_str().into(),
        accepting_mentees: true,
        bio: existing.as_ref().and_then(|p| p.bio.clone()),
        expertise: row.areas.clone(),
        onboarded_at: now,
        break_until: None,
        updated_at: now,
    };
    crate::mentor::repo::save(conn, profile, existing.is_some()).await
}
