//! Application statuses and the steps between them.
use crate::stored::stored_enum;

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
