//! One line of an import file, parsed and checked on its own: JSON, type, fields, formats.
//! Rules across records (references, spans, overlaps) are [`super::plan`]'s.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Code, Invalid, fields::Fields};
use crate::{
    auth::Role,
    check_in::model::{MAX_AGENDA, MAX_PRIVATE_TEXT},
    council::ContactArea,
    error::AppError,
    mentor::model::{Capacity, Expertise, MentorStatus},
    mentorship::model::MentorshipEndReason,
    people::model::{Country, DisplayName, Languages, Timezone},
};

/// A person of the old system.
#[derive(Clone, Debug)]
pub struct PersonRecord {
    pub external_id: String,
    pub issuer: String,
    pub subject: String,
    pub display_name: String,
    pub email: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub languages: Vec<String>,
    pub locale: Option<String>,
    pub joined_at: DateTime<Utc>,
    pub last_active_at: Option<DateTime<Utc>>,
    /// What the old system knew; replaced by the token's roles on first sign-in.
    pub roles: BTreeSet<Role>,
}

/// A person's mentor profile.
#[derive(Clone, Debug)]
pub struct ProfileRecord {
    pub person: String,
    pub capacity: i32,
    pub accepting_mentees: bool,
    pub status: MentorStatus,
    pub bio: Option<String>,
    pub expertise: Vec<String>,
    pub onboarded_at: Option<DateTime<Utc>>,
}

/// A mentorship, active or ended.
#[derive(Clone, Debug)]
pub struct MentorshipRecord {
    pub external_id: String,
    pub mentor: String,
    pub mentee: String,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<MentorshipEndReason>,
}

/// A held check-in of a mentorship, keyed by its mentorship and when it was held.
#[derive(Clone, Debug)]
pub struct CheckInRecord {
    pub mentorship: String,
    pub held_at: DateTime<Utc>,
    pub agenda: Option<String>,
    pub notes: Option<String>,
    pub mentee_plans: Option<String>,
    pub support_needs: Option<String>,
}

/// The council member who answers for an area.
#[derive(Clone, Debug)]
pub struct ContactRecord {
    pub person: String,
    pub area: ContactArea,
}

/// What one line holds.
#[derive(Clone, Debug)]
pub enum Record {
    Person(PersonRecord),
    MentorProfile(ProfileRecord),
    Mentorship(MentorshipRecord),
    CheckIn(CheckInRecord),
    CouncilContact(ContactRecord),
}

/// The record kinds, in the order they are reported and written.
pub const KINDS: [&str; 5] = [
    "person",
    "mentorProfile",
    "mentorship",
    "checkIn",
    "councilContact",
];

impl Record {
    /// The `type` of the line.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Person(_) => KINDS[0],
            Self::MentorProfile(_) => KINDS[1],
            Self::Mentorship(_) => KINDS[2],
            Self::CheckIn(_) => KINDS[3],
            Self::CouncilContact(_) => KINDS[4],
        }
    }

    /// The record's key among its kind, remembered in `import_record`.
    pub fn key(&self) -> String {
        match self {
            Self::Person(p) => p.external_id.clone(),
            Self::MentorProfile(p) => p.person.clone(),
            Self::Mentorship(m) => m.external_id.clone(),
            Self::CheckIn(c) => format!(
                "{}@{}",
                c.mentorship,
                c.held_at
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            ),
            Self::CouncilContact(c) => c.area.as_str().to_owned(),
        }
    }
}

/// A parsed line: its record and the digest of its content.
#[derive(Clone, Debug)]
pub struct Line {
    pub number: usize,
    pub record: Record,
    /// SHA-256 of the line's JSON in a canonical form (sorted keys): an unchanged record
    /// has an unchanged digest whatever its spacing or key order.
    pub digest: String,
}

/// Parses line `number` (from 1); `default_issuer` is the configured issuer.
///
/// # Errors
/// The first problem of the line.
pub fn parse(number: usize, text: &str, default_issuer: Option<&str>) -> Result<Line, Invalid> {
    let invalid = |field: &str, code: Code, message: String| Invalid {
        line: number,
        field: Some(field.to_owned()).filter(|f| !f.is_empty()),
        code,
        message,
    };
    let value: Value = serde_json::from_str(text)
        .map_err(|e| invalid("", Code::InvalidJson, format!("not a JSON object: {e}")))?;
    let Value::Object(map) = value else {
        return Err(invalid("", Code::InvalidJson, "not a JSON object".into()));
    };
    let digest = crate::persisted::hash(&Value::Object(map.clone()).to_string());
    let mut f = Fields { map, number };
    let kind = f.string("type")?;
    let record = match kind.as_str() {
        "person" => Record::Person(person(&mut f, default_issuer)?),
        "mentorProfile" => Record::MentorProfile(profile(&mut f)?),
        "mentorship" => Record::Mentorship(mentorship(&mut f)?),
        "checkIn" => Record::CheckIn(check_in(&mut f)?),
        "councilContact" => Record::CouncilContact(ContactRecord {
            person: f.string("person")?,
            area: f.parse("area", |field, raw| {
                ContactArea::from_db(raw).map_err(|_| {
                    AppError::bad_input(
                        field,
                        "one of MENTORSHIP_ADMINISTRATION, ONBOARDING, COMMUNICATIONS",
                    )
                })
            })?,
        }),
        other => {
            return Err(invalid(
                "type",
                Code::UnknownType,
                format!("unknown type {other:?}: one of {}", KINDS.join(", ")),
            ));
        }
    };
    f.finish()?;
    Ok(Line {
        number,
        record,
        digest,
    })
}

