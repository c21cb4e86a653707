//! Application statuses and the steps between them; applications, rounds and checklist
//! items as the API shows them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    stored::stored_enum,
};

pub use crate::auth::policy::Stepper;

/// Where an application stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum ApplicationStatus {
    /// Received; nobody looked at it yet.
    Applied,
    /// The council is reviewing it.
    InReview,
    /// Accepted; the applicant works through the checklist.
    Onboarding,
    /// The applicant is a mentor.
    Completed,
    /// The council said no.
    Declined,
    /// The applicant changed their mind.
    Withdrawn,
}

stored_enum!(ApplicationStatus {
    Applied => "APPLIED",
    InReview => "IN_REVIEW",
    Onboarding => "ONBOARDING",
    Completed => "COMPLETED",
    Declined => "DECLINED",
    Withdrawn => "WITHDRAWN",
});

impl ApplicationStatus {
    /// The statuses of an application still in progress (the unique index lists the same).
    pub const OPEN: [Self; 3] = [Self::Applied, Self::InReview, Self::Onboarding];

    /// Still in progress.
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// Who may move an application *to* this status; `None` for APPLIED, which only
    /// applying reaches.
    pub fn stepper(self) -> Option<Stepper> {
        match self {
            Self::Applied => None,
            Self::Withdrawn => Some(Stepper::Applicant),
            _ => Some(Stepper::Council),
        }
    }

    /// Whether an application may go from `self` to `next`.
    pub fn can_become(self, next: Self) -> bool {
        matches!(
            (self, next),
            (Self::Applied, Self::InReview)
                | (Self::InReview, Self::Onboarding)
                | (Self::Onboarding, Self::Completed)
        ) || (self.is_open() && matches!(next, Self::Declined | Self::Withdrawn))
    }
}

#[cfg(test)]
mod tests {
    use super::ApplicationStatus::{self, *};

    #[test]
    fn only_the_process_order_and_exits_from_open_statuses_are_legal() {
        let legal: Vec<(ApplicationStatus, ApplicationStatus)> = vec![
            (Applied, InReview),
            (InReview, Onboarding),
            (Onboarding, Completed),
            (Applied, Declined),
            (InReview, Declined),
            (Onboarding, Declined),
            (Applied, Withdrawn),
            (InReview, Withdrawn),
            (Onboarding, Withdrawn),
        ];
        for &from in ApplicationStatus::ALL {
            for &to in ApplicationStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    legal.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }
}

/// An application as the API shows it (the services keep working on the stored row; this is
/// what they hand out).
#[derive(Clone, Debug)]
pub struct MentorApplication {
    pub id: Uuid,
    pub applicant_id: Uuid,
    pub round_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub status: ApplicationStatus,
    pub motivation: String,
    pub languages: Vec<String>,
    pub areas: Vec<String>,
    pub note: Option<String>,
    pub applied_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl TryFrom<entity::mentor_application::Model> for MentorApplication {
    type Error = AppError;

    fn try_from(row: entity::mentor_application::Model) -> AppResult<Self> {
        let list = |v: serde_json::Value| serde_json::from_value(v).map_err(AppError::internal);
        Ok(Self {
            id: row.id,
            applicant_id: row.applicant_id,
            round_id: row.round_id,
            contact_id: row.contact_id,
            status: ApplicationStatus::from_db(&row.status)?,
            motivation: row.motivation,
            languages: list(row.languages)?,
            areas: list(row.areas)?,
            note: row.note,
            applied_at: row.applied_at,
            updated_at: row.updated_at,
            completed_at: row.completed_at,
            closed_at: row.closed_at,
        })
    }
}

/// An onboarding round (cohort).
#[derive(Clone, Debug)]
pub struct OnboardingRound {
    pub id: Uuid,
    pub name: String,
    pub opens_at: DateTime<Utc>,
    /// Exclusive.
    pub closes_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
}

impl From<entity::onboarding_round::Model> for OnboardingRound {
    fn from(row: entity::onboarding_round::Model) -> Self {
        Self {
            id: row.id,
            name: row.name,
            opens_at: row.opens_at,
            closes_at: row.closes_at,
            created_at: row.created_at,
            created_by: row.created_by,
        }
    }
}

/// One step of an application's checklist.
#[derive(Clone, Debug)]
pub struct ChecklistItem {
    pub application_id: Uuid,
    pub key: String,
    pub position: i32,
    pub label: String,
    /// Ticked by the service itself (the role-guide acknowledgement).
    pub automatic: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<Uuid>,
}

impl From<entity::mentor_application_item::Model> for ChecklistItem {
    fn from(row: entity::mentor_application_item::Model) -> Self {
        Self {
            application_id: row.application_id,
            key: row.key,
            position: row.position,
            label: row.label,
            automatic: row.automatic,
            done_at: row.done_at,
            done_by: row.done_by,
        }
    }
}
