//! Operations on people: who is acting, `me`, `person`, `people`, `updateMyProfile`.

use entity::person;
use sea_orm::ActiveValue::{NotSet, Set};
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{DisplayName, Person},
    repo::{self, PersonFilter},
};
use crate::{
    auth::{
        Actor, PersonActor, Principal, PrincipalKind, Role,
        policy::{self, Access},
    },
    error::{AppError, AppResult},
    mentorship,
    paging::{Page, TotalCount, total_of},
    request::RequestCtx,
    state::AppState,
};

/// How precisely `lastActiveAt` follows activity.
const ACTIVITY_RESOLUTION: chrono::Duration = chrono::Duration::hours(1);

/// Resolves the caller: a machine client as it is; a person from their row, created from
/// the token's claims on their first request (exactly once under concurrency).
///
/// # Errors
/// A database fault.
#[tracing::instrument(skip_all)]
pub async fn resolve_actor(state: &AppState, principal: &Principal) -> AppResult<Actor> {
    if let PrincipalKind::Machine { client_id } = &principal.kind {
        return Ok(Actor::Machine {
            client_id: client_id.clone(),
            scopes: principal.scopes.clone(),
        });
    }
    let (issuer, subject) = (&principal.issuer, &principal.subject);
    let now = state.clock().now();
    let ticket = match state.callers().get(issuer, subject, &principal.roles, now) {
        Ok(actor) => return Ok(Actor::Person(actor)),
        Err(ticket) => ticket,
    };
    let (me, active_since) = me_row(state, principal, now).await?;
    let actor = PersonActor {
        id: me.id,
        roles: me.roles,
    };
    state.callers().remember(
        ticket,
        (issuer, subject),
        &principal.roles,
        &actor,
        active_since + ACTIVITY_RESOLUTION,
    );
    Ok(Actor::Person(actor))
}

/// The caller's row (created on first sign-in, token roles and activity brought up to
/// date) and when their activity was last written.
async fn me_row(
    state: &AppState,
    principal: &Principal,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<(Person, chrono::DateTime<chrono::Utc>)> {
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
    let row =
        super::provider_roles::follow(db, state.settings(), row, &principal.roles, now).await?;
    // Activity is written at most once an hour per person, not on every request.
    let active_since = match row.0.last_active_at {
        Some(at) if at >= now - ACTIVITY_RESOLUTION => at,
        _ => {
            repo::touch(db, row.0.id, now - ACTIVITY_RESOLUTION, now).await?;
            now
        }
    };
    Ok((repo::to_person(row, Some(&principal.roles))?, active_since))
}

/// The caller as a person.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn me(state: &AppState, rc: &RequestCtx) -> AppResult<Person> {
    me_person(state, policy::require_person(&rc.actor)?).await
}

/// What `viewer` may see of `person`, loading the person's current mentor only if needed.
///
/// # Errors
/// A database fault.
pub async fn access(state: &AppState, viewer: &PersonActor, person: &Person) -> AppResult<Access> {
    access_with(viewer, person, || async {
        Ok(
            mentorship::repo::active_of_mentees(state.db(), &[person.id])
                .await?
                .pop()
                .map(|m| m.mentor_id),
        )
    })
    .await
}

/// What `viewer` may see of `person`, reading the person's current mentor with
/// `current_mentor` (the repo, or a request's loader) only when it can change the answer:
/// the viewer has less than full access and is a mentor.
///
/// # Errors
/// What `current_mentor` returns.
pub async fn access_with<F, Fut, E>(
    viewer: &PersonActor,
    person: &Person,
    current_mentor: F,
) -> Result<Access, E>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Option<Uuid>, E>>,
{
    let quick = policy::person_access(viewer, person.id, person.is_public(), None);
    if quick == Access::Full || !viewer.has(Role::Mentor) {
        return Ok(quick);
    }
    let current = current_mentor().await?;
    Ok(policy::person_access(
        viewer,
        person.id,
        person.is_public(),
        current,
    ))
}

