//! E-mail delivery against a real SMTP listener on loopback: what is sent to whom, retries
//! while the relay is down, one mail with two workers, at-least-once after a crash, the daily
//! digest, one-click unsubscribe, and that no private text is ever mailed.

use std::time::Duration as StdDuration;

use chrono::{Duration, SecondsFormat, TimeZone, Utc};
use mentorship_api::{
    clock::Clock,
    config::Settings,
    links::LinkKey,
    mail::{
        Mailer,
        repo::{self, Outcome},
        transport::Transport,
        worker::{self, LEASE, MAX_ATTEMPTS},
    },
    secret::Secret,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{
    TestApp,
    app::error_code,
    fixtures::Member,
    smtp::{Received, SmtpSink},
    spawn_app, spawn_app_with,
};

pub const PUBLIC: &str = "https://portal.example";
/// The domain of the addresses these tests give; everyone else has the issuer's default.
const R: &str = "@reps.example";

pub fn with_relay(sink: &SmtpSink) -> impl FnOnce(&mut Settings) + use<> {
    let url = sink.url();
    move |s: &mut Settings| {
        s.smtp_url = Some(Secret::new(url));
        s.mail_from = Some("Mentorship <mentorship@test.example>".into());
        s.public_url = Some(PUBLIC.into());
        s.mail_poll = StdDuration::from_millis(100);
    }
}

/// A rep with an address (and a locale and time zone, if given).
pub async fn rep(app: &TestApp, email: &str, locale: &str, zone: &str) -> Member {
    app.member(
        &["mentee"],
        json!({"email": email, "locale": locale, "zoneinfo": zone}),
    )
    .await
}

/// A council member and a mentor without an address: their notifications are not mailed,
/// so the mails counted are the mentee's.
async fn quiet_pair(app: &TestApp) -> (Member, Member) {
    let council = app
        .member(&["mentee", "council"], json!({"email": null}))
        .await;
    let mentor = app.member(&["mentee"], json!({"email": null})).await;
    app.ok(
        &council,
        "mutation($id: ID!) { grantMentorRole(input: {personId: $id, capacity: 20}) { id } }",
        json!({"id": mentor.id}),
    )
    .await;
    (council, mentor)
}

/// `url` (built on the public URL) on the test server instead.
pub fn local(app: &TestApp, url: &str) -> String {
    url.replacen(PUBLIC, &app.base, 1)
}

fn unsubscribe_url(mail: &Received) -> String {
    let header = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
    header
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

async fn email_preference(app: &TestApp, who: &Member) -> Value {
    app.ok(
        who,
        "{ me { notificationPreferences { email } } }",
        json!({}),
    )
    .await["me"]["notificationPreferences"]["email"]
        .clone()
}

#[tokio::test]
async fn an_assignment_mails_the_mentee_in_their_language() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 3).await; // no address: no mail
    let mentee = rep(&app, "ana@reps.example", "es-MX", "America/Mexico_City").await;
    let mentorship = app.assign(&council, &mentee, &mentor).await;
    let mails = sink.wait_for(R, 1).await;
    let mail = &mails[0];
    assert_eq!(mail.to, ["ana@reps.example"]);
    let (subject, text, html) = mail.decoded();
    assert_eq!(subject, "Comenzó una mentoría");
    let link = format!("{PUBLIC}/mentorships/{mentorship}");
    assert!(text.contains(&link), "{text}");
    assert!(text.starts_with("Hola, "), "{text}");
    assert!(
        html.contains("<a href=") && html.contains("Ábrelo en el portal"),
        "{html}"
    );
    assert!(unsubscribe_url(mail).starts_with(&format!("{PUBLIC}/api/v1/mail/unsubscribe/")));
    assert_eq!(
        mail.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(mail.data.contains("multipart/alternative"));
    assert_eq!(sink.settle(R).await.len(), 1, "one mail, once");
    // An address the issuer has not verified is never mailed.
    let unverified = app
        .member(
            &["mentee"],
            json!({"email": "unverified@reps.example", "email_verified": false}),
        )
        .await;
    let other = app.mentor(&council, 3).await;
    app.assign(&council, &unverified, &other).await;
    assert_eq!(sink.settle(R).await.len(), 1);
    let me = app.ok(&unverified, "{ me { email } }", json!({})).await;
    assert_eq!(me["me"]["email"], Value::Null);
}

#[tokio::test]
async fn a_relay_that_is_down_gets_the_mail_once_it_is_back() {
    let mut sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    let (council, mentor) = quiet_pair(&app).await;
    let mentee = rep(&app, "down@reps.example", "en-US", "Europe/Berlin").await;
    sink.stop().await;
    app.assign(&council, &mentee, &mentor).await;
    let pending = "{ mailDeliveries(status: PENDING) { nodes { attempts lastError } } }";
    let mut tried = Value::Null;
    for _ in 0..100 {
        tried = app.ok(&council, pending, json!({})).await["mailDeliveries"]["nodes"][0].clone();
        if tried["lastError"].is_string() {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert_eq!(tried["attempts"], 1, "{tried}");
    assert!(tried["lastError"].as_str().is_some_and(|e| !e.is_empty()));
    // Still down a minute later: a second try, then a longer wait.
    app.clock.advance(Duration::seconds(61));
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    sink.restart().await;
    assert!(sink.mails(R).is_empty());
    app.clock.advance(Duration::minutes(3));
    let mails = sink.wait_for(R, 1).await;
    assert_eq!(mails[0].to, ["down@reps.example"]);
    app.clock.advance(Duration::hours(3));
    assert_eq!(sink.settle(R).await.len(), 1, "delivered once");
    let sent = app
        .ok(
            &council,
            "{ mailDeliveries(status: SENT) { nodes { attempts lastError sentAt } } }",
            json!({}),
        )
        .await;
    let node = &sent["mailDeliveries"]["nodes"][0];
    assert!(node["attempts"].as_i64().unwrap() >= 2, "{node}");
    assert!(
        node["sentAt"].is_string() && node["lastError"].is_null(),
        "{node}"
    );
}

#[tokio::test]
async fn two_instances_send_each_mail_once() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    let (_base, _stop, _state) = app.sibling().await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 12).await;
    let mut expected = Vec::new();
    for i in 0..12 {
        let email = format!("rep{i}@reps.example");
        let mentee = rep(&app, &email, "en-US", "UTC").await;
        app.assign(&council, &mentee, &mentor).await;
        expected.push(email);
    }
    sink.wait_for(R, 12).await;
    let mut got: Vec<String> = sink
        .settle(R)
        .await
        .into_iter()
        .flat_map(|m| m.to)
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "every mail exactly once across both workers");
}

