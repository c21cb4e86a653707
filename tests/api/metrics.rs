//! Program metrics: every figure against a program worked out by hand, the history per
//! month, REST and GraphQL agreeing, CSV, and who may read them.

use chrono::{DateTime, Duration, SecondsFormat, TimeZone, Utc};
use mentorship_api::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, history::History, spawn_app};

const ALL: &str = "query($asOf: DateTime, $period: PeriodInput) { programMetrics(asOf: $asOf, period: $period) { asOf from to \
  mentors { active paused overwhelmed inactive retired total } \
  load { menteesPerMentor { count min median p90 max } overCapacity atCapacity activeMentorships } \
  orphans { count daysWithoutMentor { count min median p90 max } } \
  checkIns { repsWithMentor covered coverage overdue } \
  support { open escalated openedInPeriod hoursToFirstResponse { count min median p90 max } } \
  alerts { openedInPeriod resolvedInPeriod open } \
  onboarding { mentorsOnboardedInPeriod applicationsInPeriod completedInPeriod completedWithoutMentee \
    daysApplicationToCompletion { count min median p90 max } daysCompletionToFirstMentee { count min median p90 max } } \
  announcements { announcements overall { targets reached pending notReachable reachedShare } \
    perAnnouncement { announcementId title publishedAt targets reached pending notReachable reachedShare } } \
  roleGuide { version mentors acknowledged acknowledgedShare } \
  calls { held invitations attended attendanceShare } } }";

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

async fn metrics(app: &TestApp, token: &str, vars: Value) -> Value {
    let body = app.graphql(token, ALL, vars).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["programMetrics"].clone()
}

/// `(count, min, median, p90, max)` of a distribution, compared with a tolerance for the
/// engines' floating-point date arithmetic.
fn assert_dist(got: &Value, want: (u64, f64, f64, f64, f64), what: &str) {
    assert_eq!(got["count"], want.0, "{what}: {got}");
    for (key, w) in [
        ("min", want.1),
        ("median", want.2),
        ("p90", want.3),
        ("max", want.4),
    ] {
        let g = got[key].as_f64().unwrap();
        assert!((g - w).abs() < 1e-6, "{what}.{key}: got {g}, want {w}");
    }
}

fn assert_share(got: &Value, want: f64, what: &str) {
    let g = got.as_f64().unwrap();
    assert!((g - want).abs() < 1e-9, "{what}: got {g}, want {want}");
}

/// Every number of a figure tree.
fn numbers(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        Value::Object(map) => map.values().for_each(|c| numbers(c, out)),
        Value::Array(items) => items.iter().for_each(|c| numbers(c, out)),
        _ => {}
    }
}

#[tokio::test]
async fn an_empty_program_has_zeros_not_errors() {
    let app = spawn_app().await;
    let c = app.council().await;
    let m = metrics(&app, &c.token, json!({})).await;
    let mut all = Vec::new();
    numbers(&m, &mut all);
    assert!(all.len() > 50, "{m}");
    assert!(all.iter().all(|n| *n == 0.0), "{m}");
    assert!(m["roleGuide"]["version"].is_null());
    assert_eq!(m["announcements"]["perAnnouncement"], json!([]));
    let history = app
        .ok(
            &c,
            "query($f: DateTime!) { metricsHistory(granularity: MONTH, from: $f) { month activeMentorships checkInsHeld } }",
            json!({"f": rfc(app.clock.now() - Duration::days(40))}),
        )
        .await;
    let months = history["metricsHistory"].as_array().unwrap();
    assert!((2..=3).contains(&months.len()), "{history}");
    assert!(
        months
            .iter()
            .all(|m| m["activeMentorships"] == 0 && m["checkInsHeld"] == 0)
    );
}

