//! Mentor call types: a call, its status, an invitation and its RSVP.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{error::AppResult, stored::stored_enum};

/// Most action items of a recorded call.
pub const MAX_ACTION_ITEMS: usize = 50;
/// Longest action item.
pub const MAX_ACTION_ITEM: usize = 500;
/// Longest minutes.
pub const MAX_MINUTES: usize = 20_000;
/// Longest agenda.
pub const MAX_AGENDA: usize = 5_000;
/// Longest join link.
pub const MAX_LINK: usize = 500;

/// A mentor's answer to an invitation.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Rsvp {
    /// The mentor will attend.
    Yes,
    /// The mentor cannot attend.
    No,
    /// The mentor does not know yet.
    Maybe,
}

stored_enum!(Rsvp { Yes => "YES", No => "NO", Maybe => "MAYBE" });

/// Where a call stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MentorCallStatus {
    /// Planned; mentors RSVP.
    Scheduled,
    /// Taken place and recorded.
    Held,
}

stored_enum!(MentorCallStatus { Scheduled => "SCHEDULED", Held => "HELD" });

/// A council call with the mentors.
#[derive(Clone, Debug)]
pub struct MentorCall {
    pub id: Uuid,
    pub scheduled_for: DateTime<Utc>,
    pub agenda: String,
    pub link: Option<String>,
    pub status: MentorCallStatus,
    pub minutes: Option<String>,
    pub action_items: Vec<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub recorded_at: Option<DateTime<Utc>>,
}

impl TryFrom<entity::mentor_call::Model> for MentorCall {
    type Error = crate::error::AppError;

    fn try_from(row: entity::mentor_call::Model) -> AppResult<Self> {
        Ok(Self {
            id: row.id,
            scheduled_for: row.scheduled_for,
            agenda: row.agenda,
            link: row.link,
            status: MentorCallStatus::from_db(&row.status)?,
            minutes: row.minutes,
            action_items: serde_json::from_value(row.action_items)
                .map_err(crate::error::AppError::internal)?,
            created_by: row.created_by,
            created_at: row.created_at,
            recorded_at: row.recorded_at,
        })
    }
}

/// One mentor's invitation to a call.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub call_id: Uuid,
    pub mentor_id: Uuid,
    pub rsvp: Option<Rsvp>,
    /// `None` until the call is recorded.
    pub attended: Option<bool>,
}

impl TryFrom<entity::mentor_call_attendance::Model> for Invitation {
    type Error = crate::error::AppError;

    fn try_from(row: entity::mentor_call_attendance::Model) -> AppResult<Self> {
        Ok(Self {
            call_id: row.call_id,
            mentor_id: row.mentor_id,
            rsvp: row.rsvp.as_deref().map(Rsvp::from_db).transpose()?,
            attended: row.attended,
        })
    }
}
