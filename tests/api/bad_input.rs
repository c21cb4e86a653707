//! Every input rule of the core: BAD_USER_INPUT with `extensions.field` naming the field.

use chrono::{Duration, SecondsFormat};
use mentorship_api::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

#[tokio::test]
async fn each_bad_input_names_its_field() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 5).await;
    let mentee = app.mentee().await;
    let ms = app.assign(&c, &mentee, &mentor).await;
    let at = |d: Duration| (app.clock.now() + d).to_rfc3339_opts(SecondsFormat::Micros, true);
    let long = |n: usize| "x".repeat(n);
    let profile = "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { id } }";
    let grant = "mutation($i: GrantMentorRoleInput!) { grantMentorRole(input: $i) { id } }";
    let mentor_profile =
        "mutation($i: UpdateMentorProfileInput!) { updateMentorProfile(input: $i) { id } }";
    let assign = "mutation($i: AssignMentorInput!) { assignMentor(input: $i) { id } }";
    let reassign = "mutation($i: ReassignMentorInput!) { reassignMentor(input: $i) { id } }";
    let end = "mutation($i: EndMentorshipInput!) { endMentorship(input: $i) { id } }";
    let schedule = "mutation($i: ScheduleCheckInInput!) { scheduleCheckIn(input: $i) { id } }";
    let record = "mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { id } }";
    let cancel = "mutation($i: CancelCheckInInput!) { cancelCheckIn(input: $i) { id } }";
    let eleven: Vec<String> = (0..11).map(|i| format!("x-lang{i}")).collect();
    let cases = vec![
        (
            &c,
            profile,
            json!({"i": {"displayName": "   "}}),
            "input.displayName",
        ),
        (
            &c,
            profile,
            json!({"i": {"displayName": long(81)}}),
            "input.displayName",
        ),
        (
            &c,
            profile,
            json!({"i": {"timezone": "Mars/Olympus_Mons"}}),
            "input.timezone",
        ),
        (
            &c,
            profile,
            json!({"i": {"country": "XX"}}),
            "input.country",
        ),
        (
            &c,
            profile,
            json!({"i": {"languages": ["not a tag"]}}),
            "input.languages",
        ),
        (
            &c,
            profile,
            json!({"i": {"languages": eleven}}),
            "input.languages",
        ),
        (&c, profile, json!({"i": {"bio": long(2001)}}), "input.bio"),
        (
            &c,
            grant,
            json!({"i": {"personId": "nope"}}),
            "input.personId",
        ),
        (
            &c,
            grant,
            json!({"i": {"personId": mentee.id, "capacity": 51}}),
            "input.capacity",
        ),
        (
            &c,
            grant,
            json!({"i": {"personId": mentee.id, "capacity": -1}}),
            "input.capacity",
        ),
        (
            &mentor,
            mentor_profile,
            json!({"i": {"capacity": 51}}),
            "input.capacity",
        ),
        (
            &mentor,
            mentor_profile,
            json!({"i": {"expertise": [" "]}}),
            "input.expertise",
        ),
        (
            &mentor,
            mentor_profile,
            json!({"i": {"bio": long(2001)}}),
            "input.bio",
        ),
        (
            &c,
            mentor_profile,
            json!({"i": {"personId": "42"}}),
            "input.personId",
        ),
        (
            &c,
            assign,
            json!({"i": {"menteeId": "x", "mentorId": mentor.id}}),
            "input.menteeId",
        ),
        (
            &c,
            assign,
            json!({"i": {"menteeId": mentee.id, "mentorId": "y"}}),
            "input.mentorId",
        ),
        (
            &c,
            assign,
            json!({"i": {"menteeId": mentor.id, "mentorId": mentor.id}}),
            "input.mentorId",
        ),
        (
            &c,
            assign,
            json!({"i": {"menteeId": mentee.id, "mentorId": mentor.id, "note": long(2001)}}),
            "input.note",
        ),
        (
            &c,
            reassign,
            json!({"i": {"menteeId": mentee.id, "newMentorId": mentor.id}}),
            "input.newMentorId",
        ),
        (
            &c,
            end,
            json!({"i": {"mentorshipId": "bad", "reason": "OTHER"}}),
            "input.mentorshipId",
        ),
        (
            &mentor,
            schedule,
            json!({"i": {"mentorshipId": ms, "scheduledFor": at(-Duration::hours(1))}}),
            "input.scheduledFor",
        ),
        (
            &mentor,
            schedule,
            json!({"i": {"mentorshipId": ms, "scheduledFor": at(Duration::days(366))}}),
            "input.scheduledFor",
        ),
        (
            &mentor,
            schedule,
            json!({"i": {"mentorshipId": ms, "scheduledFor": at(Duration::days(1)), "agenda": long(2001)}}),
            "input.agenda",
        ),
        (
            &mentor,
            record,
            json!({"i": {"mentorshipId": ms, "heldAt": at(Duration::hours(1))}}),
            "input.heldAt",
        ),
        (
            &mentor,
            record,
            json!({"i": {"mentorshipId": ms, "heldAt": at(-Duration::days(2))}}),
            "input.heldAt",
        ),
        (
            &mentor,
            record,
            json!({"i": {"heldAt": at(Duration::zero())}}),
            "input.checkInId",
        ),
        (
            &mentor,
            record,
            json!({"i": {"mentorshipId": ms, "checkInId": ms, "heldAt": at(Duration::zero())}}),
            "input.checkInId",
        ),
        (
            &mentor,
            record,
            json!({"i": {"mentorshipId": ms, "heldAt": at(Duration::zero()), "notes": long(5001)}}),
            "input.notes",
        ),
        (
            &mentor,
            record,
            json!({"i": {"mentorshipId": ms, "heldAt": at(Duration::zero()), "menteePlans": long(5001)}}),
            "input.menteePlans",
        ),
        (
            &mentor,
            cancel,
            json!({"i": {"checkInId": ms, "reason": long(501)}}),
            "input.reason",
        ),
        (
            &c,
            "query($id: ID!) { person(id: $id) { id } }",
            json!({"id": "x"}),
            "id",
        ),
        (
            &c,
            "{ people(first: 101) { totalCount } }",
            json!({}),
            "first",
        ),
        (
            &c,
            "{ people(first: -1) { totalCount } }",
            json!({}),
            "first",
        ),
        (
            &c,
            "{ people(after: \"garbage\") { totalCount } }",
            json!({}),
            "after",
        ),
        (
            &c,
            "{ people(filter: {country: \"ZZ\"}) { totalCount } }",
            json!({}),
            "filter.country",
        ),
        (
            &c,
            "query($id: ID!) { mentorSuggestions(menteeId: $id, first: 0) { score } }",
            json!({"id": mentee.id}),
            "first",
        ),
        (
            &c,
            "query($id: ID!) { mentorSuggestions(menteeId: $id, first: 51) { score } }",
            json!({"id": mentee.id}),
            "first",
        ),
        (
            &c,
            "{ mentors(filter: {language: \"?!\"}) { totalCount } }",
            json!({}),
            "filter.language",
        ),
        (
            &c,
            "{ mentorships(filter: {mentorId: \"m\"}) { totalCount } }",
            json!({}),
            "filter.mentorId",
        ),
        (
            &c,
            "{ auditLog(filter: {subjectId: \"s\"}) { totalCount } }",
            json!({}),
            "filter.subjectId",
        ),
    ];
    expect_bad_fields(&app, cases).await;
    // Nothing was half-written by any refused mutation.
    let me = app.ok(&c, "{ me { displayName } }", json!({})).await;
    assert_eq!(me["me"]["displayName"], "Test Rep");
}

