//! Touch-base meetings: the flows, privacy of notes, and due dates under a moving clock.

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const SCHEDULE: &str = "mutation($m: ID!, $at: DateTime!) {
    scheduleCheckIn(input: {mentorshipId: $m, scheduledFor: $at, agenda: \"plans for next year\"}) { id status } }";
const RECORD_PLANNED: &str = "mutation($c: ID!, $at: DateTime!) {
    recordCheckIn(input: {checkInId: $c, heldAt: $at, menteePlans: \"run an event\", supportNeeds: \"budget\", notes: \"went well\"}) { id status heldAt } }";
const RECORD_UNPLANNED: &str = "mutation($m: ID!, $at: DateTime!) {
    recordCheckIn(input: {mentorshipId: $m, heldAt: $at, notes: \"quick call\"}) { id status } }";
const CANCEL: &str = "mutation($c: ID!) { cancelCheckIn(input: {checkInId: $c, reason: \"ill\"}) { status cancelReason } }";
const DUE: &str =
    "query($m: ID!) { mentorship(id: $m) { lastCheckInAt nextCheckInDueBy checkInOverdue } }";
const NOTES: &str = "query($c: ID!) { checkIn(id: $c) { agenda menteePlans supportNeeds notes } }";

fn at(app: &TestApp, offset: Duration) -> String {
    use mentorship_api::clock::Clock;
    (app.clock.now() + offset).to_rfc3339_opts(SecondsFormat::Micros, true)
}

struct Pair {
    council: Member,
    mentee: Member,
    mentor: Member,
    mentorship: String,
}

async fn pair(app: &TestApp) -> Pair {
    let council = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&council, 3).await);
    let mentorship = app.assign(&council, &mentee, &mentor).await;
    Pair {
        council,
        mentee,
        mentor,
        mentorship,
    }
}

fn parse(ts: &Value) -> chrono::DateTime<Utc> {
    ts.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn plan_hold_and_cancel_meetings() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    let planned = app
        .ok(
            &p.mentee,
            SCHEDULE,
            json!({"m": p.mentorship, "at": at(&app, Duration::days(7))}),
        )
        .await;
    let id = planned["scheduleCheckIn"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(planned["scheduleCheckIn"]["status"], "PLANNED");
    let held = app
        .ok(
            &p.mentor,
            RECORD_PLANNED,
            json!({"c": id, "at": at(&app, Duration::zero())}),
        )
        .await;
    assert_eq!(held["recordCheckIn"]["status"], "HELD");
    // A held meeting can neither be held again nor cancelled.
    let again = app
        .graphql(
            &p.mentor.token,
            RECORD_PLANNED,
            json!({"c": id, "at": at(&app, Duration::zero())}),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    assert_eq!(
        error_code(&app.graphql(&p.mentor.token, CANCEL, json!({"c": id})).await),
        "CONFLICT"
    );
    let second = app
        .ok(
            &p.mentor,
            SCHEDULE,
            json!({"m": p.mentorship, "at": at(&app, Duration::days(30))}),
        )
        .await;
    let second = second["scheduleCheckIn"]["id"].as_str().unwrap().to_owned();
    let cancelled = app.ok(&p.mentee, CANCEL, json!({"c": second})).await;
    assert_eq!(
        cancelled["cancelCheckIn"],
        json!({"status": "CANCELLED", "cancelReason": "ill"})
    );
    let unplanned = app
        .ok(
            &p.mentee,
            RECORD_UNPLANNED,
            json!({"m": p.mentorship, "at": at(&app, Duration::zero())}),
        )
        .await;
    assert_eq!(unplanned["recordCheckIn"]["status"], "HELD");
    let list = app
        .ok(&p.council, "query($m: ID!) { mentorship(id: $m) { checkIns(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { status } } } } }", json!({"m": p.mentorship}))
        .await;
    let conn = &list["mentorship"]["checkIns"];
    assert_eq!(conn["totalCount"], 3);
    assert_eq!(conn["pageInfo"]["hasNextPage"], true);
    let rest = app
        .ok(&p.council, "query($m: ID!, $a: String) { mentorship(id: $m) { checkIns(first: 2, after: $a) { pageInfo { hasNextPage } edges { node { status } } } } }", json!({"m": p.mentorship, "a": conn["pageInfo"]["endCursor"]}))
        .await;
    assert_eq!(
        rest["mentorship"]["checkIns"]["edges"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        rest["mentorship"]["checkIns"]["pageInfo"]["hasNextPage"],
        false
    );
}

#[tokio::test]
async fn private_notes_stay_between_the_two_participants() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    let held = app
        .ok(
            &p.mentor,
            SCHEDULE,
            json!({"m": p.mentorship, "at": at(&app, Duration::days(1))}),
        )
        .await;
    let id = held["scheduleCheckIn"]["id"].as_str().unwrap().to_owned();
    app.ok(
        &p.mentor,
        RECORD_PLANNED,
        json!({"c": id, "at": at(&app, Duration::zero())}),
    )
    .await;
    let full = json!({"agenda": "plans for next year", "menteePlans": "run an event", "supportNeeds": "budget", "notes": "went well"});
    let hidden = json!({"agenda": "plans for next year", "menteePlans": null, "supportNeeds": null, "notes": null});
    assert_eq!(
        app.ok(&p.mentee, NOTES, json!({"c": id})).await["checkIn"],
        full
    );
    assert_eq!(
        app.ok(&p.mentor, NOTES, json!({"c": id})).await["checkIn"],
        full
    );
    assert_eq!(
        app.ok(&p.council, NOTES, json!({"c": id})).await["checkIn"],
        hidden
    );
    // The next mentor sees the history, not the notes; the former mentor keeps them.
    let later = app.mentor(&p.council, 3).await;
    app.ok(
        &p.council,
        "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }",
        json!({"e": p.mentee.id, "r": later.id}),
    )
    .await;
    assert_eq!(
        app.ok(&later, NOTES, json!({"c": id})).await["checkIn"],
        hidden
    );
    assert_eq!(
        app.ok(&p.mentor, NOTES, json!({"c": id})).await["checkIn"],
        full
    );
    let stranger = app.mentor(&p.council, 3).await;
    assert_eq!(
        error_code(&app.graphql(&stranger.token, NOTES, json!({"c": id})).await),
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn due_dates_follow_the_clock_first_meeting_then_yearly() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    let due = app.ok(&p.council, DUE, json!({"m": p.mentorship})).await["mentorship"].clone();
    assert!(due["lastCheckInAt"].is_null());
    assert_eq!(due["checkInOverdue"], false);
    let first_due = parse(&due["nextCheckInDueBy"]);
    let started: Value = app
        .ok(
            &p.council,
            "query($m: ID!) { mentorship(id: $m) { startedAt } }",
            json!({"m": p.mentorship}),
        )
        .await;
    assert_eq!(
        first_due - parse(&started["mentorship"]["startedAt"]),
        Duration::days(30)
    );

    let overdue = "{ mentorships(filter: {overdue: true}) { totalCount edges { node { id } } } }";
    assert_eq!(
        app.ok(&p.council, overdue, json!({})).await["mentorships"]["totalCount"],
        0
    );
    app.clock.advance(Duration::days(31));
    assert_eq!(
        app.ok(&p.council, DUE, json!({"m": p.mentorship})).await["mentorship"]["checkInOverdue"],
        true
    );
    let listed = app.ok(&p.council, overdue, json!({})).await;
    assert_eq!(
        listed["mentorships"]["edges"][0]["node"]["id"],
        p.mentorship
    );

    let held_at = at(&app, -Duration::days(1));
    app.ok(
        &p.mentee,
        RECORD_UNPLANNED,
        json!({"m": p.mentorship, "at": held_at}),
    )
    .await;
    let after = app.ok(&p.council, DUE, json!({"m": p.mentorship})).await["mentorship"].clone();
    assert_eq!(
        parse(&after["lastCheckInAt"]),
        held_at.parse::<chrono::DateTime<Utc>>().unwrap()
    );
    assert_eq!(
        parse(&after["nextCheckInDueBy"]) - parse(&after["lastCheckInAt"]),
        Duration::days(365)
    );
    assert_eq!(after["checkInOverdue"], false);
    assert_eq!(
        app.ok(&p.council, overdue, json!({})).await["mentorships"]["totalCount"],
        0
    );
    let on_time = "{ mentorships(filter: {overdue: false}) { totalCount } }";
    assert_eq!(
        app.ok(&p.council, on_time, json!({})).await["mentorships"]["totalCount"],
        1
    );

    app.clock.advance(Duration::days(365));
    assert_eq!(
        app.ok(&p.council, DUE, json!({"m": p.mentorship})).await["mentorship"]["checkInOverdue"],
        true
    );
    assert_eq!(
        app.ok(&p.council, overdue, json!({})).await["mentorships"]["totalCount"],
        1
    );
}

#[tokio::test]
async fn meetings_of_an_ended_mentorship_cannot_change() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    app.ok(
        &p.council,
        "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: MENTEE_LEFT}) { id } }",
        json!({"m": p.mentorship}),
    )
    .await;
    let body = app
        .graphql(
            &p.mentor.token,
            RECORD_UNPLANNED,
            json!({"m": p.mentorship, "at": at(&app, Duration::zero())}),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    let due = app.ok(&p.mentee, DUE, json!({"m": p.mentorship})).await;
    assert!(due["mentorship"]["nextCheckInDueBy"].is_null());
}

const BY_LATEST: &str = "query($m: ID!, $after: String) { mentorship(id: $m) {
    checkIns(first: 2, after: $after, orderBy: HELD_AT_DESC) {
        totalCount pageInfo { hasNextPage endCursor } nodes { id status } } } }";

#[tokio::test]
async fn check_ins_page_latest_meeting_first() {
    let app = spawn_app().await;
    let p = pair(&app).await;
    app.clock.advance(Duration::days(30));
    // Recorded out of the order in which they were held.
    let mut held = Vec::new();
    for days_ago in [20, 5, 25, 1] {
        let at = at(&app, -Duration::days(days_ago));
        let data = app
            .ok(
                &p.mentor,
                RECORD_UNPLANNED,
                json!({"m": p.mentorship, "at": at}),
            )
            .await;
        held.push((days_ago, data["recordCheckIn"]["id"].clone()));
    }
    let planned = app
        .ok(
            &p.mentee,
            SCHEDULE,
            json!({"m": p.mentorship, "at": at(&app, Duration::days(7))}),
        )
        .await["scheduleCheckIn"]["id"]
        .clone();
    held.sort_by_key(|(days_ago, _)| *days_ago);
    let mut expected = vec![planned];
    expected.extend(held.iter().map(|(_, id)| id.clone()));

    // The first page comes from the batched loader, later ones from the keyset query.
    let (mut seen, mut after) = (Vec::new(), Value::Null);
    loop {
        let data = app
            .ok(
                &p.mentee,
                BY_LATEST,
                json!({"m": p.mentorship, "after": after}),
            )
            .await;
        let list = &data["mentorship"]["checkIns"];
        assert_eq!(list["totalCount"], 5);
        seen.extend(
            list["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].clone()),
        );
        if list["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, expected);

    // The default stays creation order, for clients that page without `orderBy`.
    let created = app
        .ok(
            &p.mentee,
            "query($m: ID!) { mentorship(id: $m) { checkIns { nodes { id } } } }",
            json!({"m": p.mentorship}),
        )
        .await;
    let ids: Vec<Value> = created["mentorship"]["checkIns"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].clone())
        .collect();
    assert_eq!(ids.len(), 5);
    assert_eq!(ids[0], held.iter().find(|(d, _)| *d == 20).unwrap().1);
}
