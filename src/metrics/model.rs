//! The figures, one struct per section. Each is a GraphQL object, a JSON body and an OpenAPI
//! schema at once, so GraphQL, `/api/v1/metrics` and `/api/v1/metrics.csv` cannot disagree.
//!
//! Windows: *as of* figures describe the program at `asOf` from the stored history
//! (mentorship, check-in, request, alert and acknowledgement dates); *in the period* figures
//! count events in `[from, to)`. Where nothing can be measured, figures are 0, never null or
//! NaN; each distribution says how many values it summarises.

use async_graphql::{ID, SimpleObject};
use serde::Serialize;
use utoipa::ToSchema;

use crate::timestamp::Timestamp;

/// A summary of values: nearest-rank percentiles (the smallest value with at least p % of the
/// values at or below it), all 0 when `count` is 0.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    /// How many values.
    pub count: u64,
    /// The smallest value.
    pub min: f64,
    /// The middle value: half are at or below it.
    pub median: f64,
    /// Nine in ten values are at or below it.
    pub p90: f64,
    /// The largest value.
    pub max: f64,
}

/// Mentors by status: current statuses of the mentors onboarded by `asOf` (status changes are
/// not kept as history).
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct MentorCounts {
    /// Mentoring and able to take mentees.
    pub active: u64,
    /// On a break.
    pub paused: u64,
    /// Said they have too much.
    pub overwhelmed: u64,
    /// No activity for a long time.
    pub inactive: u64,
    /// No longer mentors (not counted in `total`).
    pub retired: u64,
    /// Every mentor who is not retired.
    pub total: u64,
}

/// Load: mentees per mentor (not retired) at `asOf`.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct LoadMetrics {
    /// Active mentorships per mentor, over every mentor who is not retired.
    pub mentees_per_mentor: Distribution,
    /// Mentors with more mentees than their capacity.
    pub over_capacity: u64,
    /// Mentors exactly at their capacity.
    pub at_capacity: u64,
    /// Active mentorships at `asOf`.
    pub active_mentorships: u64,
}

/// Reps without a mentor at `asOf` (orphans). Reps: people with the mentee role who are not
/// on the council, not mentors themselves and not inactive, and had joined by `asOf`.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct OrphanMetrics {
    /// Reps without an active mentorship.
    pub count: u64,
    /// Days each has been without a mentor: since their last mentorship ended, or since they
    /// joined when they never had one.
    pub days_without_mentor: Distribution,
}

/// Check-ins of the reps who have a mentor at `asOf`.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct CheckInMetrics {
    /// Reps with an active mentorship.
    pub reps_with_mentor: u64,
    /// Of those, reps with a held check-in in the 365 days up to `asOf`.
    pub covered: u64,
    /// `covered / repsWithMentor` (0 to 1; 0 when nobody has a mentor).
    pub coverage: f64,
    /// Active mentorships whose next check-in was due before `asOf` (a year after the last
    /// held one, or a month after the start; `MENTORSHIP_CHECK_IN_INTERVAL` and
    /// `MENTORSHIP_FIRST_CHECK_IN_WITHIN`).
    pub overdue: u64,
}

/// Support requests.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct SupportMetrics {
    /// Not resolved or closed at `asOf` (escalated ones included).
    pub open: u64,
    /// Open at `asOf` and escalated to the council.
    pub escalated: u64,
    /// Opened in the period.
    pub opened_in_period: u64,
    /// Hours from opening to the first answer, for requests opened in the period and
    /// answered by `asOf`.
    pub hours_to_first_response: Distribution,
}

/// Mentor alerts (load reports, breaks, inactivity, missed calls).
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct AlertMetrics {
    /// Raised in the period.
    pub opened_in_period: u64,
    /// Resolved by the council in the period.
    pub resolved_in_period: u64,
    /// Not resolved at `asOf`.
    pub open: u64,
}

/// New mentors.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct OnboardingMetrics {
    /// Mentor profiles created in the period (completed applications and direct grants).
    pub mentors_onboarded_in_period: u64,
    /// Applications made in the period.
    pub applications_in_period: u64,
    /// Applications completed in the period.
    pub completed_in_period: u64,
    /// Days from application to completion, for applications completed in the period.
    pub days_application_to_completion: Distribution,
    /// Days from completion to the first mentee, for applications completed in the period
    /// whose mentor got a mentee by `asOf`.
    pub days_completion_to_first_mentee: Distribution,
    /// Applications completed in the period whose mentor had no mentee yet at `asOf`.
    pub completed_without_mentee: u64,
}

