//! Reading and setting points of contact.

use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::repo;
use crate::stored::stored_enum;
use crate::{
    audit::{self, Entry},
    auth::{Role, policy},
    error::{AppError, AppResult},
    people::{self, model::Person},
    request::RequestCtx,
    state::AppState,
};

/// What a point of contact handles.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ContactArea {
    /// Assignments, re-assignments, requests from reps and mentors.
    MentorshipAdministration,
    /// New mentors.
    Onboarding,
    /// Updates to mentors and reps.
    Communications,
}

stored_enum!(ContactArea {
    MentorshipAdministration => "MENTORSHIP_ADMINISTRATION",
    Onboarding => "ONBOARDING",
    Communications => "COMMUNICATIONS",
});

/// One area's contact.
#[derive(Clone, Debug)]
pub struct Contact {
    pub area: ContactArea,
    pub person: Person,
}

/// Every point of contact that is set.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn council_contacts(state: &AppState, rc: &RequestCtx) -> AppResult<Vec<Contact>> {
    policy::require_person(&rc.actor)?;
    let rows = repo::all(state.db()).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.person_id).collect();
    let people = people::repo::find_by_ids(state.db(), &ids).await?;
    let mut contacts = Vec::with_capacity(rows.len());
    for r in rows {
        // A contact whose person row is gone is no contact.
        if let Some(person) = people.iter().find(|p| p.id == r.person_id) {
            contacts.push(Contact {
                area: ContactArea::from_db(&r.area)?,
                person: person.clone(),
            });
        }
    }
    Ok(contacts)
}

/// The person to make a point of contact (of an area, or of an application): only a
/// council member can be one.
///
/// # Errors
/// NOT_FOUND for an unknown person; BAD_USER_INPUT (`input.personId`) for anyone not on
/// the council.
pub async fn contact_candidate(
    conn: &impl sea_orm::ConnectionTrait,
    person_id: Uuid,
) -> AppResult<crate::people::model::Person> {
    let person = people::repo::find_by_id(conn, person_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    if person.roles.contains(&Role::Council) {
        Ok(person)
    } else {
        Err(AppError::bad_input(
            "input.personId",
            "only a council member can be a point of contact",
        ))
    }
}

/// Makes a council member the contact for `area`.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown person; BAD_USER_INPUT when the
/// person is not on the council.
#[tracing::instrument(skip_all, fields(area = ?area))]
pub async fn set_council_contact(
    state: &AppState,
    rc: &RequestCtx,
    area: ContactArea,
    person_id: Uuid,
) -> AppResult<Contact> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let person = contact_candidate(&txn, person_id).await?;
    let before = repo::find(&txn, area.as_str()).await?;
    repo::upsert(&txn, area.as_str(), person_id, now, council.id).await?;
    let entry = Entry {
        action: "set_council_contact",
        subject_type: "council_contact",
        subject_id: Some(person_id),
        before: before.map(|b| json!({"area": b.area, "personId": b.person_id})),
        after: Some(json!({"area": area.as_str(), "personId": person_id})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(Contact { area, person })
}

/// Who answers for `area`: its contact, or every council member when none is set.
///
/// # Errors
/// A database fault.
pub async fn responsible(conn: &impl ConnectionTrait, area: ContactArea) -> AppResult<Vec<Uuid>> {
    match contact(conn, area).await? {
        Some(contact) => Ok(vec![contact]),
        None => people::repo::council_members(conn).await,
    }
}

/// The contact set for `area`, if any.
///
/// # Errors
/// A database fault.
pub async fn contact(conn: &impl ConnectionTrait, area: ContactArea) -> AppResult<Option<Uuid>> {
    Ok(repo::find(conn, area.as_str()).await?.map(|c| c.person_id))
}
