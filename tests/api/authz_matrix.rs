//! Who may do what: every query and mutation of the core, for the mentee, their current
//! mentor, another mentor, their former mentor, the council and a machine client.

use chrono::{Duration, SecondsFormat};
use mentorship_api::{clock::Clock, config::Switch};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app, spawn_app_with};

/// What a role gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// Success; the row's private field (if any) is present.
    Ok,
    /// Success, with the row's private field `null`.
    Hidden,
    Forbidden,
    NotFound,
    /// A participant acting on an ended mentorship.
    Conflict,
}
use Want::*;

const ROLES: [&str; 6] = [
    "mentee",
    "mentor",
    "other mentor",
    "former mentor",
    "council",
    "machine",
];

struct Row {
    name: &'static str,
    query: &'static str,
    /// Variables per role, in `ROLES` order.
    vars: Vec<Value>,
    /// A JSON pointer into `data` that is non-null for Ok and null for Hidden.
    private: Option<&'static str>,
    want: [Want; 6],
}

fn same(v: Value) -> Vec<Value> {
    vec![v; 6]
}

async fn ids(n: usize, make: impl AsyncFn() -> String) -> Vec<Value> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(json!(make().await));
    }
    out
}

#[tokio::test]
async fn every_role_gets_exactly_what_it_may() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (m, o, f) = (
        app.mentor(&c, 20).await,
        app.mentor(&c, 20).await,
        app.mentor(&c, 20).await,
    );
    let e = app.mentee().await;
    let now = |d: Duration| (app.clock.now() + d).to_rfc3339_opts(SecondsFormat::Micros, true);
    let record = "mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at, notes: \"private\"}) { id } }";

    let ms_old = app.assign(&c, &e, &f).await;
    let ck_old = app
        .ok(
            &f,
            record,
            json!({"m": ms_old, "at": now(Duration::zero())}),
        )
        .await["recordCheckIn"]["id"]
        .clone();
    let ms_current = app
        .ok(&c, "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }", json!({"e": e.id, "r": m.id}))
        .await["reassignMentor"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ck = app
        .ok(
            &m,
            record,
            json!({"m": ms_current, "at": now(Duration::zero())}),
        )
        .await["recordCheckIn"]["id"]
        .clone();

    let fresh_mentee = || async { app.mentee().await.id };
    let assigned_to_o = || async {
        let x: Member = app.mentee().await;
        app.assign(&c, &x, &o).await;
        x.id
    };
    let mentorship_of_o = || async {
        let x: Member = app.mentee().await;
        app.assign(&c, &x, &o).await
    };
    let planned = || async {
        let q = "mutation($m: ID!, $at: DateTime!) { scheduleCheckIn(input: {mentorshipId: $m, scheduledFor: $at}) { id } }";
        let d = app
            .ok(
                &m,
                q,
                json!({"m": ms_current, "at": now(Duration::days(3))}),
            )
            .await;
        d["scheduleCheckIn"]["id"].as_str().unwrap().to_owned()
    };
    let grant_targets = ids(6, fresh_mentee).await;
    let erase_targets = ids(6, fresh_mentee).await;
    let assign_targets = ids(6, fresh_mentee).await;
    let reassign_targets = ids(6, assigned_to_o).await;
    let end_targets = ids(6, mentorship_of_o).await;
    let cancel_targets = ids(6, planned).await;
    let per = |targets: &[Value], key: &str, extra: Value| -> Vec<Value> {
        targets
            .iter()
            .map(|t| {
                let mut v = extra.clone();
                v[key] = t.clone();
                v
            })
            .collect()
    };

    let rows = vec![
        Row {
            name: "person(rep)",
            query: "query($id: ID!) { person(id: $id) { id email } }",
            vars: same(json!({"id": e.id})),
            private: Some("/person/email"),
            want: [Ok, Ok, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "person(mentor)",
            query: "query($id: ID!) { person(id: $id) { id email mentorProfile { capacity } } }",
            vars: same(json!({"id": m.id})),
            private: Some("/person/email"),
            want: [Hidden, Ok, Hidden, Hidden, Ok, Forbidden],
        },
        Row {
            name: "people",
            query: "{ people { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "mentors",
            query: "{ mentors { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "mentorship(current)",
            query: "query($id: ID!) { mentorship(id: $id) { id note } }",
            vars: same(json!({"id": ms_current})),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "mentorship(former)",
            query: "query($id: ID!) { mentorship(id: $id) { id } }",
            vars: same(json!({"id": ms_old})),
            private: None,
            want: [Ok, Ok, NotFound, Ok, Ok, Forbidden],
        },
        Row {
            name: "mentorships",
            query: "{ mentorships { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "mentorSuggestions",
            query: "query($id: ID!) { mentorSuggestions(menteeId: $id) { score } }",
            vars: same(json!({"id": e.id})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "checkIn(current)",
            query: "query($id: ID!) { checkIn(id: $id) { id notes } }",
            vars: same(json!({"id": ck})),
            private: Some("/checkIn/notes"),
            want: [Ok, Ok, NotFound, NotFound, Hidden, Forbidden],
        },
        Row {
            name: "checkIn(former)",
            query: "query($id: ID!) { checkIn(id: $id) { id notes } }",
            vars: same(json!({"id": ck_old})),
            private: Some("/checkIn/notes"),
            want: [Ok, Hidden, NotFound, Ok, Hidden, Forbidden],
        },
        Row {
            name: "auditLog",
            query: "{ auditLog { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "updateMyProfile",
            query: "mutation { updateMyProfile(input: {country: \"DE\"}) { id } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "grantMentorRole",
            query: "mutation($id: ID!) { grantMentorRole(input: {personId: $id}) { id } }",
            vars: per(&grant_targets, "id", json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "erasePerson",
            query: "mutation($id: ID!) { erasePerson(input: {personId: $id, reason: \"asked\"}) { id } }",
            vars: per(&erase_targets, "id", json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "updateMentorProfile",
            query: "mutation($id: ID!) { updateMentorProfile(input: {personId: $id, capacity: 7}) { id } }",
            vars: same(json!({"id": m.id})),
            private: None,
            want: [Forbidden, Ok, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "assignMentor",
            query: "mutation($e: ID!, $r: ID!) { assignMentor(input: {menteeId: $e, mentorId: $r}) { id } }",
            vars: per(&assign_targets, "e", json!({"r": o.id})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "reassignMentor",
            query: "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }",
            vars: per(&reassign_targets, "e", json!({"r": m.id})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "endMentorship",
            query: "mutation($id: ID!) { endMentorship(input: {mentorshipId: $id, reason: OTHER}) { id } }",
            vars: per(&end_targets, "id", json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "scheduleCheckIn",
            query: "mutation($m: ID!, $at: DateTime!) { scheduleCheckIn(input: {mentorshipId: $m, scheduledFor: $at}) { id } }",
            vars: same(json!({"m": ms_current, "at": now(Duration::days(5))})),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Forbidden, Forbidden],
        },
        Row {
            name: "recordCheckIn",
            query: record,
            vars: same(json!({"m": ms_current, "at": now(Duration::zero())})),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Forbidden, Forbidden],
        },
        Row {
            name: "recordCheckIn(former)",
            query: record,
            vars: same(json!({"m": ms_old, "at": now(Duration::zero())})),
            private: None,
            want: [
                Conflict, Forbidden, NotFound, Conflict, Forbidden, Forbidden,
            ],
        },
        Row {
            name: "cancelCheckIn",
            query: "mutation($id: ID!) { cancelCheckIn(input: {checkInId: $id}) { id } }",
            vars: per(&cancel_targets, "id", json!({})),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Forbidden, Forbidden],
        },
    ];

    let machine = app.machine_token("metrics:read");
    let tokens = [&e.token, &m.token, &o.token, &f.token, &c.token, &machine];
    let failures = check(&app, tokens, &rows).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs every row as every role; returns the mismatches.
async fn check(app: &TestApp, tokens: [&String; 6], rows: &[Row]) -> Vec<String> {
    let mut failures = Vec::new();
    for row in rows {
        for (i, token) in tokens.iter().enumerate() {
            let body = app.graphql(token, row.query, row.vars[i].clone()).await;
            let got = match error_code(&body) {
                "<none>" => match row.private {
                    Some(ptr) if body["data"].pointer(ptr).is_some_and(Value::is_null) => Hidden,
                    _ => Ok,
                },
                "FORBIDDEN" => Forbidden,
                "NOT_FOUND" => NotFound,
                "CONFLICT" => Conflict,
                other => panic!("{} as {}: unexpected {other}: {body}", row.name, ROLES[i]),
            };
            if got != row.want[i] {
                failures.push(format!(
                    "{} as {}: want {:?}, got {:?}: {body}",
                    row.name, ROLES[i], row.want[i], got
                ));
            }
        }
    }
    failures
}

#[tokio::test]
async fn reaching_out_alerts_and_notifications_per_role() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (m, o, f) = (
        app.mentor(&c, 20).await,
        app.mentor(&c, 20).await,
        app.mentor(&c, 20).await,
    );
    let e = app.mentee().await;
    app.assign(&c, &e, &f).await;
    app.ok(&c, "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }", json!({"e": e.id, "r": m.id}))
        .await;
    let open = "mutation { openSupportRequest(input: {recipient: MENTOR, subject: \"Q\", message: \"?\"}) { id } }";
    let request = || async {
        app.ok(&e, open, json!({})).await["openSupportRequest"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let shared = request().await;
    let to_resolve = ids(6, request).await;
    let alert = || async {
        let x = app.mentor(&c, 2).await;
        let q = "mutation { reportMentorLoad(input: {kind: OVERWHELMED}) { id } }";
        app.ok(&x, q, json!({})).await["reportMentorLoad"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let alerts = ids(6, alert).await;
    let per = |targets: &[Value], key: &str| -> Vec<Value> {
        targets.iter().map(|t| json!({ key: t })).collect()
    };
    let rows = vec![
        Row {
            name: "supportRequests",
            query: "{ supportRequests { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "supportRequest",
            query: "query($id: ID!) { supportRequest(id: $id) { id } }",
            vars: same(json!({"id": shared})),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "openSupportRequest",
            query: open,
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "replyToSupportRequest",
            query: "mutation($id: ID!) { replyToSupportRequest(input: {requestId: $id, message: \"hi\"}) { id } }",
            vars: same(json!({"id": shared})),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "resolveSupportRequest",
            query: "mutation($id: ID!) { resolveSupportRequest(input: {requestId: $id}) { id } }",
            vars: per(&to_resolve, "id"),
            private: None,
            want: [Ok, Ok, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "mentorAlerts",
            query: "{ mentorAlerts { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "resolveMentorAlert",
            query: "mutation($id: ID!) { resolveMentorAlert(input: {alertId: $id, resolution: \"ok\"}) { id } }",
            vars: per(&alerts, "id"),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "myNotifications",
            query: "{ myNotifications { totalCount } unreadNotificationCount }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "markNotificationsRead",
            query: "mutation { markNotificationsRead(input: {all: true}) { marked } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "updateNotificationPreferences",
            query: "mutation { updateNotificationPreferences(input: {email: IMMEDIATE}) { notificationPreferences { email } } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "rotateCalendarFeedUrl",
            query: "mutation { rotateCalendarFeedUrl { calendarFeedUrl } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "mailDeliveries",
            query: "{ mailDeliveries(status: FAILED) { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "me",
            query: "{ me { id } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "unreadNotificationCount",
            query: "{ unreadNotificationCount }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "councilContacts",
            query: "{ councilContacts { area } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "setCouncilContact",
            query: "mutation($p: ID!) { setCouncilContact(input: {area: ONBOARDING, personId: $p}) { area } }",
            vars: same(json!({"p": c.id})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden],
        },
        Row {
            name: "reportMentorLoad",
            query: "mutation { reportMentorLoad(input: {kind: STEPPING_DOWN}) { id } }",
            vars: same(json!({})),
            private: None,
            want: [Forbidden, Ok, Ok, Ok, Forbidden, Forbidden],
        },
    ];
    let machine = app.machine_token("metrics:read");
    let tokens = [&e.token, &m.token, &o.token, &f.token, &c.token, &machine];
    let failures = check(&app, tokens, &rows).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn communication_and_onboarding_per_role() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (m, o, f) = (
        app.mentor(&c, 20).await,
        app.mentor(&c, 20).await,
        app.mentor(&c, 20).await,
    );
    let e = app.mentee().await;
    app.assign(&c, &e, &m).await;
    let at = |d: Duration| (app.clock.now() + d).to_rfc3339_opts(SecondsFormat::Micros, true);
    app.ok(
        &c,
        "mutation { publishRoleGuide(input: {title: \"Guide\", body: \"Text\"}) { version } }",
        json!({}),
    )
    .await;
    let publish = "mutation { publishAnnouncement(input: {title: \"T\", body: \"B\", audience: MENTORS, relayRequired: true}) { id } }";
    let news = app.ok(&c, publish, json!({})).await["publishAnnouncement"]["id"].clone();
    let schedule = "mutation($at: DateTime!) { scheduleMentorCall(input: {scheduledFor: $at, agenda: \"A\"}) { id } }";
    let call = || async {
        app.ok(&c, schedule, json!({"at": at(Duration::hours(1))}))
            .await["scheduleMentorCall"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let upcoming = call().await;
    let held = ids(6, call).await;
    let apply = "mutation { applyToBecomeMentor(input: {motivation: \"M\", languages: [\"en\"], areas: [\"events\"]}) { id } }";
    let own = app.ok(&e, apply, json!({})).await["applyToBecomeMentor"]["id"].clone();
    let others = ids(6, || async {
        let rep = app.mentee().await;
        app.ok(&rep, apply, json!({})).await["applyToBecomeMentor"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    })
    .await;
    let rounds: Vec<Value> = (0..6)
        .map(|i| {
            json!({"from": at(Duration::days(10 + 10 * i)), "to": at(Duration::days(15 + 10 * i))})
        })
        .collect();
    let first_round = app
        .ok(
            &c,
            "mutation($from: DateTime!, $to: DateTime!) { openOnboardingRound(input: {name: \"R0\", opensAt: $from, closesAt: $to}) { id } }",
            json!({"from": at(Duration::days(1)), "to": at(Duration::days(5))}),
        )
        .await["openOnboardingRound"]["id"]
        .clone();
    app.clock.advance(Duration::hours(2));
    let per = |targets: &[Value], key: &str| -> Vec<Value> {
        targets.iter().map(|t| json!({ key: t })).collect()
    };
    let council_only = [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Forbidden];
    let any_person = [Ok, Ok, Ok, Ok, Ok, Forbidden];
    let rows = vec![
        Row {
            name: "currentRoleGuide",
            query: "{ currentRoleGuide { version } }",
            vars: same(json!({})),
            private: None,
            want: any_person,
        },
        Row {
            name: "roleGuide",
            query: "{ roleGuide(version: 1) { title } }",
            vars: same(json!({})),
            private: None,
            want: any_person,
        },
        Row {
            name: "currentRoleGuide.pendingMentors",
            query: "{ currentRoleGuide { pendingMentors { totalCount } } }",
            vars: same(json!({})),
            private: Some("/currentRoleGuide/pendingMentors"),
            want: [Hidden, Hidden, Hidden, Hidden, Ok, Forbidden],
        },
        Row {
            name: "publishRoleGuide",
            query: "mutation { publishRoleGuide(input: {title: \"G\", body: \"B\"}) { version } }",
            vars: same(json!({})),
            private: None,
            want: council_only,
        },
        Row {
            name: "acknowledgeRoleGuide (the mentee applied)",
            query: "mutation { acknowledgeRoleGuide(input: {version: 2}) { version } }",
            vars: same(json!({})),
            private: None,
            want: [Ok, Ok, Ok, Ok, Forbidden, Forbidden],
        },
        Row {
            name: "publishAnnouncement",
            query: publish,
            vars: same(json!({})),
            private: None,
            want: council_only,
        },
        Row {
            name: "announcements",
            query: "{ announcements { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: any_person,
        },
        Row {
            name: "announcement",
            query: "query($id: ID!) { announcement(id: $id) { id } }",
            vars: same(json!({"id": news})),
            private: None,
            want: [NotFound, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "announcement.reach",
            query: "query($id: ID!) { announcement(id: $id) { reach { reached { totalCount } } } }",
            vars: same(json!({"id": news})),
            private: Some("/announcement/reach"),
            want: [NotFound, Hidden, Hidden, Hidden, Ok, Forbidden],
        },
        Row {
            name: "acknowledgeAnnouncement",
            query: "mutation($id: ID!) { acknowledgeAnnouncement(announcementId: $id) { id } }",
            vars: same(json!({"id": news})),
            private: None,
            want: [NotFound, Ok, Ok, Ok, NotFound, Forbidden],
        },
        Row {
            name: "relayAnnouncement",
            query: "mutation($id: ID!) { relayAnnouncement(input: {announcementId: $id, channel: \"call\"}) }",
            vars: same(json!({"id": news})),
            private: None,
            want: [NotFound, Ok, Ok, Ok, NotFound, Forbidden],
        },
        Row {
            name: "scheduleMentorCall",
            query: schedule,
            vars: same(json!({"at": at(Duration::days(3))})),
            private: None,
            want: council_only,
        },
        Row {
            name: "mentorCalls",
            query: "{ mentorCalls { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: any_person,
        },
        Row {
            name: "mentorCall",
            query: "query($id: ID!) { mentorCall(id: $id) { id } }",
            vars: same(json!({"id": upcoming})),
            private: None,
            want: [NotFound, Ok, Ok, Ok, Ok, Forbidden],
        },
        Row {
            name: "mentorCall.attendance",
            query: "query($id: ID!) { mentorCall(id: $id) { attendance { attended } } }",
            vars: same(json!({"id": upcoming})),
            private: Some("/mentorCall/attendance"),
            want: [NotFound, Hidden, Hidden, Hidden, Ok, Forbidden],
        },
        Row {
            name: "rsvpMentorCall",
            query: "mutation($id: ID!) { rsvpMentorCall(callId: $id, response: YES) { id } }",
            vars: same(json!({"id": held[0]})),
            private: None,
            want: [NotFound, Ok, Ok, Ok, NotFound, Forbidden],
        },
        Row {
            name: "recordMentorCall",
            query: "mutation($id: ID!) { recordMentorCall(input: {callId: $id}) { id } }",
            vars: per(&held, "id"),
            private: None,
            want: council_only,
        },
        Row {
            name: "applyToBecomeMentor",
            query: apply,
            vars: same(json!({})),
            private: None,
            want: [Conflict, Conflict, Conflict, Conflict, Ok, Forbidden],
        },
        Row {
            name: "mentorApplications",
            query: "{ mentorApplications { totalCount } }",
            vars: same(json!({})),
            private: None,
            want: any_person,
        },
        Row {
            name: "mentorApplication",
            query: "query($id: ID!) { mentorApplication(id: $id) { id } }",
            vars: same(json!({"id": own})),
            private: None,
            want: [Ok, NotFound, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "setMentorApplicationStatus IN_REVIEW",
            query: "mutation($id: ID!) { setMentorApplicationStatus(input: {applicationId: $id, status: IN_REVIEW}) { status } }",
            vars: per(&others, "id"),
            private: None,
            want: [NotFound, NotFound, NotFound, NotFound, Ok, Forbidden],
        },
        Row {
            name: "setMentorApplicationContact",
            query: "mutation($id: ID!, $p: ID!) { setMentorApplicationContact(input: {applicationId: $id, personId: $p}) { id } }",
            vars: others
                .iter()
                .map(|id| json!({"id": id, "p": c.id}))
                .collect(),
            private: None,
            want: council_only,
        },
        Row {
            name: "setOnboardingChecklistItem",
            query: "mutation($id: ID!) { setOnboardingChecklistItem(input: {applicationId: $id, key: \"orientation-call\", done: true}) { id } }",
            vars: per(&others, "id"),
            private: None,
            want: council_only,
        },
        Row {
            name: "onboardingChecklist",
            query: "{ onboardingChecklist { key } }",
            vars: same(json!({})),
            private: None,
            want: any_person,
        },
        Row {
            name: "setOnboardingChecklist",
            query: "mutation { setOnboardingChecklist(input: {items: [{key: \"acknowledge-role-guide\", label: \"Read\"}]}) { key } }",
            vars: same(json!({})),
            private: None,
            want: council_only,
        },
        Row {
            name: "openOnboardingRound",
            query: "mutation($from: DateTime!, $to: DateTime!) { openOnboardingRound(input: {name: \"R\", opensAt: $from, closesAt: $to}) { id } }",
            vars: rounds,
            private: None,
            want: council_only,
        },
        Row {
            name: "onboardingRound",
            query: "query($id: ID!) { onboardingRound(id: $id) { name } }",
            vars: same(json!({"id": first_round})),
            private: None,
            want: any_person,
        },
        Row {
            name: "programMetrics",
            query: "{ programMetrics { load { activeMentorships } } }",
            vars: same(json!({})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok],
        },
        Row {
            name: "metricsHistory",
            query: "query($f: DateTime!) { metricsHistory(granularity: MONTH, from: $f) { month } }",
            vars: same(json!({"f": at(-Duration::days(60))})),
            private: None,
            want: [Forbidden, Forbidden, Forbidden, Forbidden, Ok, Ok],
        },
        Row {
            name: "onboardingRounds.counts",
            query: "{ onboardingRounds { totalCount edges { node { counts { applications } } } } }",
            vars: same(json!({})),
            private: Some("/onboardingRounds/edges/0/node/counts"),
            want: [Hidden, Hidden, Hidden, Hidden, Ok, Forbidden],
        },
        Row {
            name: "setMentorApplicationStatus WITHDRAWN (the mentee's own)",
            query: "mutation($id: ID!) { setMentorApplicationStatus(input: {applicationId: $id, status: WITHDRAWN}) { status } }",
            vars: same(json!({"id": own})),
            private: None,
            want: [Ok, NotFound, NotFound, NotFound, Forbidden, Forbidden],
        },
    ];
    let machine = app.machine_token("metrics:read");
    let tokens = [&e.token, &m.token, &o.token, &f.token, &c.token, &machine];
    let failures = check(&app, tokens, &rows).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every query and mutation the server serves is a row of one of the matrices above, so a new
/// operation cannot ship without its authorization being tested for every kind of caller.
#[tokio::test]
async fn every_operation_is_in_a_matrix() {
    let app = spawn_app_with(|s| s.introspection = Some(Switch::On)).await;
    let c = app.council().await;
    let fields = app
        .ok(
            &c,
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let source = include_str!("authz_matrix.rs");
    let mut missing = Vec::new();
    for root in ["queryType", "mutationType"] {
        for field in fields["__schema"][root]["fields"].as_array().unwrap() {
            let name = field["name"].as_str().unwrap();
            let listed = [" ", ".", "\"", "("]
                .iter()
                .any(|end| source.contains(&format!("name: \"{name}{end}")));
            if !listed {
                missing.push(name.to_owned());
            }
        }
    }
    assert!(missing.is_empty(), "not in any matrix: {missing:?}");
}