#[tokio::test]
async fn good_profile_input_is_normalized() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    let data = app
        .ok(
            &rep,
            "mutation { updateMyProfile(input: {displayName: \" Ada \", timezone: \"Europe/Berlin\", country: \"de\", languages: [\"DE\", \"en-us\", \"de\"], bio: \"hi\"}) { displayName timezone country languages bio } }",
            json!({}),
        )
        .await;
    assert_eq!(
        data["updateMyProfile"],
        json!({"displayName": "Ada", "timezone": "Europe/Berlin", "country": "DE", "languages": ["de", "en-US"], "bio": "hi"})
    );
    let cleared = app
        .ok(&rep, "mutation { updateMyProfile(input: {bio: null, timezone: null}) { displayName timezone bio country } }", json!({}))
        .await;
    assert_eq!(
        cleared["updateMyProfile"],
        json!({"displayName": "Ada", "timezone": null, "bio": null, "country": "DE"})
    );
}

#[tokio::test]
async fn each_bad_reach_out_input_names_its_field() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 5).await;
    let mentee = app.mentee().await;
    app.assign(&c, &mentee, &mentor).await;
    let open = "mutation { openSupportRequest(input: {recipient: MENTOR, subject: \"Q\", message: \"?\"}) { id } }";
    let request = app.ok(&mentee, open, json!({})).await["openSupportRequest"]["id"].clone();
    let alert = app
        .ok(
            &mentor,
            "mutation { reportMentorLoad(input: {kind: OVERWHELMED}) { id } }",
            json!({}),
        )
        .await["reportMentorLoad"]["id"]
        .clone();
    let at = |d: Duration| (app.clock.now() + d).to_rfc3339_opts(SecondsFormat::Micros, true);
    let long = |n: usize| "x".repeat(n);
    let open_q = "mutation($i: OpenSupportRequestInput!) { openSupportRequest(input: $i) { id } }";
    let reply =
        "mutation($i: ReplyToSupportRequestInput!) { replyToSupportRequest(input: $i) { id } }";
    let resolve =
        "mutation($i: ResolveSupportRequestInput!) { resolveSupportRequest(input: $i) { id } }";
    let report = "mutation($i: ReportMentorLoadInput!) { reportMentorLoad(input: $i) { id } }";
    let resolve_alert =
        "mutation($i: ResolveMentorAlertInput!) { resolveMentorAlert(input: $i) { id } }";
    let contact = "mutation($i: SetCouncilContactInput!) { setCouncilContact(input: $i) { area } }";
    let mark =
        "mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { marked } }";
    let moves = |n: usize| -> Vec<serde_json::Value> {
        (0..n)
            .map(|_| json!({"menteeId": mentee.id, "newMentorId": c.id}))
            .collect()
    };
    let cases = vec![
        (
            &mentee,
            open_q,
            json!({"i": {"recipient": "COUNCIL", "subject": "", "message": "m"}}),
            "input.subject",
        ),
        (
            &mentee,
            open_q,
            json!({"i": {"recipient": "COUNCIL", "subject": long(201), "message": "m"}}),
            "input.subject",
        ),
        (
            &mentee,
            open_q,
            json!({"i": {"recipient": "COUNCIL", "subject": "s", "message": " "}}),
            "input.message",
        ),
        (
            &mentee,
            open_q,
            json!({"i": {"recipient": "COUNCIL", "subject": "s", "message": long(5001)}}),
            "input.message",
        ),
        (
            &mentee,
            reply,
            json!({"i": {"requestId": request, "message": ""}}),
            "input.message",
        ),
        (
            &mentee,
            reply,
            json!({"i": {"requestId": "r", "message": "m"}}),
            "input.requestId",
        ),
        (
            &mentee,
            resolve,
            json!({"i": {"requestId": request, "status": "OPEN"}}),
            "input.status",
        ),
        (
            &mentee,
            resolve,
            json!({"i": {"requestId": request, "note": long(5001)}}),
            "input.note",
        ),
        (
            &mentor,
            report,
            json!({"i": {"kind": "NEEDS_BREAK", "returnOn": at(-Duration::days(1))}}),
            "input.returnOn",
        ),
        (
            &mentor,
            report,
            json!({"i": {"kind": "NEEDS_BREAK", "returnOn": at(Duration::days(400))}}),
            "input.returnOn",
        ),
        (
            &mentor,
            report,
            json!({"i": {"kind": "NEEDS_BREAK", "returnOn": at(Duration::days(3)), "message": long(2001)}}),
            "input.message",
        ),
        (
            &c,
            resolve_alert,
            json!({"i": {"alertId": alert, "resolution": " "}}),
            "input.resolution",
        ),
        (
            &c,
            resolve_alert,
            json!({"i": {"alertId": "a", "resolution": "r"}}),
            "input.alertId",
        ),
        (
            &c,
            resolve_alert,
            json!({"i": {"alertId": alert, "resolution": "r", "reassignments": [{"menteeId": "x", "newMentorId": c.id}]}}),
            "input.reassignments.0.menteeId",
        ),
        (
            &c,
            resolve_alert,
            json!({"i": {"alertId": alert, "resolution": "r", "reassignments": moves(51)}}),
            "input.reassignments",
        ),
        (
            &c,
            contact,
            json!({"i": {"area": "ONBOARDING", "personId": "p"}}),
            "input.personId",
        ),
        (&c, mark, json!({"i": {"ids": ["n"]}}), "input.ids"),
        (
            &c,
            "query($id: ID!) { supportRequest(id: $id) { id } }",
            json!({"id": "s"}),
            "id",
        ),
        (
            &c,
            "{ mentorAlerts(filter: {mentorId: \"m\"}) { totalCount } }",
            json!({}),
            "filter.mentorId",
        ),
        (
            &c,
            "{ myNotifications(first: 101) { totalCount } }",
            json!({}),
            "first",
        ),
    ];
    expect_bad_fields(&app, cases).await;
    let still = app
        .ok(
            &c,
            "{ mentorAlerts(filter: {status: OPEN}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        still["mentorAlerts"]["totalCount"], 1,
        "nothing was half-applied"
    );
}

