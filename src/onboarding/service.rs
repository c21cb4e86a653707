//! What every onboarding operation shares: reading an application's status strictly, the
//! one NOT_FOUND, and telling the applicant and the point of contact about a step.

use entity::mentor_application as app;
use uuid::Uuid;

use super::model::ApplicationStatus;
use crate::{
    council::{self, ContactArea},
    error::{AppError, AppResult},
    notifications::{self, Notice, NotificationKind},
};

/// The capacity a new mentor starts with unless the council says otherwise.
pub const NEW_MENTOR_CAPACITY: i32 = 3;

/// The stored status of an application.
///
/// # Errors
/// INTERNAL for an unknown stored status.
pub fn status_of(row: &app::Model) -> AppResult<ApplicationStatus> {
    ApplicationStatus::from_db(&row.status)
}

/// An application the caller may not see, or none.
pub fn not_found() -> AppError {
    AppError::NotFound("no such mentor application".into())
}

/// Tells the applicant and the point of contact (every council member when there is none)
/// about a step, except whoever took it.
pub(super) async fn tell(
    conn: &impl sea_orm::ConnectionTrait,
    row: &app::Model,
    actor: Uuid,
    kind: NotificationKind,
    title: String,
    body: String,
) -> AppResult<()> {
    let mut to = vec![row.applicant_id];
    match row.contact_id {
        Some(contact) => to.push(contact),
        None => to.extend(council::responsible(conn, ContactArea::Onboarding).await?),
    }
    to.sort();
    to.dedup();
    let notices: Vec<Notice> = to
        .into_iter()
        .filter(|id| *id != actor)
        .map(|to| Notice {
            to,
            kind,
            title: title.clone(),
            body: body.clone(),
            subject_id: Some(row.id),
        })
        .collect();
    notifications::notify(conn, row.updated_at, &notices).await
}