/// The program of [`every_figure_matches_the_hand_worked_program`]; returns asOf (T).
async fn seed_program(app: &TestApp, council: uuid::Uuid) -> (DateTime<Utc>, uuid::Uuid) {
    let h = History(app.db.connect().await);
    let t = app.clock.now() - Duration::hours(1);
    let d = Duration::days;
    // Mentors: M1 over capacity, M2 at capacity, M3 paused, M4 retired, M5 and M6 new.
    let m1 = h.mentor("Obi, Ada", "ACTIVE", 1, t - d(400)).await;
    let m2 = h.mentor("Bruno", "ACTIVE", 1, t - d(400)).await;
    let m3 = h
        .mentor("=HYPERLINK(\"http://x\")", "PAUSED", 3, t - d(200))
        .await;
    let m4 = h.mentor("Dana", "RETIRED", 2, t - d(500)).await;
    let m5 = h.mentor("Emeka", "ACTIVE", 2, t - d(10)).await;
    let m6 = h.mentor("Fátima Zoë", "ACTIVE", 2, t - d(2)).await;
    // Reps.
    let r1 = h.person("R1", &["mentee"], t - d(500)).await;
    let r2 = h.person("R2", &["mentee"], t - d(500)).await;
    let r3 = h.person("R3", &["mentee"], t - d(300)).await;
    let r4 = h.person("R4", &["mentee"], t - d(300)).await;
    let r5 = h.person("R5", &["mentee"], t - d(90)).await;
    let r6 = h.person("R6", &["mentee"], t - d(1000)).await;
    h.deactivate(r6).await;
    let r7 = h.person("R7", &["mentee"], t - d(100)).await;
    let r8 = h.person("R8", &["mentee"], t - d(60)).await;
    let ms1 = h.mentorship(m1, r1, t - d(300), None).await;
    h.held_check_in(ms1, m1, t - d(100)).await;
    let ms2 = h.mentorship(m1, r2, t - d(400), None).await;
    h.held_check_in(ms2, m1, t - d(380)).await;
    h.mentorship(m2, r3, t - d(20), None).await;
    h.mentorship(m2, r4, t - d(250), Some(t - d(40))).await;
    h.mentorship(m3, r7, t - d(50), None).await;
    h.mentorship(m5, r8, t - d(4), None).await;
    // Support requests: (created, first response, escalated, resolved).
    let hr = Duration::hours;
    h.support_request(r1, t - d(20), Some(t - d(20) + hr(2)), None, None)
        .await;
    h.support_request(
        r2,
        t - d(10),
        Some(t - d(10) + hr(10)),
        Some(t - d(9)),
        None,
    )
    .await;
    h.support_request(r3, t - d(5), None, None, None).await;
    h.support_request(r4, t - d(100), Some(t - d(99)), None, Some(t - d(90)))
        .await;
    h.support_request(
        r5,
        t - d(15),
        Some(t - d(15) + hr(4)),
        None,
        Some(t - d(14)),
    )
    .await;
    // Alerts.
    h.alert(m1, "OVERWHELMED", t - d(5), None).await;
    h.alert(m3, "NEEDS_BREAK", t - d(60), Some(t - d(20))).await;
    h.alert(m2, "INACTIVITY_DETECTED", t - d(40), Some(t - d(35)))
        .await;
    // Applications.
    h.application(m5, "COMPLETED", t - d(40), Some(t - d(10)))
        .await;
    h.application(r5, "IN_REVIEW", t - d(8), None).await;
    h.application(m6, "COMPLETED", t - d(12), Some(t - d(2)))
        .await;
    // Announcements.
    let n1 = h
        .announcement(
            council,
            "Relay this",
            true,
            t - d(7),
            &[
                (m1, true, Some(t - d(6))),
                (m2, true, None),
                (r1, false, None),
                (r2, false, None),
                (r3, false, None),
                (r4, false, None),
                (r5, false, None),
            ],
        )
        .await;
    h.relay(n1, m1, r1, t - d(5)).await;
    let n2 = h
        .announcement(
            council,
            "Budget \"Q1\", update",
            false,
            t - d(3),
            &[(r1, true, None), (r2, true, Some(t - d(1)))],
        )
        .await;
    h.announcement(council, "Old news", false, t - d(60), &[(r1, true, None)])
        .await;
    // Role guide: v2 is current; M1 and M2 read it (R5's read does not count: not a mentor).
    h.role_guide(1, council, t - d(100)).await;
    h.role_guide(2, council, t - d(20)).await;
    h.ack(m3, 1, t - d(90)).await;
    h.ack(m1, 2, t - d(15)).await;
    h.ack(m2, 2, t - d(1)).await;
    // Calls: one held in the period, one before it, one not held.
    h.call(
        council,
        t - d(14),
        true,
        &[(m1, true), (m2, false), (m3, true)],
    )
    .await;
    h.call(council, t - d(45), true, &[(m1, true), (m2, true)])
        .await;
    h.call(council, t - d(1), false, &[(m1, false)]).await;
    let _ = (m4, m6);
    (t, n2)
}

