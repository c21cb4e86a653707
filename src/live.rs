//! Live updates across instances: hints travel through PostgreSQL `LISTEN/NOTIFY` (sent
//! inside the transaction of the change, so PostgreSQL delivers them only once it commits).
//! Each instance forwards them to its own subscriptions, which reload from the database.
//! SQLite runs one instance: the hints a request sent are collected ([`collecting`]) and the
//! transport hands them to this instance's subscriptions after the request, so a change wakes
//! only the subscriptions whose subject it touches, on either database.

use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, Statement, sqlx::postgres::PgListener,
};
use tokio::task::JoinHandle;

use crate::{
    error::AppResult,
    events::{EventBus, LIVE_CHANNEL, LiveEvent},
};

tokio::task_local! {
    /// The hints sent during the current request (see [`collecting`]).
    static SENT: std::cell::RefCell<Vec<LiveEvent>>;
}

/// Runs `request`, returning with its output the hints it sent (deduplicated). A hint from
/// a transaction that then rolled back is spurious, which subscribers tolerate.
pub async fn collecting<F: std::future::Future>(request: F) -> (F::Output, Vec<LiveEvent>) {
    SENT.scope(std::cell::RefCell::new(Vec::new()), async {
        let output = request.await;
        let mut sent = SENT.with(std::cell::RefCell::take);
        sent.sort_by_key(|e| e.payload());
        sent.dedup();
        (output, sent)
    })
    .await
}

/// Sends `events` to every instance when the surrounding transaction commits (PostgreSQL);
/// on SQLite, collects them for the transport to deliver after the request.
///
/// # Errors
/// A database fault.
pub async fn notify_on_commit(conn: &impl ConnectionTrait, events: &[LiveEvent]) -> AppResult<()> {
    if conn.get_database_backend() != DbBackend::Postgres {
        SENT.try_with(|sent| sent.borrow_mut().extend_from_slice(events))
            .ok();
        return Ok(());
    }
    for event in events {
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [LIVE_CHANNEL.into(), event.payload().into()],
        ))
        .await?;
    }
    Ok(())
}

/// Forwards PostgreSQL notifications to this instance's bus; reconnects after a database
/// restart and then wakes everyone, so nothing committed meanwhile is missed.
pub fn spawn_listener(db: &DatabaseConnection, bus: EventBus) -> Option<JoinHandle<()>> {
    if db.get_database_backend() != DbBackend::Postgres {
        return None;
    }
    let pool = db.get_postgres_connection_pool().clone();
    Some(tokio::spawn(async move {
        let mut retry = Duration::from_millis(200);
        loop {
            let listener = async {
                let mut listener = PgListener::connect_with(&pool).await?;
                listener.listen(LIVE_CHANNEL).await?;
                Ok::<_, sea_orm::sqlx::Error>(listener)
            };
            match listener.await {
                Ok(mut listener) => {
                    retry = Duration::from_millis(200);
                    bus.wake(LiveEvent::Any);
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) => bus.wake(LiveEvent::from_payload(n.payload())),
                            // The connection dropped; sqlx reconnects on the next call.
                            Ok(None) => bus.wake(LiveEvent::Any),
                            Err(err) => {
                                tracing::warn!(error = %err, "live listener failed");
                                break;
                            }
                        }
                    }
                }
                Err(err) => tracing::warn!(error = %err, "live listener cannot connect"),
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(Duration::from_secs(10));
        }
    }))
}
