//! Assignments under concurrency, capacity, re-assignment atomicity, ending.

use futures::future::join_all;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const ASSIGN: &str = "mutation($e: ID!, $r: ID!, $o: Boolean = false) {
    assignMentor(input: {menteeId: $e, mentorId: $r, allowOverCapacity: $o}) { id overCapacity } }";
const REASSIGN: &str = "mutation($e: ID!, $r: ID!) {
    reassignMentor(input: {menteeId: $e, newMentorId: $r, note: \"moving\"}) { id status mentor { id } } }";

async fn active_mentorships_of(app: &TestApp, mentee: &Member) -> u64 {
    let id: uuid::Uuid = mentee.id.parse().unwrap();
    entity::mentorship::Entity::find()
        .filter(entity::mentorship::Column::MenteeId.eq(id))
        .filter(entity::mentorship::Column::Status.eq("ACTIVE"))
        .count(&app.db.connect().await)
        .await
        .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq(action))
        .count(&app.db.connect().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn twenty_concurrent_assignments_of_one_mentee_yield_exactly_one() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mentee = app.mentee().await;
    let mut mentors = Vec::new();
    for _ in 0..20 {
        mentors.push(app.mentor(&council, 5).await);
    }
    let attempts = mentors
        .iter()
        .map(|m| app.graphql(&council.token, ASSIGN, json!({"e": mentee.id, "r": m.id})));
    let bodies: Vec<Value> = join_all(attempts).await;
    let won = bodies.iter().filter(|b| b["errors"].is_null()).count();
    let conflicts = bodies
        .iter()
        .filter(|b| error_code(b) == "CONFLICT")
        .count();
    assert_eq!((won, conflicts), (1, 19), "{bodies:?}");
    assert_eq!(active_mentorships_of(&app, &mentee).await, 1);
    assert_eq!(
        audit_count(&app, "assign_mentor").await,
        1,
        "losers leave no audit entry"
    );
}

#[tokio::test]
async fn ten_concurrent_assignments_to_three_free_slots_yield_three() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 3).await;
    let mut mentees = Vec::new();
    for _ in 0..10 {
        mentees.push(app.mentee().await);
    }
    let attempts = mentees
        .iter()
        .map(|e| app.graphql(&council.token, ASSIGN, json!({"e": e.id, "r": mentor.id})));
    let bodies: Vec<Value> = join_all(attempts).await;
    let won = bodies.iter().filter(|b| b["errors"].is_null()).count();
    let full = bodies
        .iter()
        .filter(|b| error_code(b) == "CAPACITY_EXCEEDED")
        .count();
    assert_eq!((won, full), (3, 7), "{bodies:?}");
    let profile = app
        .ok(&council, "query($id: ID!) { person(id: $id) { mentorProfile { activeMenteeCount acceptingMentees } } }", json!({"id": mentor.id}))
        .await;
    assert_eq!(
        profile["person"]["mentorProfile"],
        json!({"activeMenteeCount": 3, "acceptingMentees": false})
    );
}

#[tokio::test]
async fn the_council_override_assigns_beyond_capacity_and_is_audited() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 1).await;
    let mut mentees = Vec::new();
    for _ in 0..6 {
        mentees.push(app.mentee().await);
    }
    let attempts = mentees.iter().map(|e| {
        app.graphql(
            &council.token,
            ASSIGN,
            json!({"e": e.id, "r": mentor.id, "o": true}),
        )
    });
    let bodies: Vec<Value> = join_all(attempts).await;
    assert!(bodies.iter().all(|b| b["errors"].is_null()), "{bodies:?}");
    let over = bodies
        .iter()
        .filter(|b| b["data"]["assignMentor"]["overCapacity"] == true)
        .count();
    assert_eq!(over, 5, "all but the first went over capacity");
    let log = app
        .ok(&council, "{ auditLog(filter: {action: \"assign_mentor\"}) { totalCount edges { node { actor after requestId } } } }", json!({}))
        .await;
    assert_eq!(log["auditLog"]["totalCount"], 6);
    let overrides = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["after"]["capacityOverride"].is_object())
        .count();
    assert_eq!(overrides, 5);
    let first = &log["auditLog"]["edges"][0]["node"];
    assert_eq!(first["actor"], format!("person:{}", council.id));
    assert!(first["requestId"].as_str().is_some_and(|r| !r.is_empty()));
}