#[tokio::test]
async fn each_bad_communication_and_onboarding_input_names_its_field() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 5).await;
    let rep = app.mentee().await;
    let plain = app
        .ok(
            &c,
            "mutation { publishAnnouncement(input: {title: \"T\", body: \"B\", audience: MENTORS}) { id } }",
            json!({}),
        )
        .await["publishAnnouncement"]["id"]
        .clone();
    let at = |d: Duration| (app.clock.now() + d).to_rfc3339_opts(SecondsFormat::Micros, true);
    let call = app
        .ok(
            &c,
            "mutation($at: DateTime!) { scheduleMentorCall(input: {scheduledFor: $at, agenda: \"A\"}) { id } }",
            json!({"at": at(Duration::hours(1))}),
        )
        .await["scheduleMentorCall"]["id"]
        .clone();
    let application = app
        .ok(
            &rep,
            "mutation { applyToBecomeMentor(input: {motivation: \"M\", languages: [\"en\"], areas: [\"events\"]}) { id } }",
            json!({}),
        )
        .await["applyToBecomeMentor"]["id"]
        .clone();
    app.clock.advance(Duration::hours(2));
    let long = |n: usize| "x".repeat(n);
    let guide = "mutation($i: PublishRoleGuideInput!) { publishRoleGuide(input: $i) { version } }";
    let announce =
        "mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { id } }";
    let relay = "mutation($i: RelayAnnouncementInput!) { relayAnnouncement(input: $i) }";
    let schedule =
        "mutation($i: ScheduleMentorCallInput!) { scheduleMentorCall(input: $i) { id } }";
    let record = "mutation($i: RecordMentorCallInput!) { recordMentorCall(input: $i) { id } }";
    let apply = "mutation($i: ApplyToBecomeMentorInput!) { applyToBecomeMentor(input: $i) { id } }";
    let status = "mutation($i: SetMentorApplicationStatusInput!) { setMentorApplicationStatus(input: $i) { id } }";
    let contact = "mutation($i: SetMentorApplicationContactInput!) { setMentorApplicationContact(input: $i) { id } }";
    let tick = "mutation($i: SetOnboardingChecklistItemInput!) { setOnboardingChecklistItem(input: $i) { id } }";
    let checklist =
        "mutation($i: SetOnboardingChecklistInput!) { setOnboardingChecklist(input: $i) { key } }";
    let round = "mutation($i: OpenOnboardingRoundInput!) { openOnboardingRound(input: $i) { id } }";
    let step = |key: &str, label: &str| json!({"key": key, "label": label});
    let cases = vec![
        (
            &c,
            guide,
            json!({"i": {"title": "", "body": "b"}}),
            "input.title",
        ),
        (
            &c,
            guide,
            json!({"i": {"title": "t", "body": " "}}),
            "input.body",
        ),
        (
            &c,
            guide,
            json!({"i": {"title": "t", "body": "b", "mentorsDo": vec!["x"; 31]}}),
            "input.mentorsDo",
        ),
        (
            &c,
            guide,
            json!({"i": {"title": "t", "body": "b", "mentorsDont": [long(301)]}}),
            "input.mentorsDont",
        ),
        (
            &c,
            announce,
            json!({"i": {"title": long(201), "body": "b", "audience": "ALL_REPS"}}),
            "input.title",
        ),
        (
            &c,
            announce,
            json!({"i": {"title": "t", "body": "b", "audience": "ALL_REPS", "country": "XX"}}),
            "input.country",
        ),
        (
            &c,
            announce,
            json!({"i": {"title": "t", "body": "b", "audience": "ALL_REPS", "language": "not a tag"}}),
            "input.language",
        ),
        (
            &c,
            "query($id: ID!) { announcement(id: $id) { id } }",
            json!({"id": "a"}),
            "id",
        ),
        (
            &mentor,
            "mutation($id: ID!) { acknowledgeAnnouncement(announcementId: $id) { id } }",
            json!({"id": "a"}),
            "announcementId",
        ),
        (
            &mentor,
            relay,
            json!({"i": {"announcementId": "a", "channel": "call"}}),
            "input.announcementId",
        ),
        (
            &mentor,
            relay,
            json!({"i": {"announcementId": plain, "channel": "call"}}),
            "input.announcementId",
        ),
        (
            &mentor,
            relay,
            json!({"i": {"announcementId": plain, "channel": ""}}),
            "input.channel",
        ),
        (
            &mentor,
            relay,
            json!({"i": {"announcementId": plain, "channel": "call", "menteeIds": ["m"]}}),
            "input.menteeIds",
        ),
        (
            &c,
            schedule,
            json!({"i": {"scheduledFor": at(-Duration::hours(1)), "agenda": "a"}}),
            "input.scheduledFor",
        ),
        (
            &c,
            schedule,
            json!({"i": {"scheduledFor": at(Duration::days(400)), "agenda": "a"}}),
            "input.scheduledFor",
        ),
        (
            &c,
            schedule,
            json!({"i": {"scheduledFor": at(Duration::days(1)), "agenda": ""}}),
            "input.agenda",
        ),
        (
            &c,
            schedule,
            json!({"i": {"scheduledFor": at(Duration::days(1)), "agenda": "a", "link": "ftp://x"}}),
            "input.link",
        ),
        (
            &mentor,
            "mutation($id: ID!) { rsvpMentorCall(callId: $id, response: YES) { id } }",
            json!({"id": "c"}),
            "callId",
        ),
        (
            &c,
            "query($id: ID!) { mentorCall(id: $id) { id } }",
            json!({"id": "c"}),
            "id",
        ),
        (&c, record, json!({"i": {"callId": "c"}}), "input.callId"),
        (
            &c,
            record,
            json!({"i": {"callId": call, "attendedMentorIds": [rep.id]}}),
            "input.attendedMentorIds",
        ),
        (
            &c,
            record,
            json!({"i": {"callId": call, "actionItems": vec!["x"; 51]}}),
            "input.actionItems",
        ),
        (
            &c,
            record,
            json!({"i": {"callId": call, "announcementIds": [plain]}}),
            "input.announcementIds",
        ),
        (
            &mentor,
            apply,
            json!({"i": {"motivation": " ", "languages": ["en"], "areas": ["a"]}}),
            "input.motivation",
        ),
        (
            &mentor,
            apply,
            json!({"i": {"motivation": long(5001), "languages": ["en"], "areas": ["a"]}}),
            "input.motivation",
        ),
        (
            &mentor,
            apply,
            json!({"i": {"motivation": "m", "languages": [], "areas": ["a"]}}),
            "input.languages",
        ),
        (
            &mentor,
            apply,
            json!({"i": {"motivation": "m", "languages": ["not a tag"], "areas": ["a"]}}),
            "input.languages",
        ),
        (
            &mentor,
            apply,
            json!({"i": {"motivation": "m", "languages": ["en"], "areas": []}}),
            "input.areas",
        ),
        (
            &mentor,
            apply,
            json!({"i": {"motivation": "m", "languages": ["en"], "areas": [long(51)]}}),
            "input.areas",
        ),
        (
            &c,
            status,
            json!({"i": {"applicationId": "a", "status": "IN_REVIEW"}}),
            "input.applicationId",
        ),
        (
            &c,
            status,
            json!({"i": {"applicationId": application, "status": "IN_REVIEW", "note": long(2001)}}),
            "input.note",
        ),
        (
            &c,
            status,
            json!({"i": {"applicationId": application, "status": "COMPLETED", "capacity": 51}}),
            "input.capacity",
        ),
        (
            &c,
            contact,
            json!({"i": {"applicationId": application, "personId": rep.id}}),
            "input.personId",
        ),
        (
            &c,
            contact,
            json!({"i": {"applicationId": application, "personId": "p"}}),
            "input.personId",
        ),
        (
            &c,
            tick,
            json!({"i": {"applicationId": application, "key": "nope", "done": true}}),
            "input.key",
        ),
        (&c, checklist, json!({"i": {"items": []}}), "input.items"),
        (
            &c,
            checklist,
            json!({"i": {"items": vec![step("a", "A"); 21]}}),
            "input.items",
        ),
        (
            &c,
            checklist,
            json!({"i": {"items": [step("Bad Key", "A")]}}),
            "input.items.key",
        ),
        (
            &c,
            checklist,
            json!({"i": {"items": [step("a", "A"), step("a", "B")]}}),
            "input.items.key",
        ),
        (
            &c,
            checklist,
            json!({"i": {"items": [step("a", " ")]}}),
            "input.items.label",
        ),
        (
            &c,
            round,
            json!({"i": {"name": "", "opensAt": at(Duration::days(1)), "closesAt": at(Duration::days(2))}}),
            "input.name",
        ),
        (
            &c,
            round,
            json!({"i": {"name": "r", "opensAt": at(Duration::days(2)), "closesAt": at(Duration::days(1))}}),
            "input.closesAt",
        ),
        (
            &c,
            round,
            json!({"i": {"name": "r", "opensAt": at(-Duration::days(9)), "closesAt": at(-Duration::days(1))}}),
            "input.closesAt",
        ),
        (
            &c,
            round,
            json!({"i": {"name": "r", "opensAt": at(Duration::days(1)), "closesAt": at(Duration::days(400))}}),
            "input.closesAt",
        ),
        (
            &c,
            "{ mentorApplications(filter: {roundId: \"r\"}) { totalCount } }",
            json!({}),
            "filter.roundId",
        ),
        (
            &c,
            "query($id: ID!) { mentorApplication(id: $id) { id } }",
            json!({"id": "a"}),
            "id",
        ),
        (
            &c,
            "query($id: ID!) { onboardingRound(id: $id) { id } }",
            json!({"id": "r"}),
            "id",
        ),
    ];
    expect_bad_fields(&app, cases).await;
    let untouched = app
        .ok(
            &c,
            "{ currentRoleGuide { version } onboardingRounds { totalCount } onboardingChecklist { key } mentorApplications(filter: {status: APPLIED}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        untouched,
        json!({"currentRoleGuide": null, "onboardingRounds": {"totalCount": 0},
               "onboardingChecklist": [{"key": "acknowledge-role-guide"}, {"key": "orientation-call"}, {"key": "join-mentors-channel"}, {"key": "shadow-check-in"}],
               "mentorApplications": {"totalCount": 1}}),
        "nothing was half-applied"
    );
}

/// Runs every case and fails, listing them all, unless each is BAD_USER_INPUT naming its
/// field.
async fn expect_bad_fields(app: &TestApp, cases: Vec<(&Member, &str, Value, &str)>) {
    let mut failures = Vec::new();
    for (who, query, vars, field) in cases {
        let body = app.graphql(&who.token, query, vars.clone()).await;
        let got = (
            error_code(&body),
            body["errors"][0]["extensions"]["field"].as_str(),
        );
        if got != ("BAD_USER_INPUT", Some(field)) {
            failures.push(format!("{field} with {vars}: {body}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
