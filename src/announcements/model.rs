//! Announcement types: the audience, and an announcement as the API shows it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{
    error::{AppError, AppResult},
    stored::stored_enum,
};

/// Who an announcement is for.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum AnnouncementAudience {
    /// Mentors (who relay it when asked).
    Mentors,
    /// Every rep, mentors included.
    AllReps,
}

stored_enum!(AnnouncementAudience { Mentors => "MENTORS", AllReps => "ALL_REPS" });

/// A council announcement.
#[derive(Clone, Debug)]
pub struct Announcement {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    pub audience: AnnouncementAudience,
    pub country: Option<String>,
    pub language: Option<String>,
    /// Mentors must pass it on to their mentees.
    pub relay_required: bool,
    pub published_at: DateTime<Utc>,
    pub published_by: Uuid,
    /// The mentor call whose outcome it carries, if any.
    pub call_id: Option<Uuid>,
}

impl TryFrom<entity::announcement::Model> for Announcement {
    type Error = AppError;

    fn try_from(row: entity::announcement::Model) -> AppResult<Self> {
        Ok(Self {
            id: row.id,
            title: row.title,
            body: row.body,
            audience: AnnouncementAudience::from_db(&row.audience)?,
            country: row.country,
            language: row.language,
            relay_required: row.relay_required,
            published_at: row.published_at,
            published_by: row.published_by,
            call_id: row.call_id,
        })
    }
}

/// Who gets an announcement and whom it must reach, per person: (recipient, target).
/// Recipients are told; targets count for its reach. Mentors relay a relay-required
/// announcement, so then every rep is a target even when only mentors receive it.
pub fn audience(
    audience: AnnouncementAudience,
    relay_required: bool,
    reps: &[Uuid],
    mentors: &[Uuid],
) -> std::collections::BTreeMap<Uuid, (bool, bool)> {
    let mut out: std::collections::BTreeMap<Uuid, (bool, bool)> = Default::default();
    let recipients = match audience {
        AnnouncementAudience::Mentors => mentors,
        AnnouncementAudience::AllReps => reps,
    };
    for id in recipients {
        out.entry(*id).or_default().0 = true;
    }
    let targets = if audience == AnnouncementAudience::AllReps || relay_required {
        reps
    } else {
        mentors
    };
    for id in targets {
        out.entry(*id).or_default().1 = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_receives_and_who_must_be_reached() {
        let (rep, mentor) = (Uuid::now_v7(), Uuid::now_v7());
        let (reps, mentors) = (vec![rep, mentor], vec![mentor]);
        use AnnouncementAudience::*;
        for (to, relay, rep_is, mentor_is) in [
            (Mentors, false, None, (true, true)),
            (Mentors, true, Some((false, true)), (true, true)),
            (AllReps, false, Some((true, true)), (true, true)),
            (AllReps, true, Some((true, true)), (true, true)),
        ] {
            let got = audience(to, relay, &reps, &mentors);
            assert_eq!(got.get(&rep).copied(), rep_is, "{to:?} relay={relay}");
            assert_eq!(
                got.get(&mentor).copied(),
                Some(mentor_is),
                "{to:?} relay={relay}"
            );
        }
    }
}
