//! The database edge: connecting (SQLite pragmas or a PostgreSQL pool), migrating, readiness,
//! and opening write transactions that behave the same on both engines.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

use crate::secret::Secret;

pub mod batch;
pub mod reader;
pub mod rows;

/// A unique index's verdict on a write as CONFLICT with `message`: the index is the final
/// arbiter of races the service's own checks cannot see (two assignments of one mentee at
/// once). Any other fault converts as usual.
pub fn conflict_on_unique(err: DbErr, message: &str) -> crate::error::AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            crate::error::AppError::Conflict(message.into())
        }
        _ => err.into(),
    }
}

/// The longest a statement waits for a pool connection, a new connection, or SQLite's write
/// lock. Short on purpose: a database that is down or saturated answers UNAVAILABLE (503,
/// `Retry-After`) within two seconds instead of holding every request for long.
pub const POOL_WAIT: Duration = Duration::from_millis(1_500);

/// Connects with pool settings suited to the engine. SQLite gets WAL, foreign keys, a busy
/// timeout and `synchronous = NORMAL`; PostgreSQL a connect timeout and a statement timeout.
///
/// # Errors
/// The database cannot be reached or opened.
pub async fn connect(url: &Secret, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.expose());
    options
        .max_connections(max_connections.max(1))
        .min_connections(0)
        .connect_timeout(POOL_WAIT)
        .acquire_timeout(POOL_WAIT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(POOL_WAIT)
                .create_if_missing(true)
        });
    if url.expose().starts_with("postgres") {
        options.statement_timeout(Duration::from_secs(30));
    }
    let db = Database::connect(options).await?;
    db.ping().await?;
    Ok(db)
}

/// Counts every statement the pool runs (the statement-count tests read it) and logs slow
/// ones with their SQL text — placeholders only, never the bound values.
pub fn instrument(db: &mut DatabaseConnection) -> Arc<AtomicU64> {
    let counter = Arc::new(AtomicU64::new(0));
    let count = counter.clone();
    db.set_metric_callback(move |info| {
        count.fetch_add(1, Ordering::Relaxed);
        if info.elapsed > SLOW_STATEMENT {
            tracing::warn!(
                elapsed_ms = info.elapsed.as_millis() as u64,
                sql = %info.statement.sql.chars().take(300).collect::<String>(),
                "slow statement"
            );
        }
    });
    counter
}

/// Statements slower than this are logged at warn.
const SLOW_STATEMENT: Duration = Duration::from_millis(500);

/// Applies every pending migration.
///
/// # Errors
/// A migration failed (it is rolled back where the engine allows).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Names of migrations not applied yet.
///
/// # Errors
/// The migrations table cannot be read.
pub async fn pending_migrations(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    Ok(Migrator::get_pending_migrations(db)
        .await?
        .iter()
        .map(|m| m.name().to_owned())
        .collect())
}

/// The file behind a `sqlite://` URL, if it is one (not in-memory).
pub fn sqlite_path(url: &Secret) -> Option<PathBuf> {
    let rest = url
        .expose()
        .strip_prefix("sqlite://")
        .or_else(|| url.expose().strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// Whether the database answers a query against our schema within two seconds. On SQLite
/// the file must also still be where we opened it: writes to a deleted file would be lost.
pub async fn is_ready(db: &DatabaseConnection, sqlite_file: Option<&std::path::Path>) -> bool {
    if sqlite_file.is_some_and(|p| !p.exists()) {
        return false;
    }
    let probe = db.execute_unprepared("SELECT 1 FROM seaql_migrations LIMIT 1");
    matches!(
        tokio::time::timeout(Duration::from_secs(2), probe).await,
        Ok(Ok(_))
    )
}

/// Opens the one transaction of a mutation. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`) so concurrent writers queue on the busy timeout instead of failing
/// when a read turns into a write; PostgreSQL uses row locks inside the transaction.
///
/// # Errors
/// No connection could be had.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// Every migration with whether it is applied, in order (`migrate status`).
///
/// # Errors
/// The migrations table cannot be read or created.
pub async fn migration_status(db: &DatabaseConnection) -> Result<Vec<(String, bool)>, DbErr> {
    Ok(Migrator::get_migration_with_status(db)
        .await?
        .iter()
        .map(|m| {
            let applied = matches!(m.status(), migration::MigrationStatus::Applied);
            (m.name().to_owned(), applied)
        })
        .collect())
}

/// `column` (a JSON array of strings, written `"table"."column"`) contains `value`, in each
/// engine's own JSON dialect.
pub fn json_array_contains(
    backend: DbBackend,
    column: &'static str,
    value: String,
) -> sea_orm::sea_query::Expr {
    let sql = match backend {
        DbBackend::Postgres => format!("({column})::jsonb @> jsonb_build_array($1::text)"),
        // sea-query renumbers `$1` for PostgreSQL only; SQLite takes `?`.
        _ => format!("EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = ?)"),
    };
    sea_orm::sea_query::Expr::cust_with_values(sql, [value])
}

/// Serializes writers of one kind of row that no unique index can guard (rounds must not
/// overlap): on PostgreSQL a transaction-scoped advisory lock on `key`; on SQLite nothing,
/// since [`begin_write`] already holds the database's write lock.
///
/// # Errors
/// A database fault.
pub async fn lock_topic(txn: &DatabaseTransaction, key: i64) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}

/// A raw statement written with `$1`, `$2`, … placeholders, for either engine (SQLite reads
/// `?1`, `?2`, …, which bind the same arguments by number). For the few queries sea-query
/// cannot say portably (window functions over grouped sets).
pub fn statement(backend: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> sea_orm::Statement {
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

/// Locks `select`'s rows for the rest of the transaction on PostgreSQL. SQLite needs no row
/// locks: [`begin_write`] already holds the database's write lock.
pub fn for_update<S: sea_orm::QuerySelect>(backend: DbBackend, select: S) -> S {
    if backend == DbBackend::Postgres {
        select.lock_exclusive()
    } else {
        select
    }
}

/// Rows per multi-row INSERT: well under both engines' limits on bound parameters.
pub const INSERT_CHUNK: usize = 500;

/// Inserts `rows` in multi-row INSERTs of [`INSERT_CHUNK`] (bulk writers: `seed`, `import`);
/// returns how many.
///
/// # Errors
/// A database fault.
pub async fn insert_chunked<A>(conn: &impl ConnectionTrait, rows: Vec<A>) -> Result<usize, DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
    A::Entity: sea_orm::EntityTrait<ActiveModel = A>,
{
    let n = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(INSERT_CHUNK).collect();
        <A::Entity as sea_orm::EntityTrait>::insert_many(chunk)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(n)
}
