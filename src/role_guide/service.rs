//! `publishRoleGuide`, `acknowledgeRoleGuide`, reading the guide.

use entity::role_guide_ack;
use sea_orm::{ActiveValue::Set, EntityTrait, sea_query::OnConflict};
use serde_json::json;

use super::model::RoleGuide;
use super::repo;
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    mentor::model::MentorProfile,
    notifications::{self, Notice, NotificationKind},
    onboarding,
    paging::{Page, TotalCount, total_of},
    people::model::Person,
    request::RequestCtx,
    state::AppState,
};

/// A new version of the guide.
#[derive(Clone, Debug)]
pub struct PublishRoleGuide {
    pub title: String,
    pub body: String,
    pub mentors_do: Vec<String>,
    pub mentors_dont: Vec<String>,
}

/// Publishes the next version and asks every mentor to read it.
///
/// # Errors
/// FORBIDDEN unless council; CONFLICT when another version was published at the same moment.
#[tracing::instrument(skip_all)]
pub async fn publish_role_guide(
    state: &AppState,
    rc: &RequestCtx,
    cmd: PublishRoleGuide,
) -> AppResult<RoleGuide> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let version = repo::current(&txn).await?.map_or(1, |g| g.version + 1);
    let guide = RoleGuide {
        version,
        title: cmd.title,
        body: cmd.body,
        mentors_do: cmd.mentors_do,
        mentors_dont: cmd.mentors_dont,
        published_at: now,
        published_by: council.id,
    };
    repo::insert(&txn, &guide).await?;
    let entry = Entry {
        action: "publish_role_guide",
        subject_type: "role_guide",
        subject_id: None,
        before: None,
        after: Some(json!({"version": version, "title": guide.title})),
    };
    audit::record(&txn, rc, now, entry).await?;
    let notices: Vec<Notice> = repo::live_mentor_ids(&txn)
        .await?
        .into_iter()
        .map(|to| Notice {
            to,
            kind: NotificationKind::RoleGuidePublished,
            title: format!("Mentor role guide, version {version}"),
            body: "A new version of the mentor role guide is out. Please read and acknowledge it."
                .into(),
            subject_id: None,
        })
        .collect();
    notifications::notify(&txn, now, &notices).await?;
    txn.commit().await?;
    Ok(guide)
}

/// The current version, if any (every signed-in person).
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn current_role_guide(state: &AppState, rc: &RequestCtx) -> AppResult<Option<RoleGuide>> {
    policy::require_person(&rc.actor)?;
    repo::current(state.db()).await
}

/// One version (every signed-in person).
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND for a version never published.
pub async fn role_guide(state: &AppState, rc: &RequestCtx, version: i32) -> AppResult<RoleGuide> {
    policy::require_person(&rc.actor)?;
    repo::find(state.db(), version)
        .await?
        .ok_or_else(|| AppError::NotFound("no such version of the role guide".into()))
}

/// Records that the calling mentor read the current version (again is fine).
///
/// # Errors
/// FORBIDDEN for someone who is neither a mentor nor an applicant in progress; NOT_FOUND for an unknown version;
/// CONFLICT for a version that is no longer current.
#[tracing::instrument(skip_all, fields(version))]
pub async fn acknowledge_role_guide(
    state: &AppState,
    rc: &RequestCtx,
    version: i32,
) -> AppResult<RoleGuide> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let mentor = crate::mentor::repo::find(&txn, me.id)
        .await?
        .map(MentorProfile::try_from)
        .transpose()?
        .is_some_and(|p| p.is_live());
    // Applicants read the guide as a step of their onboarding.
    let applicant = !mentor && onboarding::repo::has_open(&txn, me.id).await?;
    policy::require_mentor_or_applicant(mentor, applicant)?;
    let guide = repo::find(&txn, version)
        .await?
        .ok_or_else(|| AppError::NotFound("no such version of the role guide".into()))?;
    let current = repo::current(&txn).await?.map_or(version, |g| g.version);
    if current != version {
        return Err(AppError::Conflict(format!(
            "version {current} is the current one; read that"
        )));
    }
    role_guide_ack::Entity::insert(role_guide_ack::ActiveModel {
        person_id: Set(me.id),
        version: Set(version),
        acknowledged_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            role_guide_ack::Column::PersonId,
            role_guide_ack::Column::Version,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    onboarding::repo::tick_automatic(&txn, me.id, now).await?;
    txn.commit().await?;
    Ok(guide)
}

/// Mentors who did (`acknowledged`) or did not read `version`: the council's view, `None`
/// for everyone else.
///
/// # Errors
/// A database fault.
pub async fn readers(
    state: &AppState,
    rc: &RequestCtx,
    version: i32,
    acknowledged: bool,
    page: Page,
) -> AppResult<Option<(Vec<Person>, TotalCount)>> {
    if !policy::sees_oversight(&rc.actor) {
        return Ok(None);
    }
    let rows = repo::list_mentors(state.db(), version, acknowledged, &page).await?;
    let total = total_of(state.db(), repo::mentors(version, acknowledged));
    Ok(Some((rows, total)))
}

/// Whether the caller acknowledged `version` (never, for a machine client).
///
/// # Errors
/// A database fault.
pub async fn acknowledged_by_me(
    state: &AppState,
    rc: &RequestCtx,
    version: i32,
) -> AppResult<bool> {
    match rc.actor.person() {
        Some(me) => repo::acknowledged_by(state.db(), me.id, version).await,
        None => Ok(false),
    }
}
