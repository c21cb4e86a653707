//! `metricsHistory`: the main figures per month, computed from the stored history in one
//! statement (a list of months joined to correlated counts), never from snapshots.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Value};

use super::{
    model::MonthFigures,
    sql::{self, count, has_role},
};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    request::RequestCtx,
};

/// Most months one request covers.
pub const MAX_MONTHS: usize = 36;

/// How finely history is cut.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// One entry per calendar month (UTC).
    Month,
}

struct Month {
    label: String,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

fn month_start(at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let day = NaiveDate::from_ymd_opt(at.year(), at.month(), 1)?;
    Some(Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0)?))
}

/// The months from the one holding `from` to the one holding `to`; a range too long is
/// blamed on `blame`, the argument the client gave last.
fn months(from: DateTime<Utc>, to: DateTime<Utc>, blame: &str) -> AppResult<Vec<Month>> {
    let bad = || AppError::bad_input("from", "not a usable date");
    let mut start = month_start(from).ok_or_else(bad)?;
    let mut out = Vec::new();
    while start <= to {
        if out.len() == MAX_MONTHS {
            return Err(AppError::bad_input(
                blame,
                format!("at most {MAX_MONTHS} months at a time"),
            ));
        }
        let next = start.checked_add_months(Months::new(1)).ok_or_else(bad)?;
        out.push(Month {
            label: start.format("%Y-%m").to_string(),
            from: start,
            to: next,
        });
        start = next;
    }
    Ok(out)
}

/// The figures of every month from `from` to `to` (council or `metrics:read`).
///
/// # Errors
/// FORBIDDEN as for `programMetrics`; BAD_USER_INPUT for `from` after `to` or more than 36
/// months.
pub async fn metrics_history(
    conn: &impl ConnectionTrait,
    rc: &RequestCtx,
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> AppResult<Vec<MonthFigures>> {
    policy::require_metrics_reader(&rc.actor)?;
    // Blame what the client sent: `from` alone is measured against now.
    let (blame, after) = match to {
        Some(_) => ("to", "must not be after to"),
        None => ("from", "must not be in the future"),
    };
    let to = to.unwrap_or(now).min(now);
    if from > to {
        return Err(AppError::bad_input("from", after));
    }
    let months = months(from, to, blame)?;
    let backend = conn.get_database_backend();
    // Each month: label, start, end, and the instant its stock figures describe.
    let mut values: Vec<Value> = Vec::new();
    let rows: Vec<String> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            values.push(m.label.clone().into());
            values.push(m.from.into());
            values.push(m.to.into());
            values.push(m.to.min(now).into());
            let n = 4 * i;
            format!("(${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4)
        })
        .collect();
    let active = "m.started_at <= mo.at_ AND (m.ended_at IS NULL OR m.ended_at > mo.at_)";
    let within = |col: &str| format!("{col} >= mo.from_ AND {col} < mo.to_");
    let q = format!(
        "WITH mo(label, from_, to_, at_) AS (VALUES {rows}) \
         SELECT mo.label, \
         CAST((SELECT COUNT(*) FROM mentorship m WHERE {active}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM person p WHERE {mentee} AND NOT {council} \
               AND p.status <> 'INACTIVE' AND p.joined_at <= mo.at_ \
               AND NOT EXISTS (SELECT 1 FROM mentor_profile mp WHERE mp.person_id = p.id \
                               AND mp.status <> 'RETIRED' AND mp.onboarded_at <= mo.at_) \
               AND NOT EXISTS (SELECT 1 FROM mentorship m WHERE m.mentee_id = p.id AND {active})) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM mentorship m WHERE {started}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM mentorship m WHERE {ended}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM check_in c WHERE c.status = 'HELD' AND {held}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM support_request s WHERE {opened}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM support_request s WHERE {resolved}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM mentor_profile mp WHERE {onboarded}) AS BIGINT) \
         FROM mo ORDER BY mo.label",
        rows = rows.join(", "),
        mentee = has_role(backend, "p.token_roles", "mentee"),
        council = has_role(backend, "p.token_roles", "council"),
        started = within("m.started_at"),
        ended = within("m.ended_at"),
        held = within("c.held_at"),
        opened = within("s.created_at"),
        resolved = within("s.resolved_at"),
        onboarded = within("mp.onboarded_at"),
    );
    let rows = sql::rows(conn, &q, values).await?;
    months
        .into_iter()
        .zip(rows)
        .map(|(m, row)| {
            Ok(MonthFigures {
                month: m.label,
                from: crate::timestamp::Timestamp(m.from),
                to: crate::timestamp::Timestamp(m.to),
                active_mentorships: count(&row, 1)?,
                reps_without_mentor: count(&row, 2)?,
                mentorships_started: count(&row, 3)?,
                mentorships_ended: count(&row, 4)?,
                check_ins_held: count(&row, 5)?,
                support_requests_opened: count(&row, 6)?,
                support_requests_resolved: count(&row, 7)?,
                mentors_onboarded: count(&row, 8)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_cover_both_ends_and_are_bounded() {
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap();
        let labels: Vec<String> = months(at(2025, 11, 20), at(2026, 2, 3), "to")
            .unwrap()
            .into_iter()
            .map(|m| m.label)
            .collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert!(months(at(2020, 1, 1), at(2023, 1, 1), "to").is_err());
        assert_eq!(
            months(at(2020, 1, 1), at(2022, 12, 31), "to")
                .unwrap()
                .len(),
            36
        );
    }
}
