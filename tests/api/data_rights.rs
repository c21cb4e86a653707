//! Data rights: `GET /api/v1/me/export`, `GET /api/v1/people/{id}/export`, `erasePerson`.

use mentorship_api::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

/// A mentee with a mentor and a held check-in full of private text; (council, mentor,
/// mentee, mentorship id).
async fn program(app: &TestApp) -> (Member, Member, Member, String) {
    let council = app.council().await;
    let mentor = app.mentor(&council, 3).await;
    let mentee = app
        .member(
            &["mentee"],
            json!({"name": "Zoë Private", "email": "zoe@example.org"}),
        )
        .await;
    let mentorship = app.assign(&council, &mentee, &mentor).await;
    app.clock.advance(chrono::Duration::hours(1));
    app.ok(
        &mentee,
        "mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at,
           notes: \"NOTES-SECRET\", menteePlans: \"PLANS-SECRET\", supportNeeds: \"NEEDS-SECRET\"}) { id } }",
        json!({"m": mentorship, "at": app.clock.now()}),
    )
    .await;
    app.ok(
        &mentee,
        r#"mutation { openSupportRequest(input: {recipient: COUNCIL, subject: "About my mentor", message: "MESSAGE-SECRET", confidential: true}) { id } }"#,
        json!({}),
    )
    .await;
    (council, mentor, mentee, mentorship)
}

