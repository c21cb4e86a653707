//! Nested lists load in a constant number of SQL statements, whatever the number of rows.

use mentorship_api::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, seed, spawn_app};

const DIRECTORY: &str = "{ mentors(first: 100) { edges { node { id displayName
    mentorProfile { capacity activeMenteeCount acceptingMentees }
    mentees(first: 3) { edges { node { id displayName
        currentMentorship { lastCheckInAt nextCheckInDueBy checkInOverdue } } } } } } } }";

/// Statements run for the directory query, and the body.
async fn directory_statements(mentors: usize) -> (u64, Value) {
    let app: TestApp = spawn_app().await;
    seed::program(&app.db.connect().await, mentors, 3).await;
    let council = app.council().await;
    let before = app.state.statement_count();
    let data = app.ok(&council, DIRECTORY, json!({})).await;
    (app.state.statement_count() - before, data)
}

#[tokio::test]
async fn a_hundred_mentors_with_their_mentees_take_a_constant_handful_of_statements() {
    let (few, small) = directory_statements(2).await;
    let (many, large) = directory_statements(100).await;
    let edges = large["mentors"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 100);
    let first = &edges[0]["node"];
    assert_eq!(first["mentorProfile"]["activeMenteeCount"], 3);
    assert_eq!(first["mentees"]["edges"].as_array().unwrap().len(), 3);
    let current = &first["mentees"]["edges"][0]["node"]["currentMentorship"];
    assert!(
        current["lastCheckInAt"].is_string() && current["nextCheckInDueBy"].is_string(),
        "{current}"
    );
    assert_eq!(small["mentors"]["edges"].as_array().unwrap().len(), 2);
    assert_eq!(few, many, "the count must not grow with the rows");
    assert!(many <= 6, "{many} statements");
}

const METRICS: &str = "{ programMetrics { mentors { total } load { overCapacity menteesPerMentor { median } } \
    orphans { count } checkIns { coverage overdue } support { open hoursToFirstResponse { p90 } } \
    alerts { open } onboarding { completedInPeriod daysApplicationToCompletion { median } daysCompletionToFirstMentee { median } } \
    announcements { overall { reached } perAnnouncement { reached } } roleGuide { acknowledged } calls { attended } } }";

/// Statements run for the whole `programMetrics` query over a program of `mentors` mentors.
async fn metrics_statements(mentors: usize) -> u64 {
    let app: TestApp = spawn_app().await;
    seed::program(&app.db.connect().await, mentors, 3).await;
    let council = app.council().await;
    let before = app.state.statement_count();
    let data = app.ok(&council, METRICS, json!({})).await;
    assert_eq!(
        data["programMetrics"]["mentors"]["total"], mentors as u64,
        "{data}"
    );
    app.state.statement_count() - before
}

#[tokio::test]
async fn every_program_figure_takes_a_fixed_number_of_aggregate_statements() {
    let (few, many) = (metrics_statements(2).await, metrics_statements(60).await);
    assert_eq!(few, many, "the count must not grow with the rows");
    // 14 aggregates (one or two per section) and the caller's own row.
    assert!(many <= 14, "{many} statements");
}

/// Statements run to record a call that `mentors` invited mentors all missed.
async fn record_call_statements(mentors: usize) -> u64 {
    let app: TestApp = spawn_app().await;
    seed::program(&app.db.connect().await, mentors, 0).await;
    let council = app.council().await;
    let at = (app.clock.now() + chrono::Duration::days(1)).to_rfc3339();
    let schedule = "mutation($at: DateTime!) { scheduleMentorCall(input: {scheduledFor: $at, agenda: \"A\"}) { id } }";
    let id =
        app.ok(&council, schedule, json!({"at": at})).await["scheduleMentorCall"]["id"].clone();
    app.clock.advance(chrono::Duration::days(2));
    let record = "mutation($id: ID!) { recordMentorCall(input: {callId: $id}) { status } }";
    let before = app.state.statement_count();
    app.ok(&council, record, json!({"id": id})).await;
    app.state.statement_count() - before
}

