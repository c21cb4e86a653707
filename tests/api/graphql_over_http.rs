//! The GraphQL-over-HTTP spec's media types: `application/json` unless the client prefers
//! `application/graphql-response+json`, and only then request errors as 400 without a
//! `data` entry; a request without a query is 400 in either. (graphql-http's own audit runs
//! against the built server in `.ci/run`; these are its rules on both databases.)

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, spawn_app};

const NEW: &str = "application/graphql-response+json";

/// Status, content type and body of `body` posted with `accept` (none when `None`).
async fn post(
    app: &TestApp,
    token: &str,
    accept: Option<&str>,
    body: Value,
) -> (u16, String, Value) {
    let mut request = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(&body);
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let media = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (status, media, response.json().await.unwrap())
}

#[tokio::test]
async fn the_media_type_follows_accept() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    let query = json!({"query": "{ me { id } }"});
    for (accept, media) in [
        (None, "application/json"),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (Some("text/html"), "application/json"),
        (Some(NEW), NEW),
        // What Apollo Client and graphql-request send.
        (
            Some("application/graphql-response+json, application/json;q=0.9"),
            NEW,
        ),
        (
            Some("application/graphql-response+json;q=0.4, application/json"),
            "application/json",
        ),
    ] {
        let (status, got, body) = post(&app, &rep.token, accept, query.clone()).await;
        assert_eq!((status, got.as_str()), (200, media), "{accept:?}");
        assert_eq!(body["data"]["me"]["id"], json!(rep.id));
    }
}

#[tokio::test]
async fn request_errors_are_400_without_data_only_in_the_new_media_type() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    let failures = [
        json!({"query": "{"}),
        json!({"query": "{ noSuchField }"}),
        json!({"query": "query($id: ID!) { person(id: $id) { id } }", "variables": {"id": null}}),
        json!({"query": "query($n: Int) { people(first: $n) { totalCount } }", "variables": {"n": "ten"}}),
    ];
    for request in failures {
        let (status, media, body) = post(&app, &rep.token, Some(NEW), request.clone()).await;
        assert_eq!((status, media.as_str()), (400, NEW), "{request}");
        assert!(body.get("data").is_none(), "{body}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
        // A client that asked for application/json may not read a 4xx as GraphQL: 200.
        let (status, media, body) = post(&app, &rep.token, Some("application/json"), request).await;
        assert_eq!((status, media.as_str()), (200, "application/json"));
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body}");
    }
}

#[tokio::test]
async fn a_field_error_is_an_answer_not_a_request_error() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    // A rep may not read the audit log: the field fails, the request was fine.
    let request = json!({"query": "{ me { id } auditLog(first: 1) { totalCount } }"});
    let (status, media, body) = post(&app, &rep.token, Some(NEW), request).await;
    assert_eq!((status, media.as_str()), (200, NEW), "{body}");
    assert_eq!(error_code(&body), "FORBIDDEN", "{body}");
    assert_eq!(body["data"]["me"]["id"], json!(rep.id));
    assert_eq!(body["errors"][0]["path"], json!(["auditLog"]));
}

#[tokio::test]
async fn a_request_without_a_query_is_400() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    for (request, accept) in [
        (json!({"notquery": "{ __typename }"}), Some(NEW)),
        (json!({"qeury": "{ __typename }"}), None),
        (json!({"query": 0}), None),
        (json!({"query": ["array"]}), Some(NEW)),
        (
            json!({"query": "{ me { id } }", "variables": "not a map"}),
            None,
        ),
    ] {
        let (status, _, body) = post(&app, &rep.token, accept, request.clone()).await;
        assert_eq!(status, 400, "{request}: {body}");
        assert_eq!(error_code(&body), "BAD_USER_INPUT");
        assert!(body.get("data").is_none(), "{body}");
    }
    let get = app
        .http
        .get(format!("{}/graphql?variables=%7B%7D", app.base))
        .bearer_auth(&rep.token)
        .header("accept", NEW)
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), StatusCode::BAD_REQUEST);
    assert_eq!(get.headers()["content-type"], NEW);
}

#[tokio::test]
async fn persisted_query_misses_and_batches_stay_200() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    // Apollo's persisted-query link reads the miss from a 200 and sends the document.
    let hash = "0".repeat(64);
    let miss = json!({"extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}});
    let (status, media, body) = post(&app, &rep.token, Some(NEW), miss).await;
    assert_eq!((status, media.as_str()), (200, NEW), "{body}");
    assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND");
    // One status cannot describe ten answers: a batch is 200 with each answer's errors.
    let batch = json!([{"query": "{ me { id } }"}, {"query": "{"}]);
    let (status, media, body) = post(&app, &rep.token, Some(NEW), batch).await;
    assert_eq!((status, media.as_str()), (200, NEW));
    assert_eq!(body[0]["data"]["me"]["id"], json!(rep.id));
    assert_eq!(error_code(&body[1]), "BAD_USER_INPUT");
}
