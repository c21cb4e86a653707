//! Announcements: relay, exact reach on a seeded program, the relay reminder once.

use chrono::Duration;
use mentorship_api::jobs;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const PUBLISH: &str = "mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { id relayRequired } }";
const RELAY: &str = "mutation($i: RelayAnnouncementInput!) { relayAnnouncement(input: $i) }";
const ACK: &str =
    "mutation($id: ID!) { acknowledgeAnnouncement(announcementId: $id) { acknowledgedByMe } }";
const REACH: &str = "query($id: ID!) { announcement(id: $id) { reach {
    reached { totalCount edges { node { id } } }
    pending { totalCount edges { node { id } } }
    notReachable { totalCount edges { node { id } } } } } }";

fn ids(conn: &Value) -> Vec<String> {
    let mut ids: Vec<String> = conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn sorted(members: &[&Member]) -> Vec<String> {
    let mut ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    ids.sort();
    ids
}

async fn relay_reminders(app: &TestApp) -> usize {
    let state = &app.state;
    jobs::run_once(state.db(), state.settings(), state.clock().now())
        .await
        .unwrap()
        .relay_reminders
}

#[tokio::test]
async fn reach_is_exact_and_the_relay_reminder_fires_once() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (a, b, m) = (
        app.mentor(&c, 5).await,
        app.mentor(&c, 5).await,
        app.mentor(&c, 5).await,
    );
    let (a1, a2, b1, b2, m1, orphan) = (
        app.mentee().await,
        app.mentee().await,
        app.mentee().await,
        app.mentee().await,
        app.mentee().await,
        app.mentee().await,
    );
    for (mentee, mentor) in [(&a1, &a), (&a2, &a), (&b1, &b), (&b2, &b), (&m1, &m)] {
        app.assign(&c, mentee, mentor).await;
    }
    let input = json!({"title": "New budget process", "body": "Read this.", "audience": "MENTORS", "relayRequired": true});
    let id = app.ok(&c, PUBLISH, json!({"i": input})).await["publishAnnouncement"]["id"].clone();
    // A relays to all, B to one, M to nobody; A and B read it themselves.
    assert_eq!(
        app.ok(
            &a,
            RELAY,
            json!({"i": {"announcementId": id, "channel": "call"}})
        )
        .await["relayAnnouncement"],
        2
    );
    assert_eq!(
        app.ok(
            &b,
            RELAY,
            json!({"i": {"announcementId": id, "menteeIds": [b1.id], "channel": "email"}})
        )
        .await["relayAnnouncement"],
        1
    );
    assert_eq!(
        app.ok(
            &a,
            RELAY,
            json!({"i": {"announcementId": id, "channel": "call"}})
        )
        .await["relayAnnouncement"],
        0,
        "counted once"
    );
    for mentor in [&a, &b] {
        assert_eq!(
            app.ok(mentor, ACK, json!({"id": id})).await["acknowledgeAnnouncement"]["acknowledgedByMe"],
            true
        );
    }
    let reach = app.ok(&c, REACH, json!({"id": id})).await["announcement"]["reach"].clone();
    assert_eq!(ids(&reach["reached"]), sorted(&[&a, &b, &a1, &a2, &b1]));
    assert_eq!(
        ids(&reach["pending"]),
        sorted(&[&b2, &m1, &m]),
        "M has no mentor but got it in the inbox: reachable, not read yet"
    );
    assert_eq!(
        ids(&reach["notReachable"]),
        sorted(&[&orphan]),
        "no mentor, not in the inbox"
    );
    // The counts (one grouped statement for a whole list) agree with the lists.
    for status in ["reached", "pending", "notReachable"] {
        assert_eq!(
            reach[status]["totalCount"],
            reach[status]["edges"].as_array().unwrap().len(),
            "{status}"
        );
    }
    assert_eq!(reach["pending"]["totalCount"], 3);
    // Asked the way most clients ask — `nodes`, with or without `totalCount` — the lists hold
    // exactly the people their counts count.
    for shape in ["totalCount nodes { id }", "nodes { id }"] {
        let q = format!(
            "query($id: ID!) {{ announcement(id: $id) {{ reach {{ reached(first: 10) {{ {shape} }} pending(first: 10) {{ {shape} }} notReachable(first: 10) {{ {shape} }} }} }} }}"
        );
        let by_nodes = app.ok(&c, &q, json!({"id": id})).await["announcement"]["reach"].clone();
        for status in ["reached", "pending", "notReachable"] {
            let mut listed: Vec<String> = by_nodes[status]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_owned())
                .collect();
            listed.sort();
            assert_eq!(listed, ids(&reach[status]), "{status} by {shape}");
            assert_eq!(
                listed.len() as u64,
                reach[status]["totalCount"].as_u64().unwrap(),
                "{status} by {shape}"
            );
        }
    }

    app.clock.advance(Duration::days(6));
    assert_eq!(relay_reminders(&app).await, 0);
    app.clock.advance(Duration::days(2));
    assert_eq!(
        relay_reminders(&app).await,
        1,
        "only the mentor who relayed nothing"
    );
    assert_eq!(relay_reminders(&app).await, 0, "once");
    let told = app
        .ok(
            &m,
            "{ myNotifications(first: 1) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        told["myNotifications"]["edges"][0]["node"]["kind"],
        "RELAY_REMINDER"
    );
}

