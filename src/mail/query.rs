//! Reading the outbox.

use entity::mail_delivery;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{
    auth::policy,
    error::AppResult,
    notifications::model::MailStatus,
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
};

/// The outbox, newest first, for the council.
///
/// # Errors
/// FORBIDDEN for anyone but the council.
pub async fn deliveries(
    state: &AppState,
    rc: &RequestCtx,
    status: Option<MailStatus>,
    page: Page,
) -> AppResult<(Vec<mail_delivery::Model>, TotalCount)> {
    policy::require_council(&rc.actor)?;
    let mut select = mail_delivery::Entity::find();
    if let Some(status) = status {
        select = select.filter(mail_delivery::Column::Status.eq(status.as_str()));
    }
    page_of(
        state.db(),
        select,
        mail_delivery::Column::Id,
        Order::NewestFirst,
        &page,
    )
    .await
}
