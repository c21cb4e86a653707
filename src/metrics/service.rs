//! One aggregate statement (or two) per section of the figures, over a [`Window`].

use chrono::Duration;
use sea_orm::{ConnectionTrait, DbBackend};

pub use super::window::{Window, WindowFields};
use super::{
    model::*,
    sql::{self, count, distribution, has_role, real, seconds_between},
};
use crate::{config::Settings, error::AppResult};

/// Announcements listed one by one.
const MAX_ANNOUNCEMENTS: u64 = 50;

/// A mentor profile `mp` that is not retired and was onboarded by `$1`.
const LIVE_MENTOR: &str = "mp.status <> 'RETIRED' AND mp.onboarded_at <= $1";
/// A mentorship `m` that was active at `$1`.
const ACTIVE_AT: &str = "m.started_at <= $1 AND (m.ended_at IS NULL OR m.ended_at > $1)";

/// A rep `p` at `$1`: see [`OrphanMetrics`].
fn rep(backend: DbBackend) -> String {
    format!(
        "{mentee} AND NOT {council} AND p.status <> 'INACTIVE' AND p.joined_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM mentor_profile mp WHERE mp.person_id = p.id AND {LIVE_MENTOR})",
        mentee = has_role(backend, "p.token_roles", "mentee"),
        council = has_role(backend, "p.token_roles", "council"),
    )
}

fn read_distribution(row: &sql::Row) -> AppResult<Distribution> {
    Ok(Distribution {
        count: count(row, 0)?,
        min: real(row, 1)?,
        median: real(row, 2)?,
        p90: real(row, 3)?,
        max: real(row, 4)?,
    })
}

/// Mentors by status.
///
/// # Errors
/// A database fault.
pub async fn mentors(conn: &impl ConnectionTrait, w: &Window) -> AppResult<MentorCounts> {
    let q = "SELECT \
        CAST(SUM(CASE WHEN status = 'ACTIVE' THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'PAUSED' THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'OVERWHELMED' THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'INACTIVE' THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'RETIRED' THEN 1 ELSE 0 END) AS BIGINT) \
        FROM mentor_profile WHERE onboarded_at <= $1";
    let row = sql::one(conn, q, vec![w.as_of.into()]).await?;
    let (active, paused, overwhelmed, inactive, retired) = (
        count(&row, 0)?,
        count(&row, 1)?,
        count(&row, 2)?,
        count(&row, 3)?,
        count(&row, 4)?,
    );
    Ok(MentorCounts {
        active,
        paused,
        overwhelmed,
        inactive,
        retired,
        total: active + paused + overwhelmed + inactive,
    })
}

/// Mentees per mentor.
///
/// # Errors
/// A database fault.
pub async fn load(conn: &impl ConnectionTrait, w: &Window) -> AppResult<LoadMetrics> {
    // One hash join and GROUP BY, not a count per mentor.
    let values = format!(
        "SELECT mp.capacity AS cap, COUNT(m.id) AS x FROM mentor_profile mp \
         LEFT JOIN mentorship m ON m.mentor_id = mp.person_id AND {ACTIVE_AT} \
         WHERE {LIVE_MENTOR} GROUP BY mp.person_id, mp.capacity"
    );
    let extra = ", CAST(SUM(CASE WHEN x > cap THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN x = cap THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(x) AS BIGINT)";
    let row = sql::one(conn, &distribution(&values, extra), vec![w.as_of.into()]).await?;
    Ok(LoadMetrics {
        mentees_per_mentor: read_distribution(&row)?,
        over_capacity: count(&row, 5)?,
        at_capacity: count(&row, 6)?,
        active_mentorships: count(&row, 7)?,
    })
}

/// Reps without a mentor.
///
/// # Errors
/// A database fault.
pub async fn orphans(conn: &impl ConnectionTrait, w: &Window) -> AppResult<OrphanMetrics> {
    let backend = conn.get_database_backend();
    let since = "COALESCE((SELECT MAX(m.ended_at) FROM mentorship m \
                 WHERE m.mentee_id = p.id AND m.ended_at <= $1), p.joined_at)";
    let values = format!(
        "SELECT {seconds} / 86400.0 AS x FROM person p WHERE {rep} \
         AND NOT EXISTS (SELECT 1 FROM mentorship m WHERE m.mentee_id = p.id AND {ACTIVE_AT})",
        seconds = seconds_between(backend, "$1", since),
        rep = rep(backend),
    );
    let row = sql::one(conn, &distribution(&values, ""), vec![w.as_of.into()]).await?;
    let days = read_distribution(&row)?;
    Ok(OrphanMetrics {
        count: days.count,
        days_without_mentor: days,
    })
}

