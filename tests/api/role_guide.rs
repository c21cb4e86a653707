//! The mentor role guide: versions, acknowledgement, who has and hasn't read it.

use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const PUBLISH: &str = "mutation($i: PublishRoleGuideInput!) { publishRoleGuide(input: $i) { version title mentorsDo mentorsDont } }";
const ACK: &str = "mutation($v: Int!) { acknowledgeRoleGuide(input: {version: $v}) { version acknowledgedByMe } }";
const READERS: &str = "{ currentRoleGuide { version acknowledgedBy { totalCount edges { node { id } } } pendingMentors { totalCount edges { node { id } } } } }";

async fn publish(app: &TestApp, c: &Member, title: &str) -> Value {
    let input = json!({"title": title, "body": "# Mentors support", "mentorsDo": ["Meet each mentee yearly"], "mentorsDont": ["Police reps"]});
    app.ok(c, PUBLISH, json!({"i": input})).await["publishRoleGuide"].clone()
}

fn ids(conn: &Value) -> Vec<&str> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_new_version_asks_every_mentor_again() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (a, b) = (app.mentor(&c, 2).await, app.mentor(&c, 2).await);
    let v1 = publish(&app, &c, "Being a mentor").await;
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["mentorsDont"], json!(["Police reps"]));
    let told = app
        .ok(
            &a,
            "{ myNotifications(first: 1) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        told["myNotifications"]["edges"][0]["node"]["kind"],
        "ROLE_GUIDE_PUBLISHED"
    );
    let acked = app.ok(&a, ACK, json!({"v": 1})).await;
    assert_eq!(acked["acknowledgeRoleGuide"]["acknowledgedByMe"], true);
    app.ok(&a, ACK, json!({"v": 1})).await; // twice is fine
    let readers = app.ok(&c, READERS, json!({})).await;
    assert_eq!(
        ids(&readers["currentRoleGuide"]["acknowledgedBy"]),
        [a.id.as_str()]
    );
    assert_eq!(
        ids(&readers["currentRoleGuide"]["pendingMentors"]),
        [b.id.as_str()]
    );

    publish(&app, &c, "Being a mentor, revised").await;
    let reset = app.ok(&c, READERS, json!({})).await;
    assert_eq!(reset["currentRoleGuide"]["version"], 2);
    assert_eq!(
        reset["currentRoleGuide"]["acknowledgedBy"]["totalCount"], 0,
        "a new version resets acknowledgement"
    );
    assert_eq!(reset["currentRoleGuide"]["pendingMentors"]["totalCount"], 2);
    assert_eq!(
        error_code(&app.graphql(&a.token, ACK, json!({"v": 1})).await),
        "CONFLICT",
        "only the current version"
    );
    assert_eq!(
        error_code(&app.graphql(&a.token, ACK, json!({"v": 9})).await),
        "NOT_FOUND"
    );
    // Mentors see the guide but not who read it.
    let mentor_view = app.ok(&b, READERS, json!({})).await;
    assert!(mentor_view["currentRoleGuide"]["acknowledgedBy"].is_null());
}

#[tokio::test]
async fn only_the_council_publishes_and_only_mentors_acknowledge() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (rep, mentor) = (app.mentee().await, app.mentor(&c, 1).await);
    let input = json!({"i": {"title": "T", "body": "B"}});
    for who in [&rep, &mentor] {
        assert_eq!(
            error_code(&app.graphql(&who.token, PUBLISH, input.clone()).await),
            "FORBIDDEN"
        );
    }
    publish(&app, &c, "Guide").await;
    assert_eq!(
        error_code(&app.graphql(&rep.token, ACK, json!({"v": 1})).await),
        "FORBIDDEN"
    );
    assert_eq!(
        app.ok(&rep, "{ currentRoleGuide { version } }", json!({}))
            .await["currentRoleGuide"]["version"],
        1
    );
    let machine = app.machine_token("metrics:read");
    assert_eq!(
        error_code(
            &app.graphql(&machine, "{ currentRoleGuide { version } }", json!({}))
                .await
        ),
        "FORBIDDEN"
    );
    for (bad, field) in [
        (json!({"title": " ", "body": "B"}), "input.title"),
        (json!({"title": "T", "body": ""}), "input.body"),
        (
            json!({"title": "T", "body": "B", "mentorsDo": [""]}),
            "input.mentorsDo",
        ),
        (
            json!({"title": "T", "body": "B", "mentorsDont": vec!["x"; 31]}),
            "input.mentorsDont",
        ),
    ] {
        let body = app.graphql(&c.token, PUBLISH, json!({"i": bad})).await;
        assert_eq!(
            (
                error_code(&body),
                body["errors"][0]["extensions"]["field"].as_str()
            ),
            ("BAD_USER_INPUT", Some(field))
        );
    }
}
