//! Concurrent conflicting mutations, started together behind a barrier, many trials: every
//! outcome is one a serial order could give, and none is INTERNAL.

use std::sync::Arc;

use chrono::SecondsFormat;
use mentorship_api::clock::Clock;
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::helpers::{TestApp, app::error_code, spawn_app};

/// Runs `requests` (token, query, variables) at once; returns each body.
async fn at_once(app: &TestApp, requests: Vec<(String, &'static str, Value)>) -> Vec<Value> {
    let barrier = Arc::new(Barrier::new(requests.len()));
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(token, query, variables)| {
            let (http, url, barrier) = (
                app.http.clone(),
                format!("{}/graphql", app.base),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                http.post(url)
                    .bearer_auth(token)
                    .json(&json!({ "query": query, "variables": variables }))
                    .send()
                    .await
                    .unwrap()
                    .json::<Value>()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut bodies = vec![];
    for task in tasks {
        bodies.push(task.await.unwrap());
    }
    bodies
}

const GRANT: &str = "mutation($id: ID!) { grantMentorRole(input: {personId: $id}) { id } }";

#[tokio::test]
async fn concurrent_grants_give_one_success_and_conflicts() {
    let app = spawn_app().await;
    let c = app.council().await;
    for trial in 0..6 {
        let rep = app.mentee().await;
        let requests = (0..3)
            .map(|_| (c.token.clone(), GRANT, json!({"id": rep.id})))
            .collect();
        let bodies = at_once(&app, requests).await;
        let codes: Vec<&str> = bodies.iter().map(error_code).collect();
        let won = codes.iter().filter(|c| **c == "<none>").count();
        assert_eq!(won, 1, "trial {trial}: {bodies:?}");
        // The losers are told it is done, not that they collided (which would invite a retry).
        for body in bodies.iter().filter(|b| error_code(b) == "CONFLICT") {
            assert!(
                body["errors"][0]["extensions"]["retryable"].is_null(),
                "trial {trial}: {body}"
            );
        }
        assert_eq!(
            codes.iter().filter(|c| **c == "CONFLICT").count(),
            2,
            "trial {trial}: {bodies:?}"
        );
    }
}

const SCHEDULE: &str = "mutation($m: ID!, $at: DateTime!) { scheduleCheckIn(input: {mentorshipId: $m, scheduledFor: $at}) { id } }";
const RECORD_PLANNED: &str = "mutation($c: ID!, $at: DateTime!) { recordCheckIn(input: {checkInId: $c, heldAt: $at}) { id status } }";
const RECORD_UNPLANNED: &str = "mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at}) { id status } }";
const END: &str = "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: MENTEE_GRADUATED}) { status } }";
const STATE: &str =
    "query($m: ID!) { mentorship(id: $m) { status checkIns(first: 10) { nodes { status } } } }";

#[tokio::test]
async fn recording_a_check_in_and_ending_its_mentorship_serialize() {
    let app = spawn_app().await;
    let c = app.council().await;
    for trial in 0..8 {
        let (mentee, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
        let m = app.assign(&c, &mentee, &mentor).await;
        let now = app.clock.now().to_rfc3339_opts(SecondsFormat::Micros, true);
        let later = (app.clock.now() + chrono::Duration::days(7))
            .to_rfc3339_opts(SecondsFormat::Micros, true);
        let planned = app
            .ok(&mentor, SCHEDULE, json!({"m": m, "at": later}))
            .await;
        let check_in = planned["scheduleCheckIn"]["id"].clone();
        let bodies = at_once(
            &app,
            vec![
                (
                    mentor.token.clone(),
                    RECORD_PLANNED,
                    json!({"c": check_in, "at": now}),
                ),
                (
                    mentee.token.clone(),
                    RECORD_UNPLANNED,
                    json!({"m": m, "at": now}),
                ),
                (c.token.clone(), END, json!({"m": m})),
            ],
        )
        .await;
        assert_eq!(error_code(&bodies[2]), "<none>", "ending always works");

        // The mentee sees their own meetings, ended mentorship or not.
        let state = app.ok(&mentee, STATE, json!({"m": m})).await;
        assert_eq!(state["mentorship"]["status"], "ENDED");
        let statuses: Vec<&str> = state["mentorship"]["checkIns"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["status"].as_str().unwrap())
            .collect();
        assert!(
            !statuses.is_empty(),
            "trial {trial}: the planned meeting is listed"
        );
        // Recorded before the end: HELD. Ended first: the planned meeting was cancelled
        // with it and recording it (or a new one) is a CONFLICT.
        for (body, what) in [(&bodies[0], "planned"), (&bodies[1], "unplanned")] {
            let code = error_code(body);
            assert!(
                matches!(code, "<none>" | "CONFLICT"),
                "trial {trial} {what}: {body}"
            );
        }
        let planned_held = error_code(&bodies[0]) == "<none>";
        let unplanned_held = error_code(&bodies[1]) == "<none>";
        let held = statuses.iter().filter(|s| **s == "HELD").count();
        assert_eq!(
            held,
            usize::from(planned_held) + usize::from(unplanned_held),
            "trial {trial}: {statuses:?} {bodies:?}"
        );
        assert!(
            !statuses.contains(&"PLANNED"),
            "trial {trial}: {statuses:?}"
        );
        if !planned_held {
            assert!(
                statuses.contains(&"CANCELLED"),
                "trial {trial}: {statuses:?}"
            );
        }
    }
}
