//! The few dialect differences the metrics queries need, in one place: placeholders, time
//! differences, JSON role tests and nearest-rank percentiles with window functions.

use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Value};

use crate::error::{AppError, AppResult};

pub use crate::db::statement;

/// A result row.
pub type Row = QueryResult;

/// Runs an aggregate statement: it always returns exactly one row.
///
/// # Errors
/// A database fault, or no row (a bug in the statement).
pub async fn one(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> AppResult<Row> {
    let backend = conn.get_database_backend();
    conn.query_one_raw(statement(backend, sql, values))
        .await?
        .ok_or_else(|| AppError::internal(std::io::Error::other("an aggregate returned no row")))
}

/// Runs a statement returning many rows (each query bounds its own).
///
/// # Errors
/// A database fault.
pub async fn rows(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<Value>,
) -> AppResult<Vec<QueryResult>> {
    let backend = conn.get_database_backend();
    Ok(conn.query_all_raw(statement(backend, sql, values)).await?)
}

/// Seconds from `earlier` to `later` (SQL expressions of timestamps), as a double.
pub fn seconds_between(backend: DbBackend, later: &str, earlier: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS DOUBLE PRECISION)")
        }
        // julianday() is a double of days, exact to some 40 µs only: round to milliseconds
        // so that two hours read 7200.0 s, not 7199.99997.
        _ => format!("ROUND((julianday({later}) - julianday({earlier})) * 86400.0, 3)"),
    }
}

/// `column` (a JSON array of role names) contains `role` — a constant of ours, never input.
pub fn has_role(backend: DbBackend, column: &str, role: &'static str) -> String {
    match backend {
        DbBackend::Postgres => format!("({column})::jsonb @> '[\"{role}\"]'::jsonb"),
        _ => format!("EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = '{role}')"),
    }
}

/// Wraps `values` (a query with one numeric column `x`) into one row of
/// `n, min, median, p90, max` plus `extra` aggregate columns over the ranked rows `r`.
/// Percentiles are nearest-rank: the smallest value with at least p % of the values at or
/// below it, so they are always values that occurred.
pub fn distribution(values: &str, extra: &str) -> String {
    format!(
        "WITH v AS ({values}), \
         r AS (SELECT v.*, ROW_NUMBER() OVER (ORDER BY x) AS rn, COUNT(*) OVER () AS n FROM v) \
         SELECT CAST(COUNT(*) AS BIGINT), \
                CAST(MIN(x) AS DOUBLE PRECISION), \
                CAST(MAX(CASE WHEN rn = (n + 1) / 2 THEN x END) AS DOUBLE PRECISION), \
                CAST(MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN x END) AS DOUBLE PRECISION), \
                CAST(MAX(x) AS DOUBLE PRECISION){extra} \
         FROM r"
    )
}

/// A count column of a row; 0 for NULL (a SUM over no rows).
pub fn count(row: &QueryResult, index: usize) -> AppResult<u64> {
    let value: Option<i64> = row.try_get_by_index(index)?;
    Ok(value.unwrap_or(0).max(0) as u64)
}

/// A real column of a row; 0 for NULL (nothing to measure).
pub fn real(row: &QueryResult, index: usize) -> AppResult<f64> {
    let value: Option<f64> = row.try_get_by_index(index)?;
    Ok(value.filter(|v| v.is_finite()).unwrap_or(0.0))
}