/// Check-in coverage and overdue check-ins.
///
/// # Errors
/// A database fault.
pub async fn check_ins(
    conn: &impl ConnectionTrait,
    w: &Window,
    settings: &Settings,
) -> AppResult<CheckInMetrics> {
    // One pass over the check-ins for each mentorship's last held meeting; each mentorship
    // then learns its mentee's latest meeting in any mentorship (a window over the mentee),
    // so "met in the last 365 days" needs no second pass nor a set of reps to join.
    let q = "WITH last AS (SELECT c.mentorship_id, MAX(c.held_at) AS last_held FROM check_in c \
             WHERE c.status = 'HELD' AND c.held_at <= $1 GROUP BY c.mentorship_id), \
         per AS (SELECT m.started_at, m.ended_at, l.last_held, \
             MAX(l.last_held) OVER (PARTITION BY m.mentee_id) AS mentee_last \
             FROM mentorship m LEFT JOIN last l ON l.mentorship_id = m.id WHERE m.started_at <= $1) \
         SELECT CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(CASE WHEN mentee_last > $4 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN (last_held IS NULL AND started_at < $6) OR last_held < $5 \
             THEN 1 ELSE 0 END) AS BIGINT) \
         FROM per WHERE per.ended_at IS NULL OR per.ended_at > $1";
    let interval = Duration::from_std(settings.check_in_interval).unwrap_or(Duration::days(365));
    let first = Duration::from_std(settings.first_check_in_within).unwrap_or(Duration::days(30));
    let values = w.values(&[
        w.as_of - Duration::days(365),
        w.as_of - interval,
        w.as_of - first,
    ]);
    let row = sql::one(conn, q, values).await?;
    let (with_mentor, covered) = (count(&row, 0)?, count(&row, 1)?);
    Ok(CheckInMetrics {
        reps_with_mentor: with_mentor,
        covered,
        coverage: share(covered, with_mentor),
        overdue: count(&row, 2)?,
    })
}

/// Support requests: open, escalated, and time to first response.
///
/// # Errors
/// A database fault.
pub async fn support(conn: &impl ConnectionTrait, w: &Window) -> AppResult<SupportMetrics> {
    let open = "created_at <= $1 AND (resolved_at IS NULL OR resolved_at > $1)";
    let counts = format!(
        "SELECT CAST(SUM(CASE WHEN {open} THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN {open} AND escalated_at <= $1 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN created_at >= $2 AND created_at < $3 THEN 1 ELSE 0 END) AS BIGINT) \
         FROM support_request"
    );
    let row = sql::one(conn, &counts, w.values(&[])).await?;
    let values = format!(
        "SELECT {} / 3600.0 AS x FROM support_request WHERE created_at >= $2 AND created_at < $3 \
         AND first_response_at <= $1",
        seconds_between(
            conn.get_database_backend(),
            "first_response_at",
            "created_at"
        ),
    );
    let times = sql::one(conn, &distribution(&values, ""), w.values(&[])).await?;
    Ok(SupportMetrics {
        open: count(&row, 0)?,
        escalated: count(&row, 1)?,
        opened_in_period: count(&row, 2)?,
        hours_to_first_response: read_distribution(&times)?,
    })
}

/// Mentor alerts opened, resolved and open.
///
/// # Errors
/// A database fault.
pub async fn alerts(conn: &impl ConnectionTrait, w: &Window) -> AppResult<AlertMetrics> {
    let q = "SELECT \
        CAST(SUM(CASE WHEN created_at >= $2 AND created_at < $3 THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN status = 'RESOLVED' AND handled_at >= $2 AND handled_at < $3 THEN 1 ELSE 0 END) AS BIGINT), \
        CAST(SUM(CASE WHEN created_at <= $1 AND (handled_at IS NULL OR handled_at > $1) THEN 1 ELSE 0 END) AS BIGINT) \
        FROM mentor_alert";
    let row = sql::one(conn, q, w.values(&[])).await?;
    Ok(AlertMetrics {
        opened_in_period: count(&row, 0)?,
        resolved_in_period: count(&row, 1)?,
        open: count(&row, 2)?,
    })
}

