//! `mentorAlerts`: the council's queue; a mentor's own alerts for the mentor.

use entity::mentor_alert;
use uuid::Uuid;

use super::{
    model::{MentorAlert, MentorAlertKind, MentorAlertStatus},
    repo,
};
use crate::{
    auth::policy::{self, Scope},
    error::AppResult,
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
};

/// Alerts: all for the council; a mentor's own for everyone else.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn mentor_alerts(
    state: &AppState,
    rc: &RequestCtx,
    mentor: Option<Uuid>,
    status: Option<MentorAlertStatus>,
    kind: Option<MentorAlertKind>,
    page: Page,
) -> AppResult<(Vec<MentorAlert>, TotalCount)> {
    let mentor = match policy::list_scope(&rc.actor)? {
        Scope::All => mentor,
        Scope::Own(me) => Some(me),
    };
    let select = repo::filtered(mentor, status, kind);
    let (rows, total) = page_of(
        state.db(),
        select,
        mentor_alert::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    Ok((
        rows.into_iter()
            .map(MentorAlert::try_from)
            .collect::<crate::error::AppResult<Vec<_>>>()?,
        total,
    ))
}
