//! Onboarding new mentors: applying, the steps, the checklist, completion, rounds.

use chrono::{Duration, SecondsFormat};
use mentorship_api::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

const APPLY: &str = "mutation($i: ApplyToBecomeMentorInput!) { applyToBecomeMentor(input: $i) { id status round { id } contact { id } checklist { key done automatic } } }";
const STEP: &str = "mutation($i: SetMentorApplicationStatusInput!) { setMentorApplicationStatus(input: $i) { status note completedAt closedAt } }";
const TICK: &str = "mutation($i: SetOnboardingChecklistItemInput!) { setOnboardingChecklistItem(input: $i) { checklist { key done } } }";
const SHOW: &str = "query($id: ID!) { mentorApplication(id: $id) { status checklist { key done automatic doneBy { id } } } }";
const MENTOR: &str =
    "query($id: ID!) { person(id: $id) { roles mentorProfile { capacity status expertise } } }";

fn application() -> Value {
    json!({"i": {"motivation": "I enjoy helping new reps", "languages": ["de", "en"], "areas": ["events", "Community"]}})
}

async fn apply(app: &TestApp, who: &Member) -> String {
    app.ok(who, APPLY, application()).await["applyToBecomeMentor"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn step(app: &TestApp, who: &Member, id: &str, status: &str) -> Value {
    app.graphql(
        &who.token,
        STEP,
        json!({"i": {"applicationId": id, "status": status}}),
    )
    .await
}

async fn tick_all(app: &TestApp, c: &Member, id: &str) {
    let shown = app.ok(c, SHOW, json!({"id": id})).await;
    for item in shown["mentorApplication"]["checklist"].as_array().unwrap() {
        let input = json!({"applicationId": id, "key": item["key"], "done": true});
        app.ok(c, TICK, json!({"i": input})).await;
    }
}

fn at(app: &TestApp, d: Duration) -> String {
    (app.clock.now() + d).to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[tokio::test]
async fn an_application_becomes_a_mentor_and_the_role_guide_step_ticks_itself() {
    let app = spawn_app().await;
    let (c, contact) = (app.council().await, app.council().await);
    app.ok(
        &c,
        "mutation($p: ID!) { setCouncilContact(input: {area: ONBOARDING, personId: $p}) { area } }",
        json!({"p": contact.id}),
    )
    .await;
    let round = app
        .ok(
            &c,
            "mutation($i: OpenOnboardingRoundInput!) { openOnboardingRound(input: $i) { id current } }",
            json!({"i": {"name": "Winter 2026", "opensAt": at(&app, -Duration::days(1)), "closesAt": at(&app, Duration::days(30))}}),
        )
        .await["openOnboardingRound"]
        .clone();
    assert_eq!(round["current"], true);
    app.ok(
        &c,
        "mutation { publishRoleGuide(input: {title: \"Mentoring\", body: \"Be there\"}) { version } }",
        json!({}),
    )
    .await;

    let rep = app.mentee().await;
    let applied = app.ok(&rep, APPLY, application()).await["applyToBecomeMentor"].clone();
    let id = applied["id"].as_str().unwrap().to_owned();
    assert_eq!(applied["status"], "APPLIED");
    assert_eq!(applied["round"]["id"], round["id"]);
    assert_eq!(applied["contact"]["id"], contact.id.as_str());
    assert_eq!(
        applied["checklist"],
        json!([
            {"key": "acknowledge-role-guide", "done": false, "automatic": true},
            {"key": "orientation-call", "done": false, "automatic": false},
            {"key": "join-mentors-channel", "done": false, "automatic": false},
            {"key": "shadow-check-in", "done": false, "automatic": false},
        ])
    );
    assert_eq!(
        app.notification_kinds(&contact).await,
        ["MENTOR_APPLICATION_RECEIVED"]
    );
    assert!(
        app.notification_kinds(&c).await.is_empty(),
        "a contact is set: not everyone"
    );

    let again = app.graphql(&rep.token, APPLY, application()).await;
    assert_eq!(error_code(&again), "CONFLICT", "{again}");

    // Another council member moves it: the applicant and the contact hear of it.
    assert!(step(&app, &c, &id, "IN_REVIEW").await["errors"].is_null());
    assert_eq!(
        app.notification_kinds(&rep).await,
        ["MENTOR_APPLICATION_UPDATED"]
    );
    assert_eq!(
        app.notification_kinds(&contact).await,
        ["MENTOR_APPLICATION_UPDATED", "MENTOR_APPLICATION_RECEIVED"]
    );
    assert!(
        app.notification_kinds(&c).await.is_empty(),
        "not told of its own step"
    );

    // Reading the guide ticks the step; the applicant is not a mentor yet.
    app.ok(
        &rep,
        "mutation { acknowledgeRoleGuide(input: {version: 1}) { version } }",
        json!({}),
    )
    .await;
    let shown = app.ok(&rep, SHOW, json!({"id": id})).await;
    assert_eq!(
        shown["mentorApplication"]["checklist"][0],
        json!({"key": "acknowledge-role-guide", "done": true, "automatic": true, "doneBy": {"id": rep.id}})
    );
    let not_yet = app.ok(&c, MENTOR, json!({"id": rep.id})).await;
    assert!(not_yet["person"]["mentorProfile"].is_null());

    assert!(step(&app, &contact, &id, "ONBOARDING").await["errors"].is_null());
    let early = step(&app, &contact, &id, "COMPLETED").await;
    assert_eq!(error_code(&early), "CONFLICT", "{early}");
    assert!(
        early["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Attend an orientation call")
    );
    let still = app.ok(&c, MENTOR, json!({"id": rep.id})).await;
    assert!(
        still["person"]["mentorProfile"].is_null(),
        "nothing half-done"
    );

    tick_all(&app, &contact, &id).await;
    let done = app
        .ok(
            &contact,
            STEP,
            json!({"i": {"applicationId": id, "status": "COMPLETED", "capacity": 4, "note": "Welcome!"}}),
        )
        .await;
    assert_eq!(done["setMentorApplicationStatus"]["status"], "COMPLETED");
    assert!(!done["setMentorApplicationStatus"]["completedAt"].is_null());
    let mentor = app.ok(&c, MENTOR, json!({"id": rep.id})).await;
    assert_eq!(
        mentor["person"]["mentorProfile"],
        json!({"capacity": 4, "status": "ACTIVE", "expertise": ["events", "community"]})
    );
    assert!(
        mentor["person"]["roles"]
            .as_array()
            .unwrap()
            .contains(&json!("MENTOR"))
    );
    let as_mentor = app.graphql(&rep.token, APPLY, application()).await;
    assert_eq!(
        error_code(&as_mentor),
        "CONFLICT",
        "a mentor does not apply"
    );

    let rounds = app
        .ok(
            &c,
            "{ onboardingRounds { totalCount edges { node { name counts { applications completed inReview } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        rounds["onboardingRounds"]["edges"][0]["node"],
        json!({"name": "Winter 2026", "counts": {"applications": 1, "completed": 1, "inReview": 0}})
    );
    let hidden = app
        .ok(
            &rep,
            "{ onboardingRounds { edges { node { counts { applications } } } } }",
            json!({}),
        )
        .await;
    assert!(hidden["onboardingRounds"]["edges"][0]["node"]["counts"].is_null());
}

/// Brings a fresh application to `status` and returns it with its applicant.
async fn at_status(app: &TestApp, c: &Member, status: &str) -> (String, Member) {
    let rep = app.mentee().await;
    let id = apply(app, &rep).await;
    let path: &[&str] = match status {
        "APPLIED" => &[],
        "IN_REVIEW" => &["IN_REVIEW"],
        "ONBOARDING" => &["IN_REVIEW", "ONBOARDING"],
        "COMPLETED" => &["IN_REVIEW", "ONBOARDING", "COMPLETED"],
        "DECLINED" => &["DECLINED"],
        _ => &[],
    };
    for next in path {
        if *next == "COMPLETED" {
            tick_all(app, c, &id).await;
        }
        let body = step(app, c, &id, next).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    if status == "WITHDRAWN" {
        assert!(step(app, &rep, &id, "WITHDRAWN").await["errors"].is_null());
    }
    (id, rep)
}

#[tokio::test]
async fn every_illegal_transition_is_refused() {
    let app = spawn_app().await;
    let c = app.council().await;
    let all = [
        "APPLIED",
        "IN_REVIEW",
        "ONBOARDING",
        "COMPLETED",
        "DECLINED",
        "WITHDRAWN",
    ];
    let legal = [
        ("APPLIED", "IN_REVIEW"),
        ("IN_REVIEW", "ONBOARDING"),
        ("ONBOARDING", "COMPLETED"),
        ("APPLIED", "DECLINED"),
        ("IN_REVIEW", "DECLINED"),
        ("ONBOARDING", "DECLINED"),
        ("APPLIED", "WITHDRAWN"),
        ("IN_REVIEW", "WITHDRAWN"),
        ("ONBOARDING", "WITHDRAWN"),
    ];
    let mut failures = Vec::new();
    for from in all {
        let (id, rep) = at_status(&app, &c, from).await;
        for to in all {
            if legal.contains(&(from, to)) {
                continue;
            }
            let who = if to == "WITHDRAWN" { &rep } else { &c };
            let body = step(&app, who, &id, to).await;
            if error_code(&body) != "CONFLICT" {
                failures.push(format!("{from} -> {to}: {body}"));
            }
        }
        let now = app.ok(&c, SHOW, json!({"id": id})).await;
        assert_eq!(now["mentorApplication"]["status"], from, "unchanged");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // The right step by the wrong person.
    let (id, rep) = at_status(&app, &c, "APPLIED").await;
    assert_eq!(
        error_code(&step(&app, &rep, &id, "IN_REVIEW").await),
        "FORBIDDEN"
    );
    assert_eq!(
        error_code(&step(&app, &c, &id, "WITHDRAWN").await),
        "FORBIDDEN"
    );
    let stranger = app.mentee().await;
    assert_eq!(
        error_code(&step(&app, &stranger, &id, "WITHDRAWN").await),
        "NOT_FOUND"
    );
    // Withdrawn, the rep may apply again.
    assert!(step(&app, &rep, &id, "WITHDRAWN").await["errors"].is_null());
    apply(&app, &rep).await;
}

#[tokio::test]
async fn concurrent_applications_and_completions_take_effect_once() {
    let app = spawn_app().await;
    let c = app.council().await;
    let rep = app.mentee().await;
    let tries = (0..10).map(|_| app.graphql(&rep.token, APPLY, application()));
    let bodies = futures::future::join_all(tries).await;
    let codes: Vec<&str> = bodies.iter().map(error_code).collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "<none>").count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| **c == "CONFLICT").count(),
        9,
        "{codes:?}"
    );
    let mine = app
        .ok(
            &rep,
            "{ mentorApplications { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(mine["mentorApplications"]["totalCount"], 1);
    let id = mine["mentorApplications"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for next in ["IN_REVIEW", "ONBOARDING"] {
        step(&app, &c, &id, next).await;
    }
    tick_all(&app, &c, &id).await;
    let (a, b) = tokio::join!(
        step(&app, &c, &id, "COMPLETED"),
        step(&app, &c, &id, "DECLINED")
    );
    let mut codes = [error_code(&a), error_code(&b)];
    codes.sort();
    assert_eq!(codes, ["<none>", "CONFLICT"], "{a} {b}");
    let status = app.ok(&c, SHOW, json!({"id": id})).await["mentorApplication"]["status"].clone();
    let profile =
        app.ok(&c, MENTOR, json!({"id": rep.id})).await["person"]["mentorProfile"].clone();
    assert_eq!(
        status == "COMPLETED",
        !profile.is_null(),
        "a mentor profile exactly when completed: {status} {profile}"
    );
    if status == "COMPLETED" {
        assert_eq!(
            profile["capacity"], 3,
            "the default capacity of a new mentor"
        );
    }
}

#[tokio::test]
async fn the_council_edits_the_default_checklist_for_new_applications() {
    let app = spawn_app().await;
    let c = app.council().await;
    let early = app.mentee().await;
    let early_id = apply(&app, &early).await;
    let set = "mutation($i: SetOnboardingChecklistInput!) { setOnboardingChecklist(input: $i) { key automatic } }";
    let items = json!({"i": {"items": [
        {"key": "acknowledge-role-guide", "label": "Read the guide"},
        {"key": "meet-contact", "label": "Meet your point of contact"},
    ]}});
    let saved = app.ok(&c, set, items.clone()).await;
    assert_eq!(
        saved["setOnboardingChecklist"],
        json!([{"key": "acknowledge-role-guide", "automatic": true}, {"key": "meet-contact", "automatic": false}])
    );
    let rep = app.mentee().await;
    let forbidden = app.graphql(&rep.token, set, items).await;
    assert_eq!(error_code(&forbidden), "FORBIDDEN");
    let later = app.ok(&rep, APPLY, application()).await;
    let keys = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["key"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        keys(&later["applyToBecomeMentor"]["checklist"]),
        ["acknowledge-role-guide", "meet-contact"]
    );
    let kept = app.ok(&c, SHOW, json!({"id": early_id})).await;
    assert_eq!(
        keys(&kept["mentorApplication"]["checklist"]).len(),
        4,
        "made before the edit"
    );
    let unknown = app
        .graphql(
            &c.token,
            TICK,
            json!({"i": {"applicationId": early_id, "key": "meet-contact", "done": true}}),
        )
        .await;
    assert_eq!(unknown["errors"][0]["extensions"]["field"], "input.key");
}

#[tokio::test]
async fn rounds_do_not_overlap_and_applications_between_rounds_have_none() {
    let app = spawn_app().await;
    let c = app.council().await;
    let open =
        "mutation($i: OpenOnboardingRoundInput!) { openOnboardingRound(input: $i) { id current } }";
    let next = app
        .ok(
            &c,
            open,
            json!({"i": {"name": "Spring", "opensAt": at(&app, Duration::days(10)), "closesAt": at(&app, Duration::days(40))}}),
        )
        .await;
    assert_eq!(next["openOnboardingRound"]["current"], false);
    let overlap = app
        .graphql(
            &c.token,
            open,
            json!({"i": {"name": "Clash", "opensAt": at(&app, Duration::days(39)), "closesAt": at(&app, Duration::days(60))}}),
        )
        .await;
    assert_eq!(error_code(&overlap), "CONFLICT", "{overlap}");
    let rep = app.mentee().await;
    let now = app.ok(&rep, APPLY, application()).await;
    assert!(now["applyToBecomeMentor"]["round"].is_null());
    app.clock.advance(Duration::days(11));
    let withdrawn = now["applyToBecomeMentor"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    step(&app, &rep, &withdrawn, "WITHDRAWN").await;
    let later = app.ok(&rep, APPLY, application()).await;
    assert_eq!(
        later["applyToBecomeMentor"]["round"]["id"],
        next["openOnboardingRound"]["id"]
    );
}

#[tokio::test]
async fn concurrent_overlapping_rounds_open_once() {
    let app = spawn_app().await;
    let c = app.council().await;
    let open = "mutation($i: OpenOnboardingRoundInput!) { openOnboardingRound(input: $i) { id } }";
    let tries = (0..6).map(|i| {
        let input = json!({"i": {"name": format!("R{i}"), "opensAt": at(&app, Duration::days(1 + i)), "closesAt": at(&app, Duration::days(20 + i))}});
        app.graphql(&c.token, open, input)
    });
    let bodies = futures::future::join_all(tries).await;
    let mut codes: Vec<&str> = bodies.iter().map(error_code).collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            "<none>", "CONFLICT", "CONFLICT", "CONFLICT", "CONFLICT", "CONFLICT"
        ],
        "{bodies:?}"
    );
    let rounds = app
        .ok(&c, "{ onboardingRounds { totalCount } }", json!({}))
        .await;
    assert_eq!(rounds["onboardingRounds"]["totalCount"], 1);
}

#[tokio::test]
async fn concurrent_checklist_edits_leave_one_whole_list() {
    let app = spawn_app().await;
    let c = app.council().await;
    let set =
        "mutation($i: SetOnboardingChecklistInput!) { setOnboardingChecklist(input: $i) { key } }";
    let tries = (0..5).map(|i| {
        let items: Vec<Value> = (0..3)
            .map(|n| json!({"key": format!("step-{i}-{n}"), "label": "Do it"}))
            .collect();
        app.graphql(&c.token, set, json!({"i": {"items": items}}))
    });
    for body in futures::future::join_all(tries).await {
        assert!(body["errors"].is_null(), "{body}");
    }
    let now = app
        .ok(&c, "{ onboardingChecklist { key } }", json!({}))
        .await;
    let keys: Vec<&str> = now["onboardingChecklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    let prefix = &keys[0][..7];
    assert!(
        keys.iter().all(|k| k.starts_with(prefix)),
        "one edit's list, whole: {keys:?}"
    );
}