/// New mentors and how long onboarding takes.
///
/// # Errors
/// A database fault.
pub async fn onboarding(conn: &impl ConnectionTrait, w: &Window) -> AppResult<OnboardingMetrics> {
    let backend = conn.get_database_backend();
    let mentee_since = "m.mentor_id = a.applicant_id AND m.started_at >= a.completed_at \
                        AND m.started_at <= $1";
    let completed = "a.completed_at >= $2 AND a.completed_at < $3";
    let counts = format!(
        "SELECT \
         CAST((SELECT COUNT(*) FROM mentor_profile WHERE onboarded_at >= $2 AND onboarded_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM mentor_application WHERE applied_at >= $2 AND applied_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM mentor_application a WHERE {completed}) AS BIGINT)"
    );
    let row = sql::one(conn, &counts, w.values(&[])).await?;
    let to_completion = format!(
        "SELECT {} / 86400.0 AS x FROM mentor_application a WHERE {completed}",
        seconds_between(backend, "a.completed_at", "a.applied_at")
    );
    let to_completion = sql::one(conn, &distribution(&to_completion, ""), w.values(&[])).await?;
    let to_mentee = format!(
        "SELECT {} / 86400.0 AS x FROM (SELECT a.completed_at, MIN(m.started_at) AS first_at \
         FROM mentor_application a JOIN mentorship m ON {mentee_since} \
         WHERE {completed} GROUP BY a.id, a.completed_at) s",
        seconds_between(backend, "s.first_at", "s.completed_at")
    );
    let to_mentee = sql::one(conn, &distribution(&to_mentee, ""), w.values(&[])).await?;
    let (completed, to_mentee) = (count(&row, 2)?, read_distribution(&to_mentee)?);
    Ok(OnboardingMetrics {
        mentors_onboarded_in_period: count(&row, 0)?,
        applications_in_period: count(&row, 1)?,
        completed_in_period: completed,
        // The distribution has one value per completed application with a mentee.
        completed_without_mentee: completed.saturating_sub(to_mentee.count),
        days_application_to_completion: read_distribution(&to_completion)?,
        days_completion_to_first_mentee: to_mentee,
    })
}

/// Reach of the period's announcements at `asOf`, per announcement and overall.
///
/// # Errors
/// A database fault.
pub async fn reach(conn: &impl ConnectionTrait, w: &Window) -> AppResult<ReachMetrics> {
    // Every target with two flags, from joins to the relays and to the reps who had a mentor.
    let targets = format!(
        "SELECT a.id, a.title, a.published_at, \
         CASE WHEN au.acknowledged_at <= $1 OR r.mentee_id IS NOT NULL THEN 1 ELSE 0 END AS reached, \
         CASE WHEN a.relay_required = TRUE AND au.recipient = FALSE AND cur.mentee_id IS NULL \
              THEN 1 ELSE 0 END AS orphan \
         FROM announcement a JOIN announcement_audience au ON au.announcement_id = a.id \
         LEFT JOIN announcement_relay r ON r.announcement_id = a.id AND r.mentee_id = au.person_id \
              AND r.relayed_at <= $1 \
         LEFT JOIN (SELECT DISTINCT m.mentee_id FROM mentorship m WHERE {ACTIVE_AT}) cur \
              ON cur.mentee_id = au.person_id \
         WHERE au.target = TRUE AND a.published_at >= $2 AND a.published_at < $3"
    );
    // One statement: the announcements' sums, and the overall ones as window sums over all
    // of them (computed before the LIMIT keeps the latest MAX_ANNOUNCEMENTS).
    let q = format!(
        "SELECT id, title, published_at, n, reached, not_reachable, \
         CAST(COUNT(*) OVER () AS BIGINT), CAST(SUM(n) OVER () AS BIGINT), \
         CAST(SUM(reached) OVER () AS BIGINT), CAST(SUM(not_reachable) OVER () AS BIGINT) \
         FROM (SELECT id, title, published_at, CAST(COUNT(*) AS BIGINT) AS n, \
             CAST(SUM(reached) AS BIGINT) AS reached, \
             CAST(SUM(CASE WHEN reached = 0 AND orphan = 1 THEN 1 ELSE 0 END) AS BIGINT) AS not_reachable \
             FROM ({targets}) t GROUP BY id, title, published_at) g \
         ORDER BY published_at DESC, id DESC LIMIT {MAX_ANNOUNCEMENTS}"
    );
    let totals = |targets: u64, reached: u64, not_reachable: u64| ReachTotals {
        targets,
        reached,
        not_reachable,
        pending: targets.saturating_sub(reached + not_reachable),
        reached_share: share(reached, targets),
    };
    let rows = sql::rows(conn, &q, w.values(&[])).await?;
    let (announcements, overall) = match rows.first() {
        Some(row) => (
            count(row, 6)?,
            totals(count(row, 7)?, count(row, 8)?, count(row, 9)?),
        ),
        None => (0, totals(0, 0, 0)),
    };
    let mut per_announcement = Vec::with_capacity(rows.len());
    for row in &rows {
        let id: uuid::Uuid = row.try_get_by_index(0)?;
        per_announcement.push(AnnouncementReachFigures {
            announcement_id: async_graphql::ID(id.to_string()),
            title: row.try_get_by_index(1)?,
            published_at: crate::timestamp::Timestamp(row.try_get_by_index(2)?),
            reach: totals(count(row, 3)?, count(row, 4)?, count(row, 5)?),
        });
    }
    Ok(ReachMetrics {
        announcements,
        overall,
        per_announcement,
    })
}

