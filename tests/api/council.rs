//! Council points of contact: set by the council, seen by everyone, used for routing.

use serde_json::json;

use crate::helpers::{app::error_code, spawn_app};

const SET: &str = "mutation($a: ContactArea!, $p: ID!) { setCouncilContact(input: {area: $a, personId: $p}) { area person { id } } }";

#[tokio::test]
async fn the_council_names_its_contacts_and_requests_reach_them() {
    let app = spawn_app().await;
    let (admin, other) = (app.council().await, app.council().await);
    let rep = app.mentee().await;
    let set = app
        .ok(
            &other,
            SET,
            json!({"a": "MENTORSHIP_ADMINISTRATION", "p": admin.id}),
        )
        .await;
    assert_eq!(set["setCouncilContact"]["person"]["id"], admin.id);
    let seen = app
        .ok(
            &rep,
            "{ councilContacts { area person { id displayName } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        seen["councilContacts"][0]["area"],
        "MENTORSHIP_ADMINISTRATION"
    );
    assert_eq!(seen["councilContacts"][0]["person"]["id"], admin.id);
    // A request to the council reaches the contact only.
    app.ok(&rep, "mutation { openSupportRequest(input: {recipient: COUNCIL, subject: \"Q\", message: \"?\"}) { id } }", json!({})).await;
    let unread = "{ unreadNotificationCount }";
    let admin_unread = app.ok(&admin, unread, json!({})).await["unreadNotificationCount"].clone();
    let other_unread = app.ok(&other, unread, json!({})).await["unreadNotificationCount"].clone();
    assert_eq!((admin_unread, other_unread), (json!(1), json!(0)));
    // Only council members can be contacts, and only the council sets them.
    let not_council = app
        .graphql(&other.token, SET, json!({"a": "ONBOARDING", "p": rep.id}))
        .await;
    assert_eq!(
        (
            error_code(&not_council),
            not_council["errors"][0]["extensions"]["field"].as_str()
        ),
        ("BAD_USER_INPUT", Some("input.personId"))
    );
    assert_eq!(
        error_code(
            &app.graphql(&rep.token, SET, json!({"a": "ONBOARDING", "p": admin.id}))
                .await
        ),
        "FORBIDDEN"
    );
    let machine = app.machine_token("metrics:read");
    assert_eq!(
        error_code(
            &app.graphql(&machine, "{ councilContacts { area } }", json!({}))
                .await
        ),
        "FORBIDDEN"
    );
    let log = app
        .ok(
            &admin,
            "{ auditLog(filter: {action: \"set_council_contact\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(log["auditLog"]["totalCount"], 1);
}
