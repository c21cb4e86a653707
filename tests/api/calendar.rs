//! Calendar feeds: read back by an independent iCalendar parser, only on `me`, rotation.

use chrono::{Duration, SecondsFormat};
use ical::parser::ical::component::IcalCalendar;
use mentorship_api::clock::Clock;
use reqwest::StatusCode;
use serde_json::json;

use crate::{
    helpers::{TestApp, fixtures::Member, spawn_app_with},
    mail::{PUBLIC, local},
};

const FEED: &str = "{ me { calendarFeedUrl } }";

async fn feed_url(app: &TestApp, who: &Member) -> String {
    let data = app.ok(who, FEED, json!({})).await;
    data["me"]["calendarFeedUrl"]
        .as_str()
        .expect("a feed URL")
        .to_owned()
}

async fn fetch(app: &TestApp, url: &str) -> reqwest::Response {
    app.http.get(local(app, url)).send().await.unwrap()
}

fn parse(text: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(text.as_bytes());
    let cal = calendars
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(calendars.next().is_none());
    cal
}

fn prop<'a>(
    event: &'a ical::parser::ical::component::IcalEvent,
    name: &str,
) -> Option<&'a ical::property::Property> {
    event.properties.iter().find(|p| p.name == name)
}

#[tokio::test]
async fn the_feed_holds_the_planned_check_in_the_due_date_and_the_call() {
    let app = spawn_app_with(|s| s.public_url = Some(PUBLIC.into())).await;
    let council = app.council().await;
    let mentor = app
        .member(&["mentee"], json!({"zoneinfo": "Asia/Tokyo"}))
        .await;
    app.ok(
        &council,
        "mutation($id: ID!) { grantMentorRole(input: {personId: $id, capacity: 3}) { id } }",
        json!({"id": mentor.id}),
    )
    .await;
    let mentee = app.mentee().await;
    let mentorship = app.assign(&council, &mentee, &mentor).await;
    let when =
        |d: i64| (app.clock.now() + Duration::days(d)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let check_in = app
        .ok(
            &mentee,
            "mutation($m: ID!, $at: DateTime!) { scheduleCheckIn(input: {mentorshipId: $m, scheduledFor: $at, agenda: \"PRIVATE AGENDA\"}) { id } }",
            json!({"m": mentorship, "at": when(5)}),
        )
        .await["scheduleCheckIn"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let call = app
        .ok(
            &council,
            "mutation($i: ScheduleMentorCallInput!) { scheduleMentorCall(input: $i) { id } }",
            json!({"i": {"scheduledFor": when(2), "agenda": "Quarterly updates", "link": "https://meet.example.org/reps"}}),
        )
        .await["scheduleMentorCall"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let url = feed_url(&app, &mentor).await;
    assert!(url.starts_with(&format!("{PUBLIC}/api/v1/calendar/")) && url.ends_with(".ics"));
    let res = fetch(&app, &url).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = res.text().await.unwrap();
    assert!(
        !text.contains("PRIVATE AGENDA"),
        "a check-in's agenda stays out of feeds"
    );
    let cal = parse(&text);
    let uid = |e: &ical::parser::ical::component::IcalEvent| {
        prop(e, "UID").and_then(|p| p.value.clone()).unwrap()
    };
    let uids: Vec<String> = cal.events.iter().map(uid).collect();
    let check_in_event = format!("check-in-{check_in}@mentorship-api");
    let due_event = format!("check-in-due-{mentorship}@mentorship-api");
    let call_event = format!("mentor-call-{call}@mentorship-api");
    for want in [&check_in_event, &due_event, &call_event] {
        assert!(uids.contains(want), "{want} not in {uids:?}");
    }
    let event = |id: &str| cal.events.iter().find(|e| uid(e) == id).unwrap();
    let start = prop(event(&check_in_event), "DTSTART")
        .unwrap()
        .value
        .clone()
        .unwrap();
    assert!(start.ends_with('Z'), "times in UTC: {start}");
    let due = prop(event(&due_event), "DTSTART").unwrap();
    assert_eq!(
        due.params.as_ref().unwrap()[0],
        ("VALUE".to_owned(), vec!["DATE".to_owned()])
    );
    assert_eq!(due.value.as_deref().unwrap().len(), 8, "an all-day date");
    let location = prop(event(&call_event), "LOCATION").unwrap().value.clone();
    assert_eq!(location.as_deref(), Some("https://meet.example.org/reps"));
    // The same UIDs on the next read: calendar apps update events, they do not duplicate.
    let again = parse(&fetch(&app, &url).await.text().await.unwrap());
    assert_eq!(again.events.iter().map(uid).collect::<Vec<_>>(), uids);
    // The mentee's feed has the check-in and the due date, not the mentors' call.
    let theirs = parse(
        &fetch(&app, &feed_url(&app, &mentee).await)
            .await
            .text()
            .await
            .unwrap(),
    );
    let theirs: Vec<String> = theirs.events.iter().map(uid).collect();
    assert!(theirs.contains(&check_in_event) && theirs.contains(&due_event));
    assert!(!theirs.contains(&call_event));
}

#[tokio::test]
async fn the_url_is_only_on_me_and_rotation_retires_it() {
    let app = spawn_app_with(|s| s.public_url = Some(PUBLIC.into())).await;
    let council = app.council().await;
    let rep = app.mentee().await;
    let seen = app
        .ok(&council, "query($id: ID!) { person(id: $id) { calendarFeedUrl notificationPreferences { email } } }", json!({"id": rep.id}))
        .await;
    assert_eq!(
        seen["person"],
        json!({"calendarFeedUrl": null, "notificationPreferences": null})
    );
    let old = feed_url(&app, &rep).await;
    assert_eq!(fetch(&app, &old).await.status(), StatusCode::OK);
    let rotated = app
        .ok(
            &rep,
            "mutation { rotateCalendarFeedUrl { calendarFeedUrl } }",
            json!({}),
        )
        .await["rotateCalendarFeedUrl"]["calendarFeedUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(rotated, old);
    assert_eq!(fetch(&app, &old).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(fetch(&app, &rotated).await.status(), StatusCode::OK);
    assert_eq!(feed_url(&app, &rep).await, rotated);
    // Made up, tampered, or without the .ics suffix: 404.
    let tampered =
        rotated
            .replacen("/calendar/A", "/calendar/B", 1)
            .replacen("/calendar/", "/calendar/x", 1);
    for bad in [
        tampered,
        format!("{PUBLIC}/api/v1/calendar/nothing.ics"),
        rotated.trim_end_matches(".ics").to_owned(),
    ] {
        assert_eq!(
            fetch(&app, &bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}
