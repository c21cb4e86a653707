//! `applyToBecomeMentor`: a rep applies; the application joins the current round and gets
//! the onboarding contact.

use entity::mentor_application as app;
use serde_json::json;
use uuid::Uuid;

use super::model::MentorApplication;
use super::{model::ApplicationStatus, repo, rounds, service::tell};
use crate::{
    audit::{self, Entry},
    auth::policy,
    council::{self, ContactArea},
    error::{AppError, AppResult},
    mentor::model::{Expertise, MentorProfile},
    notifications::NotificationKind,
    people::{self, model::Languages},
    request::RequestCtx,
    state::AppState,
};

/// A rep's application.
#[derive(Clone, Debug)]
pub struct Apply {
    pub motivation: String,
    pub languages: Languages,
    pub areas: Expertise,
}

/// A rep applies to become a mentor; the application joins the current round and gets the
/// onboarding contact.
///
/// # Errors
/// FORBIDDEN for machine clients; BAD_USER_INPUT without a language or an area; CONFLICT
/// for a mentor or a rep with an application in progress.
#[tracing::instrument(skip_all)]
pub async fn apply_to_become_mentor(
    state: &AppState,
    rc: &RequestCtx,
    cmd: Apply,
) -> AppResult<MentorApplication> {
    let me = policy::require_person(&rc.actor)?;
    if cmd.languages.is_empty() {
        return Err(AppError::bad_input("input.languages", "name at least one"));
    }
    if cmd.areas.is_empty() {
        return Err(AppError::bad_input("input.areas", "name at least one"));
    }
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let is_mentor = crate::mentor::repo::find(&txn, me.id)
        .await?
        .map(MentorProfile::try_from)
        .transpose()?
        .is_some_and(|p| p.is_live());
    if is_mentor {
        return Err(AppError::Conflict("you are a mentor already".into()));
    }
    let row = app::Model {
        id: Uuid::now_v7(),
        applicant_id: me.id,
        round_id: rounds::current(&txn, now).await?.map(|r| r.id),
        contact_id: council::contact(&txn, ContactArea::Onboarding).await?,
        status: ApplicationStatus::Applied.as_str().into(),
        motivation: cmd.motivation,
        languages: json!(cmd.languages.into_vec()),
        areas: json!(cmd.areas.into_vec()),
        note: None,
        applied_at: now,
        updated_at: now,
        completed_at: None,
        closed_at: None,
    };
    repo::insert(&txn, row.clone()).await?;
    // Someone who already read the current guide need not read it again to tick the step.
    if let Some(guide) = crate::role_guide::repo::current(&txn).await?
        && crate::role_guide::repo::acknowledged_by(&txn, me.id, guide.version).await?
    {
        repo::tick_automatic(&txn, me.id, now).await?;
    }
    let entry = Entry {
        action: "apply_to_become_mentor",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: None,
        after: Some(json!({"roundId": row.round_id, "contactId": row.contact_id})),
    };
    audit::record(&txn, rc, now, entry).await?;
    let applicant = people::repo::find_by_id(&txn, me.id)
        .await?
        .map_or_else(String::new, |p| p.display_name);
    tell(
        &txn,
        &row,
        me.id,
        NotificationKind::MentorApplicationReceived,
        "New mentor application".into(),
        format!("{applicant} applied to become a mentor."),
    )
    .await?;
    txn.commit().await?;
    MentorApplication::try_from(row)
}
