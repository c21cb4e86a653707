//! Sending and reading notifications.

use chrono::{DateTime, Utc};
use entity::notification;
use sea_orm::ConnectionTrait;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::{
    model::{Notice, Notification},
    repo,
};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    events::LiveEvent,
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
};

/// Most ids one `markNotificationsRead` takes.
pub const MAX_MARK: usize = 100;

/// Writes `notices` on `conn` — the transaction of the change they report.
///
/// # Errors
/// A database fault (which rolls the change back with them).
pub async fn notify(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    notices: &[Notice],
) -> AppResult<()> {
    let mails = super::outbox::plan(conn, at, notices).await?;
    repo::insert(conn, notices, &mails, at).await?;
    let mut inboxes: Vec<Uuid> = notices.iter().map(|n| n.to).collect();
    inboxes.sort();
    inboxes.dedup();
    let hints: Vec<LiveEvent> = inboxes.into_iter().map(LiveEvent::Inbox).collect();
    crate::live::notify_on_commit(conn, &hints).await
}

/// Notifications of `person` newer than `after` (oldest first, at most 100): what a live
/// subscription has not delivered yet.
///
/// # Errors
/// A database fault.
pub async fn newer_than(
    conn: &impl ConnectionTrait,
    person: Uuid,
    after: Option<Uuid>,
) -> AppResult<Vec<Notification>> {
    repo::newer_than(conn, person, after).await
}

/// The caller's notifications, newest first.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn my_notifications(
    state: &AppState,
    rc: &RequestCtx,
    unread_only: bool,
    page: Page,
) -> AppResult<(Vec<Notification>, TotalCount)> {
    let me = policy::require_person(&rc.actor)?.id;
    let select = repo::of(me, unread_only);
    let (rows, total) = page_of(
        state.db(),
        select,
        notification::Column::Id,
        Order::NewestFirst,
        &page,
    )
    .await?;
    let rows = rows.into_iter().map(Notification::from_row);
    Ok((rows.collect::<AppResult<_>>()?, total))
}

/// How many unread notifications the caller has.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn unread_count(state: &AppState, rc: &RequestCtx) -> AppResult<u64> {
    let me = policy::require_person(&rc.actor)?.id;
    repo::count(state.db(), me, true).await
}

/// Which notifications to mark read.
#[derive(Clone, Debug)]
pub enum MarkRead {
    /// These (others' ids are ignored: they are not in the caller's inbox).
    Ids(Vec<Uuid>),
    /// Every unread one.
    All,
}

/// Marks the caller's notifications read; returns how many changed and how many stay
/// unread.
///
/// # Errors
/// FORBIDDEN for machine clients; BAD_USER_INPUT for more than 100 ids.
pub async fn mark_notifications_read(
    state: &AppState,
    rc: &RequestCtx,
    which: MarkRead,
) -> AppResult<(u64, u64)> {
    let me = policy::require_person(&rc.actor)?.id;
    let now = state.clock().now();
    if let MarkRead::Ids(ids) = &which
        && ids.len() > MAX_MARK
    {
        return Err(AppError::bad_input(
            "input.ids",
            format!("at most {MAX_MARK} ids at once; use all: true"),
        ));
    }
    let txn = rc.begin_write(state.db()).await?;
    let marked = match which {
        MarkRead::All => repo::mark_read(&txn, me, None, now).await?,
        MarkRead::Ids(ids) => repo::mark_read(&txn, me, Some(&ids), now).await?,
    };
    let unread = repo::count(&txn, me, true).await?;
    txn.commit().await?;
    Ok((marked, unread))
}

/// The caller's new notifications, as they are committed: each live hint for the caller's
/// inbox (or a general one, or a lag) reloads what is newer than the last one sent.
///
/// # Errors
/// FORBIDDEN for machine clients; a database fault reading where the inbox stands.
pub async fn live_inbox(
    state: &AppState,
    rc: &RequestCtx,
) -> AppResult<impl futures_util::Stream<Item = Notification> + use<>> {
    let me = policy::require_person(&rc.actor)?.id;
    let db = state.db().clone();
    // Where the inbox stands, then the hints from now on, then one catch-up read: a
    // notification committed in between is in the catch-up, anything later is hinted.
    let mut last = repo::latest_id(&db, me).await?;
    let mut live = state.events().live();
    Ok(async_stream::stream! {
        let mut catch_up = true;
        loop {
            if !std::mem::take(&mut catch_up) {
                match live.recv().await {
                    Ok(LiveEvent::Inbox(person)) if person != me => continue,
                    Ok(LiveEvent::SupportRequest(_)) => continue,
                    Ok(_) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => break,
                }
            }
            match newer_than(&db, me, last).await {
                Ok(fresh) => {
                    for n in fresh {
                        last = Some(n.id);
                        yield n;
                    }
                }
                Err(err) => err.log(),
            }
        }
    })
}