#[tokio::test]
async fn every_figure_matches_the_hand_worked_program() {
    let app = spawn_app().await;
    let c = app.council().await;
    let council: uuid::Uuid = c.id.parse().unwrap();
    let (t, n2) = seed_program(&app, council).await;
    let d = Duration::days;
    let vars = json!({"asOf": rfc(t), "period": {"from": rfc(t - d(30)), "to": rfc(t)}});
    let m = metrics(&app, &c.token, vars).await;

    assert_eq!(
        m["mentors"],
        json!({"active": 4, "paused": 1, "overwhelmed": 0, "inactive": 0, "retired": 1, "total": 5})
    );
    // Loads of M1, M2, M3, M5, M6: 2, 1, 1, 1, 0.
    assert_dist(
        &m["load"]["menteesPerMentor"],
        (5, 0.0, 1.0, 2.0, 2.0),
        "load",
    );
    assert_eq!(m["load"]["overCapacity"], 1);
    assert_eq!(m["load"]["atCapacity"], 1);
    assert_eq!(m["load"]["activeMentorships"], 5);
    // Orphans: R4 (40 days since the mentorship ended), R5 (90 since joining), M4 (retired,
    // 500 since joining); R6 is inactive, the council is not counted.
    assert_eq!(m["orphans"]["count"], 3);
    assert_dist(
        &m["orphans"]["daysWithoutMentor"],
        (3, 40.0, 90.0, 500.0, 500.0),
        "orphans",
    );
    // With a mentor: R1, R2, R3, R7, R8; covered: R1; overdue: R2 (380 days), R7 (50 days, none).
    assert_eq!(m["checkIns"]["repsWithMentor"], 5);
    assert_eq!(m["checkIns"]["covered"], 1);
    assert_share(&m["checkIns"]["coverage"], 0.2, "coverage");
    assert_eq!(m["checkIns"]["overdue"], 2);
    // Support: open S1, S2, S3; escalated S2; in the period S1, S2, S3, S5; answers 2, 10, 4 h.
    assert_eq!(m["support"]["open"], 3);
    assert_eq!(m["support"]["escalated"], 1);
    assert_eq!(m["support"]["openedInPeriod"], 4);
    assert_dist(
        &m["support"]["hoursToFirstResponse"],
        (3, 2.0, 4.0, 10.0, 10.0),
        "response",
    );
    assert_eq!(
        m["alerts"],
        json!({"openedInPeriod": 1, "resolvedInPeriod": 1, "open": 1})
    );
    // Onboarding: M5 and M6 onboarded; applications of R5 and M6 made in the period;
    // M5 took 30 days, M6 10; M5 got a mentee 6 days after completion, M6 none yet.
    let o = &m["onboarding"];
    assert_eq!(o["mentorsOnboardedInPeriod"], 2);
    assert_eq!(o["applicationsInPeriod"], 2);
    assert_eq!(o["completedInPeriod"], 2);
    assert_eq!(o["completedWithoutMentee"], 1);
    assert_dist(
        &o["daysApplicationToCompletion"],
        (2, 10.0, 10.0, 30.0, 30.0),
        "to completion",
    );
    assert_dist(
        &o["daysCompletionToFirstMentee"],
        (1, 6.0, 6.0, 6.0, 6.0),
        "to first mentee",
    );
    // N1: reached M1 (read) and R1 (relayed); R4 and R5 have no mentor; R2, R3, M2 pending.
    // N2: R2 read it, R1 pending. "Old news" is before the period.
    let a = &m["announcements"];
    assert_eq!(a["announcements"], 2);
    assert_eq!(
        [
            &a["overall"]["targets"],
            &a["overall"]["reached"],
            &a["overall"]["pending"],
            &a["overall"]["notReachable"]
        ],
        [&json!(9), &json!(3), &json!(4), &json!(2)]
    );
    assert_share(&a["overall"]["reachedShare"], 3.0 / 9.0, "overall reach");
    let each = a["perAnnouncement"].as_array().unwrap();
    assert_eq!(each.len(), 2);
    assert_eq!(each[0]["announcementId"], n2.to_string(), "newest first");
    assert_eq!(
        [
            &each[0]["targets"],
            &each[0]["reached"],
            &each[0]["pending"],
            &each[0]["notReachable"]
        ],
        [&json!(2), &json!(1), &json!(1), &json!(0)]
    );
    assert_eq!(
        [
            &each[1]["targets"],
            &each[1]["reached"],
            &each[1]["pending"],
            &each[1]["notReachable"]
        ],
        [&json!(7), &json!(2), &json!(3), &json!(2)]
    );
    assert_share(&each[1]["reachedShare"], 2.0 / 7.0, "N1 reach");
    assert_eq!(m["roleGuide"]["version"], 2);
    assert_eq!(m["roleGuide"]["mentors"], 5);
    assert_eq!(m["roleGuide"]["acknowledged"], 2);
    assert_share(&m["roleGuide"]["acknowledgedShare"], 0.4, "role guide");
    assert_eq!(m["calls"]["held"], 1);
    assert_eq!(m["calls"]["invitations"], 3);
    assert_eq!(m["calls"]["attended"], 2);
    assert_share(&m["calls"]["attendanceShare"], 2.0 / 3.0, "attendance");

    // The same program a month earlier, from the stored history: R1, R2, R7 had mentors
    // (R4's ended at T-40d, R3's and R8's had not started); no request was open; guide v1.
    let earlier =
        json!({"asOf": rfc(t - d(30)), "period": {"from": rfc(t - d(60)), "to": rfc(t - d(30))}});
    let past = metrics(&app, &c.token, earlier).await;
    assert_eq!(past["load"]["activeMentorships"], 3);
    assert_eq!(past["support"]["open"], 0);
    assert_eq!(past["roleGuide"]["version"], 1);
    assert_eq!(past["roleGuide"]["acknowledged"], 1, "M3 read v1");
    assert_eq!(past["calls"]["held"], 1, "the call at T-45d");
    assert_eq!(
        past["alerts"]["open"], 1,
        "M3's (handled at T-20d); M2's was handled at T-35d"
    );
    assert_eq!(past["roleGuide"]["mentors"], 3, "M5 and M6 came later");
}