/// Acknowledgement of the role guide current at `asOf`.
///
/// # Errors
/// A database fault.
pub async fn role_guide(conn: &impl ConnectionTrait, w: &Window) -> AppResult<RoleGuideMetrics> {
    let current = "(SELECT MAX(version) FROM role_guide WHERE published_at <= $1)";
    let q = format!(
        "SELECT {current}, \
         CAST((SELECT COUNT(*) FROM mentor_profile mp WHERE {LIVE_MENTOR}) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM mentor_profile mp JOIN role_guide_ack k ON k.person_id = mp.person_id \
               WHERE {LIVE_MENTOR} AND k.version = {current} AND k.acknowledged_at <= $1) AS BIGINT)"
    );
    let row = sql::one(conn, &q, vec![w.as_of.into()]).await?;
    let (mentors, acknowledged) = (count(&row, 1)?, count(&row, 2)?);
    Ok(RoleGuideMetrics {
        version: row.try_get_by_index(0)?,
        mentors,
        acknowledged,
        acknowledged_share: share(acknowledged, mentors),
    })
}

/// Attendance of the calls held in the period.
///
/// # Errors
/// A database fault.
pub async fn calls(conn: &impl ConnectionTrait, w: &Window) -> AppResult<CallMetrics> {
    let q = "SELECT CAST(COUNT(DISTINCT c.id) AS BIGINT), CAST(COUNT(a.mentor_id) AS BIGINT), \
        CAST(SUM(CASE WHEN a.attended = TRUE THEN 1 ELSE 0 END) AS BIGINT) \
        FROM mentor_call c LEFT JOIN mentor_call_attendance a ON a.call_id = c.id \
        WHERE c.status = 'HELD' AND c.scheduled_for >= $2 AND c.scheduled_for < $3 \
        AND c.scheduled_for <= $1";
    let row = sql::one(conn, q, w.values(&[])).await?;
    let (invitations, attended) = (count(&row, 1)?, count(&row, 2)?);
    Ok(CallMetrics {
        held: count(&row, 0)?,
        invitations,
        attended,
        attendance_share: share(attended, invitations),
    })
}

/// Every section (the REST body), the sections' statements running side by side.
///
/// # Errors
/// A database fault.
pub async fn report(
    conn: &sea_orm::DatabaseConnection,
    w: &Window,
    settings: &Settings,
) -> AppResult<ProgramMetricsReport> {
    let (mentors, load, orphans, check_ins, support, alerts, onboarding, announcements) = tokio::try_join!(
        mentors(conn, w),
        load(conn, w),
        orphans(conn, w),
        check_ins(conn, w, settings),
        support(conn, w),
        alerts(conn, w),
        onboarding(conn, w),
        reach(conn, w),
    )?;
    let (role_guide, calls) = tokio::try_join!(role_guide(conn, w), calls(conn, w))?;
    Ok(ProgramMetricsReport {
        as_of: crate::timestamp::Timestamp(w.as_of),
        from: crate::timestamp::Timestamp(w.from),
        to: crate::timestamp::Timestamp(w.to),
        mentors,
        load,
        orphans,
        check_ins,
        support,
        alerts,
        onboarding,
        announcements,
        role_guide,
        calls,
    })
}
