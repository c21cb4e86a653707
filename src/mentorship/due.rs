//! When the next touch-base meeting is due: a year after the last held one, or within a
//! month of the start when none was held yet (both configurable).

use chrono::{DateTime, Utc};

use super::model::Mentorship;
use crate::config::Settings;

/// Due date of the next check-in of an ACTIVE mentorship; `None` once it ended.
pub fn next_due(
    mentorship: &Mentorship,
    last_held: Option<DateTime<Utc>>,
    settings: &Settings,
) -> Option<DateTime<Utc>> {
    if !mentorship.is_active() {
        return None;
    }
    let due = match last_held {
        Some(held) => held + settings.check_in_interval,
        None => mentorship.started_at + settings.first_check_in_within,
    };
    Some(due)
}

/// Whether the next check-in is past due at `now`.
pub fn is_overdue(
    mentorship: &Mentorship,
    last_held: Option<DateTime<Utc>>,
    settings: &Settings,
    now: DateTime<Utc>,
) -> bool {
    next_due(mentorship, last_held, settings).is_some_and(|due| due < now)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use uuid::Uuid;

    use super::*;
    use crate::mentorship::model::MentorshipStatus;

    fn mentorship(started_at: DateTime<Utc>) -> Mentorship {
        Mentorship {
            id: Uuid::nil(),
            mentor_id: Uuid::nil(),
            mentee_id: Uuid::nil(),
            status: MentorshipStatus::Active,
            started_at,
            ended_at: None,
            end_reason: None,
            note: None,
            end_note: None,
            assigned_by: None,
            ended_by: None,
            over_capacity: false,
        }
    }

    #[test]
    fn first_meeting_then_yearly() {
        let settings = Settings::default();
        let start = Utc::now();
        let m = mentorship(start);
        assert_eq!(
            next_due(&m, None, &settings),
            Some(start + Duration::days(30))
        );
        let held = start + Duration::days(10);
        assert_eq!(
            next_due(&m, Some(held), &settings),
            Some(held + Duration::days(365))
        );
        assert!(!is_overdue(&m, None, &settings, start + Duration::days(30)));
        assert!(is_overdue(&m, None, &settings, start + Duration::days(31)));
        let mut ended = m.clone();
        ended.status = MentorshipStatus::Ended;
        assert_eq!(next_due(&ended, None, &settings), None);
    }
}
