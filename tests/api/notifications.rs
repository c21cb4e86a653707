//! The inbox: written with the change it reports, read and marked by its owner only.

use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const INBOX: &str = "{ unreadNotificationCount myNotifications { totalCount edges { node { id kind title body subjectId readAt } } } }";

async fn inbox(app: &TestApp, who: &Member) -> Value {
    app.ok(who, INBOX, json!({})).await
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["myNotifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn assignment_changes_notify_everyone_involved() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (mentee, first, second) = (
        app.mentee().await,
        app.mentor(&c, 3).await,
        app.mentor(&c, 3).await,
    );
    let ms = app.assign(&c, &mentee, &first).await;
    let got = inbox(&app, &mentee).await;
    assert_eq!(kinds(&got), ["MENTORSHIP_STARTED"]);
    let node = &got["myNotifications"]["edges"][0]["node"];
    assert_eq!(node["subjectId"], ms);
    assert!(
        node["body"].as_str().unwrap().contains("Test Rep"),
        "names the mentor: {node}"
    );
    app.ok(&c, "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }", json!({"e": mentee.id, "r": second.id}))
        .await;
    assert_eq!(
        kinds(&inbox(&app, &mentee).await),
        ["MENTOR_REASSIGNED", "MENTORSHIP_STARTED"],
        "newest first"
    );
    assert_eq!(
        kinds(&inbox(&app, &first).await),
        ["MENTOR_REASSIGNED", "MENTORSHIP_STARTED"]
    );
    assert_eq!(kinds(&inbox(&app, &second).await), ["MENTORSHIP_STARTED"]);
    assert_eq!(
        inbox(&app, &c).await["myNotifications"]["totalCount"],
        0,
        "the council acted, nobody told it"
    );
}

#[tokio::test]
async fn a_refused_change_notifies_nobody() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (mentee, first, full) = (
        app.mentee().await,
        app.mentor(&c, 3).await,
        app.mentor(&c, 0).await,
    );
    app.assign(&c, &mentee, &first).await;
    let refused = app
        .graphql(&c.token, "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }", json!({"e": mentee.id, "r": full.id}))
        .await;
    assert_eq!(error_code(&refused), "CAPACITY_EXCEEDED");
    assert_eq!(kinds(&inbox(&app, &mentee).await), ["MENTORSHIP_STARTED"]);
    assert_eq!(kinds(&inbox(&app, &first).await), ["MENTORSHIP_STARTED"]);
    assert_eq!(inbox(&app, &full).await["myNotifications"]["totalCount"], 0);
}

#[tokio::test]
async fn people_mark_their_own_notifications_read() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    let ms = app.assign(&c, &mentee, &mentor).await;
    app.ok(
        &c,
        "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: OTHER}) { id } }",
        json!({"m": ms}),
    )
    .await;
    let mine = inbox(&app, &mentee).await;
    assert_eq!(mine["unreadNotificationCount"], 2);
    let ids: Vec<Value> = mine["myNotifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    let mark = "mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { marked unreadCount } }";
    // Someone else's ids change nothing.
    let theirs = app.ok(&mentor, mark, json!({"i": {"ids": ids}})).await;
    assert_eq!(
        theirs["markNotificationsRead"],
        json!({"marked": 0, "unreadCount": 2})
    );
    let one = app.ok(&mentee, mark, json!({"i": {"ids": [ids[0]]}})).await;
    assert_eq!(
        one["markNotificationsRead"],
        json!({"marked": 1, "unreadCount": 1})
    );
    let unread = app
        .ok(
            &mentee,
            "{ myNotifications(unreadOnly: true) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(unread["myNotifications"]["edges"][0]["node"]["id"], ids[1]);
    let all = app.ok(&mentee, mark, json!({"i": {"all": true}})).await;
    assert_eq!(
        all["markNotificationsRead"],
        json!({"marked": 1, "unreadCount": 0})
    );
    assert!(
        inbox(&app, &mentee).await["myNotifications"]["edges"][0]["node"]["readAt"].is_string()
    );
    for bad in [
        json!({}),
        json!({"ids": [ids[0]], "all": true}),
        json!({"ids": vec![ids[0].clone(); 101]}),
        json!({"ids": ["nope"]}),
    ] {
        let body = app.graphql(&mentee.token, mark, json!({"i": bad})).await;
        assert_eq!(
            (
                error_code(&body),
                body["errors"][0]["extensions"]["field"].as_str()
            ),
            ("BAD_USER_INPUT", Some("input.ids")),
            "{bad}"
        );
    }
    let machine = app.machine_token("metrics:read");
    assert_eq!(
        error_code(&app.graphql(&machine, INBOX, json!({})).await),
        "FORBIDDEN"
    );
}
