//! Reminders, inactivity detection and activity tracking, with the clock moved.

use chrono::Duration;
use mentorship_api::{clock::Clock, jobs};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

async fn run(app: &TestApp) -> jobs::Report {
    let state = &app.state;
    jobs::run_once(state.db(), state.settings(), state.clock().now())
        .await
        .unwrap()
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

#[tokio::test]
async fn reminders_go_out_once_per_cycle_before_and_when_overdue() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    let ms = app.assign(&c, &mentee, &mentor).await;
    app.clock.advance(Duration::days(15));
    assert_eq!(
        run(&app).await.reminded,
        0,
        "30 days to the first meeting, 14 days' notice"
    );
    app.clock.advance(Duration::days(2));
    assert_eq!(run(&app).await.reminded, 1);
    assert_eq!(run(&app).await.reminded, 0, "once per cycle");
    app.clock.advance(Duration::days(14));
    assert_eq!(run(&app).await.reminded, 1, "overdue now");
    assert_eq!(run(&app).await.reminded, 0);
    for who in [&mentee, &mentor] {
        let got = app.notification_kinds(who).await;
        assert_eq!(
            (
                count(&got, "CHECK_IN_DUE_SOON"),
                count(&got, "CHECK_IN_OVERDUE")
            ),
            (1, 1),
            "{got:?}"
        );
    }
    // A held meeting starts a new yearly cycle: nothing until two weeks before it is due.
    let at = app.clock.now().to_rfc3339();
    app.ok(&mentee, "mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at}) { id } }", json!({"m": ms, "at": at})).await;
    app.clock.advance(Duration::days(350));
    assert_eq!(run(&app).await.reminded, 0);
    app.clock.advance(Duration::days(2));
    assert_eq!(run(&app).await.reminded, 1);
}

#[tokio::test]
async fn an_inactive_mentor_is_reported_once_per_episode_and_mentees_learn_whom_to_contact() {
    let app = spawn_app().await;
    let c = app.council().await;
    app.ok(&c, "mutation($p: ID!) { setCouncilContact(input: {area: MENTORSHIP_ADMINISTRATION, personId: $p}) { area } }", json!({"p": c.id})).await;
    app.ok(
        &c,
        "mutation { updateMyProfile(input: {displayName: \"Carla Council\"}) { id } }",
        json!({}),
    )
    .await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    let ms = app.assign(&c, &mentee, &mentor).await;
    // Meetings are kept, so only the silence counts.
    let at = app.clock.now().to_rfc3339();
    app.ok(&mentee, "mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at}) { id } }", json!({"m": ms, "at": at})).await;
    app.clock.advance(Duration::days(89));
    assert_eq!(run(&app).await.inactive_reported, 0);
    app.clock.advance(Duration::days(2));
    assert_eq!(run(&app).await.inactive_reported, 1);
    assert_eq!(
        run(&app).await.inactive_reported,
        0,
        "never twice for one episode"
    );
    let status = app
        .ok(
            &c,
            "query($id: ID!) { person(id: $id) { mentorProfile { status } } }",
            json!({"id": mentor.id}),
        )
        .await;
    assert_eq!(status["person"]["mentorProfile"]["status"], "INACTIVE");
    let told = app
        .ok(
            &mentee,
            "{ myNotifications(first: 1) { edges { node { kind body } } } }",
            json!({}),
        )
        .await;
    let note = &told["myNotifications"]["edges"][0]["node"];
    assert_eq!(note["kind"], "MENTOR_UNAVAILABLE");
    assert!(
        note["body"].as_str().unwrap().contains("Carla Council"),
        "{note}"
    );
    let alerts = app.ok(&c, "{ mentorAlerts(filter: {kind: INACTIVITY_DETECTED}) { edges { node { id message } } } }", json!({})).await;
    let alert = alerts["mentorAlerts"]["edges"][0]["node"]["id"].clone();
    // Resolved without change: still the same episode, still no new alert.
    app.ok(&c, "mutation($a: ID!) { resolveMentorAlert(input: {alertId: $a, resolution: \"Wrote to them\", mentorStatus: ACTIVE}) { status } }", json!({"a": alert})).await;
    assert_eq!(run(&app).await.inactive_reported, 0);
    // The mentor comes back, then goes quiet again: a new episode.
    app.ok(&mentor, "{ me { id } }", json!({})).await;
    app.clock.advance(Duration::days(91));
    assert_eq!(run(&app).await.inactive_reported, 1);
}

#[tokio::test]
async fn activity_is_recorded_at_most_once_an_hour() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    let id: uuid::Uuid = rep.id.parse().unwrap();
    let last_active = || async {
        let row = entity::person::Entity::find_by_id(id)
            .one(&app.db.connect().await)
            .await
            .unwrap()
            .unwrap();
        row.last_active_at.unwrap()
    };
    let first = last_active().await;
    app.clock.advance(Duration::minutes(30));
    app.ok(&rep, "{ me { id } }", json!({})).await;
    assert_eq!(last_active().await, first, "not again within the hour");
    app.clock.advance(Duration::minutes(31));
    app.ok(&rep, "{ me { id } }", json!({})).await;
    let later = last_active().await;
    assert!(later - first >= Duration::minutes(61), "{first} → {later}");
    let profile: Value = app.ok(&rep, "{ me { id } }", json!({})).await;
    assert!(profile["me"]["id"].is_string());
}

#[tokio::test]
async fn two_instances_running_the_jobs_at_once_open_one_inactivity_alert() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 3).await;
    app.assign(&c, &app.mentee().await, &mentor).await;
    app.clock.advance(Duration::days(120));
    // A second instance: its own pool on the same database.
    let other = app.db.connect().await;
    let (settings, now) = (app.state.settings(), app.state.clock().now());
    let (a, b) = tokio::join!(
        jobs::run_once(app.state.db(), settings, now),
        jobs::run_once(&other, settings, now),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.inactive_reported + b.inactive_reported, 1, "{a:?} {b:?}");
    let again = jobs::run_once(&other, settings, now).await.unwrap();
    assert_eq!(again.inactive_reported, 0);
    let alerts = app
        .ok(
            &c,
            "{ mentorAlerts(filter: {kind: INACTIVITY_DETECTED}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(alerts["mentorAlerts"]["totalCount"], 1);
}
