//! Overwhelmed mentors, breaks and the council's all-or-nothing resolution.

use chrono::{Duration, SecondsFormat};
use mentorship_api::{clock::Clock, jobs};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const REPORT: &str = "mutation($i: ReportMentorLoadInput!) { reportMentorLoad(input: $i) { id kind status returnOn } }";
const RESOLVE: &str = "mutation($i: ResolveMentorAlertInput!) { resolveMentorAlert(input: $i) { status resolution handledAt } }";

async fn status_of(app: &TestApp, who: &Member, mentor: &Member) -> Value {
    app.ok(
        who,
        "query($id: ID!) { person(id: $id) { mentorProfile { status } } }",
        json!({"id": mentor.id}),
    )
    .await["person"]["mentorProfile"]["status"]
        .clone()
}

async fn mentor_of(app: &TestApp, c: &Member, mentee: &Member) -> Value {
    app.ok(
        c,
        "query($id: ID!) { person(id: $id) { currentMentorship { mentor { id } } } }",
        json!({"id": mentee.id}),
    )
    .await["person"]["currentMentorship"]["mentor"]["id"]
        .clone()
}

#[tokio::test]
async fn an_overwhelmed_mentor_stops_getting_mentees_and_the_council_is_told() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 5).await;
    let alert = app
        .ok(
            &mentor,
            REPORT,
            json!({"i": {"kind": "OVERWHELMED", "message": "Too much at work"}}),
        )
        .await;
    assert_eq!(alert["reportMentorLoad"]["status"], "OPEN");
    assert_eq!(status_of(&app, &c, &mentor).await, "OVERWHELMED");
    let inbox = app
        .ok(
            &c,
            "{ myNotifications { edges { node { kind subjectId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        inbox["myNotifications"]["edges"][0]["node"]["kind"],
        "MENTOR_ALERT_OPENED"
    );
    let assign = app
        .graphql(&c.token, "mutation($e: ID!, $r: ID!) { assignMentor(input: {menteeId: $e, mentorId: $r}) { id } }", json!({"e": app.mentee().await.id, "r": mentor.id}))
        .await;
    assert_eq!(error_code(&assign), "CAPACITY_EXCEEDED");
    let again = app
        .graphql(&mentor.token, REPORT, json!({"i": {"kind": "OVERWHELMED"}}))
        .await;
    assert_eq!(error_code(&again), "CONFLICT", "one open alert per kind");
    let rep = app.mentee().await;
    assert_eq!(
        error_code(
            &app.graphql(&rep.token, REPORT, json!({"i": {"kind": "OVERWHELMED"}}))
                .await
        ),
        "FORBIDDEN"
    );
    for (input, field) in [
        (json!({"kind": "INACTIVITY_DETECTED"}), "input.kind"),
        (json!({"kind": "NEEDS_BREAK"}), "input.returnOn"),
    ] {
        let body = app
            .graphql(&mentor.token, REPORT, json!({"i": input}))
            .await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
    let own = app
        .ok(&mentor, "{ mentorAlerts { totalCount } }", json!({}))
        .await;
    assert_eq!(own["mentorAlerts"]["totalCount"], 1);
    let other = app.mentor(&c, 1).await;
    assert_eq!(
        app.ok(&other, "{ mentorAlerts { totalCount } }", json!({}))
            .await["mentorAlerts"]["totalCount"],
        0
    );
    assert_eq!(
        app.ok(
            &c,
            "{ mentorAlerts(filter: {status: OPEN}) { totalCount } }",
            json!({})
        )
        .await["mentorAlerts"]["totalCount"],
        1
    );
}

#[tokio::test]
async fn a_resolution_with_one_impossible_reassignment_changes_nothing() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 5).await;
    let (a, b) = (app.mentee().await, app.mentee().await);
    app.assign(&c, &a, &mentor).await;
    app.assign(&c, &b, &mentor).await;
    let (roomy, full) = (app.mentor(&c, 5).await, app.mentor(&c, 0).await);
    let alert = app
        .ok(&mentor, REPORT, json!({"i": {"kind": "STEPPING_DOWN"}}))
        .await["reportMentorLoad"]["id"]
        .clone();
    let input = |second: &Member| {
        json!({"i": {"alertId": alert, "resolution": "Mentees moved", "mentorStatus": "RETIRED", "reassignments": [
            {"menteeId": a.id, "newMentorId": roomy.id},
            {"menteeId": b.id, "newMentorId": second.id},
        ]}})
    };
    let refused = app.graphql(&c.token, RESOLVE, input(&full)).await;
    assert_eq!(error_code(&refused), "CAPACITY_EXCEEDED");
    assert_eq!(
        mentor_of(&app, &c, &a).await,
        mentor.id,
        "the possible move was not made either"
    );
    assert_eq!(mentor_of(&app, &c, &b).await, mentor.id);
    assert_eq!(status_of(&app, &c, &mentor).await, "PAUSED");
    let open = app
        .ok(
            &c,
            "{ mentorAlerts(filter: {status: OPEN}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(open["mentorAlerts"]["totalCount"], 1);

    let done = app.ok(&c, RESOLVE, input(&roomy)).await;
    assert_eq!(done["resolveMentorAlert"]["status"], "RESOLVED");
    assert_eq!(
        (mentor_of(&app, &c, &a).await, mentor_of(&app, &c, &b).await),
        (json!(roomy.id), json!(roomy.id))
    );
    assert_eq!(status_of(&app, &c, &mentor).await, "RETIRED");
    let history = app
        .ok(&c, "query($id: ID!) { person(id: $id) { mentorshipHistory { edges { node { status endReason } } } } }", json!({"id": a.id}))
        .await;
    assert_eq!(
        history["person"]["mentorshipHistory"]["edges"][0]["node"]["endReason"],
        "MENTOR_STEPPED_DOWN"
    );
    let told = app
        .ok(
            &mentor,
            "{ myNotifications(first: 1) { edges { node { kind body } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        told["myNotifications"]["edges"][0]["node"]["kind"],
        "MENTOR_ALERT_RESOLVED"
    );
    assert_eq!(
        error_code(&app.graphql(&c.token, RESOLVE, input(&roomy)).await),
        "CONFLICT"
    );
}

#[tokio::test]
async fn a_mentor_back_from_a_break_is_active_again_on_the_return_date() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 2).await;
    let back = (app.clock.now() + Duration::days(10)).to_rfc3339_opts(SecondsFormat::Micros, true);
    app.ok(
        &mentor,
        REPORT,
        json!({"i": {"kind": "NEEDS_BREAK", "returnOn": back}}),
    )
    .await;
    assert_eq!(status_of(&app, &c, &mentor).await, "PAUSED");
    let run = || {
        let state = &app.state;
        jobs::run_once(state.db(), state.settings(), state.clock().now())
    };
    app.clock.advance(Duration::days(9));
    assert_eq!(run().await.unwrap().breaks_ended, 0);
    app.clock.advance(Duration::days(2));
    assert_eq!(run().await.unwrap().breaks_ended, 1);
    assert_eq!(run().await.unwrap().breaks_ended, 0, "once");
    assert_eq!(status_of(&app, &c, &mentor).await, "ACTIVE");
    let told = app
        .ok(
            &mentor,
            "{ myNotifications(first: 1) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        told["myNotifications"]["edges"][0]["node"]["kind"],
        "MENTOR_BACK_FROM_BREAK"
    );
}
