//! `setMentorApplicationContact`: a council member becomes an application's point of contact.

use entity::mentor_application as app;
use serde_json::json;
use uuid::Uuid;

use super::model::MentorApplication;
use super::{
    repo,
    service::{not_found, status_of, tell},
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    council,
    error::{AppError, AppResult},
    notifications::NotificationKind,
    request::RequestCtx,
    state::AppState,
};

/// Makes a council member the application's point of contact.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown application or person;
/// BAD_USER_INPUT when the person is not on the council; CONFLICT once the application is
/// closed.
#[tracing::instrument(skip_all, fields(application = %application_id))]
pub async fn set_mentor_application_contact(
    state: &AppState,
    rc: &RequestCtx,
    application_id: Uuid,
    person_id: Uuid,
) -> AppResult<MentorApplication> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let before = repo::find_for_update(&txn, application_id)
        .await?
        .ok_or_else(not_found)?;
    let person = council::contact_candidate(&txn, person_id).await?;
    if !status_of(&before)?.is_open() {
        return Err(AppError::Conflict("this application is closed".into()));
    }
    let row = app::Model {
        contact_id: Some(person_id),
        updated_at: now,
        ..before.clone()
    };
    repo::save_step(&txn, &row).await?;
    let entry = Entry {
        action: "set_mentor_application_contact",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: Some(json!({"contactId": before.contact_id})),
        after: Some(json!({"contactId": person_id})),
    };
    audit::record(&txn, rc, now, entry).await?;
    tell(
        &txn,
        &row,
        council.id,
        NotificationKind::MentorApplicationUpdated,
        "Mentor application: point of contact".into(),
        format!("{} is now the point of contact.", person.display_name),
    )
    .await?;
    txn.commit().await?;
    MentorApplication::try_from(row)
}