#[tokio::test]
async fn recording_a_call_takes_the_same_statements_for_3_or_40_absent_mentors() {
    let (few, many) = (
        record_call_statements(3).await,
        record_call_statements(40).await,
    );
    assert_eq!(few, many, "the missed-calls streaks are one windowed query");
}

const NESTED: &str = "{ mentorships(first: 100) { edges { node { id
    checkIns(first: 1) { totalCount pageInfo { hasNextPage } edges { node { id status } } } } } }
  supportRequests(first: 50) { edges { node { id
    messages(first: 5) { totalCount edges { node { body } } } } } } }";

/// Statements for mentorships with their first check-in and requests with their thread.
async fn nested_statements(mentors: usize, requests: usize) -> (u64, Value) {
    let app: TestApp = spawn_app().await;
    seed::program(&app.db.connect().await, mentors, 3).await;
    let council = app.council().await;
    let open = "mutation { openSupportRequest(input: {recipient: COUNCIL, subject: \"Q\", message: \"Hello\"}) { id } }";
    for _ in 0..requests {
        let rep = app.mentee().await;
        app.ok(&rep, open, json!({})).await;
    }
    let before = app.state.statement_count();
    let data = app.ok(&council, NESTED, json!({})).await;
    (app.state.statement_count() - before, data)
}

#[tokio::test]
async fn first_pages_of_nested_connections_are_batched() {
    let (few, _) = nested_statements(2, 2).await;
    let (many, data) = nested_statements(20, 12).await;
    let mentorships = data["mentorships"]["edges"].as_array().unwrap();
    assert_eq!(mentorships.len(), 60);
    for m in mentorships {
        let page = &m["node"]["checkIns"];
        assert_eq!(page["totalCount"], 2, "{page}");
        assert_eq!(page["edges"].as_array().unwrap().len(), 1, "{page}");
        assert_eq!(page["pageInfo"]["hasNextPage"], true, "{page}");
    }
    let requests = data["supportRequests"]["edges"].as_array().unwrap();
    assert_eq!(requests.len(), 12);
    for r in requests {
        assert_eq!(r["node"]["messages"]["totalCount"], 1);
        assert_eq!(r["node"]["messages"]["edges"][0]["node"]["body"], "Hello");
    }
    assert_eq!(few, many, "the count must not grow with the parents");
}

const REACH_COUNTS: &str = "{ announcements(first: 50) { edges { node { id
    reach { reached { totalCount } pending { totalCount } notReachable { totalCount } } } } } }";

/// Statements for a list of `n` relay-required announcements with their reach counts.
async fn reach_statements(n: usize) -> (u64, Value) {
    let app: TestApp = spawn_app().await;
    seed::program(&app.db.connect().await, 3, 2).await;
    let council = app.council().await;
    let publish = "mutation { publishAnnouncement(input: {title: \"T\", body: \"B\", audience: MENTORS, relayRequired: true}) { id } }";
    for _ in 0..n {
        app.ok(&council, publish, json!({})).await;
    }
    let before = app.state.statement_count();
    let data = app.ok(&council, REACH_COUNTS, json!({})).await;
    (app.state.statement_count() - before, data)
}

#[tokio::test]
async fn reach_counts_of_a_list_take_one_statement() {
    let (few, _) = reach_statements(2).await;
    let (many, data) = reach_statements(12).await;
    let list = data["announcements"]["edges"].as_array().unwrap();
    assert_eq!(list.len(), 12);
    for a in list {
        // 3 mentors and their 6 mentees are the targets: nobody reached yet, all pending.
        let reach = &a["node"]["reach"];
        assert_eq!(reach["reached"]["totalCount"], 0, "{reach}");
        assert_eq!(reach["pending"]["totalCount"], 9, "{reach}");
        assert_eq!(reach["notReachable"]["totalCount"], 0, "{reach}");
    }
    assert_eq!(few, many, "the count must not grow with the announcements");
}