#[tokio::test]
async fn relays_go_to_own_mentees_only_and_reach_is_for_the_council() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (a, b) = (app.mentor(&c, 5).await, app.mentor(&c, 5).await);
    let (a1, b1) = (app.mentee().await, app.mentee().await);
    app.assign(&c, &a1, &a).await;
    app.assign(&c, &b1, &b).await;
    let relay_needed =
        json!({"i": {"title": "T", "body": "B", "audience": "MENTORS", "relayRequired": true}});
    let id = app.ok(&c, PUBLISH, relay_needed).await["publishAnnouncement"]["id"].clone();
    let stranger = app
        .graphql(
            &a.token,
            RELAY,
            json!({"i": {"announcementId": id, "menteeIds": [b1.id], "channel": "call"}}),
        )
        .await;
    assert_eq!(
        (
            error_code(&stranger),
            stranger["errors"][0]["extensions"]["field"].as_str()
        ),
        ("BAD_USER_INPUT", Some("input.menteeIds"))
    );
    // Reps did not receive a mentors-only announcement.
    assert_eq!(
        error_code(&app.graphql(&a1.token, ACK, json!({"id": id})).await),
        "NOT_FOUND"
    );
    assert_eq!(
        error_code(&app.graphql(&a1.token, REACH, json!({"id": id})).await),
        "NOT_FOUND"
    );
    let mentor_view = app.ok(&a, REACH, json!({"id": id})).await;
    assert!(
        mentor_view["announcement"]["reach"].is_null(),
        "reach is the council's"
    );
    for who in [&a, &a1] {
        let body = app
            .graphql(
                &who.token,
                PUBLISH,
                json!({"i": {"title": "T", "body": "B", "audience": "ALL_REPS"}}),
            )
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let plain = app
        .ok(
            &c,
            PUBLISH,
            json!({"i": {"title": "News", "body": "B", "audience": "ALL_REPS", "country": "de"}}),
        )
        .await;
    let plain_id = plain["publishAnnouncement"]["id"].clone();
    let not_needed = app
        .graphql(
            &a.token,
            RELAY,
            json!({"i": {"announcementId": plain_id, "channel": "call"}}),
        )
        .await;
    assert_eq!(
        error_code(&not_needed),
        "NOT_FOUND",
        "nobody is in Germany here"
    );
    let mine = app
        .ok(&a1, "{ announcements { totalCount } }", json!({}))
        .await;
    assert_eq!(mine["announcements"]["totalCount"], 0);
    for (bad, field) in [
        (
            json!({"title": "", "body": "B", "audience": "MENTORS"}),
            "input.title",
        ),
        (
            json!({"title": "T", "body": " ", "audience": "MENTORS"}),
            "input.body",
        ),
        (
            json!({"title": "T", "body": "B", "audience": "MENTORS", "country": "XX"}),
            "input.country",
        ),
        (
            json!({"title": "T", "body": "B", "audience": "MENTORS", "language": "!!"}),
            "input.language",
        ),
    ] {
        let body = app.graphql(&c.token, PUBLISH, json!({"i": bad})).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
}
