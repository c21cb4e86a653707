//! The `dev` demo obeys the rules the service enforces, and stays plausible when the jobs
//! run: a day after it is seeded they raise no alert and escalate nothing (README, *Demo
//! data*, says what the demo starts with).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Utc};
use entity::{mentor_alert, mentor_profile, mentorship, person, support_request};
use mentorship_api::{config::Settings, demo, jobs};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::helpers::db::TestDb;

async fn open_alerts(db: &DatabaseConnection) -> Vec<mentor_alert::Model> {
    let all = mentor_alert::Entity::find().all(db).await.unwrap();
    all.into_iter().filter(|a| a.status == "OPEN").collect()
}

#[tokio::test]
async fn the_demo_obeys_the_rules_and_the_jobs_a_day_later_raise_nothing() {
    let test_db = TestDb::new().await;
    let db = test_db.connect().await;
    let settings = Settings::default();
    let start = Utc::now();
    demo::seed(&db, "http://127.0.0.1/dev/oidc", &settings, start)
        .await
        .unwrap();

    // Languages are a set: nobody "speaks en" twice.
    for p in person::Entity::find().all(&db).await.unwrap() {
        let langs: Vec<String> = serde_json::from_value(p.languages.clone()).unwrap();
        let distinct: BTreeSet<&String> = langs.iter().collect();
        assert_eq!(distinct.len(), langs.len(), "{}: {langs:?}", p.display_name);
    }
    // A mentor's status follows what they reported (reportMentorLoad sets it).
    let profiles: BTreeMap<_, _> = mentor_profile::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.person_id, p))
        .collect();
    let alerts = open_alerts(&db).await;
    for alert in &alerts {
        let status = &profiles[&alert.mentor_id].status;
        match alert.kind.as_str() {
            "OVERWHELMED" => assert_eq!(status, "OVERWHELMED"),
            "NEEDS_BREAK" | "STEPPING_DOWN" => assert_eq!(status, "PAUSED"),
            _ => {}
        }
    }
    assert!(alerts.iter().any(|a| a.kind == "OVERWHELMED"), "{alerts:?}");
    // One active mentorship per mentee; a mentor over capacity only by a recorded override.
    let active: Vec<_> = mentorship::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.status == "ACTIVE")
        .collect();
    let mentees: BTreeSet<_> = active.iter().map(|m| m.mentee_id).collect();
    assert_eq!(mentees.len(), active.len(), "a mentee with two mentors");
    for (id, profile) in &profiles {
        let load: Vec<_> = active.iter().filter(|m| m.mentor_id == *id).collect();
        if load.len() > profile.capacity as usize {
            assert!(load.iter().any(|m| m.over_capacity), "{id} over capacity");
        }
    }

    // A day later: what the jobs raise is what the demo already holds.
    let escalated_before = escalated(&db).await;
    let report = jobs::run_once(&db, &settings, start + Duration::days(1))
        .await
        .unwrap();
    assert!(report.ran);
    assert_eq!(report.inactive_reported, 0, "{report:?}");
    assert_eq!(report.escalated, 0, "{report:?}");
    let after = open_alerts(&db).await;
    assert_eq!(after.len(), alerts.len(), "{after:?}");
    assert_eq!(escalated(&db).await, escalated_before);
}

async fn escalated(db: &DatabaseConnection) -> usize {
    let all = support_request::Entity::find().all(db).await.unwrap();
    all.iter().filter(|r| r.status == "ESCALATED").count()
}
