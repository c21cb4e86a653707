//! The inputs of the mentorship queries and mutations, as clients send them.

use async_graphql::{ID, InputObject};

use super::{
    model::{MentorshipEndReason, MentorshipStatus},
    query::ListFilter,
};
use crate::{
    error::{AppError, AppResult},
    graphql::ids::parse_id,
};

/// Which mentorships to list (council).
#[derive(InputObject, Default)]
pub struct MentorshipFilterInput {
    /// ACTIVE or ENDED.
    pub status: Option<MentorshipStatus>,
    /// Of this mentor.
    pub mentor_id: Option<ID>,
    /// Of this mentee.
    pub mentee_id: Option<ID>,
    /// Active ones whose next check-in is past due (true) or not (false).
    pub overdue: Option<bool>,
}

impl TryFrom<MentorshipFilterInput> for ListFilter {
    type Error = AppError;

    fn try_from(f: MentorshipFilterInput) -> AppResult<Self> {
        let id = |field: &str, id: Option<&ID>| id.map(|id| parse_id(field, id)).transpose();
        Ok(Self {
            active: f.status.map(|s| s == MentorshipStatus::Active),
            mentor_id: id("filter.mentorId", f.mentor_id.as_ref())?,
            mentee_id: id("filter.menteeId", f.mentee_id.as_ref())?,
            overdue: f.overdue,
        })
    }
}

/// Give a mentee without a mentor a mentor.
#[derive(InputObject)]
pub struct AssignMentorInput {
    /// The rep who gets a mentor; they must have no active mentorship.
    pub mentee_id: ID,
    /// The mentor (a person with a mentor profile, not the mentee).
    pub mentor_id: ID,
    /// Why (at most 2,000 characters).
    pub note: Option<String>,
    /// Assign even beyond capacity or to a mentor not taking mentees (audited).
    #[graphql(default = false)]
    pub allow_over_capacity: bool,
}

/// Move a mentee to another mentor.
#[derive(InputObject)]
pub struct ReassignMentorInput {
    /// The rep whose active mentorship moves.
    pub mentee_id: ID,
    /// The mentor they move to; not their current one.
    pub new_mentor_id: ID,
    /// Why the current mentorship ends.
    #[graphql(default_with = "MentorshipEndReason::Reassigned")]
    pub reason: MentorshipEndReason,
    /// At most 2,000 characters.
    pub note: Option<String>,
    /// Move even beyond the new mentor's capacity or to one not taking mentees (audited).
    #[graphql(default = false)]
    pub allow_over_capacity: bool,
}

/// End a mentorship.
#[derive(InputObject)]
pub struct EndMentorshipInput {
    /// The active mentorship to end.
    pub mentorship_id: ID,
    /// Why it ends, for the program's figures.
    pub reason: MentorshipEndReason,
    /// At most 2,000 characters.
    pub note: Option<String>,
}
