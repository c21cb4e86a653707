//! Demo data for `dev`: a small program to explore, loaded once into an empty database.
//!
//! Subjects are stable (`demo-mentee-01`, `demo-mentor-01`, `demo-council-01`) so the tokens
//! `dev` prints sign in as these people.

use chrono::{DateTime, Duration, Utc};
use entity::{mentor_profile, mentorship, person};
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait};
use serde_json::json;
use uuid::Uuid;

/// How many demo people of each kind.
const COUNCIL: usize = 2;
const MENTORS: usize = 6;
const MENTEES: usize = 24;

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

/// Seeds the demo program unless the database already has people.
///
/// # Errors
/// A database fault.
pub async fn seed(db: &DatabaseConnection, issuer: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    if person::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
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
                languages: Set(json!([language, "en"])),
                timezone: Set(Some(timezone.to_owned())),
                locale: Set(Some(language.to_owned())),
                bio: Set(None),
                token_roles: Set(roles),
                status: Set("ACTIVE".into()),
                joined_at: Set(now - Duration::days(400 - i as i64 * 7)),
                last_active_at: Set(Some(now - Duration::days(i as i64))),
                updated_at: Set(now),
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
    let profiles =
        mentors
            .iter()
            .zip(capacities)
            .map(|(id, capacity)| mentor_profile::ActiveModel {
                person_id: Set(*id),
                capacity: Set(capacity),
                status: Set("ACTIVE".into()),
                accepting_mentees: Set(true),
                bio: Set(Some(
                    "Happy to help new reps find their way in the program.".into(),
                )),
                expertise: Set(json!(["events", "community building"])),
                onboarded_at: Set(now - Duration::days(300)),
                updated_at: Set(now),
            });
    mentor_profile::Entity::insert_many(profiles)
        .exec_without_returning(db)
        .await?;
    // The first twelve mentees get a mentor, round-robin; the rest are still unassigned.
    let assignments =
        mentees
            .iter()
            .take(12)
            .enumerate()
            .map(|(i, mentee)| mentorship::ActiveModel {
                id: Set(Uuid::now_v7()),
                mentor_id: Set(mentors[i % mentors.len()]),
                mentee_id: Set(*mentee),
                status: Set("ACTIVE".into()),
                started_at: Set(now - Duration::days(20 + 30 * i as i64)),
                ended_at: Set(None),
                end_reason: Set(None),
                note: Set(Some("Assigned during the demo set-up.".into())),
                end_note: Set(None),
                assigned_by: Set(Some(council[0])),
                ended_by: Set(None),
                over_capacity: Set(false),
            });
    mentorship::Entity::insert_many(assignments)
        .exec_without_returning(db)
        .await?;
    Ok(())
}
