//! Application statuses and the steps between them.

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

impl ApplicationStatus {
    /// Every status, in the order of the process.
    pub const ALL: [Self; 6] = [
        Self::Applied,
        Self::InReview,
        Self::Onboarding,
        Self::Completed,
        Self::Declined,
        Self::Withdrawn,
    ];

    /// The statuses of an application still in progress (the unique index lists the same).
    pub const OPEN: [Self; 3] = [Self::Applied, Self::InReview, Self::Onboarding];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "APPLIED",
            Self::InReview => "IN_REVIEW",
            Self::Onboarding => "ONBOARDING",
            Self::Completed => "COMPLETED",
            Self::Declined => "DECLINED",
            Self::Withdrawn => "WITHDRAWN",
        }
    }

    /// Reads the stored spelling.
    pub fn from_db(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

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
        for from in ApplicationStatus::ALL {
            for to in ApplicationStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    legal.contains(&(from, to)),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }
}
