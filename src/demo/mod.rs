//! Demo data for `dev`: a small program to explore, loaded once into an empty database:
//! 2 council members, 6 mentors, 24 reps; see [`mentorships_and_meetings`] for the states
//! shown.
//!
//! Subjects are stable (`demo-mentee-01`, `demo-mentor-01`, `demo-council-01`) so the tokens
//! `dev` prints sign in as these people.

mod communication;
mod rows;
pub mod scale;

use chrono::{DateTime, Duration, Utc};
use entity::{check_in, mentor_profile, mentorship, person};
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};
use serde_json::json;
use uuid::Uuid;

use crate::config::Settings;

/// How many demo people of each kind.
const COUNCIL: usize = 2;
const MENTORS: usize = 6;
const MENTEES: usize = 24;
/// The mentor (0-based) over capacity with an open OVERWHELMED alert.
const OVERWHELMED_MENTOR: usize = 4;

const NAMES: [&str; 32] = [
    "Ada Obi",
    "Bruno Sala",
    "Chen Wei",
    "Dana Levi",
    "Emeka Eze",
    "Fatima Zahra",
    "Giulia Neri",
    "Hiro Tanaka",
    "Ines Moreau",
    "Jonas Berg",
    "Kavya Rao",
    "Luis Ortega",
    "Mei Lin",
    "Nadia Popescu",
    "Omar Haddad",
    "Priya Nair",
    "Quentin Roy",
    "Rosa Diaz",
    "Sven Olsen",
    "Tariq Aziz",
    "Uma Patel",
    "Victor Hugo",
    "Wanjiru Kamau",
    "Xavier Luna",
    "Yara Silva",
    "Zoltan Kiss",
    "Amina Bello",
    "Bjorn Ek",
    "Carla Gomez",
    "Dmitri Ivanov",
    "Elif Kaya",
    "Felix Wolf",
];
const PLACES: [(&str, &str, &str); 6] = [
    ("DE", "de", "Europe/Berlin"),
    ("BR", "pt", "America/Sao_Paulo"),
    ("IN", "hi", "Asia/Kolkata"),
    ("NG", "en", "Africa/Lagos"),
    ("ES", "es", "Europe/Madrid"),
    ("JP", "ja", "Asia/Tokyo"),
];

/// The subject of the `n`th (1-based) demo person of `kind`.
pub fn subject(kind: &str, n: usize) -> String {
    format!("demo-{kind}-{n:02}")
}

/// The display name of the `n`th (1-based) demo person of `kind`, as [`seed`] names them.
pub fn name(kind: &str, n: usize) -> &'static str {
    let before = match kind {
        "council" => 0,
        "mentor" => COUNCIL,
        _ => COUNCIL + MENTORS,
    };
    NAMES[(before + n - 1) % NAMES.len()]
}

/// Who is who in the demo, for the `dev` banner: subject, role, what to try as them.
pub const WHO_IS_WHO: [(&str, usize, &str, &str); 5] = [
    (
        "council",
        1,
        "council",
        "assign a mentor (mentorSuggestions), resolve the open alerts, programMetrics",
    ),
    (
        "mentor",
        1,
        "mentor",
        "me { mentorProfile { activeMenteeCount } }, record a check-in",
    ),
    (
        "mentor",
        5,
        "mentor, OVERWHELMED",
        "over capacity with an open alert (mentorAlerts)",
    ),
    (
        "mentee",
        1,
        "rep with a mentor",
        "me { currentMentorship { nextCheckInDueBy } }, openSupportRequest",
    ),
    (
        "mentee",
        13,
        "rep without a mentor",
        "asked the council for a mentor (supportRequests)",
    ),
];

/// Seeds the demo program unless the database already has people, then runs the periodic
/// jobs once at `now`: the demo starts as a running service would have left it (the
/// inactivity alerts its overdue check-ins call for, the reminders they send), so the jobs
/// of the next hours find nothing new to raise.
///
/// # Errors
/// A database fault.
pub async fn seed(
    db: &DatabaseConnection,
    issuer: &str,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if person::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    people_and_history(db, issuer, now).await?;
    crate::jobs::run_once(db, settings, now)
        .await
        .map_err(|e| DbErr::Custom(format!("the first run of the jobs: {e:?}")))?;
    Ok(())
}

