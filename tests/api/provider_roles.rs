//! Roles follow the identity provider: a mentor-role token brings a mentor profile; the
//! role's disappearance is brought to the council once.

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

const ME: &str = "{ me { id roles mentorProfile { capacity status acceptingMentees } } }";

#[tokio::test]
async fn a_mentor_role_token_brings_a_profile_on_first_sign_in() {
    let app = spawn_app_with(|s| s.mentor_default_capacity = 4).await;
    let council = app.council().await;
    let token = app
        .issuer
        .token()
        .subject("new-mentor")
        .roles(&["mentee", "mentor"])
        .sign();
    // Concurrent first requests: one person, one profile, one audit entry.
    let calls = (0..4).map(|_| app.graphql(&token, ME, json!({})));
    let answers = futures::future::join_all(calls).await;
    for body in &answers {
        assert!(body["errors"].is_null(), "{body}");
        let me = &body["data"]["me"];
        assert_eq!(
            me["mentorProfile"],
            json!({"capacity": 4, "status": "ACTIVE", "acceptingMentees": true}),
            "{body}"
        );
        assert_eq!(me["id"], answers[0]["data"]["me"]["id"]);
    }
    let id = answers[0]["data"]["me"]["id"].as_str().unwrap().to_owned();

    // Every mentor operation agrees: the directory lists them, they report their load.
    let directory = app
        .ok(
            &council,
            "{ mentors(first: 10) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert!(
        directory["mentors"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["node"]["id"] == id.as_str())
    );
    let report = app.graphql(&token, r#"mutation { reportMentorLoad(input: {kind: OVERWHELMED, message: "busy month"}) { kind status } }"#, json!({})).await;
    assert_eq!(
        report["data"]["reportMentorLoad"]["status"], "OPEN",
        "{report}"
    );
    let audit = app.ok(&council, r#"{ auditLog(first: 10, filter: {action: "provision_mentor_profile"}) { edges { node { actor subjectId after } } } }"#, json!({})).await;
    let entries = audit["auditLog"]["edges"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["node"]["actor"], "system");
    assert_eq!(entries[0]["node"]["subjectId"], id.as_str());

    // A rep without the role gets none.
    let rep = app.mentee().await;
    let data = app.ok(&rep, ME, json!({})).await;
    assert_eq!(data["me"]["mentorProfile"], json!(null));
}

#[tokio::test]
async fn a_vanished_mentor_role_alerts_the_council_once_and_keeps_the_profile() {
    let app = spawn_app().await;
    let council = app.council().await;
    let as_mentor = app
        .issuer
        .token()
        .subject("leaving")
        .roles(&["mentee", "mentor"])
        .sign();
    app.graphql(&as_mentor, ME, json!({})).await;
    let as_rep = app
        .issuer
        .token()
        .subject("leaving")
        .roles(&["mentee"])
        .sign();
    for _ in 0..3 {
        let body = app.graphql(&as_rep, ME, json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        // The profile stays until the council acts, and with it the MENTOR role.
        assert_eq!(
            body["data"]["me"]["mentorProfile"]["status"], "ACTIVE",
            "{body}"
        );
        assert!(
            body["data"]["me"]["roles"]
                .as_array()
                .unwrap()
                .contains(&json!("MENTOR"))
        );
    }
    let alerts = app.ok(&council, "{ mentorAlerts(first: 10, filter: {kind: MENTOR_ROLE_REMOVED}) { edges { node { status mentor { id } } } } }", json!({})).await;
    let edges = alerts["mentorAlerts"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1, "alerted once: {edges:?}");
    let kinds = app.notification_kinds(&council).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "MENTOR_ALERT_OPENED").count(),
        1,
        "{kinds:?}"
    );
    // A mentor cannot report this kind themselves.
    let body = app
        .graphql(
            &as_mentor,
            "mutation { reportMentorLoad(input: {kind: MENTOR_ROLE_REMOVED}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(crate::helpers::app::error_code(&body), "BAD_USER_INPUT");
}
