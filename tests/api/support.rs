//! Reaching out: routing, confidentiality, threads, escalation exactly once.

use chrono::Duration;
use mentorship_api::{clock::Clock, jobs};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const OPEN: &str = "mutation($i: OpenSupportRequestInput!) { openSupportRequest(input: $i) {
    id recipient status confidential routingNote assignedMentor { id } } }";
const REPLY: &str = "mutation($id: ID!, $m: String!) { replyToSupportRequest(input: {requestId: $id, message: $m}) { status firstResponseAt } }";
const GET: &str = "query($id: ID!) { supportRequest(id: $id) { status escalatedAt firstResponseAt messages { totalCount edges { node { body author { id } } } } } }";

async fn open(app: &TestApp, who: &Member, input: Value) -> Value {
    app.ok(who, OPEN, json!({"i": input})).await["openSupportRequest"].clone()
}

async fn run_jobs(app: &TestApp) -> jobs::Report {
    let state = &app.state;
    jobs::run_once(state.db(), state.settings(), state.clock().now())
        .await
        .unwrap()
}

#[tokio::test]
async fn requests_go_to_the_mentor_or_else_to_the_council() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (with_mentor, orphan, paused_rep) =
        (app.mentee().await, app.mentee().await, app.mentee().await);
    let (mentor, paused) = (app.mentor(&c, 3).await, app.mentor(&c, 3).await);
    app.assign(&c, &with_mentor, &mentor).await;
    app.assign(&c, &paused_rep, &paused).await;
    app.ok(
        &c,
        "mutation($id: ID!) { updateMentorProfile(input: {personId: $id, status: PAUSED}) { id } }",
        json!({"id": paused.id}),
    )
    .await;
    let ask = json!({"recipient": "MENTOR", "subject": "Event budget", "message": "How do I ask for a budget?"});

    let to_mentor = open(&app, &with_mentor, ask.clone()).await;
    assert_eq!(
        (
            to_mentor["recipient"].as_str(),
            to_mentor["assignedMentor"]["id"].as_str()
        ),
        (Some("MENTOR"), Some(mentor.id.as_str()))
    );
    assert!(to_mentor["routingNote"].is_null());
    assert_eq!(
        app.notification_kinds(&mentor).await[0],
        "SUPPORT_REQUEST_OPENED"
    );

    for rep in [&orphan, &paused_rep] {
        let routed = open(&app, rep, ask.clone()).await;
        assert_eq!(routed["recipient"], "COUNCIL");
        assert!(
            routed["routingNote"].as_str().unwrap().contains("council"),
            "the rep is told: {routed}"
        );
        assert_eq!(
            app.notification_kinds(rep).await[0],
            "SUPPORT_REQUEST_ROUTED"
        );
    }
    assert_eq!(
        app.notification_kinds(&c)
            .await
            .iter()
            .filter(|k| *k == "SUPPORT_REQUEST_OPENED")
            .count(),
        2
    );
    assert!(
        !app.notification_kinds(&paused)
            .await
            .contains(&"SUPPORT_REQUEST_OPENED".to_owned())
    );
}

