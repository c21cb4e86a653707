//! Mentor calls: invitations, RSVPs, attendance and the missed-calls alert.

use chrono::{Duration, SecondsFormat};
use mentorship_api::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app, spawn_app_with};

const SCHEDULE: &str =
    "mutation($i: ScheduleMentorCallInput!) { scheduleMentorCall(input: $i) { id status } }";
const RECORD: &str = "mutation($i: RecordMentorCallInput!) { recordMentorCall(input: $i) { status minutes actionItems } }";

async fn call(app: &TestApp, c: &Member) -> Value {
    let at = (app.clock.now() + Duration::days(1)).to_rfc3339_opts(SecondsFormat::Micros, true);
    let input =
        json!({"scheduledFor": at, "agenda": "Updates", "link": "https://meet.example.org/reps"});
    app.ok(c, SCHEDULE, json!({"i": input})).await["scheduleMentorCall"]["id"].clone()
}

async fn missed_alerts(app: &TestApp, c: &Member) -> u64 {
    let data = app
        .ok(
            c,
            "{ mentorAlerts(filter: {kind: MISSED_CALLS}) { totalCount } }",
            json!({}),
        )
        .await;
    data["mentorAlerts"]["totalCount"].as_u64().unwrap()
}

#[tokio::test]
async fn a_mentor_who_misses_three_calls_in_a_row_raises_one_alert() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (steady, absent) = (app.mentor(&c, 2).await, app.mentor(&c, 2).await);
    for round in 1..=4 {
        let id = call(&app, &c).await;
        app.clock.advance(Duration::days(2));
        let input = json!({"callId": id, "attendedMentorIds": [steady.id], "minutes": "Notes", "actionItems": ["Relay the budget news"]});
        let recorded = app.ok(&c, RECORD, json!({"i": input})).await;
        assert_eq!(recorded["recordMentorCall"]["status"], "HELD");
        let want = if round < 3 { 0 } else { 1 };
        assert_eq!(
            missed_alerts(&app, &c).await,
            want,
            "after {round} missed calls"
        );
    }
    let alert = app
        .ok(
            &c,
            "{ mentorAlerts(filter: {kind: MISSED_CALLS}) { edges { node { mentor { id } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        alert["mentorAlerts"]["edges"][0]["node"]["mentor"]["id"],
        absent.id
    );
}

