//! Queries on `mail_delivery`: claiming due mails (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
//! so instances never claim one mail twice; SQLite serialises writers), marking them, and
//! the council's list.

use chrono::{DateTime, Utc};
use entity::{mail_delivery, notification};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, sea_query::Expr,
};
use uuid::Uuid;

use crate::{error::AppResult, notifications::model::MailStatus};

/// A claimed mail.
#[derive(Debug, FromQueryResult)]
pub struct Claimed {
    pub id: Uuid,
    pub person_id: Uuid,
    pub digest: bool,
    /// This try's number (1 for the first).
    pub attempts: i32,
}

const CLAIM_PG: &str = "UPDATE mail_delivery SET lease_until = $1, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM mail_delivery WHERE status = 'PENDING' AND due_at <= $2 \
    AND (lease_until IS NULL OR lease_until <= $2) AND attempts < $3 \
    ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
    RETURNING id, person_id, digest, attempts";
const CLAIM_SQLITE: &str = "UPDATE mail_delivery SET lease_until = ?, attempts = attempts + 1 \
    WHERE id IN (SELECT id FROM mail_delivery WHERE status = 'PENDING' AND due_at <= ? \
    AND (lease_until IS NULL OR lease_until <= ?) AND attempts < ? \
    ORDER BY due_at LIMIT ?) \
    RETURNING id, person_id, digest, attempts";

/// Claims up to `limit` due mails until `lease_until`, counting the try.
///
/// # Errors
/// A database fault.
pub async fn claim(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    max_attempts: i32,
    limit: u64,
) -> AppResult<Vec<Claimed>> {
    let backend = conn.get_database_backend();
    let statement = match backend {
        DbBackend::Postgres => Statement::from_sql_and_values(
            backend,
            CLAIM_PG,
            [
                lease_until.into(),
                now.into(),
                max_attempts.into(),
                limit.into(),
            ],
        ),
        _ => Statement::from_sql_and_values(
            backend,
            CLAIM_SQLITE,
            [
                lease_until.into(),
                now.into(),
                now.into(),
                max_attempts.into(),
                limit.into(),
            ],
        ),
    };
    let rows = conn.query_all_raw(statement).await?;
    Ok(rows
        .iter()
        .map(|r| Claimed::from_query_result(r, ""))
        .collect::<Result<_, _>>()?)
}

/// Mails whose every try was claimed and never marked (a worker died mid-send each time):
/// failed, so a mail that kills its sender cannot be retried forever.
///
/// # Errors
/// A database fault.
pub async fn fail_abandoned(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    max_attempts: i32,
) -> AppResult<u64> {
    let done = mail_delivery::Entity::update_many()
        .col_expr(
            mail_delivery::Column::Status,
            Expr::value(MailStatus::Failed.as_str()),
        )
        .col_expr(
            mail_delivery::Column::LastError,
            Expr::value("no outcome known after the last try (the sender stopped)"),
        )
        .filter(mail_delivery::Column::Status.eq(MailStatus::Pending.as_str()))
        .filter(mail_delivery::Column::Attempts.gte(max_attempts))
        .filter(mail_delivery::Column::LeaseUntil.lte(now))
        .exec(conn)
        .await?;
    Ok(done.rows_affected)
}

/// How a try ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    Sent,
    /// Try again from then.
    Retry(DateTime<Utc>, String),
    Failed(String),
    Cancelled(&'static str),
}

/// Records the outcome of try `attempt` of mail `id` (a stale worker's outcome, after the
/// mail was claimed again, is ignored).
///
/// # Errors
/// A database fault.
pub async fn mark(
    conn: &impl ConnectionTrait,
    id: Uuid,
    attempt: i32,
    now: DateTime<Utc>,
    outcome: Outcome,
) -> AppResult<()> {
    let mut row = mail_delivery::ActiveModel {
        lease_until: Set(None),
        ..Default::default()
    };
    match outcome {
        Outcome::Sent => {
            row.status = Set(MailStatus::Sent.as_str().into());
            row.sent_at = Set(Some(now));
            row.last_error = Set(None);
        }
        Outcome::Retry(at, error) => {
            row.due_at = Set(at);
            row.last_error = Set(Some(clip(error)));
        }
        Outcome::Failed(error) => {
            row.status = Set(MailStatus::Failed.as_str().into());
            row.last_error = Set(Some(clip(error)));
        }
        Outcome::Cancelled(why) => {
            row.status = Set(MailStatus::Cancelled.as_str().into());
            row.last_error = Set(Some(why.into()));
        }
    }
    mail_delivery::Entity::update_many()
        .set(row)
        .filter(mail_delivery::Column::Id.eq(id))
        .filter(mail_delivery::Column::Attempts.eq(attempt))
        .exec(conn)
        .await?;
    Ok(())
}

/// A relay's answer can be long; the council needs its gist.
fn clip(mut error: String) -> String {
    if error.len() > 500 {
        let cut = (0..=500)
            .rev()
            .find(|&i| error.is_char_boundary(i))
            .unwrap_or(0);
        error.truncate(cut);
    }
    error
}

/// The notifications a mail carries (at most `limit`, oldest first) and how many in all.
///
/// # Errors
/// A database fault.
pub async fn items(
    conn: &impl ConnectionTrait,
    mail: Uuid,
    limit: u64,
) -> AppResult<(Vec<notification::Model>, u64)> {
    let select = notification::Entity::find().filter(notification::Column::MailId.eq(mail));
    let rows = select
        .clone()
        .order_by_asc(notification::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let total = if (rows.len() as u64) < limit {
        rows.len() as u64
    } else {
        select.count(conn).await?
    };
    Ok((rows, total))
}

/// Cancels a person's mails that have not gone yet (mail turned off, person erased).
///
/// # Errors
/// A database fault.
pub async fn cancel_pending_of(
    conn: &impl ConnectionTrait,
    person: Uuid,
    why: &'static str,
) -> AppResult<u64> {
    cancel_pending(conn, mail_delivery::Column::PersonId.eq(person), why).await
}

/// Deletes finished mails older than `before`, and cancels pending ones due before
/// `stale` (no worker sent them: mail was off, or no relay was configured).
///
/// # Errors
/// A database fault.
pub async fn purge(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
    stale: DateTime<Utc>,
) -> AppResult<u64> {
    let why = "not sent in time (no mail worker ran)";
    let cancelled = cancel_pending(conn, mail_delivery::Column::DueAt.lt(stale), why).await?;
    let deleted = mail_delivery::Entity::delete_many()
        .filter(mail_delivery::Column::Status.ne(MailStatus::Pending.as_str()))
        .filter(mail_delivery::Column::CreatedAt.lt(before))
        .exec(conn)
        .await?;
    Ok(cancelled + deleted.rows_affected)
}

async fn cancel_pending(
    conn: &impl ConnectionTrait,
    which: sea_orm::sea_query::SimpleExpr,
    why: &'static str,
) -> AppResult<u64> {
    let done = mail_delivery::Entity::update_many()
        .col_expr(
            mail_delivery::Column::Status,
            Expr::value(MailStatus::Cancelled.as_str()),
        )
        .col_expr(mail_delivery::Column::LastError, Expr::value(why))
        .filter(mail_delivery::Column::Status.eq(MailStatus::Pending.as_str()))
        .filter(which)
        .exec(conn)
        .await?;
    Ok(done.rows_affected)
}