// Two requests: in one, the people of both lists could share a batch or not, depending on
// when each list's first wave ends, and the count would wobble by one.
const CALLS: &str = "{ mentorCalls(first: 50) { edges { node { id myRsvp attendance { attended mentor { id } } } } } }";
const APPLICATIONS: &str = "{ mentorApplications(first: 50) { edges { node { id round { name } contact { id } applicant { id } checklist { done } } } } }";

/// Statements for `n` calls with their attendance and `n` applications with their round.
async fn council_lists_statements(n: usize) -> (u64, Value) {
    let app: TestApp = spawn_app().await;
    seed::program(&app.db.connect().await, 3, 0).await;
    let council = app.council().await;
    let at = |days: i64| (app.clock.now() + chrono::Duration::days(days)).to_rfc3339();
    let round = "mutation($from: DateTime!, $to: DateTime!) { openOnboardingRound(input: {name: \"R\", opensAt: $from, closesAt: $to}) { id } }";
    app.ok(&council, round, json!({"from": at(-1), "to": at(30)}))
        .await;
    let schedule = "mutation($at: DateTime!) { scheduleMentorCall(input: {scheduledFor: $at, agenda: \"A\"}) { id } }";
    let apply = "mutation { applyToBecomeMentor(input: {motivation: \"M\", languages: [\"en\"], areas: [\"events\"]}) { id } }";
    for _ in 0..n {
        app.ok(&council, schedule, json!({"at": at(2)})).await;
        let rep = app.mentee().await;
        app.ok(&rep, apply, json!({})).await;
    }
    let before = app.state.statement_count();
    let mut data = app.ok(&council, CALLS, json!({})).await;
    data["mentorApplications"] =
        app.ok(&council, APPLICATIONS, json!({})).await["mentorApplications"].take();
    (app.state.statement_count() - before, data)
}

#[tokio::test]
async fn call_attendance_and_application_rounds_of_a_list_are_batched() {
    let (few, _) = council_lists_statements(2).await;
    let (many, data) = council_lists_statements(8).await;
    let calls = data["mentorCalls"]["edges"].as_array().unwrap();
    assert_eq!(calls.len(), 8);
    assert!(
        calls
            .iter()
            .all(|c| c["node"]["attendance"].as_array().unwrap().len() == 3)
    );
    let applications = data["mentorApplications"]["edges"].as_array().unwrap();
    assert_eq!(applications.len(), 8);
    assert!(
        applications
            .iter()
            .all(|a| a["node"]["round"]["name"] == "R")
    );
    assert!(
        applications
            .iter()
            .all(|a| a["node"]["checklist"].as_array().unwrap().len() == 4)
    );
    assert_eq!(
        few, many,
        "the count must not grow with the calls and applications"
    );
}

#[tokio::test]
async fn recording_a_meeting_is_a_lock_and_an_insert() {
    let app: TestApp = spawn_app().await;
    let council = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&council, 3).await);
    let mentorship = app.assign(&council, &mentee, &mentor).await;
    let record = "mutation($m: ID!, $at: DateTime!) {
        recordCheckIn(input: {mentorshipId: $m, heldAt: $at, notes: \"n\"}) { id } }";
    let at = app.clock.now().to_rfc3339();
    // Once to resolve the caller; then a retried-looking second meeting is what is counted.
    app.ok(&mentor, record, json!({"m": mentorship, "at": at}))
        .await;
    let before = app.state.statement_count();
    app.ok(&mentor, record, json!({"m": mentorship, "at": at}))
        .await;
    let statements = app.state.statement_count() - before;
    assert!(statements <= 2, "{statements} statements");
}

#[tokio::test]
async fn a_signed_in_callers_next_request_reads_only_what_it_asks_for() {
    let app: TestApp = spawn_app().await;
    let council = app.council().await;
    let rep = app.mentee().await;
    let query = "query($id: ID!) { person(id: $id) { id displayName } }";
    // The caller was resolved by their first request; the next one starts from the cache.
    let before = app.state.statement_count();
    app.ok(&council, query, json!({"id": rep.id})).await;
    let statements = app.state.statement_count() - before;
    assert_eq!(statements, 1, "the person, and no lookup of the caller");
}
