//! The schema's limits and the transport's rules, each refused with a clear code.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{app::error_code, spawn_app};

/// A query `depth` fields deep (the leaf included): `me`, then mentorships and mentors.
fn nested_query(depth: usize) -> String {
    let chain: Vec<&str> = (0..depth - 1)
        .map(|i| match i {
            0 => "me",
            i if i % 2 == 1 => "currentMentorship",
            _ => "mentor",
        })
        .collect();
    format!(
        "{{ {} {{ id{} }}",
        chain.join(" { "),
        " }".repeat(chain.len())
    )
}

#[tokio::test]
async fn a_query_one_level_too_deep_is_refused() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let ok = app.graphql(&token, &nested_query(10), json!({})).await;
    assert!(ok["errors"].is_null(), "depth 10 is allowed: {ok}");
    let body = app.graphql(&token, &nested_query(11), json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "depth");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep")
    );
}

#[tokio::test]
async fn a_query_too_costly_is_refused() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let nested = |inner: usize| {
        format!(
            "{{ mentors(first: 100) {{ nodes {{ mentees(first: {inner}) {{ nodes {{ currentMentorship {{ id }} }} }} }} }} }}"
        )
    };
    // 100 mentors + 100 × (n mentees + n mentorships): 59 is under the limit, 60 over.
    let ok = app.graphql(&token, &nested(59), json!({})).await;
    assert!(ok["errors"].is_null(), "cost 11,900 is allowed: {ok}");
    let body = app.graphql(&token, &nested(60), json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "cost");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex")
    );
}

#[tokio::test]
async fn too_many_directives_on_a_field_are_refused() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let query = format!("{{ me {} {{ id }} }}", "@include(if: true) ".repeat(11));
    let body = app.graphql(&token, &query, json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    // Refused by the limit itself, not only by the rule that directives are unique.
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("number of directives"), "{message}");
}

#[tokio::test]
async fn batches_of_up_to_ten_run_and_bigger_ones_are_refused() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let batch = |n: usize| -> Value { json!(vec![json!({"query": "{ me { id } }"}); n]) };
    let url = format!("{}/graphql", app.base);
    let ten = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&batch(10))
        .send()
        .await
        .unwrap();
    assert_eq!(ten.status(), StatusCode::OK);
    let answers: Value = ten.json().await.unwrap();
    assert_eq!(answers.as_array().unwrap().len(), 10);
    let eleven = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&batch(11))
        .send()
        .await
        .unwrap();
    assert_eq!(eleven.status(), StatusCode::BAD_REQUEST);
    let body: Value = eleven.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_mutation_over_get_is_refused_with_405() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let response = app
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[("query", "mutation { __typename }")])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn form_and_text_posts_are_refused() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    for content_type in [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data",
    ] {
        let response = app
            .http
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(r#"{"query":"{ me { id } }"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{content_type}");
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let padding = " ".repeat(300 * 1024);
    let response = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!(r#"{{"query":"{{ me {{ id }} }}{padding}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("262144 bytes"),
        "{body}"
    );
}

#[tokio::test]
async fn every_refusal_of_the_transport_has_the_graphql_error_shape() {
    let app = spawn_app().await;
    let unknown = app.get("/no/such/route").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(error_code(&body), "NOT_FOUND");
    let put = app
        .http
        .put(format!("{}/graphql", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(put.headers().contains_key("allow"));
    let body: Value = put.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    // A plain GET of the WebSocket route (no upgrade) is refused by the upgrade itself.
    let ws = app.get("/graphql/ws").await;
    assert!(ws.status().is_client_error());
    let body: Value = ws.json().await.unwrap();
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn malformed_json_gets_400() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let response = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}
