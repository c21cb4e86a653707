//! Reading calls: one, or a page of them.

use entity::mentor_call;
use uuid::Uuid;

use super::{model::MentorCall, repo};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
    stored::read_all,
};

/// A call, for the council and the mentors invited to it.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND otherwise.
pub async fn mentor_call(state: &AppState, rc: &RequestCtx, id: Uuid) -> AppResult<MentorCall> {
    let me = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such mentor call".into());
    let call = repo::find(state.db(), id).await?.ok_or_else(not_found)?;
    let invited = repo::is_invited(state.db(), id, me.id).await?;
    if policy::can_view_call(me, invited) {
        Ok(call)
    } else {
        Err(not_found())
    }
}

/// Calls the caller was invited to (all, for the council), in scheduling order.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn mentor_calls(
    state: &AppState,
    rc: &RequestCtx,
    page: Page,
) -> AppResult<(Vec<MentorCall>, TotalCount)> {
    let scope = policy::list_scope(&rc.actor)?;
    let (rows, total) = page_of(
        state.db(),
        repo::visible(scope),
        mentor_call::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    Ok((read_all(rows)?, total))
}