#[tokio::test]
async fn history_counts_each_month_from_stored_dates() {
    let app = spawn_app().await;
    let c = app.council().await;
    let h = History(app.db.connect().await);
    let at = |m: u32, d: u32| Utc.with_ymd_and_hms(2025, m, d, 12, 0, 0).unwrap();
    let mentor = h.mentor("H1", "ACTIVE", 3, at(1, 10)).await;
    let a = h
        .person("A", &["mentee"], at(1, 1) - Duration::days(31))
        .await;
    let b = h
        .person("B", &["mentee"], at(1, 1) - Duration::days(31))
        .await;
    h.person("C", &["mentee"], at(2, 15)).await;
    let ma = h.mentorship(mentor, a, at(1, 20), Some(at(3, 5))).await;
    let mb = h.mentorship(mentor, b, at(2, 3), None).await;
    h.held_check_in(ma, mentor, at(1, 25)).await;
    h.held_check_in(mb, mentor, at(2, 10)).await;
    h.held_check_in(ma, mentor, at(2, 20)).await;
    h.support_request(a, at(1, 28), Some(at(1, 29)), None, Some(at(2, 2)))
        .await;
    h.support_request(b, at(3, 10), None, None, None).await;
    let q = "query($f: DateTime!, $t: DateTime) { metricsHistory(granularity: MONTH, from: $f, to: $t) { month from \
             activeMentorships repsWithoutMentor mentorshipsStarted mentorshipsEnded checkInsHeld \
             supportRequestsOpened supportRequestsResolved mentorsOnboarded } }";
    let data = app
        .ok(&c, q, json!({"f": rfc(at(1, 15)), "t": rfc(at(3, 31))}))
        .await;
    let rows: Vec<Vec<Value>> = data["metricsHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            [
                "month",
                "activeMentorships",
                "repsWithoutMentor",
                "mentorshipsStarted",
                "mentorshipsEnded",
                "checkInsHeld",
                "supportRequestsOpened",
                "supportRequestsResolved",
                "mentorsOnboarded",
            ]
            .iter()
            .map(|k| m[k].clone())
            .collect()
        })
        .collect();
    // At the end of January A has a mentor and B not (C joined later); February ends with
    // both mentored and C alone; March ends with A's mentorship over.
    assert_eq!(
        rows,
        vec![
            vec![
                json!("2025-01"),
                json!(1),
                json!(1),
                json!(1),
                json!(0),
                json!(1),
                json!(1),
                json!(0),
                json!(1)
            ],
            vec![
                json!("2025-02"),
                json!(2),
                json!(1),
                json!(1),
                json!(0),
                json!(2),
                json!(0),
                json!(1),
                json!(0)
            ],
            vec![
                json!("2025-03"),
                json!(1),
                json!(2),
                json!(0),
                json!(1),
                json!(0),
                json!(1),
                json!(0),
                json!(0)
            ],
        ]
    );
    let too_long = app
        .graphql(
            &c.token,
            q,
            json!({"f": rfc(at(1, 1) - Duration::days(3 * 366)), "t": rfc(at(3, 1))}),
        )
        .await;
    assert_eq!(
        too_long["errors"][0]["extensions"]["field"], "to",
        "{too_long}"
    );
    // `from` alone is measured against now: then `from` is what to change.
    let from_only = app
        .graphql(
            &c.token,
            q,
            json!({"f": rfc(app.clock.now() - Duration::days(4 * 366))}),
        )
        .await;
    assert_eq!(error_code(&from_only), "BAD_USER_INPUT", "{from_only}");
    assert_eq!(
        from_only["errors"][0]["extensions"]["field"], "from",
        "{from_only}"
    );
    let future = app
        .graphql(
            &c.token,
            q,
            json!({"f": rfc(app.clock.now() + Duration::days(40))}),
        )
        .await;
    assert_eq!(
        future["errors"][0]["extensions"]["field"], "from",
        "{future}"
    );
    assert!(
        future["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("future")),
        "{future}"
    );
}

