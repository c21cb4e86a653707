//! Reading announcements: one, or the caller's page of them.

use entity::announcement;
use uuid::Uuid;

use super::{model::Announcement, repo};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
    stored::read_all,
};

/// The announcement, if the caller is in its audience or on the council.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND otherwise.
pub async fn announcement(state: &AppState, rc: &RequestCtx, id: Uuid) -> AppResult<Announcement> {
    let me = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such announcement".into());
    let row = repo::find(state.db(), id).await?.ok_or_else(not_found)?;
    let received = repo::is_recipient(state.db(), id, me.id).await?;
    if policy::can_view_announcement(me, received) {
        Ok(row)
    } else {
        Err(not_found())
    }
}

/// Announcements the caller received (all of them for the council), newest first.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn announcements(
    state: &AppState,
    rc: &RequestCtx,
    page: Page,
) -> AppResult<(Vec<Announcement>, TotalCount)> {
    let scope = policy::list_scope(&rc.actor)?;
    let (rows, total) = page_of(
        state.db(),
        repo::visible(scope),
        announcement::Column::Id,
        Order::NewestFirst,
        &page,
    )
    .await?;
    Ok((read_all(rows)?, total))
}