#[tokio::test]
async fn a_worker_dying_between_send_and_mark_means_one_more_mail_not_a_storm() {
    let sink = SmtpSink::start().await;
    // This instance has no relay: only the test's "worker" and, later, the sibling send.
    let app = spawn_app().await;
    let (council, mentor) = quiet_pair(&app).await;
    let mentee = rep(&app, "crash@reps.example", "en-US", "UTC").await;
    app.assign(&council, &mentee, &mentor).await;

    // A worker claims the mail, hands it to the relay, and dies before marking it.
    let db = app.db.connect().await;
    let now = app.clock.now();
    let claimed = repo::claim(&db, now, now + LEASE, MAX_ATTEMPTS, 20)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let mailer = Mailer {
        transport: Transport::smtp(&Secret::new(sink.url())).unwrap(),
        from: "Mentorship <mentorship@test.example>".into(),
        public_url: PUBLIC.into(),
    };
    let key = LinkKey::load_or_create(&db, now).await.unwrap();
    let outcome = worker::send_one(&db, &mailer, &key, &claimed[0], now)
        .await
        .unwrap();
    assert!(matches!(outcome, Outcome::Sent));
    assert_eq!(sink.wait_for(R, 1).await.len(), 1);

    // A healthy instance with the relay: the lease holds it off, then it sends again, once.
    let (_base, _stop, _state) = app.sibling_with(with_relay(&sink)).await;
    assert_eq!(
        sink.settle(R).await.len(),
        1,
        "the claim holds while its lease runs"
    );
    app.clock.advance(LEASE + Duration::seconds(1));
    assert_eq!(
        sink.wait_for(R, 2).await.len(),
        2,
        "at least once: sent again"
    );
    app.clock.advance(Duration::hours(5));
    assert_eq!(sink.settle(R).await.len(), 2, "and then never again");
    let row = app
        .ok(
            &council,
            "{ mailDeliveries { nodes { status attempts } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        row["mailDeliveries"]["nodes"][0],
        json!({"status": "SENT", "attempts": 2})
    );
}

