//! Alert types.

use crate::stored::stored_enum;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What an alert reports.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MentorAlertKind {
    /// Too many mentees or too much else.
    Overwhelmed,
    /// A break until a return date.
    NeedsBreak,
    /// Stopping as a mentor.
    SteppingDown,
    /// No activity for a long time (found by the system).
    InactivityDetected,
    /// Missed several mentor calls in a row (found when calls are recorded).
    MissedCalls,
    /// The identity provider no longer gives the person the mentor role (found at sign-in);
    /// the profile stays until the council acts.
    MentorRoleRemoved,
}

/// Whether the council has dealt with it.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MentorAlertStatus {
    /// Waiting for the council.
    Open,
    /// The council answered it (`resolution`).
    Resolved,
}

stored_enum!(MentorAlertStatus {
    Open => "OPEN",
    Resolved => "RESOLVED",
});

stored_enum!(MentorAlertKind {
    Overwhelmed => "OVERWHELMED",
    NeedsBreak => "NEEDS_BREAK",
    SteppingDown => "STEPPING_DOWN",
    InactivityDetected => "INACTIVITY_DETECTED",
    MissedCalls => "MISSED_CALLS",
    MentorRoleRemoved => "MENTOR_ROLE_REMOVED",
});

/// An alert.
#[derive(Clone, Debug)]
pub struct MentorAlert {
    pub id: Uuid,
    pub mentor_id: Uuid,
    pub kind: MentorAlertKind,
    pub message: Option<String>,
    pub return_on: Option<DateTime<Utc>>,
    pub status: MentorAlertStatus,
    pub created_at: DateTime<Utc>,
    pub handled_by: Option<Uuid>,
    pub handled_at: Option<DateTime<Utc>>,
    pub resolution: Option<String>,
}

impl MentorAlert {
    /// A new open alert.
    pub fn open(
        mentor_id: Uuid,
        kind: MentorAlertKind,
        message: Option<String>,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: Uuid::now_v7(),
            mentor_id,
            kind,
            message,
            return_on: None,
            status: MentorAlertStatus::Open,
            created_at: now,
            handled_by: None,
            handled_at: None,
            resolution: None,
        }
    }
}

impl TryFrom<entity::mentor_alert::Model> for MentorAlert {
    type Error = crate::error::AppError;

    fn try_from(row: entity::mentor_alert::Model) -> crate::error::AppResult<Self> {
        Ok(Self {
            id: row.id,
            mentor_id: row.mentor_id,
            kind: MentorAlertKind::from_db(&row.kind)?,
            message: row.message,
            return_on: row.return_on,
            status: MentorAlertStatus::from_db(&row.status)?,
            created_at: row.created_at,
            handled_by: row.handled_by,
            handled_at: row.handled_at,
            resolution: row.resolution,
        })
    }
}

/// Longest message or resolution.
pub const MAX_TEXT: usize = 2_000;
/// Most re-assignments in one resolution.
pub const MAX_REASSIGNMENTS: usize = 50;
