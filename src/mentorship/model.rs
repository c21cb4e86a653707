//! Mentorship types.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::auth::policy::Parties;
use crate::stored::stored_enum;

/// Whether a mentorship is running.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MentorshipStatus {
    /// Running.
    Active,
    /// Over; kept as history, never changed again.
    Ended,
}

stored_enum!(MentorshipStatus {
    Active => "ACTIVE",
    Ended => "ENDED",
});

/// Why a mentorship ended.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MentorshipEndReason {
    /// The mentee moved to another mentor.
    Reassigned,
    /// The mentor became inactive.
    MentorInactive,
    /// The mentor had too much.
    MentorOverwhelmed,
    /// The mentor stopped mentoring.
    MentorSteppedDown,
    /// The mentee no longer needs a mentor.
    MenteeGraduated,
    /// The mentee left the program.
    MenteeLeft,
    /// Something else (see the note).
    Other,
}

stored_enum!(MentorshipEndReason {
    Reassigned => "REASSIGNED",
    MentorInactive => "MENTOR_INACTIVE",
    MentorOverwhelmed => "MENTOR_OVERWHELMED",
    MentorSteppedDown => "MENTOR_STEPPED_DOWN",
    MenteeGraduated => "MENTEE_GRADUATED",
    MenteeLeft => "MENTEE_LEFT",
    Other => "OTHER",
});

/// A mentor → mentee assignment.
#[derive(Clone, Debug)]
pub struct Mentorship {
    pub id: Uuid,
    pub mentor_id: Uuid,
    pub mentee_id: Uuid,
    pub status: MentorshipStatus,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<MentorshipEndReason>,
    /// Why it was assigned.
    pub note: Option<String>,
    /// Why it ended.
    pub end_note: Option<String>,
    pub assigned_by: Option<Uuid>,
    pub ended_by: Option<Uuid>,
    /// Assigned over the mentor's capacity by explicit council override.
    pub over_capacity: bool,
}

impl Mentorship {
    /// Whether it is running.
    pub fn is_active(&self) -> bool {
        self.status == MentorshipStatus::Active
    }

    /// The parties, for visibility rules.
    pub fn parties(&self, mentee_current_mentor: Option<Uuid>) -> Parties {
        Parties {
            mentor: self.mentor_id,
            mentee: self.mentee_id,
            mentee_current_mentor,
        }
    }

    /// The audit-log picture of the row.
    pub fn audit_json(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id,
            "mentorId": self.mentor_id,
            "menteeId": self.mentee_id,
            "status": if self.is_active() { "ACTIVE" } else { "ENDED" },
            "startedAt": self.started_at,
            "endedAt": self.ended_at,
            "endReason": self.end_reason.map(MentorshipEndReason::as_str),
            "overCapacity": self.over_capacity,
        })
    }
}

impl TryFrom<entity::mentorship::Model> for Mentorship {
    type Error = crate::error::AppError;

    fn try_from(row: entity::mentorship::Model) -> crate::error::AppResult<Self> {
        Ok(Self {
            id: row.id,
            mentor_id: row.mentor_id,
            mentee_id: row.mentee_id,
            status: MentorshipStatus::from_db(&row.status)?,
            started_at: row.started_at,
            ended_at: row.ended_at,
            end_reason: row
                .end_reason
                .as_deref()
                .map(MentorshipEndReason::from_db)
                .transpose()?,
            note: row.note,
            end_note: row.end_note,
            assigned_by: row.assigned_by,
            ended_by: row.ended_by,
            over_capacity: row.over_capacity,
        })
    }
}
