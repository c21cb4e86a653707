//! Mentor profile types.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::stored::stored_enum;

/// Where a mentor stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MentorStatus {
    /// Mentoring; may get new mentees.
    Active,
    /// On a break.
    Paused,
    /// Told the council they have too much.
    Overwhelmed,
    /// No activity for a long time.
    Inactive,
    /// No longer a mentor.
    Retired,
}

stored_enum!(MentorStatus {
    Active => "ACTIVE",
    Paused => "PAUSED",
    Overwhelmed => "OVERWHELMED",
    Inactive => "INACTIVE",
    Retired => "RETIRED",
});

/// The mentor side of a person.
#[derive(Clone, Debug)]
pub struct MentorProfile {
    /// The person.
    pub person_id: Uuid,
    /// How many mentees the mentor takes.
    pub capacity: i32,
    /// Where the mentor stands.
    pub status: MentorStatus,
    /// The mentor's own wish to get new mentees.
    pub wants_mentees: bool,
    /// About the mentor as a mentor.
    pub bio: Option<String>,
    /// Areas the mentor knows.
    pub expertise: Vec<String>,
    /// When the profile was granted.
    pub onboarded_at: DateTime<Utc>,
}

/// Whether a mentor takes a new mentee without an override: ACTIVE, willing, and a free slot.
/// The one rule behind `acceptingMentees` everywhere (GraphQL, `mentors.csv`).
pub fn accepts(status: MentorStatus, wants_mentees: bool, capacity: i32, active: usize) -> bool {
    status == MentorStatus::Active
        && wants_mentees
        && usize::try_from(capacity).is_ok_and(|c| active < c)
}

impl MentorProfile {
    /// Whether a new mentee may be assigned without an override, given the current count.
    pub fn accepts(&self, active_mentees: usize) -> bool {
        accepts(
            self.status,
            self.wants_mentees,
            self.capacity,
            active_mentees,
        )
    }

    /// Whether the profile makes its person a MENTOR.
    pub fn is_live(&self) -> bool {
        self.status != MentorStatus::Retired
    }
}

impl TryFrom<entity::mentor_profile::Model> for MentorProfile {
    type Error = crate::error::AppError;

    fn try_from(row: entity::mentor_profile::Model) -> crate::error::AppResult<Self> {
        Ok(Self {
            person_id: row.person_id,
            capacity: row.capacity,
            status: MentorStatus::from_db(&row.status)?,
            wants_mentees: row.accepting_mentees,
            bio: row.bio,
            expertise: serde_json::from_value(row.expertise)
                .map_err(crate::error::AppError::internal)?,
            onboarded_at: row.onboarded_at,
        })
    }
}

/// How many mentees a mentor takes: 0 to 50.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capacity(i32);

impl Capacity {
    /// Largest capacity.
    pub const MAX: i32 = 50;

    /// Parses a requested capacity.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `field` outside 0–50.
    pub fn parse(field: &str, raw: i32) -> AppResult<Self> {
        if (0..=Self::MAX).contains(&raw) {
            Ok(Self(raw))
        } else {
            Err(AppError::bad_input(
                field,
                format!("capacity must be 0 to {}", Self::MAX),
            ))
        }
    }

    /// The number.
    pub fn get(self) -> i32 {
        self.0
    }
}

/// Up to 20 expertise tags, each 1–50 characters, lower-cased, distinct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expertise(Vec<String>);

impl Expertise {
    /// Most tags.
    pub const MAX: usize = 20;

    /// Parses a list of tags.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `field` for empty or long tags or too many.
    pub fn parse(field: &str, raw: &[String]) -> AppResult<Self> {
        let mut tags: Vec<String> = Vec::new();
        for tag in raw {
            let tag = tag.trim().to_lowercase();
            if tag.is_empty() || tag.chars().count() > 50 {
                return Err(AppError::bad_input(
                    field,
                    "each expertise must be 1 to 50 characters",
                ));
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > Self::MAX {
            return Err(AppError::bad_input(
                field,
                format!("at most {} expertise tags", Self::MAX),
            ));
        }
        Ok(Self(tags))
    }

    /// Whether no tag was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The tags.
    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_is_zero_to_fifty() {
        for (raw, ok) in [(-1, false), (0, true), (50, true), (51, false)] {
            assert_eq!(Capacity::parse("f", raw).is_ok(), ok, "{raw}");
        }
    }

    #[test]
    fn expertise_tags_are_normalized_and_bounded() {
        let tags = ["Events", " events ", "L10N"].map(String::from);
        assert_eq!(
            Expertise::parse("f", &tags).unwrap().into_vec(),
            ["events", "l10n"]
        );
        assert!(Expertise::parse("f", &["".to_owned()]).is_err());
        assert!(Expertise::parse("f", &["x".repeat(51)]).is_err());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(Expertise::parse("f", &many).is_err());
    }

    #[test]
    fn acceptance_needs_status_wish_and_a_free_slot() {
        let mut p = MentorProfile {
            person_id: Uuid::nil(),
            capacity: 2,
            status: MentorStatus::Active,
            wants_mentees: true,
            bio: None,
            expertise: vec![],
            onboarded_at: Utc::now(),
        };
        assert!(p.accepts(1));
        assert!(!p.accepts(2));
        p.status = MentorStatus::Paused;
        assert!(!p.accepts(0));
        p.status = MentorStatus::Active;
        p.wants_mentees = false;
        assert!(!p.accepts(0));
    }
}
