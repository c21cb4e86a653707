//! Operations on people.

use std::collections::BTreeSet;

use entity::person;
use sea_orm::ActiveValue::Set;
use serde_json::json;

use super::{
    model::{DisplayName, Person},
    repo::{self, PersonRow},
};
use crate::{
    auth::{Principal, Role, policy},
    error::{AppError, AppResult},
    state::AppState,
};

/// The caller as a person, created from the token's claims on their first call.
///
/// # Errors
/// FORBIDDEN for a token without a program role (nothing is recorded); a database fault.
#[tracing::instrument(skip_all)]
pub async fn me(state: &AppState, principal: &Principal) -> AppResult<Person> {
    policy::require_person(principal)?;
    let db = state.db();
    let (issuer, subject) = (&principal.issuer, &principal.subject);
    let row = match repo::find_by_identity(db, issuer, subject).await? {
        Some(row) => row,
        None => {
            repo::insert_if_absent(db, new_person(state, principal)).await?;
            repo::find_by_identity(db, issuer, subject)
                .await?
                .ok_or_else(|| AppError::NotFound("person vanished after creation".into()))?
        }
    };
    let token_roles = roles_json(&principal.roles);
    if row.0.token_roles != token_roles {
        repo::set_token_roles(db, row.0.id, token_roles, state.clock().now()).await?;
    }
    Ok(person_from_row(row, &principal.roles))
}

fn roles_json(roles: &BTreeSet<Role>) -> serde_json::Value {
    json!(roles.iter().map(|r| r.as_str()).collect::<Vec<_>>())
}

fn new_person(state: &AppState, principal: &Principal) -> person::ActiveModel {
    let now = state.clock().now();
    let profile = &principal.profile;
    let name = DisplayName::from_claims(profile.name.as_deref(), &principal.subject);
    person::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        issuer: Set(principal.issuer.clone()),
        subject: Set(principal.subject.clone()),
        display_name: Set(name.as_str().to_owned()),
        email: Set(profile
            .email
            .clone()
            .filter(|e| e.len() <= 254 && e.contains('@'))),
        country: Set(None),
        languages: Set(json!([])),
        timezone: Set(profile.zoneinfo.clone().filter(|z| z.len() <= 64)),
        locale: Set(profile.locale.clone().filter(|l| l.len() <= 35)),
        token_roles: Set(roles_json(&principal.roles)),
        status: Set("ACTIVE".into()),
        joined_at: Set(now),
        last_active_at: Set(Some(now)),
        updated_at: Set(now),
    }
}

/// Effective roles: the token's, plus MENTOR for a mentor profile that is not retired.
fn person_from_row((row, profile): PersonRow, token_roles: &BTreeSet<Role>) -> Person {
    let mut roles = token_roles.clone();
    if profile.is_some_and(|p| p.status != "RETIRED") {
        roles.insert(Role::Mentor);
    }
    Person {
        id: row.id,
        display_name: row.display_name,
        email: row.email,
        roles,
        joined_at: row.joined_at,
    }
}