#[tokio::test]
async fn a_daily_digest_is_one_mail_at_eight_local_time() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    // 04:00 in Mexico City (UTC-6).
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap());
    let council = app
        .member(
            &["mentee", "council"],
            json!({"email": "council@reps.example"}),
        )
        .await;
    let mentor = app.mentor(&council, 3).await;
    let mentee = rep(&app, "digest@reps.example", "en-US", "America/Mexico_City").await;
    let digest = "mutation { updateNotificationPreferences(input: {email: DAILY_DIGEST}) { notificationPreferences { email } } }";
    for who in [&mentee, &council] {
        let set = app.ok(who, digest, json!({})).await;
        assert_eq!(
            set["updateNotificationPreferences"]["notificationPreferences"]["email"],
            "DAILY_DIGEST"
        );
    }
    // Three notifications for the mentee: started, ended, started again.
    let first = app.assign(&council, &mentee, &mentor).await;
    app.ok(
        &council,
        "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: MENTOR_OVERWHELMED}) { id } }",
        json!({"m": first}),
    )
    .await;
    app.assign(&council, &mentee, &mentor).await;
    // An alert the council must act on is never held for a council member's digest.
    app.ok(
        &mentor,
        "mutation { reportMentorLoad(input: {kind: OVERWHELMED}) { id } }",
        json!({}),
    )
    .await;
    let mails = sink.wait_for(R, 1).await;
    assert_eq!(mails[0].to, ["council@reps.example"]);
    assert_eq!(mails[0].decoded().0, "A mentor alert needs the council");
    assert_eq!(
        sink.settle(R).await.len(),
        1,
        "nothing for the mentee before 08:00"
    );

    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 3, 13, 59, 0).unwrap());
    assert_eq!(sink.settle(R).await.len(), 1, "07:59 local: still nothing");
    app.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 3, 14, 0, 0).unwrap());
    let mails = sink.wait_for(R, 2).await;
    let digest = &mails[1];
    assert_eq!(digest.to, ["digest@reps.example"]);
    let (subject, text, _) = digest.decoded();
    assert_eq!(
        subject,
        "Your day in the mentorship program: 3 notifications"
    );
    assert_eq!(text.matches("A mentorship started").count(), 2, "{text}");
    assert_eq!(text.matches("A mentorship ended").count(), 1, "{text}");
    app.clock.advance(Duration::hours(30));
    assert_eq!(sink.settle(R).await.len(), 2, "one digest, once");
}

#[tokio::test]
async fn the_unsubscribe_link_works_without_signing_in_and_a_tampered_one_does_not() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 3).await;
    let mentee = rep(&app, "leave@reps.example", "es", "UTC").await;
    let first = app.assign(&council, &mentee, &mentor).await;
    let url = local(&app, &unsubscribe_url(&sink.wait_for(R, 1).await[0]));

    // Tampered: one character of the signature changed, or another person's id.
    let (payload, tag) = url.rsplit_once('.').unwrap();
    let flipped = if tag.starts_with('A') { "B" } else { "A" };
    let forged = [
        format!("{payload}.{flipped}{}", &tag[1..]),
        format!(
            "{}/api/v1/mail/unsubscribe/AAAAAAAAAAAAAAAAAAAAAA.{tag}",
            app.base
        ),
    ];
    for bad in &forged {
        let res = app
            .http
            .post(bad)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    // A GET (a mail scanner following links) only shows the button.
    let page = app.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("<form method=\"post\""));
    assert_eq!(email_preference(&app, &mentee).await, "IMMEDIATE");

    // The one-click POST of RFC 8058, with no token at all.
    let res = app
        .http
        .post(&url)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("No recibirás más correos")
    );
    assert_eq!(email_preference(&app, &mentee).await, "OFF");
    // No more mail: the next notification stays in the inbox only.
    app.ok(
        &council,
        "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: MENTOR_OVERWHELMED}) { id } }",
        json!({"m": first}),
    )
    .await;
    assert!(
        app.notification_kinds(&mentee)
            .await
            .contains(&"MENTORSHIP_ENDED".to_owned())
    );
    assert_eq!(sink.settle(R).await.len(), 1);
}

