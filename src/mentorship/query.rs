//! Reading mentorships: one by id (visibility per policy), lists for the council, a person's
//! history.

use uuid::Uuid;

use super::{
    model::Mentorship,
    repo::{self, MentorshipFilter, OverdueAt},
};
use crate::{
    auth::{
        PersonActor, Role,
        policy::{self, Access},
    },
    error::{AppError, AppResult},
    paging::{Page, TotalCount, total_of},
    request::RequestCtx,
    state::AppState,
};

/// The council's list filter as clients give it.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub active: Option<bool>,
    pub mentor_id: Option<Uuid>,
    pub mentee_id: Option<Uuid>,
    pub overdue: Option<bool>,
}

/// Whether `viewer` may see `m` (loading the mentee's current mentor only when needed).
///
/// # Errors
/// A database fault.
pub async fn visible_to(state: &AppState, viewer: &PersonActor, m: &Mentorship) -> AppResult<bool> {
    // Only a mentor can be the mentee's current mentor: nobody else needs that read.
    let direct = policy::can_view_mentorship(viewer, m.parties(None));
    if direct || !viewer.has(Role::Mentor) {
        return Ok(direct);
    }
    let current = if m.is_active() {
        Some(m.mentor_id)
    } else {
        repo::active_of_mentees(state.db(), &[m.mentee_id])
            .await?
            .pop()
            .map(|c| c.mentor_id)
    };
    Ok(policy::can_view_mentorship(viewer, m.parties(current)))
}

/// One mentorship, if the caller may see it.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND when unknown or invisible.
pub async fn mentorship(state: &AppState, rc: &RequestCtx, id: Uuid) -> AppResult<Mentorship> {
    let viewer = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such mentorship".into());
    let m = repo::find(state.db(), id).await?.ok_or_else(not_found)?;
    if visible_to(state, viewer, &m).await? {
        Ok(m)
    } else {
        Err(not_found())
    }
}

/// A page of mentorships for the council, with a lazy total.
///
/// # Errors
/// FORBIDDEN unless council.
pub async fn mentorships(
    state: &AppState,
    rc: &RequestCtx,
    filter: ListFilter,
    page: Page,
) -> AppResult<(Vec<Mentorship>, TotalCount)> {
    policy::require_council(&rc.actor)?;
    let settings = state.settings();
    let now = state.clock().now();
    let filter = MentorshipFilter {
        active: filter.active,
        mentor_id: filter.mentor_id,
        mentee_id: filter.mentee_id,
        participant: None,
        overdue: filter.overdue.map(|overdue| OverdueAt {
            overdue,
            started_before: now - settings.first_check_in_within,
            held_before: now - settings.check_in_interval,
        }),
    };
    let rows = repo::list(state.db(), &filter, &page).await?;
    Ok((rows, total(state, filter)))
}

/// The mentorships a person took part in (as mentee or mentor), for a caller whose access
/// to the person (`people::service::access`) is personal; `None` for anyone else.
///
/// # Errors
/// A database fault.
pub async fn history(
    state: &AppState,
    access: Access,
    person_id: Uuid,
    page: Page,
) -> AppResult<Option<(Vec<Mentorship>, TotalCount)>> {
    if !policy::sees_personal_data(access) {
        return Ok(None);
    }
    let filter = MentorshipFilter {
        participant: Some(person_id),
        ..MentorshipFilter::default()
    };
    let rows = repo::list(state.db(), &filter, &page).await?;
    Ok(Some((rows, total(state, filter))))
}

fn total(state: &AppState, filter: MentorshipFilter) -> TotalCount {
    total_of(state.db(), repo::filtered(&filter))
}