async fn export(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app
        .http
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    if status == 200 {
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
    }
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_own_export_holds_private_notes_and_the_councils_does_not() {
    let app = spawn_app().await;
    let (council, mentor, mentee, _) = program(&app).await;

    let (status, mine) = export(&app, &mentee.token, "/api/v1/me/export").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["scope"], "self");
    assert_eq!(mine["person"]["displayName"], "Zoë Private");
    assert_eq!(mine["person"]["email"], "zoe@example.org");
    assert_eq!(mine["mentorships"].as_array().unwrap().len(), 1);
    let check_in = &mine["checkIns"][0];
    assert_eq!(
        (
            &check_in["notes"],
            &check_in["menteePlans"],
            &check_in["supportNeeds"]
        ),
        (
            &json!("NOTES-SECRET"),
            &json!("PLANS-SECRET"),
            &json!("NEEDS-SECRET")
        )
    );
    assert_eq!(mine["supportRequests"][0]["subject"], "About my mentor");
    assert_eq!(mine["supportMessages"][0]["body"], "MESSAGE-SECRET");
    assert!(
        !mine["notifications"].as_array().unwrap().is_empty(),
        "the assignment notice"
    );
    assert_eq!(mine["truncated"], json!([]));

    let (status, theirs) = export(
        &app,
        &council.token,
        &format!("/api/v1/people/{}/export", mentee.id),
    )
    .await;
    assert_eq!(status, 200, "{theirs}");
    assert_eq!(theirs["scope"], "council");
    assert_eq!(theirs["person"]["email"], "zoe@example.org");
    let text = theirs.to_string();
    for private in ["NOTES-SECRET", "PLANS-SECRET", "NEEDS-SECRET"] {
        assert!(
            !text.contains(private),
            "the council's export holds {private}"
        );
    }
    assert_eq!(
        theirs["checkIns"].as_array().unwrap().len(),
        1,
        "the meeting itself is listed"
    );
    let read = app.ok(&council, r#"{ auditLog(first: 5, filter: {action: "export_person"}) { edges { node { subjectId actorId } } } }"#, json!({})).await;
    assert_eq!(
        read["auditLog"]["edges"][0]["node"]["subjectId"],
        mentee.id.as_str()
    );

    // The mentor's own export: the shared meeting, but not the request hidden from them.
    let (_, mentors) = export(&app, &mentor.token, "/api/v1/me/export").await;
    assert_eq!(mentors["checkIns"][0]["notes"], "NOTES-SECRET");
    assert!(
        mentors["auditEntries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "grant_mentor_role"),
        "{mentors}"
    );
    assert!(!mentors.to_string().contains("MESSAGE-SECRET"), "{mentors}");

    // Anyone else: another rep is refused, an unknown person is not found, no token is 401.
    let other = app.mentee().await;
    let (status, body) = export(
        &app,
        &other.token,
        &format!("/api/v1/people/{}/export", mentee.id),
    )
    .await;
    assert_eq!((status, error_code(&body)), (403, "FORBIDDEN"));
    let (status, body) = export(
        &app,
        &mentor.token,
        &format!("/api/v1/people/{}/export", mentee.id),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "FORBIDDEN"),
        "not even their mentor"
    );
    let unknown = uuid::Uuid::now_v7();
    let (status, body) = export(
        &app,
        &council.token,
        &format!("/api/v1/people/{unknown}/export"),
    )
    .await;
    assert_eq!((status, error_code(&body)), (404, "NOT_FOUND"));
    let (status, body) = export(&app, &council.token, "/api/v1/people/not-an-id/export").await;
    assert_eq!((status, error_code(&body)), (400, "BAD_USER_INPUT"));
    let anonymous = app
        .http
        .get(format!("{}/api/v1/me/export", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let (status, _) = export(
        &app,
        &app.machine_token("metrics:read"),
        "/api/v1/me/export",
    )
    .await;
    assert_eq!(status, 403, "a machine client has no data of its own");
}

const ERASE: &str = "mutation($id: ID!, $r: String!) { erasePerson(input: {personId: $id, reason: $r}) { id displayName status email country languages } }";
const FIGURES: &str = "query($at: DateTime!, $from: DateTime!) { programMetrics(asOf: $at, period: {from: $from, to: $at}) {
    mentors { total active } load { menteesPerMentor { median max } } orphans { count }
    checkIns { repsWithMentor covered overdue coverage } support { openedInPeriod open } } }";

#[tokio::test]
async fn erasure_forgets_the_person_everywhere_and_keeps_the_counts() {
    let app = spawn_app().await;
    let (council, mentor, mentee, mentorship) = program(&app).await;
    let at = app.clock.now();
    let from = at - chrono::Duration::days(30);
    let vars = json!({"at": at, "from": from});
    let before = app.ok(&council, FIGURES, vars.clone()).await;
    app.clock.advance(chrono::Duration::minutes(5));

    // Wrong role, bad input, an active mentor: refused, nothing changes.
    let body = app
        .graphql(&mentee.token, ERASE, json!({"id": mentor.id, "r": "x"}))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    let body = app
        .graphql(&council.token, ERASE, json!({"id": mentee.id, "r": "  "}))
        .await;
    assert_eq!(
        (
            error_code(&body),
            body["errors"][0]["extensions"]["field"].as_str()
        ),
        ("BAD_USER_INPUT", Some("input.reason"))
    );
    let body = app
        .graphql(&council.token, ERASE, json!({"id": mentor.id, "r": "left"}))
        .await;
    assert_eq!(
        error_code(&body),
        "CONFLICT",
        "an active mentor is re-assigned first: {body}"
    );
    let body = app
        .graphql(
            &council.token,
            ERASE,
            json!({"id": uuid::Uuid::now_v7(), "r": "x"}),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");

    let erased = app
        .ok(
            &council,
            ERASE,
            json!({"id": mentee.id, "r": "GDPR request #42"}),
        )
        .await["erasePerson"]
        .clone();
    assert_eq!(erased["displayName"], "Former rep #1");
    assert_eq!(
        (
            erased["status"].as_str(),
            &erased["email"],
            &erased["country"]
        ),
        (Some("ERASED"), &Value::Null, &Value::Null)
    );
    let again = app
        .graphql(
            &council.token,
            ERASE,
            json!({"id": mentee.id, "r": "twice"}),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");

    // Gone from queries: the council's, the former mentor's, the directory search.
    let seen = app.ok(&council, "query($m: ID!) { mentorship(id: $m) { status endReason mentee { displayName email } checkIns(first: 5) { edges { node { status notes } } } } }", json!({"m": mentorship})).await;
    assert_eq!(seen["mentorship"]["mentee"]["displayName"], "Former rep #1");
    assert_eq!(
        (
            seen["mentorship"]["status"].as_str(),
            seen["mentorship"]["endReason"].as_str()
        ),
        (Some("ENDED"), Some("MENTEE_LEFT"))
    );
    let by_mentor = app.ok(&mentor, "query($m: ID!) { mentorship(id: $m) { checkIns(first: 5) { edges { node { status notes menteePlans supportNeeds } } } } }", json!({"m": mentorship})).await;
    let meeting = &by_mentor["mentorship"]["checkIns"]["edges"][0]["node"];
    assert_eq!(
        (
            meeting["status"].as_str(),
            &meeting["notes"],
            &meeting["menteePlans"],
            &meeting["supportNeeds"]
        ),
        (Some("HELD"), &Value::Null, &Value::Null, &Value::Null)
    );
    let search = app
        .ok(
            &council,
            r#"{ people(first: 10, filter: {search: "Zoë"}) { edges { node { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(search["people"]["edges"], json!([]));
    let requests = app.ok(&council, "{ supportRequests(first: 5) { edges { node { subject messages(first: 5) { edges { node { body } } } } } } }", json!({})).await;
    assert!(
        !requests.to_string().contains("MESSAGE-SECRET")
            && !requests.to_string().contains("About my mentor"),
        "{requests}"
    );

    // Gone from exports and from the audit log, where the erasure itself is recorded.
    let (_, export_now) = export(
        &app,
        &council.token,
        &format!("/api/v1/people/{}/export", mentee.id),
    )
    .await;
    let audit = app
        .ok(
            &council,
            "{ auditLog(first: 100) { edges { node { action subjectId after before } } } }",
            json!({}),
        )
        .await;
    for text in [export_now.to_string(), audit.to_string()] {
        for gone in [
            "Zoë Private",
            "zoe@example.org",
            "NOTES-SECRET",
            "PLANS-SECRET",
            "NEEDS-SECRET",
            "MESSAGE-SECRET",
        ] {
            assert!(!text.contains(gone), "{gone} survived: {text}");
        }
    }
    let entries = audit["auditLog"]["edges"].as_array().unwrap();
    let entry = entries
        .iter()
        .find(|e| e["node"]["action"] == "erase_person")
        .expect("audited");
    assert_eq!(entry["node"]["after"]["reason"], "GDPR request #42");
    assert_eq!(entry["node"]["after"]["cleared"]["checkIns"], 1);

    // The same token signs in as a new, unknown person; the mentor keeps no notice of them.
    let fresh = app
        .ok(
            &mentee,
            "{ me { id displayName currentMentorship { id } } }",
            json!({}),
        )
        .await;
    assert_ne!(fresh["me"]["id"], mentee.id.as_str());
    assert_eq!(fresh["me"]["currentMentorship"], Value::Null);
    let inbox = app.notification_kinds(&mentor).await;
    assert!(inbox.contains(&"MENTORSHIP_ENDED".to_owned()), "{inbox:?}");

    // Nobody assigns or promotes a forgotten person.
    let body = app.graphql(&council.token, "mutation($e: ID!, $r: ID!) { assignMentor(input: {menteeId: $e, mentorId: $r}) { id } }", json!({"e": mentee.id, "r": mentor.id})).await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");
    let body = app
        .graphql(
            &council.token,
            "mutation($id: ID!) { grantMentorRole(input: {personId: $id, capacity: 2}) { id } }",
            json!({"id": mentee.id}),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body}");

    // What the metrics counted then, they still count.
    let after = app.ok(&council, FIGURES, vars).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn an_erasure_racing_an_assignment_leaves_no_active_mentorship_behind() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 50).await;
    for _ in 0..5 {
        let rep = app.mentee().await;
        let assign = app.graphql(&council.token, "mutation($e: ID!, $r: ID!) { assignMentor(input: {menteeId: $e, mentorId: $r}) { id } }", json!({"e": rep.id, "r": mentor.id}));
        let erase = app.graphql(&council.token, ERASE, json!({"id": rep.id, "r": "race"}));
        let (assigned, erased) = tokio::join!(assign, erase);
        assert!(
            erased["errors"].is_null(),
            "the erasure always wins: {erased}"
        );
        assert!(
            assigned["errors"].is_null()
                || error_code(&assigned) == "NOT_FOUND"
                || assigned["errors"][0]["extensions"]["retryable"] == true,
            "{assigned}"
        );
        let left = app
            .ok(
                &council,
                "query($id: ID!) { person(id: $id) { status currentMentorship { id } } }",
                json!({"id": rep.id}),
            )
            .await;
        assert_eq!(left["person"]["status"], "ERASED");
        assert_eq!(left["person"]["currentMentorship"], Value::Null, "{left}");
    }
}