fn person(f: &mut Fields, default_issuer: Option<&str>) -> Result<PersonRecord, Invalid> {
    let issuer = match (f.opt_string("issuer")?, default_issuer) {
        (Some(i), _) => i,
        (None, Some(d)) => d.to_owned(),
        (None, None) => {
            return Err(f.err(
                "issuer",
                Code::MissingField,
                "required: no issuer is configured",
            ));
        }
    };
    let roles = match f.opt_strings("roles")? {
        None => BTreeSet::from([Role::Mentee]),
        Some(names) => names
            .iter()
            .map(|n| {
                Role::parse(n).ok_or_else(|| {
                    f.err(
                        "roles",
                        Code::InvalidValue,
                        "one of mentee, mentor, council",
                    )
                })
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(PersonRecord {
        external_id: f.string("externalId")?,
        issuer,
        subject: f.string("subject")?,
        display_name: f
            .parse("displayName", DisplayName::parse)?
            .as_str()
            .to_owned(),
        email: f
            .opt_string("email")?
            .map(|e| match e.len() <= 254 && e.contains('@') {
                true => Ok(e),
                false => Err(f.err("email", Code::InvalidValue, "not an e-mail address")),
            })
            .transpose()?,
        country: f
            .opt_parse("country", Country::parse)?
            .map(|c| c.as_str().to_owned()),
        timezone: f
            .opt_parse("timezone", Timezone::parse)?
            .map(|t| t.name().to_owned()),
        languages: match f.opt_strings("languages")? {
            None => Vec::new(),
            Some(tags) => Languages::parse("languages", &tags)
                .map_err(|e| f.app("languages", e))?
                .into_vec(),
        },
        locale: f.opt_string("locale")?.filter(|l| l.len() <= 35),
        joined_at: f.time("joinedAt")?,
        last_active_at: f.opt_time("lastActiveAt")?,
        roles,
    })
}

fn profile(f: &mut Fields) -> Result<ProfileRecord, Invalid> {
    let capacity = f.integer("capacity")?;
    Ok(ProfileRecord {
        person: f.string("person")?,
        capacity: Capacity::parse("capacity", capacity)
            .map_err(|e| f.app("capacity", e))?
            .get(),
        accepting_mentees: f.opt_bool("acceptingMentees")?.unwrap_or(true),
        status: f
            .opt_parse("status", |field, raw| {
                MentorStatus::from_db(raw).map_err(|_| {
                    AppError::bad_input(field, "a mentor status such as ACTIVE or RETIRED")
                })
            })?
            .unwrap_or(MentorStatus::Active),
        bio: f.text("bio", 2_000)?,
        expertise: match f.opt_strings("expertise")? {
            None => Vec::new(),
            Some(tags) => Expertise::parse("expertise", &tags)
                .map_err(|e| f.app("expertise", e))?
                .into_vec(),
        },
        onboarded_at: f.opt_time("onboardedAt")?,
    })
}

fn mentorship(f: &mut Fields) -> Result<MentorshipRecord, Invalid> {
    let record = MentorshipRecord {
        external_id: f.string("externalId")?,
        mentor: f.string("mentor")?,
        mentee: f.string("mentee")?,
        started_at: f.time("startedAt")?,
        ended_at: f.opt_time("endedAt")?,
        end_reason: f.opt_parse("endReason", |field, raw| {
            MentorshipEndReason::from_db(raw).map_err(|_| {
                AppError::bad_input(field, "an end reason such as MENTEE_GRADUATED or OTHER")
            })
        })?,
    };
    if record.mentor == record.mentee {
        return Err(f.err(
            "mentee",
            Code::InvalidValue,
            "a mentor cannot mentor themselves",
        ));
    }
    match (record.ended_at, record.end_reason) {
        (Some(end), _) if end < record.started_at => {
            Err(f.err("endedAt", Code::InvalidValue, "ends before it starts"))
        }
        (Some(_), None) => Err(f.err(
            "endReason",
            Code::MissingField,
            "required when endedAt is set",
        )),
        (None, Some(_)) => Err(f.err(
            "endReason",
            Code::InvalidValue,
            "only an ended mentorship has an end reason",
        )),
        _ => Ok(record),
    }
}

fn check_in(f: &mut Fields) -> Result<CheckInRecord, Invalid> {
    Ok(CheckInRecord {
        mentorship: f.string("mentorship")?,
        held_at: f.time("heldAt")?,
        agenda: f.text("agenda", MAX_AGENDA)?,
        notes: f.text("notes", MAX_PRIVATE_TEXT)?,
        mentee_plans: f.text("menteePlans", MAX_PRIVATE_TEXT)?,
        support_needs: f.text("supportNeeds", MAX_PRIVATE_TEXT)?,
    })
}
