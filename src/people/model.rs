//! Domain types of people, parsed from untrusted input once.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    auth::Role,
    error::{AppError, AppResult},
};

/// A person as the service reasons about them.
#[derive(Clone, Debug)]
pub struct Person {
    /// Row id.
    pub id: Uuid,
    /// Public name.
    pub display_name: String,
    /// Contact address, private to the person, their mentor and the council.
    pub email: Option<String>,
    /// Program roles, effective now.
    pub roles: BTreeSet<Role>,
    /// First seen.
    pub joined_at: DateTime<Utc>,
}

/// A display name: trimmed, 1–80 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    /// Most characters a display name may have.
    pub const MAX_CHARS: usize = 80;

    /// Parses user input.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `field` when empty or longer than 80 characters.
    pub fn parse(field: &str, raw: &str) -> AppResult<Self> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(AppError::bad_input(field, "display name must not be empty"));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(AppError::bad_input(
                field,
                format!(
                    "display name must be at most {} characters",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// The best name a token offers, cut to size; the subject when it offers none.
    pub fn from_claims(name: Option<&str>, subject: &str) -> Self {
        let raw = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .unwrap_or(subject);
        Self(raw.chars().take(Self::MAX_CHARS).collect())
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_rules() {
        let long = "x".repeat(81);
        let cases = [
            ("  Ada  ", Some("Ada")),
            ("", None),
            ("   ", None),
            (long.as_str(), None),
            (&long[..80], Some(&long[..80])),
        ];
        for (raw, want) in cases {
            let got = DisplayName::parse("input.displayName", raw).ok();
            assert_eq!(got.as_ref().map(DisplayName::as_str), want, "{raw:?}");
        }
    }

    #[test]
    fn claims_fall_back_to_the_subject_and_are_cut() {
        assert_eq!(DisplayName::from_claims(None, "sub-1").as_str(), "sub-1");
        assert_eq!(DisplayName::from_claims(Some(" "), "s").as_str(), "s");
        let long = "é".repeat(100);
        assert_eq!(
            DisplayName::from_claims(Some(&long), "s")
                .as_str()
                .chars()
                .count(),
            80
        );
    }
}
