//! `auditLog`: the council reads the log.

use entity::audit_log;

use super::{
    model::AuditRecord,
    repo::{self, AuditFilter},
};
use crate::{
    auth::policy,
    error::AppResult,
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
    stored::read_all,
};

/// A page of the entries matching `filter`, oldest first (council only).
///
/// # Errors
/// FORBIDDEN unless council.
pub async fn audit_log(
    state: &AppState,
    rc: &RequestCtx,
    filter: &AuditFilter,
    page: Page,
) -> AppResult<(Vec<AuditRecord>, TotalCount)> {
    policy::require_council(&rc.actor)?;
    let (rows, total) = page_of(
        state.db(),
        repo::filtered(filter),
        audit_log::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    Ok((read_all(rows)?, total))
}
