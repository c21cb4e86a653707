//! Domain types of people, parsed from untrusted input once.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::stored::stored_enum;
use crate::{
    auth::Role,
    error::{AppError, AppResult},
    mentor::model::MentorProfile,
};

/// A person as the service reasons about them.
#[derive(Clone, Debug)]
pub struct Person {
    /// Row id.
    pub id: Uuid,
    /// Public name.
    pub display_name: String,
    /// Contact address.
    pub email: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// BCP 47 tags.
    pub languages: Vec<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Free text.
    pub bio: Option<String>,
    /// Program roles in effect: the token's (last seen) plus MENTOR for a live profile.
    pub roles: BTreeSet<Role>,
    /// First seen.
    pub joined_at: DateTime<Utc>,
    /// Whether the person takes part in the program.
    pub status: PersonStatus,
    /// Last authenticated activity.
    pub last_active_at: Option<DateTime<Utc>>,
    /// The mentor side, if the person is or was a mentor.
    pub mentor_profile: Option<MentorProfile>,
}

impl Person {
    /// Mentors and council members have a public profile; other reps do not.
    pub fn is_public(&self) -> bool {
        self.roles.contains(&Role::Mentor) || self.roles.contains(&Role::Council)
    }
}

/// Whether a person takes part in the program.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum PersonStatus {
    /// Taking part.
    Active,
    /// No longer taking part (kept for history).
    Inactive,
    /// Erased on request (`erasePerson`): only a pseudonym and the counts remain.
    Erased,
}

stored_enum!(PersonStatus {
    Active => "ACTIVE",
    Inactive => "INACTIVE",
    Erased => "ERASED",
});

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

/// An IANA time zone name such as `Europe/Berlin`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timezone(chrono_tz::Tz);

impl Timezone {
    /// Parses an IANA name.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `field` for an unknown zone.
    pub fn parse(field: &str, raw: &str) -> AppResult<Self> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(Self)
            .map_err(|_| AppError::bad_input(field, format!("{raw:?} is not an IANA time zone")))
    }

    /// The canonical name.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The zone's offset from UTC at `at`, in minutes.
    pub fn offset_minutes(&self, at: DateTime<Utc>) -> i32 {
        use chrono::Offset;
        at.with_timezone(&self.0).offset().fix().local_minus_utc() / 60
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country(String);

impl Country {
    /// Parses a two-letter code, any case.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `field` for anything that is not an assigned code.
    pub fn parse(field: &str, raw: &str) -> AppResult<Self> {
        let code = raw.trim().to_ascii_uppercase();
        isocountry::CountryCode::for_alpha2(&code)
            .map(|_| Self(code))
            .map_err(|_| {
                AppError::bad_input(field, format!("{raw:?} is not an ISO 3166-1 country code"))
            })
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Up to ten distinct BCP 47 language tags, in canonical case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Languages(Vec<String>);

impl Languages {
    /// Most tags a person may list.
    pub const MAX: usize = 10;

    /// Parses a list of tags.
    ///
    /// # Errors
    /// BAD_USER_INPUT on `field` for an invalid tag or more than ten.
    pub fn parse(field: &str, raw: &[String]) -> AppResult<Self> {
        let mut tags: Vec<String> = Vec::new();
        for tag in raw {
            let parsed = language_tags::LanguageTag::parse(tag.trim()).map_err(|_| {
                AppError::bad_input(field, format!("{tag:?} is not a BCP 47 language tag"))
            })?;
            let canonical = normalize_tag(parsed.as_str());
            if !tags.contains(&canonical) {
                tags.push(canonical);
            }
        }
        if tags.len() > Self::MAX {
            return Err(AppError::bad_input(
                field,
                format!("at most {} languages", Self::MAX),
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

/// Lower-case language, title-case script, upper-case region: `zh-hant-tw` → `zh-Hant-TW`.
fn normalize_tag(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| match (i, part.len()) {
            (0, _) => part.to_ascii_lowercase(),
            (_, 4) => {
                let mut s = part.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                s
            }
            (_, 2) => part.to_ascii_uppercase(),
            _ => part.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Optional free text: trimmed, empty means none, at most `max` characters.
///
/// # Errors
/// BAD_USER_INPUT on `field` when longer than `max`.
pub fn bounded_text(field: &str, raw: Option<&str>, max: usize) -> AppResult<Option<String>> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(Some(text.to_owned()))
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

    #[test]
    fn timezones_countries_and_languages() {
        assert_eq!(
            Timezone::parse("f", "Europe/Berlin").unwrap().name(),
            "Europe/Berlin"
        );
        assert!(Timezone::parse("f", "Mars/Olympus").is_err());
        assert_eq!(Country::parse("f", "de").unwrap().as_str(), "DE");
        for bad in ["XX", "DEU", "", "1"] {
            assert!(Country::parse("f", bad).is_err(), "{bad}");
        }
        let langs: Vec<String> = ["es", "ZH-hant-tw", "es"].map(String::from).to_vec();
        assert_eq!(
            Languages::parse("f", &langs).unwrap().into_vec(),
            ["es", "zh-Hant-TW"]
        );
        assert!(Languages::parse("f", &["not a tag".to_owned()]).is_err());
        let eleven: Vec<String> = (0..11).map(|i| format!("x-{i:03}")).collect();
        assert!(Languages::parse("f", &eleven).is_err());
    }

    #[test]
    fn bounded_text_trims_and_limits() {
        assert_eq!(
            bounded_text("f", Some("  hi "), 5).unwrap().as_deref(),
            Some("hi")
        );
        assert_eq!(bounded_text("f", Some("   "), 5).unwrap(), None);
        assert!(bounded_text("f", Some("toolong"), 5).is_err());
    }
}