/// Datetimes in one spelling, so GraphQL's and serde's renderings compare equal.
fn canonical(v: &Value) -> Value {
    match v {
        Value::String(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => json!(rfc(t.with_timezone(&Utc))),
            Err(_) => v.clone(),
        },
        Value::Object(map) => map.iter().map(|(k, c)| (k.clone(), canonical(c))).collect(),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn rest_json_and_csv_agree_with_graphql() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (t, n2) = seed_program(&app, c.id.parse().unwrap()).await;
    let (from, to) = (t - Duration::days(30), t);
    let graphql = metrics(
        &app,
        &c.token,
        json!({"asOf": rfc(t), "period": {"from": rfc(from), "to": rfc(to)}}),
    )
    .await;
    let machine = app.machine_token("metrics:read openid");
    let query = [("asOf", rfc(t)), ("from", rfc(from)), ("to", rfc(to))];
    let json_body: Value = app
        .http
        .get(format!("{}/api/v1/metrics", app.base))
        .bearer_auth(&machine)
        .query(&query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(canonical(&json_body), canonical(&graphql));

    let response = app
        .http
        .get(format!("{}/api/v1/metrics.csv", app.base))
        .bearer_auth(&c.token)
        .query(&query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/csv; charset=utf-8"), "{kind}");
    let text = response.text().await.unwrap();
    assert!(text.starts_with("figure,subject,value\n"), "{text}");
    assert!(
        text.contains(&format!(
            "announcements.perAnnouncement.title,{n2},\"Budget \"\"Q1\"\", update\""
        )),
        "RFC 4180 quoting: {text}"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut checked = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let (figure, subject, value) = (&record[0], &record[1], &record[2]);
        let node = if subject.is_empty() {
            json_body.pointer(&format!("/{}", figure.replace('.', "/")))
        } else {
            let list = figure.rsplit_once('.').unwrap().0;
            json_body
                .pointer(&format!("/{}", list.replace('.', "/")))
                .and_then(|items| items.as_array())
                .and_then(|items| items.iter().find(|i| i["announcementId"] == subject))
                .map(|item| &item[figure.rsplit('.').next().unwrap()])
        };
        let node = node.unwrap_or_else(|| panic!("{figure} {subject} not in the JSON"));
        match node {
            Value::String(s) => assert_eq!(value, s, "{figure} {subject}"),
            Value::Null => assert_eq!(value, "", "{figure} {subject}"),
            // serde_json's default float parser may be one ulp off: compare as numbers.
            other => {
                let (csv, json) = (value.parse::<f64>().unwrap(), other.as_f64().unwrap());
                assert!(
                    (csv - json).abs() <= 1e-12 * json.abs().max(1.0),
                    "{figure} {subject}: {csv} vs {json}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 60, "{checked} rows");
}

#[tokio::test]
async fn the_mentor_directory_exports_as_csv_pages() {
    let app = spawn_app().await;
    let c = app.council().await;
    seed_program(&app, c.id.parse().unwrap()).await;
    let machine = app.machine_token("metrics:read");
    let mut url = format!("{}/api/v1/mentors.csv?limit=4", app.base);
    let mut rows = Vec::new();
    let mut raw = String::new();
    for _ in 0..3 {
        let response = app
            .http
            .get(&url)
            .bearer_auth(&machine)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let next = response
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_owned());
        let text = response.text().await.unwrap();
        assert!(text.starts_with("id,displayName,country,languages,status,capacity,activeMentees,acceptingMentees,onboardedAt,lastActiveAt\n"));
        raw.push_str(&text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        rows.extend(reader.records().map(|r| r.unwrap()));
        match next {
            Some(link) => {
                let path = link.split(['<', '>']).nth(1).unwrap().to_owned();
                url = format!("{}{path}", app.base);
            }
            None => break,
        }
    }
    assert_eq!(
        rows.len(),
        6,
        "every mentor profile, retired included, once"
    );
    let mut ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    ids.dedup();
    assert_eq!(ids.len(), 6);
    assert!(
        raw.contains(",\"Obi, Ada\",DE,de en,ACTIVE,1,2,false,"),
        "at capacity, so not accepting whatever she wished: {raw}"
    );
    // The same rule as GraphQL's, row by row.
    for row in &rows {
        let data = app
            .ok(
                &c,
                "query($id: ID!) { person(id: $id) { mentorProfile { acceptingMentees } } }",
                json!({"id": &row[0]}),
            )
            .await;
        let graphql = &data["person"]["mentorProfile"]["acceptingMentees"];
        assert_eq!(graphql.to_string(), row[7], "{row:?}");
    }
    assert!(
        raw.contains(",Fátima Zoë,DE,de en,ACTIVE,2,0,true,"),
        "UTF-8 as is: {raw}"
    );
    assert!(
        raw.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",DE,"),
        "a name is never a formula: {raw}"
    );
    let bad = app
        .http
        .get(format!("{}/api/v1/mentors.csv?limit=0", app.base))
        .bearer_auth(&machine)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["field"], "limit");
}

#[tokio::test]
async fn only_the_council_and_metrics_clients_read_metrics() {
    let app = spawn_app().await;
    let (c, rep) = (app.council().await, app.mentee().await);
    let mentor = app.mentor(&c, 2).await;
    let no_scope = app.machine_token("openid profile");
    let with_scope = app.machine_token("metrics:read");
    let q = "{ programMetrics { mentors { total } } }";
    for (who, token) in [
        ("rep", &rep.token),
        ("mentor", &mentor.token),
        ("machine without scope", &no_scope),
    ] {
        let body = app.graphql(token, q, json!({})).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{who}: {body}");
    }
    let ok = app.graphql(&with_scope, q, json!({})).await;
    assert_eq!(ok["data"]["programMetrics"]["mentors"]["total"], 1, "{ok}");
    for path in [
        "/api/v1/metrics",
        "/api/v1/metrics.csv",
        "/api/v1/mentors.csv",
    ] {
        let get = |token: Option<&String>| {
            let mut request = app.http.get(format!("{}{path}", app.base));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send()
        };
        assert_eq!(get(None).await.unwrap().status(), 401, "{path}");
        for token in [&rep.token, &mentor.token, &no_scope] {
            let response = get(Some(token)).await.unwrap();
            assert_eq!(response.status(), 403, "{path}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
        }
        assert_eq!(
            get(Some(&with_scope)).await.unwrap().status(),
            200,
            "{path}"
        );
        assert_eq!(get(Some(&c.token)).await.unwrap().status(), 200, "{path}");
    }
    // A machine client reaches no person data and changes nothing.
    for q in [
        "{ people { totalCount } }",
        "{ mentors { totalCount } }",
        "mutation { markNotificationsRead(input: {all: true}) { marked } }",
    ] {
        let body = app.graphql(&with_scope, q, json!({})).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{q}: {body}");
    }
    // Bad windows are named.
    let future = rfc(app.clock.now() + Duration::days(1));
    let cases = [
        (json!({"asOf": future}), "asOf"),
        (
            json!({"period": {"from": rfc(app.clock.now() - Duration::days(1)), "to": rfc(app.clock.now() - Duration::days(2))}}),
            "period.from",
        ),
        (
            json!({"period": {"from": rfc(app.clock.now() - Duration::days(2000)), "to": rfc(app.clock.now() - Duration::days(1))}}),
            "period",
        ),
    ];
    for (vars, field) in cases {
        let body = app.graphql(&c.token, ALL, vars).await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let bad = app
        .http
        .get(format!("{}/api/v1/metrics?asOf=yesterday", app.base))
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let rest_future = app
        .http
        .get(format!("{}/api/v1/metrics", app.base))
        .bearer_auth(&c.token)
        .query(&[("asOf", future)])
        .send()
        .await
        .unwrap();
    let body: Value = rest_future.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["field"], "asOf");
    let backwards = app
        .http
        .get(format!("{}/api/v1/metrics", app.base))
        .bearer_auth(&c.token)
        .query(&[
            ("from", rfc(app.clock.now() - Duration::days(1))),
            ("to", rfc(app.clock.now() - Duration::days(2))),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = backwards.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "from",
        "the query parameter's name"
    );
}

/// One spelling of an instant everywhere: GraphQL and REST write the same RFC 3339 string,
/// in UTC with `Z`, and GraphQL reads any offset. A value that is not one says what is
/// expected, not what the parser tripped on.
#[tokio::test]
async fn instants_are_written_alike_in_graphql_and_rest() {
    let app = spawn_app().await;
    let machine = app.machine_token("metrics:read openid");
    let as_of = "2026-03-01T10:00:00+01:00";
    let body = app
        .graphql(
            &machine,
            "query($t: DateTime) { programMetrics(asOf: $t) { asOf from to } }",
            json!({ "t": as_of }),
        )
        .await;
    let graphql = &body["data"]["programMetrics"];
    assert_eq!(graphql["asOf"], "2026-03-01T09:00:00Z", "{body}");
    let rest: Value = app
        .http
        .get(format!("{}/api/v1/metrics", app.base))
        .bearer_auth(&machine)
        .query(&[("asOf", "2026-03-01T09:00:00Z")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for key in ["asOf", "from", "to"] {
        assert_eq!(rest[key], graphql[key], "{key}: {rest} vs {body}");
    }
    let bad = app
        .graphql(
            &machine,
            "query($t: DateTime) { programMetrics(asOf: $t) { asOf } }",
            json!({ "t": "yesterday" }),
        )
        .await;
    assert_eq!(error_code(&bad), "BAD_USER_INPUT", "{bad}");
    assert_eq!(bad["errors"][0]["extensions"]["field"], "asOf", "{bad}");
    let said = bad["errors"][0]["message"].as_str().unwrap();
    assert!(
        said.contains("RFC 3339") && !said.contains("invalid characters"),
        "{said}"
    );
    // Written in the document, inside a fragment: the argument is still named.
    let literal = app
        .graphql(
            &machine,
            "query { ...F } fragment F on Query { metricsHistory(granularity: MONTH, from: \"no\") { month } }",
            json!({}),
        )
        .await;
    assert_eq!(
        literal["errors"][0]["extensions"]["field"], "from",
        "{literal}"
    );
}
