//! People lists, the mentor directory, mentor profiles, suggestions and domain events.

use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, fixtures::Member, spawn_app};

async fn set_profile(app: &TestApp, who: &Member, input: Value) {
    app.ok(
        who,
        "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { id } }",
        json!({"i": input}),
    )
    .await;
}

fn ids(conn: &Value) -> Vec<String> {
    conn["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_council_filters_people() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 2).await;
    let (ada, bo) = (app.mentee().await, app.mentee().await);
    set_profile(
        &app,
        &ada,
        json!({"displayName": "Ada Lovelace", "country": "GB"}),
    )
    .await;
    set_profile(
        &app,
        &bo,
        json!({"displayName": "Bo Diddley", "country": "US"}),
    )
    .await;
    app.assign(&c, &ada, &mentor).await;
    let q =
        "query($f: PersonFilterInput) { people(filter: $f) { totalCount edges { node { id } } } }";
    let cases = [
        (json!({"role": "MENTOR"}), vec![mentor.id.clone()]),
        (json!({"role": "COUNCIL"}), vec![c.id.clone()]),
        (json!({"hasMentor": true}), vec![ada.id.clone()]),
        (json!({"country": "us"}), vec![bo.id.clone()]),
        (json!({"search": "LOVE"}), vec![ada.id.clone()]),
        (
            json!({"hasMentor": false, "role": "MENTEE", "search": "bo"}),
            vec![bo.id.clone()],
        ),
    ];
    for (filter, want) in cases {
        let data = app.ok(&c, q, json!({"f": filter})).await;
        assert_eq!(ids(&data["people"]), want, "{filter}");
        assert_eq!(data["people"]["totalCount"], want.len(), "{filter}");
    }
    let all = app
        .ok(
            &c,
            "{ people(first: 2) { totalCount pageInfo { hasNextPage endCursor } } }",
            json!({}),
        )
        .await;
    assert_eq!(all["people"]["totalCount"], 4);
    assert_eq!(all["people"]["pageInfo"]["hasNextPage"], true);
}

#[tokio::test]
async fn the_directory_filters_mentors_and_counts_from_the_database() {
    let app = spawn_app().await;
    let c = app.council().await;
    let (es, full, paused) = (
        app.mentor(&c, 2).await,
        app.mentor(&c, 1).await,
        app.mentor(&c, 3).await,
    );
    set_profile(
        &app,
        &es,
        json!({"languages": ["es", "en"], "country": "MX"}),
    )
    .await;
    app.ok(&es, "mutation { updateMentorProfile(input: {expertise: [\"Events\", \"L10n\"], bio: \"hola\"}) { id } }", json!({})).await;
    app.assign(&c, &app.mentee().await, &full).await;
    app.ok(
        &c,
        "mutation($id: ID!) { updateMentorProfile(input: {personId: $id, status: PAUSED}) { id } }",
        json!({"id": paused.id}),
    )
    .await;
    let q =
        "query($f: MentorFilterInput) { mentors(filter: $f) { totalCount edges { node { id } } } }";
    let cases = [
        (json!({"accepting": true}), vec![es.id.clone()]),
        (
            json!({"accepting": false}),
            vec![full.id.clone(), paused.id.clone()],
        ),
        (json!({"language": "ES"}), vec![es.id.clone()]),
        (json!({"country": "mx"}), vec![es.id.clone()]),
        (json!({"expertise": "events"}), vec![es.id.clone()]),
        (
            json!({}),
            vec![es.id.clone(), full.id.clone(), paused.id.clone()],
        ),
    ];
    let rep = app.mentee().await;
    for (filter, want) in cases {
        let data = app.ok(&rep, q, json!({"f": filter})).await;
        assert_eq!(ids(&data["mentors"]), want, "{filter}");
    }
    let profile = app
        .ok(&rep, "query($id: ID!) { person(id: $id) { languages mentorProfile { capacity status activeMenteeCount acceptingMentees expertise bio } } }", json!({"id": full.id}))
        .await;
    assert_eq!(
        profile["person"]["mentorProfile"],
        json!({"capacity": 1, "status": "ACTIVE", "activeMenteeCount": 1, "acceptingMentees": false, "expertise": [], "bio": null})
    );
}

#[tokio::test]
async fn mentors_edit_their_profile_but_only_the_council_sets_status() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 2).await;
    let own = app
        .ok(&mentor, "mutation { updateMentorProfile(input: {capacity: 4, acceptingMentees: false}) { mentorProfile { capacity acceptingMentees } } }", json!({}))
        .await;
    assert_eq!(
        own["updateMentorProfile"]["mentorProfile"],
        json!({"capacity": 4, "acceptingMentees": false})
    );
    let status = app
        .graphql(
            &mentor.token,
            "mutation { updateMentorProfile(input: {status: RETIRED}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&status), "FORBIDDEN");
    let again = app
        .graphql(
            &c.token,
            "mutation($id: ID!) { grantMentorRole(input: {personId: $id}) { id } }",
            json!({"id": mentor.id}),
        )
        .await;
    assert_eq!(error_code(&again), "CONFLICT");
    let retired = app
        .ok(&c, "mutation($id: ID!) { updateMentorProfile(input: {personId: $id, status: RETIRED}) { roles mentorProfile { status } } }", json!({"id": mentor.id}))
        .await;
    assert_eq!(
        retired["updateMentorProfile"]["mentorProfile"]["status"],
        "RETIRED"
    );
    let revived = app
        .ok(&c, "mutation($id: ID!) { grantMentorRole(input: {personId: $id, capacity: 1}) { mentorProfile { status capacity } } }", json!({"id": mentor.id}))
        .await;
    assert_eq!(
        revived["grantMentorRole"]["mentorProfile"],
        json!({"status": "ACTIVE", "capacity": 1})
    );
    let log = app
        .ok(
            &c,
            "{ auditLog { edges { node { action subjectId } } } }",
            json!({}),
        )
        .await;
    let actions: Vec<&str> = log["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "grant_mentor_role",
            "update_mentor_profile",
            "grant_mentor_role"
        ],
        "a mentor's own edits are not council actions"
    );
}

