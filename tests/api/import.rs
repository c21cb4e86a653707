//! `mentorship-api import FILE`: the real binary against the test's database, then the
//! imported program read through the API as the people themselves and the council.

use serde_json::{Value, json};

use crate::helpers::{TestApp, fixtures::Member, spawn_app};

/// A program's history: a mentorship from 2020 to 2022, another active since 2022 with
/// check-ins in 2024 and 2025; two mentors, a council member who is a point of contact.
pub const HISTORY: &str = r#"
{"type":"person","externalId":"p1","subject":"old|1","displayName":"Ana Mentor","email":"ana@example.org","country":"DE","timezone":"Europe/Berlin","languages":["de","en"],"joinedAt":"2016-05-01T00:00:00Z"}
{"type":"person","externalId":"p2","subject":"old|2","displayName":"Bo Rep","email":"bo@example.org","country":"BR","timezone":"America/Sao_Paulo","languages":["pt-BR"],"joinedAt":"2019-03-01T00:00:00Z"}
{"type":"person","externalId":"p3","subject":"old|3","displayName":"Chidi Council","country":"NG","joinedAt":"2015-01-15T00:00:00Z","roles":["mentee","council"]}
{"type":"person","externalId":"p4","subject":"old|4","displayName":"Dana Mentor","country":"ES","joinedAt":"2017-09-01T00:00:00Z"}
{"type":"mentorProfile","person":"p1","capacity":5,"acceptingMentees":true,"expertise":["events"]}
{"type":"mentorProfile","person":"p4","capacity":3}
{"type":"mentorship","externalId":"m1","mentor":"p4","mentee":"p2","startedAt":"2020-01-10T00:00:00Z","endedAt":"2022-02-01T00:00:00Z","endReason":"REASSIGNED"}
{"type":"mentorship","externalId":"m2","mentor":"p1","mentee":"p2","startedAt":"2022-02-01T00:00:00Z","endedAt":null,"endReason":null}
{"type":"checkIn","mentorship":"m1","heldAt":"2021-01-20T17:00:00Z","notes":"First year: two events run."}
{"type":"checkIn","mentorship":"m2","heldAt":"2024-10-05T16:00:00Z","notes":"Plans for a hackathon.","menteePlans":"Run a hackathon","supportNeeds":"Budget"}
{"type":"checkIn","mentorship":"m2","heldAt":"2025-11-02T17:00:00Z","notes":"The hackathon went well."}
{"type":"councilContact","person":"p3","area":"ONBOARDING"}
"#;

/// Runs `import` on `app`'s database with `text` as the file; (exit status 0, report).
pub fn import(app: &TestApp, text: &str, dry_run: bool) -> (bool, Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.jsonl");
    std::fs::write(&file, text).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mentorship-api"));
    command
        .args(["--config", "/nonexistent/mentorship.toml", "import"])
        .arg(&file)
        .env_clear()
        .env("RUST_LOG", "off")
        .env("DATABASE_URL", app.db.url.expose())
        .env("MENTORSHIP_OIDC_ISSUER", app.issuer.url());
    if dry_run {
        command.arg("--dry-run");
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not a report ({e}): {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), report)
}

/// Signs in as the imported person with this subject.
pub async fn sign_in(app: &TestApp, subject: &str, roles: &[&str]) -> Member {
    let token = app.issuer.token().subject(subject).roles(roles).sign();
    let body = app.graphql(&token, "{ me { id } }", json!({})).await;
    let id = body["data"]["me"]["id"]
        .as_str()
        .expect("me works")
        .to_owned();
    Member { token, id }
}

async fn people_in_db(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let db = app.db.connect().await;
    entity::person::Entity::find().count(&db).await.unwrap()
}

fn counts(report: &Value, kind: &str) -> [u64; 3] {
    let c = &report["counts"][kind];
    ["created", "updated", "unchanged"].map(|k| c[k].as_u64().unwrap())
}

const MY_HISTORY: &str = "{ me { id displayName country roles
    currentMentorship { mentor { displayName } startedAt lastCheckInAt nextCheckInDueBy checkInOverdue
      checkIns(first: 10, orderBy: HELD_AT_DESC) { edges { node { heldAt notes menteePlans } } } }
    mentorshipHistory(first: 10) { edges { node { mentor { displayName } startedAt endedAt endReason } } } } }";