#[tokio::test]
async fn no_private_or_confidential_text_is_ever_mailed() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    let council = app
        .member(&["mentee", "council"], json!({"email": "c@reps.example"}))
        .await;
    let mentor = app
        .member(
            &["mentee"],
            json!({"email": "m@reps.example", "locale": "es"}),
        )
        .await;
    app.ok(
        &council,
        "mutation($id: ID!) { grantMentorRole(input: {personId: $id, capacity: 3}) { id } }",
        json!({"id": mentor.id}),
    )
    .await;
    let mentee = rep(&app, "e@reps.example", "en-US", "UTC").await;
    let mentorship = app.assign(&council, &mentee, &mentor).await;
    let at = app.clock.now().to_rfc3339_opts(SecondsFormat::Micros, true);
    app.ok(
        &mentor,
        "mutation($m: ID!, $at: DateTime!) { recordCheckIn(input: {mentorshipId: $m, heldAt: $at, notes: \"SECRET-NOTE\", menteePlans: \"SECRET-PLAN\", supportNeeds: \"SECRET-NEED\"}) { id } }",
        json!({"m": mentorship, "at": at}),
    )
    .await;
    for confidential in [true, false] {
        app.ok(
            &mentee,
            "mutation($c: Boolean!) { openSupportRequest(input: {recipient: COUNCIL, subject: \"SECRET-SUBJECT\", message: \"SECRET-MESSAGE\", confidential: $c}) { id } }",
            json!({"c": confidential}),
        )
        .await;
    }
    let mails = sink.wait_for(R, 4).await;
    for mail in sink.settle(R).await.iter().chain(&mails) {
        let (subject, text, html) = mail.decoded();
        for secret in [
            "SECRET-NOTE",
            "SECRET-PLAN",
            "SECRET-NEED",
            "SECRET-SUBJECT",
            "SECRET-MESSAGE",
        ] {
            let all = format!("{subject}\n{text}\n{html}\n{}", mail.data);
            assert!(!all.contains(secret), "{secret} in a mail to {:?}", mail.to);
        }
    }
}

#[tokio::test]
async fn the_council_sees_failed_mails_with_the_error_and_without_content() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(with_relay(&sink)).await;
    let council = app.council().await;
    let mentor = app.mentor(&council, 3).await;
    // The listener refuses this mailbox for good (550).
    let mentee = rep(&app, "reject@reps.example", "en-US", "UTC").await;
    app.assign(&council, &mentee, &mentor).await;
    let failed = "{ mailDeliveries(status: FAILED) { totalCount nodes { recipientId attempts lastError digest } } }";
    let mut node = Value::Null;
    for _ in 0..100 {
        node = app.ok(&council, failed, json!({})).await["mailDeliveries"]["nodes"][0].clone();
        if !node.is_null() {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert_eq!(node["recipientId"], mentee.id.as_str());
    assert_eq!(node["attempts"], 1, "a permanent refusal is not retried");
    let error = node["lastError"].as_str().unwrap();
    assert!(error.contains("550"), "{error}");
    assert!(!error.contains("mentorship started"), "{error}");
    let denied = app.graphql(&mentee.token, failed, json!({})).await;
    assert_eq!(error_code(&denied), "FORBIDDEN");
}