#[tokio::test]
async fn a_failed_reassignment_leaves_the_old_mentorship_active() {
    let app = spawn_app().await;
    let council = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&council, 3).await);
    let old = app.assign(&council, &mentee, &mentor).await;
    let full = app.mentor(&council, 0).await;
    let cases = [
        (uuid::Uuid::new_v4().to_string(), "NOT_FOUND"),
        (full.id.clone(), "CAPACITY_EXCEEDED"),
        (mentee.id.clone(), "BAD_USER_INPUT"),
        (mentor.id.clone(), "BAD_USER_INPUT"),
    ];
    for (new_mentor, code) in cases {
        let body = app
            .graphql(
                &council.token,
                REASSIGN,
                json!({"e": mentee.id, "r": new_mentor}),
            )
            .await;
        assert_eq!(error_code(&body), code, "{body}");
    }
    let still = app
        .ok(
            &council,
            "query($id: ID!) { mentorship(id: $id) { status } }",
            json!({"id": old}),
        )
        .await;
    assert_eq!(still["mentorship"]["status"], "ACTIVE");
    assert_eq!(active_mentorships_of(&app, &mentee).await, 1);
    assert_eq!(
        audit_count(&app, "end_mentorship").await,
        0,
        "no trace of the failed attempts"
    );
}

#[tokio::test]
async fn reassignment_ends_the_old_and_starts_the_new_mentorship() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mentee = app.mentee().await;
    let (first, second) = (app.mentor(&council, 3).await, app.mentor(&council, 3).await);
    let old = app.assign(&council, &mentee, &first).await;
    let data = app
        .ok(&council, REASSIGN, json!({"e": mentee.id, "r": second.id}))
        .await;
    assert_eq!(data["reassignMentor"]["mentor"]["id"], second.id);
    let history = app
        .ok(&mentee, "{ me { currentMentorship { mentor { id } } mentorshipHistory { totalCount edges { node { id status endReason endNote } } } } }", json!({}))
        .await;
    let me = &history["me"];
    assert_eq!(me["currentMentorship"]["mentor"]["id"], second.id);
    assert_eq!(me["mentorshipHistory"]["totalCount"], 2);
    let ended = &me["mentorshipHistory"]["edges"][0]["node"];
    assert_eq!(ended["id"], old);
    assert_eq!(
        (ended["status"].as_str(), ended["endReason"].as_str()),
        (Some("ENDED"), Some("REASSIGNED"))
    );
    assert_eq!(ended["endNote"], "moving");
}

#[tokio::test]
async fn ended_mentorships_are_immutable_and_unknown_ids_are_not_found() {
    let app = spawn_app().await;
    let council = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&council, 3).await);
    let id = app.assign(&council, &mentee, &mentor).await;
    let end = "mutation($id: ID!) { endMentorship(input: {mentorshipId: $id, reason: MENTEE_GRADUATED}) { status endedAt } }";
    let ended = app.ok(&council, end, json!({"id": id})).await;
    assert_eq!(ended["endMentorship"]["status"], "ENDED");
    assert_eq!(
        error_code(&app.graphql(&council.token, end, json!({"id": id})).await),
        "CONFLICT"
    );
    let unknown = uuid::Uuid::new_v4().to_string();
    assert_eq!(
        error_code(
            &app.graphql(&council.token, end, json!({"id": unknown}))
                .await
        ),
        "NOT_FOUND"
    );
    let assign_unknown = app
        .graphql(
            &council.token,
            ASSIGN,
            json!({"e": unknown, "r": mentor.id}),
        )
        .await;
    assert_eq!(error_code(&assign_unknown), "NOT_FOUND");
    let self_mentoring = app
        .graphql(
            &council.token,
            ASSIGN,
            json!({"e": mentor.id, "r": mentor.id}),
        )
        .await;
    assert_eq!(error_code(&self_mentoring), "BAD_USER_INPUT");
    // After the end the mentee can get a mentor again.
    app.assign(&council, &mentee, &mentor).await;
}

#[tokio::test]
async fn a_mentor_who_is_not_active_needs_the_override() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 5).await;
    app.ok(
        &council,
        "mutation($id: ID!) { updateMentorProfile(input: {personId: $id, status: PAUSED}) { id } }",
        json!({"id": mentor.id}),
    )
    .await;
    let mentee = app.mentee().await;
    let refused = app
        .graphql(
            &council.token,
            ASSIGN,
            json!({"e": mentee.id, "r": mentor.id}),
        )
        .await;
    assert_eq!(error_code(&refused), "CAPACITY_EXCEEDED");
    let forced = app
        .ok(
            &council,
            ASSIGN,
            json!({"e": mentee.id, "r": mentor.id, "o": true}),
        )
        .await;
    assert_eq!(forced["assignMentor"]["overCapacity"], true);
}