async fn people_and_history(
    db: &DatabaseConnection,
    issuer: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let kinds = [
        ("council", COUNCIL),
        ("mentor", MENTORS),
        ("mentee", MENTEES),
    ];
    let mut people: Vec<(String, Uuid)> = Vec::new();
    let mut rows = Vec::new();
    for (kind, count) in kinds {
        for n in 1..=count {
            let i = people.len();
            let id = Uuid::now_v7();
            let (country, language, timezone) = PLACES[i % PLACES.len()];
            let roles = match kind {
                "mentee" => json!(["mentee"]),
                other => json!(["mentee", other]),
            };
            rows.push(person::ActiveModel {
                id: Set(id),
                issuer: Set(issuer.to_owned()),
                subject: Set(subject(kind, n)),
                display_name: Set(NAMES[i % NAMES.len()].to_owned()),
                email: Set(Some(format!("{}@reps.example.org", subject(kind, n)))),
                country: Set(Some(country.to_owned())),
                // Everyone speaks English too; once, for those whose language it is.
                languages: Set(if language == "en" {
                    json!(["en"])
                } else {
                    json!([language, "en"])
                }),
                timezone: Set(Some(timezone.to_owned())),
                locale: Set(Some(language.to_owned())),
                bio: Set(None),
                token_roles: Set(roles),
                status: Set("ACTIVE".into()),
                joined_at: Set(now - Duration::days(400 - i as i64 * 7)),
                last_active_at: Set(Some(now - Duration::days(i as i64))),
                updated_at: Set(now),
                email_preference: Set(crate::notifications::model::EmailPreference::Immediate
                    .as_str()
                    .into()),
                calendar_feed_generation: Set(0),
            });
            people.push((kind.to_owned(), id));
        }
    }
    person::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    let ids = |kind: &str| -> Vec<Uuid> {
        people
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| *id)
            .collect()
    };
    let (council, mentors, mentees) = (ids("council"), ids("mentor"), ids("mentee"));
    let capacities = [3, 4, 2, 5, 1, 3];
    let profiles = mentors
        .iter()
        .zip(capacities)
        .enumerate()
        .map(|(i, (id, capacity))| mentor_profile::ActiveModel {
            person_id: Set(*id),
            capacity: Set(capacity),
            // Mentor 5 reported being overwhelmed (their open alert): reporting sets it.
            status: Set(if i == OVERWHELMED_MENTOR {
                "OVERWHELMED"
            } else {
                "ACTIVE"
            }
            .into()),
            accepting_mentees: Set(true),
            bio: Set(Some(
                "Happy to help new reps find their way in the program.".into(),
            )),
            expertise: Set(json!(["events", "community building"])),
            onboarded_at: Set(now - Duration::days(300)),
            break_until: Set(None),
            updated_at: Set(now),
        });
    mentor_profile::Entity::insert_many(profiles)
        .exec_without_returning(db)
        .await?;
    mentorships_and_meetings(db, &council, &mentors, &mentees, now).await?;
    let cast = communication::Cast {
        council: &council,
        mentors: &mentors,
        mentees: &mentees,
    };
    communication::seed(db, &cast, now).await
}

/// Mentorships showing every state: mentors under, at and over capacity (mentor 5 has
/// capacity 1 and two mentees, by override), reps without a mentor (mentees 13–24), an
/// ended mentorship in mentee 1's history, overdue and upcoming meetings.
async fn mentorships_and_meetings(
    db: &DatabaseConnection,
    council: &[Uuid],
    mentors: &[Uuid],
    mentees: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let day = Duration::days;
    let mut rows = Vec::new();
    let mut meetings = Vec::new();
    // mentee 1: first with mentor 2 (ended by re-assignment), now with mentor 1.
    let ended = Uuid::now_v7();
    rows.push(mentorship(
        ended,
        mentors[1],
        mentees[0],
        now - day(500),
        Some(now - day(60)),
        council[0],
        false,
    ));
    meetings.push(meeting(
        ended,
        mentors[1],
        "HELD",
        None,
        Some(now - day(200)),
        Some("Yearly touch-base"),
    ));
    for (i, mentee) in mentees.iter().take(12).enumerate() {
        let mentor = mentors[i % mentors.len()];
        let over = i % mentors.len() == 4 && i >= mentors.len();
        let started = now - day(20 + 45 * i as i64);
        let id = Uuid::now_v7();
        rows.push(mentorship(
            id,
            mentor,
            *mentee,
            started,
            None,
            council[i % council.len()],
            over,
        ));
        match i % 4 {
            // Held recently: due next year.
            0 => meetings.push(meeting(
                id,
                mentor,
                "HELD",
                None,
                Some(started + day(10)),
                Some("Getting started"),
            )),
            // Held over a year ago: overdue.
            1 if started < now - day(400) => meetings.push(meeting(
                id,
                mentor,
                "HELD",
                None,
                Some(now - day(390)),
                None,
            )),
            // Planned in the coming weeks.
            2 => meetings.push(meeting(
                id,
                *mentee,
                "PLANNED",
                Some(now + day(9)),
                None,
                Some("Plans for next year"),
            )),
            // Nothing yet: overdue once the first month is over.
            _ => {}
        }
    }
    mentorship::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    check_in::Entity::insert_many(meetings)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn mentorship(
    id: Uuid,
    mentor: Uuid,
    mentee: Uuid,
    started: DateTime<Utc>,
    ended: Option<DateTime<Utc>>,
    by: Uuid,
    over_capacity: bool,
) -> mentorship::ActiveModel {
    mentorship::ActiveModel {
        id: Set(id),
        mentor_id: Set(mentor),
        mentee_id: Set(mentee),
        status: Set(if ended.is_some() { "ENDED" } else { "ACTIVE" }.into()),
        started_at: Set(started),
        ended_at: Set(ended),
        end_reason: Set(ended.map(|_| "REASSIGNED".into())),
        note: Set(Some("Assigned during the demo set-up.".into())),
        end_note: Set(ended.map(|_| "Moved closer to the mentee's time zone.".into())),
        assigned_by: Set(Some(by)),
        ended_by: Set(ended.map(|_| by)),
        over_capacity: Set(over_capacity),
    }
}

fn meeting(
    mentorship: Uuid,
    by: Uuid,
    status: &str,
    scheduled: Option<DateTime<Utc>>,
    held: Option<DateTime<Utc>>,
    agenda: Option<&str>,
) -> check_in::ActiveModel {
    let at = held.or(scheduled).unwrap_or_default();
    check_in::ActiveModel {
        id: Set(Uuid::now_v7()),
        mentorship_id: Set(mentorship),
        status: Set(status.into()),
        scheduled_for: Set(scheduled),
        held_at: Set(held),
        agenda: Set(agenda.map(str::to_owned)),
        mentee_plans: Set(held.map(|_| "Organise a local event".into())),
        support_needs: Set(held.map(|_| "Help with the budget request".into())),
        notes: Set(None),
        cancel_reason: Set(None),
        created_by: Set(by),
        created_at: Set(at),
        updated_at: Set(at),
    }
}
