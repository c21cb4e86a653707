//! `Idempotency-Key`: a retried mutation gets the stored answer byte for byte and writes
//! nothing twice, on this instance or another; concurrent retries run once; a key reused for
//! another request is 422; a transaction that fails stores nothing.

use std::sync::Arc;

use chrono::{Duration, SecondsFormat};
use mentorship_api::{clock::Clock, jobs};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

/// An answer as the client saw it.
struct Answer {
    status: u16,
    replayed: bool,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

async fn send(base: &str, who: &Member, key: &str, query: &str, variables: Value) -> Answer {
    let response = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(&who.token)
        .header("idempotency-key", key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        replayed: response.headers().get("idempotent-replayed").is_some(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let db = app.db.connect().await;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// Sends `query` with `key`, then retries it on this instance and on `sibling`: the first
/// answer is a success, both retries are it byte for byte, marked replayed.
async fn once(
    app: &TestApp,
    sibling: &str,
    who: &Member,
    key: &str,
    query: &str,
    variables: Value,
) -> Value {
    let first = send(&app.base, who, key, query, variables.clone()).await;
    assert_eq!(first.status, 200);
    assert!(first.json()["errors"].is_null(), "{}", first.json());
    assert!(!first.replayed);
    for base in [app.base.as_str(), sibling] {
        let retry = send(base, who, key, query, variables.clone()).await;
        assert_eq!(retry.status, 200);
        assert!(retry.replayed, "a retry is the stored answer");
        assert_eq!(retry.body, first.body, "byte for byte");
    }
    first.json()["data"].clone()
}

const ASSIGN: &str = "mutation($e: ID!, $r: ID!) { assignMentor(input: {menteeId: $e, mentorId: $r}) { id startedAt } }";
const OPEN: &str = "mutation($s: String!) { openSupportRequest(input: {recipient: MENTOR, subject: $s, message: \"How do I ask for a budget?\"}) { id subject createdAt } }";
const RECORD: &str = "mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { id status heldAt mentorship { checkIns(first: 10) { totalCount } } } }";
const SCHEDULE: &str = "mutation($m: ID!, $at: DateTime!) { scheduleCheckIn(input: {mentorshipId: $m, scheduledFor: $at}) { id } }";
const CANCEL: &str = "mutation($c: ID!) { cancelCheckIn(input: {checkInId: $c, reason: \"ill\"}) { id status cancelReason } }";
const RESOLVE: &str = "mutation($id: ID!) { resolveSupportRequest(input: {requestId: $id, note: \"Thanks!\"}) { id status resolvedAt } }";
const REPORT: &str = "mutation { reportMentorLoad(input: {kind: OVERWHELMED, message: \"Too much at work\"}) { id status createdAt } }";

#[tokio::test]
async fn every_mutation_retried_with_its_key_gets_its_answer_and_writes_once() {
    // Arrange
    let app = spawn_app().await;
    let (sibling, _stop, _) = app.sibling().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);

    // Act and assert, one mutation after the other
    let assigned = once(
        &app,
        &sibling,
        &c,
        "assign-1",
        ASSIGN,
        json!({"e": rep.id, "r": mentor.id}),
    )
    .await;
    let m = assigned["assignMentor"]["id"].as_str().unwrap().to_owned();
    assert_eq!(count(&app, "mentorship").await, 1);
    app.clock.advance(Duration::days(10));
    let now = app.clock.now();
    let past = |days| (now - Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let future = (now + Duration::days(7)).to_rfc3339_opts(SecondsFormat::Secs, true);

    let opened = once(
        &app,
        &sibling,
        &rep,
        "open-1",
        OPEN,
        json!({"s": "Event budget"}),
    )
    .await;
    let request = opened["openSupportRequest"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(count(&app, "support_request").await, 1);
    assert_eq!(count(&app, "support_message").await, 1);

    let held = json!({"i": {"mentorshipId": m, "heldAt": past(2), "notes": "went well"}});
    let recorded = once(&app, &sibling, &mentor, "record-1", RECORD, held).await;
    // The answer was built inside the request's transaction: it sees its own check-in.
    assert_eq!(
        recorded["recordCheckIn"]["mentorship"]["checkIns"]["totalCount"],
        1
    );
    assert_eq!(count(&app, "check_in").await, 1);

    let planned = app
        .ok(&mentor, SCHEDULE, json!({"m": m, "at": future}))
        .await;
    let planned = planned["scheduleCheckIn"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let held = json!({"i": {"checkInId": planned, "heldAt": past(1)}});
    let recorded = once(&app, &sibling, &rep, "record-2", RECORD, held).await;
    assert_eq!(
        recorded["recordCheckIn"]["status"], "HELD",
        "not CONFLICT on the retry"
    );
    assert_eq!(count(&app, "check_in").await, 2);

    let planned = app.ok(&rep, SCHEDULE, json!({"m": m, "at": future})).await;
    let planned = planned["scheduleCheckIn"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cancelled = once(
        &app,
        &sibling,
        &rep,
        "cancel-1",
        CANCEL,
        json!({"c": planned}),
    )
    .await;
    assert_eq!(cancelled["cancelCheckIn"]["status"], "CANCELLED");

    let resolved = once(
        &app,
        &sibling,
        &rep,
        "resolve-1",
        RESOLVE,
        json!({"id": request}),
    )
    .await;
    assert_eq!(resolved["resolveSupportRequest"]["status"], "RESOLVED");
    // The opening message and the closing note: no second note.
    assert_eq!(count(&app, "support_message").await, 2);

    let reported = once(&app, &sibling, &mentor, "report-1", REPORT, json!({})).await;
    assert_eq!(reported["reportMentorLoad"]["status"], "OPEN");
    assert_eq!(count(&app, "mentor_alert").await, 1);

    assert_eq!(count(&app, "idempotency_record").await, 7);
}

#[tokio::test]
async fn six_concurrent_requests_with_one_key_run_once() {
    let app = spawn_app().await;
    let (sibling, _stop, _) = app.sibling().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    let barrier = Arc::new(Barrier::new(6));
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let base = if i % 2 == 0 {
                app.base.clone()
            } else {
                sibling.clone()
            };
            let (rep, barrier) = (rep.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                send(&base, &rep, "same-key", OPEN, json!({"s": "Once"})).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }

    let ok: Vec<&Answer> = answers.iter().filter(|a| a.status == 200).collect();
    assert!(!ok.is_empty(), "one of them ran");
    assert_eq!(
        ok.iter().filter(|a| !a.replayed).count(),
        1,
        "exactly one execution"
    );
    assert!(
        ok.iter().all(|a| a.body == ok[0].body),
        "the others got its answer"
    );
    for busy in answers.iter().filter(|a| a.status != 200) {
        assert_eq!(busy.status, 409);
        assert_eq!(error_code(&busy.json()), "CONFLICT");
        assert_eq!(busy.json()["errors"][0]["extensions"]["retryable"], true);
    }
    assert_eq!(count(&app, "support_request").await, 1);
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_422_and_keys_belong_to_their_caller() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, other, mentor) = (
        app.mentee().await,
        app.mentee().await,
        app.mentor(&c, 3).await,
    );
    app.assign(&c, &rep, &mentor).await;
    app.assign(&c, &other, &mentor).await;
    let first = send(&app.base, &rep, "k", OPEN, json!({"s": "First"})).await;
    assert_eq!(first.status, 200);

    let changed = send(&app.base, &rep, "k", OPEN, json!({"s": "Second"})).await;
    assert_eq!(changed.status, 422);
    assert_eq!(error_code(&changed.json()), "BAD_USER_INPUT");
    assert!(changed.json()["data"].is_null());
    assert_eq!(count(&app, "support_request").await, 1, "nothing written");

    let theirs = send(&app.base, &other, "k", OPEN, json!({"s": "First"})).await;
    assert_eq!(theirs.status, 200);
    assert!(!theirs.replayed, "another caller's key is their own");
    assert_ne!(theirs.body, first.body);
    assert_eq!(count(&app, "support_request").await, 2);
}

#[tokio::test]
async fn a_transaction_that_fails_after_the_answer_was_staged_stores_nothing() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    // A real fault, injected in the database: storing any answer fails.
    let db = app.db.connect().await;
    let (create, drop) = match db.get_database_backend() {
        DbBackend::Postgres => (
            vec![
                "CREATE FUNCTION refuse_answer() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_record FOR EACH ROW EXECUTE FUNCTION refuse_answer()",
            ],
            "DROP TRIGGER refuse_answer ON idempotency_record",
        ),
        _ => (
            vec![
                "CREATE TRIGGER refuse_answer BEFORE UPDATE ON idempotency_record BEGIN SELECT RAISE(ABORT, 'injected'); END",
            ],
            "DROP TRIGGER refuse_answer",
        ),
    };
    for sql in create {
        db.execute_unprepared(sql).await.unwrap();
    }

    let failed = send(&app.base, &rep, "k", OPEN, json!({"s": "Budget"})).await;
    assert_eq!(failed.status, 500);
    assert_eq!(error_code(&failed.json()), "INTERNAL");
    assert!(
        !String::from_utf8_lossy(&failed.body).contains("injected"),
        "nothing internal leaks"
    );
    assert_eq!(
        count(&app, "support_request").await,
        0,
        "the mutation rolled back with it"
    );
    assert_eq!(count(&app, "idempotency_record").await, 0);

    db.execute_unprepared(drop).await.unwrap();
    let retry = send(&app.base, &rep, "k", OPEN, json!({"s": "Budget"})).await;
    assert_eq!(retry.status, 200);
    assert!(!retry.replayed, "the retry runs");
    assert_eq!(count(&app, "support_request").await, 1);
}

#[tokio::test]
async fn keys_are_checked_queries_ignore_them_and_records_expire() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    app.assign(&c, &rep, &mentor).await;
    for bad in ["", &"k".repeat(256), "with space"] {
        let answer = send(&app.base, &rep, bad, OPEN, json!({"s": "x"})).await;
        assert_eq!(answer.status, 400, "{bad:?}");
        assert_eq!(error_code(&answer.json()), "BAD_USER_INPUT");
    }
    let two = "mutation { a: markNotificationsRead(input: {all: true}) { marked } b: markNotificationsRead(input: {all: true}) { marked } }";
    let answer = send(&app.base, &rep, "two", two, json!({})).await;
    assert_eq!(answer.status, 400);
    assert_eq!(error_code(&answer.json()), "BAD_USER_INPUT");
    let query = send(&app.base, &rep, "q", "{ me { id } }", json!({})).await;
    assert_eq!(query.status, 200);
    assert_eq!(
        count(&app, "idempotency_record").await,
        0,
        "queries ignore the key"
    );
    assert_eq!(count(&app, "support_request").await, 0);

    let first = send(&app.base, &rep, "old", OPEN, json!({"s": "x"})).await;
    assert_eq!(first.status, 200);
    app.clock.advance(Duration::hours(25));
    let state = &app.state;
    let report = jobs::run_once(state.db(), state.settings(), state.clock().now())
        .await
        .unwrap();
    assert_eq!(report.idempotency_purged, 1);
    let again = send(&app.base, &rep, "old", OPEN, json!({"s": "x"})).await;
    assert!(!again.replayed, "an expired key is a new one");
    assert_eq!(count(&app, "support_request").await, 2);
}