#[tokio::test]
async fn a_mentor_change_request_is_confidential_and_invisible_to_the_mentor() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    let r = open(&app, &rep, json!({"recipient": "MENTOR", "category": "MENTOR_CHANGE", "subject": "Another mentor please", "message": "We do not get along."})).await;
    assert_eq!(
        (r["recipient"].as_str(), r["confidential"].as_bool()),
        (Some("COUNCIL"), Some(true))
    );
    let id = r["id"].as_str().unwrap();
    assert_eq!(
        error_code(&app.graphql(&mentor.token, GET, json!({"id": id})).await),
        "NOT_FOUND"
    );
    let list = app
        .ok(&mentor, "{ supportRequests { totalCount } }", json!({}))
        .await;
    assert_eq!(list["supportRequests"]["totalCount"], 0);
    assert_eq!(
        app.notification_kinds(&mentor).await,
        ["MENTORSHIP_STARTED"],
        "the mentor is not told either"
    );
    assert_eq!(
        app.ok(&c, "{ supportRequests { totalCount } }", json!({}))
            .await["supportRequests"]["totalCount"],
        1
    );
    let stranger = app.mentee().await;
    assert_eq!(
        error_code(&app.graphql(&stranger.token, GET, json!({"id": id})).await),
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn a_confidential_request_to_the_mentor_goes_to_the_council() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    let r = open(&app, &rep, json!({"recipient": "MENTOR", "category": "GENERAL", "confidential": true, "subject": "Something private", "message": "Between us."})).await;
    assert_eq!(r["recipient"], "COUNCIL", "{r}");
    assert_eq!(r["confidential"], true);
    assert!(r["assignedMentor"].is_null(), "{r}");
    assert!(
        r["routingNote"].as_str().unwrap().contains("council"),
        "{r}"
    );
    // The mentor is never told (not even the subject); the council is.
    assert_eq!(
        app.notification_kinds(&mentor).await,
        ["MENTORSHIP_STARTED"]
    );
    let inbox = app
        .ok(
            &mentor,
            "{ myNotifications { edges { node { title body } } } }",
            json!({}),
        )
        .await;
    assert!(!inbox.to_string().contains("Something private"), "{inbox}");
    assert!(
        app.notification_kinds(&c)
            .await
            .contains(&"SUPPORT_REQUEST_OPENED".to_owned()),
        "the council hears of it"
    );
    let id = r["id"].as_str().unwrap();
    assert_eq!(
        error_code(&app.graphql(&mentor.token, GET, json!({"id": id})).await),
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn the_first_answer_acknowledges_and_resolved_requests_take_no_more() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    let id = open(
        &app,
        &rep,
        json!({"recipient": "MENTOR", "subject": "Hi", "message": "Question"}),
    )
    .await["id"]
        .clone();
    let follow_up = app
        .ok(&rep, REPLY, json!({"id": id, "m": "Any news?"}))
        .await;
    assert_eq!(
        follow_up["replyToSupportRequest"]["status"], "OPEN",
        "the requester's own messages do not count"
    );
    let answered = app
        .ok(&mentor, REPLY, json!({"id": id, "m": "Here is how"}))
        .await;
    assert_eq!(answered["replyToSupportRequest"]["status"], "ACKNOWLEDGED");
    assert!(answered["replyToSupportRequest"]["firstResponseAt"].is_string());
    assert_eq!(
        app.notification_kinds(&rep).await[0],
        "SUPPORT_REQUEST_REPLIED"
    );
    let thread = app.ok(&rep, GET, json!({"id": id})).await;
    let bodies: Vec<&str> = thread["supportRequest"]["messages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Question", "Any news?", "Here is how"]);
    let resolve = "mutation($id: ID!) { resolveSupportRequest(input: {requestId: $id, note: \"Thanks!\"}) { status resolvedAt } }";
    assert_eq!(
        app.ok(&rep, resolve, json!({"id": id})).await["resolveSupportRequest"]["status"],
        "RESOLVED"
    );
    assert_eq!(
        error_code(&app.graphql(&rep.token, resolve, json!({"id": id})).await),
        "CONFLICT"
    );
    assert_eq!(
        error_code(
            &app.graphql(&mentor.token, REPLY, json!({"id": id, "m": "more"}))
                .await
        ),
        "CONFLICT"
    );
    for (input, field) in [
        (
            json!({"recipient": "MENTOR", "subject": " ", "message": "x"}),
            "input.subject",
        ),
        (
            json!({"recipient": "MENTOR", "subject": "x".repeat(201), "message": "x"}),
            "input.subject",
        ),
        (
            json!({"recipient": "MENTOR", "subject": "x", "message": ""}),
            "input.message",
        ),
    ] {
        let body = app.graphql(&rep.token, OPEN, json!({"i": input})).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
}

#[tokio::test]
async fn an_unanswered_request_escalates_exactly_once_and_an_answered_one_never() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (quiet_rep, answered_rep, mentor) = (
        app.mentee().await,
        app.mentee().await,
        app.mentor(&c, 3).await,
    );
    app.assign(&c, &quiet_rep, &mentor).await;
    app.assign(&c, &answered_rep, &mentor).await;
    let ask = json!({"recipient": "MENTOR", "subject": "Help", "message": "Please"});
    let quiet = open(&app, &quiet_rep, ask.clone()).await["id"].clone();
    let answered = open(&app, &answered_rep, ask).await["id"].clone();
    app.ok(&mentor, REPLY, json!({"id": answered, "m": "On it"}))
        .await;

    app.clock.advance(Duration::days(6));
    assert_eq!(run_jobs(&app).await.escalated, 0, "within the SLA");
    app.clock.advance(Duration::days(2));
    assert_eq!(run_jobs(&app).await.escalated, 1);
    assert_eq!(run_jobs(&app).await.escalated, 0, "a rerun changes nothing");
    let state = app.ok(&c, GET, json!({"id": quiet})).await;
    assert_eq!(state["supportRequest"]["status"], "ESCALATED");
    assert!(state["supportRequest"]["escalatedAt"].is_string());
    assert_eq!(
        app.ok(&c, GET, json!({"id": answered})).await["supportRequest"]["status"],
        "ACKNOWLEDGED"
    );
    let rep_kinds = app.notification_kinds(&quiet_rep).await;
    assert_eq!(
        rep_kinds
            .iter()
            .filter(|k| *k == "SUPPORT_REQUEST_ESCALATED")
            .count(),
        1
    );
    assert_eq!(
        app.notification_kinds(&c)
            .await
            .iter()
            .filter(|k| *k == "SUPPORT_REQUEST_ESCALATED")
            .count(),
        1
    );
    // The council answers the escalated request.
    let answer = app
        .ok(&c, REPLY, json!({"id": quiet, "m": "The council here"}))
        .await;
    assert_eq!(answer["replyToSupportRequest"]["status"], "ACKNOWLEDGED");
}

#[tokio::test]
async fn jobs_run_once_from_the_command_line() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    open(
        &app,
        &rep,
        json!({"recipient": "MENTOR", "subject": "Help", "message": "Please"}),
    )
    .await;
    let run = |now: String| {
        std::process::Command::new(env!("CARGO_BIN_EXE_mentorship-api"))
            .args([
                "--config",
                "/nonexistent/mentorship.toml",
                "jobs",
                "run-once",
                "--now",
                &now,
            ])
            .env_clear()
            .env("DATABASE_URL", app.db.url.expose())
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    };
    let soon = run((app.clock.now() + Duration::days(1)).to_rfc3339());
    assert!(
        soon.status.success(),
        "{}",
        String::from_utf8_lossy(&soon.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&soon.stdout).trim(),
        r#"{"ran":true,"escalated":0,"breaksEnded":0,"reminded":0,"inactiveReported":0,"relayReminders":0,"idempotencyPurged":0,"mailPurged":0,"mail":null}"#
    );
    // Eight days on, the three mails of the assignment and the request, never sent (no relay
    // here), are cancelled as stale.
    let later = run((app.clock.now() + Duration::days(8)).to_rfc3339());
    assert_eq!(
        String::from_utf8_lossy(&later.stdout).trim(),
        r#"{"ran":true,"escalated":1,"breaksEnded":0,"reminded":0,"inactiveReported":1,"relayReminders":0,"idempotencyPurged":0,"mailPurged":3,"mail":null}"#
    );
}
