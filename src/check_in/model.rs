//! Check-in types.

use crate::stored::stored_enum;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where a meeting stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum CheckInStatus {
    /// Scheduled, not held yet.
    Planned,
    /// Happened.
    Held,
    /// Called off.
    Cancelled,
}

stored_enum!(CheckInStatus {
    Planned => "PLANNED",
    Held => "HELD",
    Cancelled => "CANCELLED",
});

/// Longest agenda.
pub const MAX_AGENDA: usize = 2_000;
/// Longest plans, support needs or notes.
pub const MAX_PRIVATE_TEXT: usize = 5_000;
/// Longest cancellation reason.
pub const MAX_REASON: usize = 500;

/// A meeting.
#[derive(Clone, Debug)]
pub struct CheckIn {
    pub id: Uuid,
    pub mentorship_id: Uuid,
    pub status: CheckInStatus,
    pub scheduled_for: Option<DateTime<Utc>>,
    pub held_at: Option<DateTime<Utc>>,
    pub agenda: Option<String>,
    pub mentee_plans: Option<String>,
    pub support_needs: Option<String>,
    pub notes: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<entity::check_in::Model> for CheckIn {
    type Error = crate::error::AppError;

    fn try_from(row: entity::check_in::Model) -> crate::error::AppResult<Self> {
        Ok(Self {
            id: row.id,
            mentorship_id: row.mentorship_id,
            status: CheckInStatus::from_db(&row.status)?,
            scheduled_for: row.scheduled_for,
            held_at: row.held_at,
            agenda: row.agenda,
            mentee_plans: row.mentee_plans,
            support_needs: row.support_needs,
            notes: row.notes,
            cancel_reason: row.cancel_reason,
            created_by: row.created_by,
            created_at: row.created_at,
        })
    }
}

/// When a check-in happened or is to happen: held, else planned for, else created. The key
/// of the latest-first order (SQL over the table written `{t}`, see `paging::keyset_by`).
pub const WHEN_SQL: &str = "COALESCE({t}.held_at, {t}.scheduled_for, {t}.created_at)";

/// The order of a mentorship's check-ins.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CheckInOrder {
    /// As they were recorded.
    #[default]
    Created,
    /// The latest meeting first (see [`WHEN_SQL`]).
    Latest,
}

impl CheckInOrder {
    /// How a batch of first pages ranks in this order.
    pub fn sort(self) -> crate::db::batch::Sort {
        match self {
            Self::Created => crate::db::batch::Sort::Created,
            Self::Latest => crate::db::batch::Sort::Latest(WHEN_SQL),
        }
    }
}

impl crate::db::batch::Children for entity::check_in::Entity {
    fn parent_column() -> Self::Column {
        entity::check_in::Column::MentorshipId
    }

    fn parent_of(row: &Self::Model) -> uuid::Uuid {
        row.mentorship_id
    }

    fn decode(row: &sea_orm::QueryResult) -> Result<Self::Model, sea_orm::DbErr> {
        // In the model's field order (`db::rows::select_list`).
        let mut c = crate::db::rows::Cols::new(row, 0);
        Ok(entity::check_in::Model {
            id: c.next()?,
            mentorship_id: c.next()?,
            status: c.next()?,
            scheduled_for: c.next()?,
            held_at: c.next()?,
            agenda: c.next()?,
            mentee_plans: c.next()?,
            support_needs: c.next()?,
            notes: c.next()?,
            cancel_reason: c.next()?,
            created_by: c.next()?,
            created_at: c.next()?,
            updated_at: c.next()?,
        })
    }
}
