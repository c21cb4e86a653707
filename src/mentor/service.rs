//! Operations on mentor profiles and the directory.

use entity::mentor_profile;
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{Capacity, Expertise, MentorStatus},
    repo::{self, MentorFilter, MentorOrder},
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    paging::{Page, TotalCount, total_of},
    people::{self, model::Person},
    request::RequestCtx,
    state::AppState,
};

/// Make a rep a mentor.
#[derive(Clone, Debug)]
pub struct GrantMentorRole {
    pub person_id: Uuid,
    pub capacity: Capacity,
}

/// Change a mentor profile; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UpdateMentorProfile {
    /// Whose profile; the caller's own when `None`.
    pub person_id: Option<Uuid>,
    pub capacity: Option<Capacity>,
    pub accepting_mentees: Option<bool>,
    /// `Some(None)` clears the bio.
    pub bio: Option<Option<String>>,
    pub expertise: Option<Expertise>,
    /// Council only.
    pub status: Option<MentorStatus>,
}

fn audit_json(row: &mentor_profile::Model) -> serde_json::Value {
    json!({
        "capacity": row.capacity,
        "status": row.status,
        "acceptingMentees": row.accepting_mentees,
        "expertise": row.expertise,
    })
}

/// Grants the mentor role: creates the profile (ACTIVE, accepting), or revives a retired one.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown person; CONFLICT when already a mentor.
#[tracing::instrument(skip_all, fields(person = %cmd.person_id))]
pub async fn grant_mentor_role(
    state: &AppState,
    rc: &RequestCtx,
    cmd: GrantMentorRole,
) -> AppResult<Person> {
    policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    // Concurrent grants for one person queue on the person's row, so the later ones see the
    // profile the first created (CONFLICT) instead of colliding on its key.
    let erased = people::model::PersonStatus::Erased.as_str();
    people::repo::lock(&txn, cmd.person_id)
        .await?
        .filter(|p| p.status != erased)
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    let existing = repo::find(&txn, cmd.person_id).await?;
    if existing
        .as_ref()
        .is_some_and(|p| p.status != MentorStatus::Retired.as_str())
    {
        return Err(AppError::Conflict("this person is already a mentor".into()));
    }
    let row = mentor_profile::Model {
        person_id: cmd.person_id,
        capacity: cmd.capacity.get(),
        status: MentorStatus::Active.as_str().into(),
        accepting_mentees: true,
        bio: existing.as_ref().and_then(|p| p.bio.clone()),
        expertise: existing
            .as_ref()
            .map_or_else(|| json!([]), |p| p.expertise.clone()),
        onboarded_at: now,
        break_until: None,
        updated_at: now,
    };
    repo::save(&txn, row.clone(), existing.is_some()).await?;
    audit::record(
        &txn,
        rc,
        now,
        Entry {
            action: "grant_mentor_role",
            subject_type: "mentor_profile",
            subject_id: Some(cmd.person_id),
            before: existing.as_ref().map(audit_json),
            after: Some(audit_json(&row)),
        },
    )
    .await?;
    let person = people::repo::find_by_id(&txn, cmd.person_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    txn.commit().await?;
    // A grant or a status change may change who is a MENTOR: no cached caller may lag.
    state.callers().forget_all();
    Ok(person)
}

/// Updates a mentor profile: the mentor their own (not the status), the council anyone's.
///
/// # Errors
/// FORBIDDEN for someone else's profile or a status change by a non-council caller;
/// NOT_FOUND when the person has no mentor profile.
#[tracing::instrument(skip_all)]
pub async fn update_mentor_profile(
    state: &AppState,
    rc: &RequestCtx,
    cmd: UpdateMentorProfile,
) -> AppResult<Person> {
    let me = policy::require_person(&rc.actor)?;
    let person_id = cmd.person_id.unwrap_or(me.id);
    let actor = policy::require_self_or_council(&rc.actor, person_id)?;
    if cmd.status.is_some() {
        policy::require_council(&rc.actor)?;
    }
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let before = repo::find(&txn, person_id)
        .await?
        .ok_or_else(|| AppError::NotFound("this person has no mentor profile".into()))?;
    let mut row = before.clone();
    if let Some(capacity) = cmd.capacity {
        row.capacity = capacity.get();
    }
    if let Some(accepting) = cmd.accepting_mentees {
        row.accepting_mentees = accepting;
    }
    if let Some(bio) = cmd.bio {
        row.bio = bio;
    }
    if let Some(expertise) = cmd.expertise {
        row.expertise = json!(expertise.into_vec());
    }
    if let Some(status) = cmd.status {
        row.status = status.as_str().into();
        // A status set by the council ends any break the mentor announced.
        row.break_until = None;
    }
    row.updated_at = now;
    repo::save(&txn, row.clone(), true).await?;
    if actor.id != person_id || cmd.status.is_some() {
        audit::record(
            &txn,
            rc,
            now,
            Entry {
                action: "update_mentor_profile",
                subject_type: "mentor_profile",
                subject_id: Some(person_id),
                before: Some(audit_json(&before)),
                after: Some(audit_json(&row)),
            },
        )
        .await?;
    }
    let person = people::repo::find_by_id(&txn, person_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    txn.commit().await?;
    // A grant or a status change may change who is a MENTOR: no cached caller may lag.
    state.callers().forget_all();
    Ok(person)
}

/// The mentor directory, for any signed-in person.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn mentors(
    state: &AppState,
    rc: &RequestCtx,
    filter: MentorFilter,
    (page, order): (Page, MentorOrder),
) -> AppResult<(Vec<Person>, TotalCount)> {
    policy::require_person(&rc.actor)?;
    let rows = repo::list(state.db(), &filter, &page, order).await?;
    let total = total_of(state.db(), repo::filtered(state.db(), &filter));
    Ok((rows, total))
}
