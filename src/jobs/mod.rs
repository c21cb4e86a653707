//! Periodic work: escalation of unanswered requests, break returns, check-in reminders and
//! inactivity detection. Run every `MENTORSHIP_JOBS_INTERVAL` inside `serve`, once across instances
//! (a PostgreSQL advisory lock; SQLite is one instance), or by `jobs run-once`. Every job is
//! idempotent: a rerun at the same time changes nothing.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use tokio::task::JoinHandle;

use crate::{
    alerts, announcements, check_in, config::Settings, error::AppResult, mail, state::AppState,
    support,
};

/// Arbitrary, fixed: the advisory lock that elects the instance running the jobs.
const LOCK_KEY: i64 = 0x6d65_6e74_6f72; // "mentor"

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Whether this instance ran the jobs (false: another instance holds the lock).
    pub ran: bool,
    /// Support requests escalated to the council.
    pub escalated: usize,
    /// Mentors back from a break.
    pub breaks_ended: usize,
    /// Mentorships reminded of a check-in due soon or overdue.
    pub reminded: usize,
    /// Inactive mentors reported to the council.
    pub inactive_reported: usize,
    /// Mentors reminded to relay an announcement.
    pub relay_reminders: usize,
    /// Stored `Idempotency-Key` answers past `MENTORSHIP_IDEMPOTENCY_TTL`, deleted.
    pub idempotency_purged: u64,
    /// Finished mails older than 30 days deleted, and mails no worker sent within two days
    /// of their due time cancelled.
    pub mail_purged: u64,
}

/// Runs every job once, if no other instance is running them.
///
/// # Errors
/// A database fault.
pub async fn run_once(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<Report> {
    // The lock lives as long as this transaction; the jobs use their own transactions.
    let guard = db.begin().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        let row = guard
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_try_advisory_xact_lock($1) AS locked",
                [LOCK_KEY.into()],
            ))
            .await?;
        let locked: bool = row
            .map(|r| r.try_get("", "locked"))
            .transpose()?
            .unwrap_or(false);
        if !locked {
            return Ok(Report::default());
        }
    }
    let report = Report {
        ran: true,
        escalated: support::escalate::escalate_unanswered(db, settings, now).await?,
        breaks_ended: alerts::returns::end_breaks(db, now).await?,
        reminded: check_in::reminders::send_reminders(db, settings, now).await?,
        inactive_reported: alerts::inactivity::detect(db, settings, now).await?,
        relay_reminders: announcements::reminders::remind_relays(db, settings, now).await?,
        idempotency_purged: {
            let expired = crate::idempotency::expired_before(settings, now);
            crate::idempotency::store::purge(db, expired).await?
        },
        mail_purged: mail::repo::purge(db, now - Duration::days(30), now - Duration::days(2))
            .await?,
    };
    guard.commit().await?;
    if report
        != (Report {
            ran: true,
            ..Report::default()
        })
    {
        tracing::info!(?report, "jobs ran");
    }
    Ok(report)
}

/// Runs the jobs every `jobs_interval` (the first time one interval after start) until
/// aborted.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let every = state.settings().jobs_interval;
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tick.tick().await;
            let now = state.clock().now();
            match run_once(state.db(), state.settings(), now).await {
                Ok(report)
                    if report
                        != (Report {
                            ran: true,
                            ..Report::default()
                        }) =>
                {
                    state.events().wake(crate::events::LiveEvent::Any);
                }
                Ok(_) => {}
                Err(err) => err.log(),
            }
        }
    })
}
