//! The records, in the database so every instance sees them: claimed first in the
//! request's transaction, answered before it commits. Another transaction therefore sees a
//! key either not at all or with its answer, never half done.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend};

use crate::{
    db::statement,
    error::{AppError, AppResult},
};

/// How long a retry waits (PostgreSQL) for the first request with its key to finish before
/// it is answered 409 CONFLICT, retryable. SQLite's writers queue on its write lock instead.
const WAIT_FOR_FIRST: &str = "SET LOCAL lock_timeout = '10s'";

/// What a key holds for this request.
#[derive(Debug)]
pub enum Claim {
    /// Nobody used the key: this request runs, and its answer is stored with [`answer`].
    Owned,
    /// The same request ran before: its answer.
    Replay(Stored),
    /// The key was used for another request.
    Mismatch,
}

/// A stored answer.
#[derive(Debug)]
pub struct Stored {
    /// HTTP status.
    pub status: u16,
    /// Its `Content-Type`.
    pub content_type: String,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

/// The caller's key in `txn`: claimed for this request, or what it already holds. A record
/// older than `expired_before` counts as absent (the jobs have not purged it yet).
///
/// # Errors
/// CONFLICT (retryable) when the first request with the key is still running past the
/// wait; a database fault.
pub async fn claim(
    txn: &DatabaseTransaction,
    (caller, key): (&str, &str),
    fingerprint: &str,
    (now, expired_before): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<Claim> {
    let backend = txn.get_database_backend();
    if backend == DbBackend::Postgres {
        txn.execute_unprepared(WAIT_FOR_FIRST).await?;
    }
    let id = || vec![caller.into(), key.into()];
    let expired =
        "DELETE FROM idempotency_record WHERE caller = $1 AND key = $2 AND created_at < $3";
    let mut values = id();
    values.push(expired_before.into());
    txn.execute_raw(statement(backend, expired, values)).await?;
    // On PostgreSQL this waits while another transaction holds an uncommitted claim of the
    // same key, and then does nothing: the record is there, with its answer.
    let insert = "INSERT INTO idempotency_record (caller, key, fingerprint, created_at) \
                  VALUES ($1, $2, $3, $4) ON CONFLICT (caller, key) DO NOTHING";
    let mut values = id();
    values.extend([fingerprint.into(), now.into()]);
    if txn
        .execute_raw(statement(backend, insert, values))
        .await?
        .rows_affected()
        == 1
    {
        return Ok(Claim::Owned);
    }
    let select = "SELECT fingerprint, status, content_type, body FROM idempotency_record \
                  WHERE caller = $1 AND key = $2";
    let Some(row) = txn.query_one_raw(statement(backend, select, id())).await? else {
        // Purged between the two statements (only possible for a record just expiring):
        // sending it again claims the key afresh.
        let gone = std::io::Error::other("an idempotency record vanished while read");
        return Err(AppError::Contended(crate::error::anyhow_free::Cause(
            Box::new(gone),
        )));
    };
    let stored_fingerprint: String = row.try_get_by_index(0)?;
    if stored_fingerprint != fingerprint {
        return Ok(Claim::Mismatch);
    }
    let status: Option<i32> = row.try_get_by_index(1)?;
    let content_type: Option<String> = row.try_get_by_index(2)?;
    let body: Option<Vec<u8>> = row.try_get_by_index(3)?;
    Ok(Claim::Replay(Stored {
        status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200),
        content_type: content_type.unwrap_or_else(|| "application/json".into()),
        body: body.unwrap_or_default(),
    }))
}

/// Stores the answer of the request that owns the key, in its transaction.
///
/// # Errors
/// A database fault.
pub async fn answer(
    txn: &DatabaseTransaction,
    (caller, key): (&str, &str),
    stored: &Stored,
) -> AppResult<()> {
    let q = "UPDATE idempotency_record SET status = $1, content_type = $2, body = $3 \
             WHERE caller = $4 AND key = $5";
    let values = vec![
        i32::from(stored.status).into(),
        stored.content_type.as_str().into(),
        stored.body.clone().into(),
        caller.into(),
        key.into(),
    ];
    txn.execute_raw(statement(txn.get_database_backend(), q, values))
        .await?;
    Ok(())
}

/// Deletes the records created before `before` (the periodic jobs); returns how many.
///
/// # Errors
/// A database fault.
pub async fn purge(db: &DatabaseConnection, before: DateTime<Utc>) -> AppResult<u64> {
    let q = "DELETE FROM idempotency_record WHERE created_at < $1";
    let done = db
        .execute_raw(statement(db.get_database_backend(), q, vec![before.into()]))
        .await?;
    Ok(done.rows_affected())
}