#[tokio::test]
async fn invited_mentors_rsvp_and_the_council_records_once() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 2).await;
    let rep = app.mentee().await;
    let id = call(&app, &c).await;
    let rsvp = "mutation($id: ID!) { rsvpMentorCall(callId: $id, response: YES) { myRsvp } }";
    assert_eq!(
        app.ok(&mentor, rsvp, json!({"id": id})).await["rsvpMentorCall"]["myRsvp"],
        "YES"
    );
    assert_eq!(
        error_code(&app.graphql(&rep.token, rsvp, json!({"id": id})).await),
        "NOT_FOUND",
        "not invited"
    );
    let count = "{ mentorCalls { totalCount } }";
    for (who, want) in [(&mentor, 1), (&rep, 0), (&c, 1)] {
        assert_eq!(
            app.ok(who, count, json!({})).await["mentorCalls"]["totalCount"],
            want
        );
    }
    let early = app
        .graphql(&c.token, RECORD, json!({"i": {"callId": id}}))
        .await;
    assert_eq!(error_code(&early), "CONFLICT", "not held yet");
    app.clock.advance(Duration::days(2));
    let stranger = app
        .graphql(
            &c.token,
            RECORD,
            json!({"i": {"callId": id, "attendedMentorIds": [rep.id]}}),
        )
        .await;
    assert_eq!(
        stranger["errors"][0]["extensions"]["field"],
        "input.attendedMentorIds"
    );
    app.ok(
        &c,
        RECORD,
        json!({"i": {"callId": id, "attendedMentorIds": [mentor.id]}}),
    )
    .await;
    assert_eq!(
        error_code(
            &app.graphql(&c.token, RECORD, json!({"i": {"callId": id}}))
                .await
        ),
        "CONFLICT"
    );
    let seen = app.ok(&c, "query($id: ID!) { mentorCall(id: $id) { attendance { mentor { id } rsvp attended } } }", json!({"id": id})).await;
    assert_eq!(
        seen["mentorCall"]["attendance"],
        json!([{"mentor": {"id": mentor.id}, "rsvp": "YES", "attended": true}])
    );
    assert!(
        app.ok(
            &mentor,
            "query($id: ID!) { mentorCall(id: $id) { attendance { attended } } }",
            json!({"id": id})
        )
        .await["mentorCall"]["attendance"]
            .is_null()
    );
    for who in [&mentor, &rep] {
        let body = app
            .graphql(
                &who.token,
                SCHEDULE,
                json!({"i": {"scheduledFor": "2030-01-01T00:00:00Z", "agenda": "x"}}),
            )
            .await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    for (bad, field) in [
        (
            json!({"scheduledFor": "2000-01-01T00:00:00Z", "agenda": "x"}),
            "input.scheduledFor",
        ),
        (
            json!({"scheduledFor": (app.clock.now() + Duration::days(1)).to_rfc3339(), "agenda": ""}),
            "input.agenda",
        ),
        (
            json!({"scheduledFor": (app.clock.now() + Duration::days(1)).to_rfc3339(), "agenda": "x", "link": "ftp://x"}),
            "input.link",
        ),
    ] {
        let body = app.graphql(&c.token, SCHEDULE, json!({"i": bad})).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
}

#[tokio::test]
async fn a_call_is_recorded_once_even_when_two_recordings_race() {
    let app = spawn_app().await;
    let c = app.council().await;
    let m = app.mentor(&c, 2).await;
    let id = call(&app, &c).await;
    app.clock.advance(Duration::days(2));
    let input = |minutes: &str| json!({"i": {"callId": id, "attendedMentorIds": [m.id], "minutes": minutes}});
    let (a, b) = tokio::join!(
        app.graphql(&c.token, RECORD, input("first")),
        app.graphql(&c.token, RECORD, input("second"))
    );
    let mut codes = [error_code(&a), error_code(&b)];
    codes.sort();
    assert_eq!(codes, ["<none>", "CONFLICT"], "{a} {b}");
}

#[tokio::test]
async fn the_missed_calls_count_is_the_configured_one() {
    let app = spawn_app_with(|s| s.missed_calls_alert = 2).await;
    let c = app.council().await;
    let (steady, absent) = (app.mentor(&c, 2).await, app.mentor(&c, 2).await);
    let hold = |attended: Vec<String>| {
        let (app, c) = (&app, &c);
        async move {
            let id = call(app, c).await;
            app.clock.advance(Duration::days(2));
            let input = json!({"i": {"callId": id, "attendedMentorIds": attended}});
            app.ok(c, RECORD, input).await;
        }
    };
    hold(vec![steady.id.clone()]).await;
    assert_eq!(missed_alerts(&app, &c).await, 0, "one missed call");
    hold(vec![steady.id.clone()]).await;
    assert_eq!(
        missed_alerts(&app, &c).await,
        1,
        "two in a row: the configured count"
    );
    let open = app
        .ok(
            &c,
            "{ mentorAlerts(filter: {kind: MISSED_CALLS}) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let alert = open["mentorAlerts"]["edges"][0]["node"]["id"].clone();
    app.ok(
        &c,
        "mutation($id: ID!) { resolveMentorAlert(input: {alertId: $id, resolution: \"Talked\"}) { id } }",
        json!({"id": alert}),
    )
    .await;
    hold(vec![steady.id.clone(), absent.id.clone()]).await;
    hold(vec![steady.id.clone()]).await;
    assert_eq!(
        missed_alerts(&app, &c).await,
        1,
        "attending broke the streak: one miss since"
    );
    hold(vec![steady.id.clone()]).await;
    assert_eq!(
        missed_alerts(&app, &c).await,
        2,
        "a new streak of two raises a new alert"
    );
}