/// One person, with the caller's access level.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND when unknown or not visible to the caller.
pub async fn person(state: &AppState, rc: &RequestCtx, id: Uuid) -> AppResult<(Person, Access)> {
    let viewer = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such person".into());
    let person = repo::find_by_id(state.db(), id)
        .await?
        .ok_or_else(not_found)?;
    match access(state, viewer, &person).await? {
        Access::None | Access::Minimal => Err(not_found()),
        level => Ok((person, level)),
    }
}

/// A page of people for the council.
///
/// # Errors
/// FORBIDDEN unless council.
pub async fn people(
    state: &AppState,
    rc: &RequestCtx,
    filter: PersonFilter,
    page: Page,
) -> AppResult<(Vec<Person>, TotalCount)> {
    policy::require_council(&rc.actor)?;
    let rows = repo::list(state.db(), &filter, &page).await?;
    let total = total_of(state.db(), repo::filtered(state.db(), &filter));
    Ok((rows, total))
}

/// Changes to one's own profile; `None` leaves a field, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct UpdateMyProfile {
    pub display_name: Option<DisplayName>,
    pub timezone: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub languages: Option<Vec<String>>,
    pub bio: Option<Option<String>>,
}

/// Updates the caller's own profile.
///
/// # Errors
/// FORBIDDEN for machine clients.
#[tracing::instrument(skip_all)]
pub async fn update_my_profile(
    state: &AppState,
    rc: &RequestCtx,
    cmd: UpdateMyProfile,
) -> AppResult<Person> {
    let me = policy::require_person(&rc.actor)?;
    let changes = person::ActiveModel {
        id: Set(me.id),
        display_name: cmd
            .display_name
            .map_or(NotSet, |n| Set(n.as_str().to_owned())),
        timezone: cmd.timezone.map_or(NotSet, Set),
        country: cmd.country.map_or(NotSet, Set),
        languages: cmd.languages.map_or(NotSet, |l| Set(json!(l))),
        bio: cmd.bio.map_or(NotSet, Set),
        updated_at: Set(state.clock().now()),
        ..Default::default()
    };
    // In a transaction (not one statement on the pool) so that a request holding its own
    // transaction (an `Idempotency-Key`) writes and reads in it.
    let txn = rc.begin_write(state.db()).await?;
    repo::update(&txn, changes).await?;
    let mut person = repo::find_by_id(&txn, me.id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    txn.commit().await?;
    person.roles = me.roles.clone();
    Ok(person)
}

async fn me_person(state: &AppState, me: &PersonActor) -> AppResult<Person> {
    let mut person = repo::find_by_id(state.db(), me.id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    person.roles = me.roles.clone();
    Ok(person)
}

fn new_person(state: &AppState, principal: &Principal) -> person::ActiveModel {
    let now = state.clock().now();
    let profile = &principal.profile;
    let name = DisplayName::from_claims(profile.name.as_deref(), &principal.subject);
    let timezone = profile
        .zoneinfo
        .as_deref()
        .and_then(|z| super::model::Timezone::parse("zoneinfo", z).ok())
        .map(|t| t.name().to_owned());
    person::ActiveModel {
        id: Set(Uuid::now_v7()),
        issuer: Set(principal.issuer.clone()),
        subject: Set(principal.subject.clone()),
        display_name: Set(name.as_str().to_owned()),
        email: Set(profile
            .email
            .clone()
            .filter(|e| e.len() <= 254 && e.contains('@'))),
        country: Set(None),
        languages: Set(json!([])),
        timezone: Set(timezone),
        locale: Set(profile.locale.clone().filter(|l| l.len() <= 35)),
        bio: Set(None),
        token_roles: Set(super::provider_roles::roles_json(&principal.roles)),
        status: Set(crate::people::model::PersonStatus::Active.as_str().into()),
        joined_at: Set(now),
        last_active_at: Set(Some(now)),
        updated_at: Set(now),
        email_preference: Set(crate::notifications::model::EmailPreference::Immediate
            .as_str()
            .into()),
        calendar_feed_generation: Set(0),
    }
}
