//! Roles follow the identity provider. The token's roles are the truth for MENTEE and
//! COUNCIL; for MENTOR the service also keeps a profile (capacity, availability) that every
//! mentor operation reads. So that `me.roles`, the directory and those operations agree:
//!
//! - a person signing in with the mentor role and **no** profile gets one (ACTIVE, accepting,
//!   capacity `MENTORSHIP_MENTOR_DEFAULT_CAPACITY`), audited as the system; a profile the
//!   council retired is left retired;
//! - when the mentor role disappears from a person's token while their profile is live, the
//!   council is alerted once (a `MENTOR_ROLE_REMOVED` alert); the profile stays until the
//!   council acts, because a role dropped by mistake must not end anyone's mentorships.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::mentor_profile;
use sea_orm::{DatabaseConnection, EntityTrait, IntoActiveModel, sea_query::OnConflict};
use serde_json::json;

use super::repo::{self, PersonRow};
use crate::{
    alerts::{model::MentorAlertKind, raise},
    audit::{self, Entry},
    auth::Role,
    config::Settings,
    error::AppResult,
    mentor::model::{Capacity, MentorProfile, MentorStatus},
};

/// Brings the caller's row in step with their token's `roles`: stores the roles when they
/// changed, provisions or flags the mentor profile as above. Returns the row as it now is.
///
/// # Errors
/// A database fault.
pub async fn follow(
    db: &DatabaseConnection,
    settings: &Settings,
    (row, profile): PersonRow,
    roles: &BTreeSet<Role>,
    now: DateTime<Utc>,
) -> AppResult<PersonRow> {
    let stored = roles_json(roles);
    let had_mentor = row
        .token_roles
        .as_array()
        .is_some_and(|r| r.iter().any(|r| r.as_str() == Some(Role::Mentor.as_str())));
    let has_mentor = roles.contains(&Role::Mentor);
    let provision = has_mentor && profile.is_none();
    let live = profile
        .clone()
        .map(MentorProfile::try_from)
        .transpose()?
        .is_some_and(|p| p.is_live());
    let lost = had_mentor && !has_mentor && live;
    if row.token_roles == stored && !provision {
        return Ok((row, profile));
    }
    if !provision && !lost {
        repo::set_token_roles(db, row.id, stored.clone(), now).await?;
        return Ok((
            entity::person::Model {
                token_roles: stored,
                ..row
            },
            profile,
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut profile = profile;
    if provision {
        let new = new_profile(row.id, settings, now);
        let inserted = mentor_profile::Entity::insert(new.clone().into_active_model())
            .on_conflict(
                OnConflict::column(mentor_profile::Column::PersonId)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        if inserted == 1 {
            let after = json!({"capacity": new.capacity, "status": new.status,
                "acceptingMentees": true, "reason": "the token carries the mentor role"});
            let entry = Entry {
                action: "provision_mentor_profile",
                subject_type: "mentor_profile",
                subject_id: Some(row.id),
                before: None,
                after: Some(after),
            };
            audit::record_system(&txn, now, entry).await?;
        }
        profile = crate::mentor::repo::find(&txn, row.id).await?;
    }
    if lost {
        let message = "The identity provider no longer gives this person the mentor role; \
                       their mentor profile stays until the council acts."
            .to_owned();
        raise::system_alert(
            &txn,
            row.id,
            MentorAlertKind::MentorRoleRemoved,
            message,
            now,
        )
        .await?;
    }
    repo::set_token_roles(&txn, row.id, stored.clone(), now).await?;
    txn.commit().await?;
    Ok((
        entity::person::Model {
            token_roles: stored,
            ..row
        },
        profile,
    ))
}

/// The stored form of token roles: a JSON array of role names, in role order.
pub fn roles_json(roles: &BTreeSet<Role>) -> serde_json::Value {
    json!(roles.iter().map(|r| r.as_str()).collect::<Vec<_>>())
}

fn new_profile(
    person_id: uuid::Uuid,
    settings: &Settings,
    now: DateTime<Utc>,
) -> mentor_profile::Model {
    let capacity = i32::from(settings.mentor_default_capacity).min(Capacity::MAX);
    mentor_profile::Model {
        person_id,
        capacity,
        status: MentorStatus::Active.as_str().into(),
        accepting_mentees: true,
        bio: None,
        expertise: json!([]),
        onboarded_at: now,
        break_until: None,
        updated_at: now,
    }
}