#[tokio::test]
async fn imported_history_reads_as_if_it_had_been_entered_live() {
    let app = spawn_app().await;
    let (ok, dry) = import(&app, HISTORY, true);
    assert!(ok, "{dry}");
    assert_eq!(
        (dry["dryRun"].clone(), dry["written"].clone()),
        (json!(true), json!(false))
    );
    assert_eq!(counts(&dry, "person"), [4, 0, 0]);
    assert_eq!(people_in_db(&app).await, 0, "a dry run writes nothing");

    let (ok, report) = import(&app, HISTORY, false);
    assert!(ok, "{report}");
    assert_eq!(report["written"], true);
    for (kind, created) in [
        ("person", 4),
        ("mentorProfile", 2),
        ("mentorship", 2),
        ("checkIn", 3),
        ("councilContact", 1),
    ] {
        assert_eq!(counts(&report, kind), [created, 0, 0], "{kind}");
    }

    // Bo signs in with the old identity and is the imported Bo, with the whole history.
    let bo = sign_in(&app, "old|2", &["mentee"]).await;
    let me = &app.ok(&bo, MY_HISTORY, json!({})).await["me"];
    assert_eq!(
        (me["displayName"].as_str(), me["country"].as_str()),
        (Some("Bo Rep"), Some("BR"))
    );
    let current = &me["currentMentorship"];
    assert_eq!(current["mentor"]["displayName"], "Ana Mentor");
    assert_eq!(current["startedAt"], "2022-02-01T00:00:00Z");
    assert_eq!(current["lastCheckInAt"], "2025-11-02T17:00:00Z");
    // Due a year after the last meeting, and (today being later) overdue.
    assert_eq!(current["nextCheckInDueBy"], "2026-11-02T17:00:00Z");
    assert_eq!(current["checkInOverdue"], true);
    let held: Vec<&str> = current["checkIns"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["heldAt"].as_str().unwrap())
        .collect();
    assert_eq!(held, ["2025-11-02T17:00:00Z", "2024-10-05T16:00:00Z"]);
    assert_eq!(
        current["checkIns"]["edges"][1]["node"]["menteePlans"],
        "Run a hackathon"
    );
    let history = me["mentorshipHistory"]["edges"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    let ended = history
        .iter()
        .find(|e| e["node"]["endedAt"].is_string())
        .unwrap();
    assert_eq!(ended["node"]["mentor"]["displayName"], "Dana Mentor");
    assert_eq!(ended["node"]["endReason"], "REASSIGNED");

    // Ana's token says mentor; she is the imported mentor and sees Bo among her mentees.
    let ana = sign_in(&app, "old|1", &["mentee", "mentor"]).await;
    let data = app.ok(&ana, "{ me { mentorProfile { capacity } mentees(first: 5) { edges { node { displayName } } } } }", json!({})).await;
    assert_eq!(data["me"]["mentorProfile"]["capacity"], 5);
    assert_eq!(
        data["me"]["mentees"]["edges"][0]["node"]["displayName"],
        "Bo Rep"
    );

    // The council's figures at moments of the past are those of a program run live.
    let chidi = sign_in(&app, "old|3", &["mentee", "council"]).await;
    let figures = "query($at: DateTime!) { programMetrics(asOf: $at) { mentors { total } checkIns { repsWithMentor covered overdue } } }";
    // A mentor counts from their first mentorship (the profile's default onboarding).
    for (at, mentors, with_mentor, covered, overdue) in [
        ("2019-06-01T00:00:00Z", 0, 0, 0, 0),
        ("2021-06-01T00:00:00Z", 1, 1, 1, 0),
        ("2023-06-01T00:00:00Z", 2, 1, 0, 1),
        ("2025-12-01T00:00:00Z", 2, 1, 1, 0),
    ] {
        let m = &app.ok(&chidi, figures, json!({"at": at})).await["programMetrics"];
        assert_eq!(m["mentors"]["total"], mentors, "{at}");
        assert_eq!(
            [
                &m["checkIns"]["repsWithMentor"],
                &m["checkIns"]["covered"],
                &m["checkIns"]["overdue"]
            ],
            [&json!(with_mentor), &json!(covered), &json!(overdue)],
            "{at}"
        );
    }
    let contacts = app
        .ok(
            &chidi,
            "{ councilContacts { area person { displayName } } }",
            json!({}),
        )
        .await;
    let onboarding = contacts["councilContacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["area"] == "ONBOARDING")
        .unwrap()
        .clone();
    assert_eq!(onboarding["person"]["displayName"], "Chidi Council");

    // The run is one audit entry, by the system, with its counts.
    let audit = app.ok(&chidi, r#"{ auditLog(first: 10, filter: {action: "import"}) { edges { node { actor after } } } }"#, json!({})).await;
    let entries = audit["auditLog"]["edges"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        entries[0]["node"]["after"]["counts"]["checkIn"]["created"], 3,
        "{entries:?}"
    );
}

#[tokio::test]
async fn a_rerun_changes_nothing_and_a_later_file_updates_only_what_changed() {
    let app = spawn_app().await;
    assert!(import(&app, HISTORY, false).0);
    let (ok, again) = import(&app, HISTORY, false);
    assert!(ok, "{again}");
    for (kind, n) in [
        ("person", 4),
        ("mentorProfile", 2),
        ("mentorship", 2),
        ("checkIn", 3),
        ("councilContact", 1),
    ] {
        assert_eq!(counts(&again, kind), [0, 0, n], "{kind}");
    }
    assert_eq!(people_in_db(&app).await, 4);

    // Key order and spacing do not make a record new; a changed field does.
    let later = HISTORY
        .replace(r#""displayName":"Bo Rep""#, r#""displayName":"Bo R.""#)
        .replace(
            r#"{"type":"mentorProfile","person":"p4","capacity":3}"#,
            r#"{ "capacity": 3, "person": "p4", "type": "mentorProfile" }"#,
        )
        + r#"{"type":"checkIn","mentorship":"m2","heldAt":"2026-03-01T10:00:00Z","notes":"Spring."}"#;
    let (ok, update) = import(&app, &later, false);
    assert!(ok, "{update}");
    assert_eq!(counts(&update, "person"), [0, 1, 3]);
    assert_eq!(counts(&update, "mentorProfile"), [0, 0, 2]);
    assert_eq!(counts(&update, "checkIn"), [1, 0, 3]);
    let bo = sign_in(&app, "old|2", &["mentee"]).await;
    let me = &app.ok(&bo, MY_HISTORY, json!({})).await["me"];
    assert_eq!(me["displayName"], "Bo R.");
    assert_eq!(
        me["currentMentorship"]["lastCheckInAt"],
        "2026-03-01T10:00:00Z"
    );
    assert_eq!(
        people_in_db(&app).await,
        4,
        "signing in linked, it did not create"
    );
}

#[tokio::test]
async fn one_bad_line_names_itself_and_nothing_is_written() {
    let app = spawn_app().await;
    let cases = [
        (
            r#"{"type":"checkIn","mentorship":"m1","heldAt":"2023-01-20T17:00:00Z"}"#,
            "heldAt",
            "OUTSIDE_MENTORSHIP",
        ),
        (
            r#"{"type":"mentorship","externalId":"m3","mentor":"p1","mentee":"p2","startedAt":"2023-01-01T00:00:00Z"}"#,
            "startedAt",
            "OVERLAPPING_MENTORSHIP",
        ),
        (
            r#"{"type":"person","externalId":"p9","subject":"old|9","displayName":"X","joinedAt":"2020-01-01T00:00:00Z","timezone":"Mars/Olympus"}"#,
            "timezone",
            "INVALID_VALUE",
        ),
        (
            r#"{"type":"checkIn","mentorship":"m2","heldAt":"2999-01-01T00:00:00Z"}"#,
            "heldAt",
            "IN_THE_FUTURE",
        ),
        (
            r#"{"type":"mentorship","externalId":"m4","mentor":"p2","mentee":"p3","startedAt":"2023-01-01T00:00:00Z"}"#,
            "mentor",
            "NOT_A_MENTOR",
        ),
        (
            r#"{"type":"mentorship","externalId":"m5","mentor":"p1","mentee":"p77","startedAt":"2023-01-01T00:00:00Z","endedAt":"2023-02-01T00:00:00Z","endReason":"OTHER"}"#,
            "mentee",
            "UNKNOWN_REFERENCE",
        ),
        (
            r#"{"type":"councilContact","person":"p2","area":"COMMUNICATIONS"}"#,
            "person",
            "NOT_COUNCIL",
        ),
        (
            r#"{"type":"person","externalId":"p1","subject":"old|11","displayName":"Twin","joinedAt":"2020-01-01T00:00:00Z"}"#,
            "externalId",
            "DUPLICATE",
        ),
        (
            r#"{"type":"person","externalId":"p5","subject":"old|5","displayName":"Eve","joinedAt":"2020-01-01T00:00:00Z","nickname":"e"}"#,
            "nickname",
            "UNKNOWN_FIELD",
        ),
        (
            r#"{"type":"mentorProfile","person":"p1"}"#,
            "capacity",
            "MISSING_FIELD",
        ),
        (r#"{"type":"badge","person":"p1"}"#, "type", "UNKNOWN_TYPE"),
        (r#"{"type":"person", "externalId": "#, "", "INVALID_JSON"),
    ];
    let lines = HISTORY.trim().lines().count();
    for (bad, field, code) in cases {
        let file = format!("{}\n{bad}\n", HISTORY.trim());
        let (ok, report) = import(&app, &file, false);
        assert!(!ok, "exit 1 for {bad}");
        assert_eq!(report["written"], false);
        let invalid = report["invalid"].as_array().unwrap();
        assert_eq!(invalid.len(), 1, "{bad}: {invalid:?}");
        assert_eq!(invalid[0]["line"], lines + 1, "{bad}");
        assert_eq!(invalid[0]["code"], code, "{bad}");
        assert_eq!(invalid[0]["field"].as_str().unwrap_or(""), field, "{bad}");
        assert_eq!(people_in_db(&app).await, 0, "nothing written for {bad}");
    }
    // A dry run of a bad file reports the same and also writes nothing.
    let (ok, report) = import(&app, &format!("{HISTORY}\n{}", cases[0].0), true);
    assert!(!ok);
    assert_eq!(report["invalid"][0]["code"], "OUTSIDE_MENTORSHIP");
    assert_eq!(people_in_db(&app).await, 0);
}

#[tokio::test]
async fn a_mentor_over_capacity_is_imported_as_an_override() {
    let app = spawn_app().await;
    let mut file = String::from(
        r#"{"type":"person","externalId":"m","subject":"old|m","displayName":"Max","joinedAt":"2018-01-01T00:00:00Z"}
{"type":"mentorProfile","person":"m","capacity":1}
"#,
    );
    for i in 0..2 {
        file += &format!(
            "{{\"type\":\"person\",\"externalId\":\"r{i}\",\"subject\":\"old|r{i}\",\"displayName\":\"Rep {i}\",\"joinedAt\":\"2019-01-01T00:00:00Z\"}}\n\
             {{\"type\":\"mentorship\",\"externalId\":\"s{i}\",\"mentor\":\"m\",\"mentee\":\"r{i}\",\"startedAt\":\"202{i}-01-01T00:00:00Z\"}}\n"
        );
    }
    let (ok, report) = import(&app, &file, false);
    assert!(ok, "{report}");
    assert_eq!(report["overCapacity"], 1);
    let later = sign_in(&app, "old|r1", &["mentee"]).await;
    let data = app
        .ok(
            &later,
            "{ me { currentMentorship { overCapacity } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["currentMentorship"]["overCapacity"], true);
    let first = sign_in(&app, "old|r0", &["mentee"]).await;
    let data = app
        .ok(
            &first,
            "{ me { currentMentorship { overCapacity } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["currentMentorship"]["overCapacity"], false);
}

#[tokio::test]
async fn an_erased_person_is_never_brought_back_by_a_later_import() {
    let app = spawn_app().await;
    assert!(import(&app, HISTORY, false).0);
    let chidi = sign_in(&app, "old|3", &["mentee", "council"]).await;
    let bo = sign_in(&app, "old|2", &["mentee"]).await;
    let erase = "mutation($id: ID!) { erasePerson(input: {personId: $id, reason: \"asked\"}) { displayName } }";
    app.ok(&chidi, erase, json!({"id": bo.id})).await;

    // The same identity signs in again: a new, unknown person.
    let anew = sign_in(&app, "old|2", &["mentee"]).await;
    assert_ne!(anew.id, bo.id);
    let later = HISTORY.replace(r#""displayName":"Bo Rep""#, r#""displayName":"Bo Again""#)
        + r#"{"type":"checkIn","mentorship":"m2","heldAt":"2026-03-01T10:00:00Z","notes":"again"}"#;
    let (ok, report) = import(&app, &later, false);
    assert!(ok, "{report}");
    assert_eq!(report["counts"]["person"]["skipped"], 1, "{report}");
    assert_eq!(report["counts"]["mentorship"]["skipped"], 2, "{report}");
    assert_eq!(report["counts"]["checkIn"]["skipped"], 4, "{report}");
    let seen = app
        .ok(
            &chidi,
            "query($id: ID!) { person(id: $id) { displayName email status } }",
            json!({"id": bo.id}),
        )
        .await;
    assert_eq!(
        seen["person"],
        json!({"displayName": "Former rep #1", "email": null, "status": "ERASED"})
    );
    assert_eq!(
        people_in_db(&app).await,
        4 + 1,
        "the erased row stays beside the new one"
    );
    let fresh = app
        .ok(
            &anew,
            "{ me { displayName currentMentorship { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        fresh["me"]["currentMentorship"],
        Value::Null,
        "no history reattached: {fresh}"
    );
}