#[tokio::test]
async fn suggestions_rank_by_language_country_time_zone_and_free_slots() {
    let app = spawn_app().await;
    let c = app.council().await;
    let mentee = app.mentee().await;
    set_profile(
        &app,
        &mentee,
        json!({"languages": ["es-MX"], "country": "MX", "timezone": "America/Mexico_City"}),
    )
    .await;
    let (best, far, full, current) = (
        app.mentor(&c, 5).await,
        app.mentor(&c, 1).await,
        app.mentor(&c, 1).await,
        app.mentor(&c, 5).await,
    );
    set_profile(
        &app,
        &best,
        json!({"languages": ["es"], "country": "MX", "timezone": "America/Mexico_City"}),
    )
    .await;
    set_profile(
        &app,
        &far,
        json!({"languages": ["ja"], "country": "JP", "timezone": "Asia/Tokyo"}),
    )
    .await;
    app.assign(&c, &app.mentee().await, &full).await;
    app.assign(&c, &mentee, &current).await;
    let q = "query($id: ID!) { mentorSuggestions(menteeId: $id, first: 10) { mentor { id } score reasons freeSlots } }";
    let data = app.ok(&c, q, json!({"id": mentee.id})).await;
    let list = data["mentorSuggestions"].as_array().unwrap();
    let order: Vec<&str> = list
        .iter()
        .map(|s| s["mentor"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [best.id.as_str(), far.id.as_str()],
        "full and current mentors are left out"
    );
    assert_eq!(
        list[0]["reasons"],
        json!([
            "speaks es",
            "same country",
            "same time zone",
            "5 free slots"
        ])
    );
    assert_eq!(list[0]["freeSlots"], 5);
    assert!(list[0]["score"].as_f64().unwrap() > list[1]["score"].as_f64().unwrap());
    assert_eq!(
        list[1]["reasons"].as_array().unwrap().last().unwrap(),
        "1 free slot"
    );
    let unknown = app
        .graphql(&c.token, q, json!({"id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(error_code(&unknown), "NOT_FOUND");
}

#[tokio::test]
async fn every_assignment_change_is_announced_once_after_commit() {
    // Arrange
    let app = spawn_app().await;
    let c = app.council().await;
    let (mentee, first, second) = (
        app.mentee().await,
        app.mentor(&c, 2).await,
        app.mentor(&c, 0).await,
    );

    // Act
    let ms = app.assign(&c, &mentee, &first).await;
    let refused = app
        .graphql(&c.token, "mutation($e: ID!, $r: ID!) { reassignMentor(input: {menteeId: $e, newMentorId: $r}) { id } }", json!({"e": mentee.id, "r": second.id}))
        .await;
    app.ok(&c, "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: MENTEE_LEFT}) { id } }", json!({"m": ms})).await;

    // Assert: each side is told once of each change, newest first; the refused
    // re-assignment (rolled back) told nobody.
    assert_eq!(error_code(&refused), "CAPACITY_EXCEEDED");
    for who in [&mentee, &first] {
        assert_eq!(
            app.notification_kinds(who).await,
            ["MENTORSHIP_ENDED", "MENTORSHIP_STARTED"]
        );
    }
    assert!(
        app.notification_kinds(&second)
            .await
            .iter()
            .all(|k| k != "MENTOR_REASSIGNED"),
        "the refused re-assignment announced nothing"
    );
}

#[tokio::test]
async fn search_terms_match_literally() {
    let app = spawn_app().await;
    let c = app.council().await;
    let names = [
        "snake_case",
        "snakeXcase",
        "100% sure",
        "1000 sure",
        r"back\slash",
    ];
    let mut people = vec![];
    for name in names {
        let who = app.mentee().await;
        set_profile(&app, &who, json!({"displayName": name})).await;
        people.push(who.id);
    }
    let q =
        "query($f: PersonFilterInput) { people(filter: $f) { totalCount edges { node { id } } } }";
    let cases = [
        ("_", vec![people[0].clone()]),
        ("e_c", vec![people[0].clone()]),
        ("%", vec![people[2].clone()]),
        ("0%", vec![people[2].clone()]),
        (r"\", vec![people[4].clone()]),
        (r"k\s", vec![people[4].clone()]),
    ];
    for (term, want) in cases {
        let data = app.ok(&c, q, json!({"f": {"search": term}})).await;
        assert_eq!(ids(&data["people"]), want, "{term}");
        assert_eq!(data["people"]["totalCount"], 1, "{term}");
    }
}

#[tokio::test]
async fn control_characters_are_refused_naming_the_field_on_either_database() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    let by_variable = "mutation($i: UpdateMyProfileInput!) { updateMyProfile(input: $i) { id } }";
    for (input, field) in [
        (json!({"bio": "nul \u{0} here"}), "i.bio"),
        (json!({"displayName": "red \u{1b}[31m"}), "i.displayName"),
        (json!({"languages": ["de", "e\u{7f}n"]}), "i.languages"),
        (json!({"bio": "c1 \u{85} next line"}), "i.bio"),
    ] {
        let body = app
            .graphql(&rep.token, by_variable, json!({"i": input}))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    // Written in the document itself, the same.
    let literal = r#"mutation { updateMyProfile(input: { bio: "a\u0000b" }) { id } }"#;
    let body = app.graphql(&rep.token, literal, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.bio");
    // Tab and newline are text.
    let fine = json!({"i": {"bio": "line one\n\tline two\r\n"}});
    let body = app.graphql(&rep.token, by_variable, fine).await;
    assert!(body["errors"].is_null(), "{body}");
    let me = app.ok(&rep, "{ me { bio } }", json!({})).await;
    assert_eq!(
        me["me"]["bio"], "line one\n\tline two",
        "kept, trimmed at the ends"
    );
}

#[tokio::test]
async fn a_mentors_mentees_page_through_in_assignment_order() {
    // Arrange: a mentor with three current mentees and one former one.
    let app = spawn_app().await;
    let c = app.council().await;
    let mentor = app.mentor(&c, 5).await;
    let mut mentees = vec![];
    for _ in 0..4 {
        let m = app.mentee().await;
        mentees.push((app.assign(&c, &m, &mentor).await, m.id));
    }
    let end = "mutation($m: ID!) { endMentorship(input: {mentorshipId: $m, reason: MENTEE_LEFT}) { id } }";
    app.ok(&c, end, json!({"m": mentees[1].0})).await;
    let q = "query($id: ID!, $after: String) { person(id: $id) { \
             mentorProfile { activeMenteeCount } \
             mentees(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } \
             nodes { id } } } }";

    // Act
    let first = app.ok(&mentor, q, json!({"id": mentor.id})).await;
    let cursor = first["person"]["mentees"]["pageInfo"]["endCursor"].clone();
    let second = app
        .ok(&mentor, q, json!({"id": mentor.id, "after": cursor}))
        .await;

    // Assert: the ended mentorship is not listed; pages follow assignment order.
    let ids = |page: &Value| -> Vec<String> {
        page["person"]["mentees"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first), [mentees[0].1.clone(), mentees[2].1.clone()]);
    assert_eq!(first["person"]["mentees"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(ids(&second), [mentees[3].1.clone()]);
    assert_eq!(
        second["person"]["mentees"]["pageInfo"]["hasNextPage"],
        false
    );
    for page in [&first, &second] {
        assert_eq!(page["person"]["mentees"]["totalCount"], 3);
        assert_eq!(page["person"]["mentorProfile"]["activeMenteeCount"], 3);
    }
}

#[tokio::test]
async fn the_directory_pages_by_name_when_asked() {
    let app = spawn_app().await;
    let council = app.council().await;
    let mut named = Vec::new();
    for name in ["Zoë Zed", "Ann Ash", "Mia Moss", "Ann Ash"] {
        let mentor = app.mentor(&council, 3).await;
        set_profile(&app, &mentor, json!({"displayName": name})).await;
        named.push((name, mentor.id));
    }
    // By name, ties by id (the two "Ann Ash" in the order they signed in).
    named.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let query =
        "query($after: String) { mentors(first: 3, after: $after, orderBy: DISPLAY_NAME_ASC) {
        pageInfo { hasNextPage endCursor } edges { node { id displayName } } } }";
    let first = app.ok(&council, query, json!({})).await;
    let second = app
        .ok(
            &council,
            query,
            json!({"after": first["mentors"]["pageInfo"]["endCursor"]}),
        )
        .await;
    assert_eq!(first["mentors"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(second["mentors"]["pageInfo"]["hasNextPage"], false);
    let mut seen = ids(&first["mentors"]);
    seen.extend(ids(&second["mentors"]));
    let expected: Vec<String> = named.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(seen, expected);
    assert_eq!(
        first["mentors"]["edges"][0]["node"]["displayName"],
        "Ann Ash"
    );
}

#[tokio::test]
async fn a_granted_mentor_acts_as_one_at_once_although_callers_are_cached() {
    let app = spawn_app().await;
    let council = app.council().await;
    let rep = app.member(&["mentee"], json!({})).await;
    let roles = "{ me { roles } }";
    assert_eq!(
        app.ok(&rep, roles, json!({})).await["me"]["roles"],
        json!(["MENTEE"])
    );
    let report =
        "mutation { reportMentorLoad(input: {kind: OVERWHELMED, message: \"busy\"}) { id } }";
    let body = app.graphql(&rep.token, report, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    app.ok(
        &council,
        "mutation($id: ID!) { grantMentorRole(input: {personId: $id, capacity: 2}) { id } }",
        json!({"id": rep.id}),
    )
    .await;
    // The next request of the same token sees the grant (this instance forgot its callers).
    assert_eq!(
        app.ok(&rep, roles, json!({})).await["me"]["roles"],
        json!(["MENTEE", "MENTOR"])
    );
    app.ok(&rep, report, json!({})).await;
}

/// Every rep has MENTEE, so `role: MENTEE` alone lists everyone; `withoutRoles` leaves out
/// mentors (token role or live profile) and the council, listing the plain reps.
#[tokio::test]
async fn the_council_lists_plain_reps() {
    let app = crate::helpers::spawn_app().await;
    let council = app.council().await;
    let rep = app.mentee().await;
    let mentor = app.mentor(&council, 2).await;
    let query = "query($f: PersonFilterInput) { people(filter: $f) { nodes { id } } }";
    let ids = |body: serde_json::Value| -> Vec<String> {
        body["people"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let everyone = ids(app
        .ok(
            &council,
            query,
            serde_json::json!({"f": {"role": "MENTEE"}}),
        )
        .await);
    assert_eq!(everyone.len(), 3, "{everyone:?}");
    let plain = serde_json::json!({"f": {"role": "MENTEE", "withoutRoles": ["MENTOR", "COUNCIL"]}});
    assert_eq!(
        ids(app.ok(&council, query, plain).await),
        vec![rep.id.clone()]
    );
    let not_mentors = serde_json::json!({"f": {"withoutRoles": ["MENTOR"]}});
    let listed = ids(app.ok(&council, query, not_mentors).await);
    assert!(
        !listed.contains(&mentor.id) && listed.contains(&council.id),
        "{listed:?}"
    );
}