/// Reach of one announcement at `asOf`.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct AnnouncementReachFigures {
    /// The announcement, for `announcement(id:)`.
    #[schema(value_type = String)]
    pub announcement_id: ID,
    /// Its headline.
    pub title: String,
    /// When the council published it.
    #[schema(value_type = String, format = DateTime)]
    pub published_at: Timestamp,
    #[graphql(flatten)]
    #[serde(flatten)]
    pub reach: ReachTotals,
}

/// Reach of the announcements published in the period, at `asOf`.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct ReachMetrics {
    /// Announcements published in the period.
    pub announcements: u64,
    /// All of them together.
    pub overall: ReachTotals,
    /// The 50 most recent, newest first.
    pub per_announcement: Vec<AnnouncementReachFigures>,
}

/// Reach: every rep an announcement must reach is reached, pending or not reachable.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct ReachTotals {
    /// Reps it must reach (a rep counts once per announcement).
    pub targets: u64,
    /// Acknowledged it, or their mentor relayed it to them.
    pub reached: u64,
    /// Not reached yet.
    pub pending: u64,
    /// Needs relaying, no mentor, not in their own inbox.
    pub not_reachable: u64,
    /// `reached / targets` (0 to 1).
    pub reached_share: f64,
}

/// The role guide current at `asOf`.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct RoleGuideMetrics {
    /// Its version; null when none was published by `asOf`.
    pub version: Option<i32>,
    /// Mentors who are not retired.
    pub mentors: u64,
    /// Of those, who acknowledged that version by `asOf`.
    pub acknowledged: u64,
    /// `acknowledged / mentors` (0 to 1).
    pub acknowledged_share: f64,
}

/// Mentor calls held in the period (and by `asOf`).
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug, Default)]
#[serde(rename_all = "camelCase")]
pub struct CallMetrics {
    /// Calls recorded as held.
    pub held: u64,
    /// Invitations to those calls.
    pub invitations: u64,
    /// Invited mentors who attended.
    pub attended: u64,
    /// `attended / invitations` (0 to 1).
    pub attendance_share: f64,
}

/// Every figure at once (the REST body).
#[derive(Serialize, ToSchema, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct ProgramMetricsReport {
    #[schema(value_type = String, format = DateTime)]
    pub as_of: Timestamp,
    /// Start of the period (inclusive).
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    /// End of the period (exclusive).
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
    pub mentors: MentorCounts,
    pub load: LoadMetrics,
    pub orphans: OrphanMetrics,
    pub check_ins: CheckInMetrics,
    pub support: SupportMetrics,
    pub alerts: AlertMetrics,
    pub onboarding: OnboardingMetrics,
    pub announcements: ReachMetrics,
    pub role_guide: RoleGuideMetrics,
    pub calls: CallMetrics,
}

/// The main figures of one month, from the stored history.
#[derive(SimpleObject, Serialize, ToSchema, Clone, Debug)]
#[serde(rename_all = "camelCase")]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    /// First instant of the month (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub from: Timestamp,
    /// First instant of the next month.
    #[schema(value_type = String, format = DateTime)]
    pub to: Timestamp,
    /// Active mentorships at the end of the month (or now, for the current month).
    pub active_mentorships: u64,
    /// Reps without a mentor at the end of the month (people's current roles and status).
    pub reps_without_mentor: u64,
    /// Mentors assigned to mentees in the month (re-assignments included).
    pub mentorships_started: u64,
    /// Mentorships that ended in the month, for any reason.
    pub mentorships_ended: u64,
    /// Touch-base meetings held in the month.
    pub check_ins_held: u64,
    /// Support requests reps opened in the month.
    pub support_requests_opened: u64,
    /// Support requests resolved or closed in the month.
    pub support_requests_resolved: u64,
    /// Mentor profiles created in the month.
    pub mentors_onboarded: u64,
}

/// A share `part / whole`, 0 for an empty whole.
pub fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
