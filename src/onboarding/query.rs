//! Reading applications: one, or a page of them.

use entity::mentor_application as app;
use uuid::Uuid;

use super::{
    model::MentorApplication,
    repo::{self, ApplicationFilter},
    service::not_found,
};
use crate::{
    auth::policy::{self, Scope},
    error::AppResult,
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
    stored::read_all,
};

/// One application: for the council and the applicant.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND otherwise.
pub async fn application(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<MentorApplication> {
    let me = policy::require_person(&rc.actor)?;
    let row = repo::find(state.db(), id)
        .await?
        .filter(|row| policy::can_view_application(me, row.applicant_id))
        .ok_or_else(not_found)?;
    MentorApplication::try_from(row)
}

/// Applications: all for the council, the caller's own for anyone else.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn applications(
    state: &AppState,
    rc: &RequestCtx,
    mut filter: ApplicationFilter,
    page: Page,
) -> AppResult<(Vec<MentorApplication>, TotalCount)> {
    if let Scope::Own(me) = policy::list_scope(&rc.actor)? {
        filter.applicant = Some(me);
    }
    let select = repo::filtered(&filter);
    let (rows, total) = page_of(
        state.db(),
        select,
        app::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    Ok((read_all(rows)?, total))
}
