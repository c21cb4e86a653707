//! Rate limits per caller (requests and query cost) and failed sign-ins per address.

use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, spawn_app_with};

const COSTLY: &str = "{ mentors(first: 100) { nodes { mentees(first: 59) { nodes { currentMentorship { id } } } } } }";

/// Asserts a 429 in the GraphQL error shape with `Retry-After`; returns the seconds.
async fn assert_limited(response: Response) -> u64 {
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let header: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "RATE_LIMITED", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["retryAfter"], header);
    assert_eq!(body["errors"][0]["extensions"]["retryable"], true, "{body}");
    assert!((1..=60).contains(&header), "{header}");
    header
}

async fn me(app: &TestApp, token: &str) -> Response {
    app.post_graphql(token, "{ me { id } }", json!({})).await
}

#[tokio::test]
async fn a_callers_requests_are_limited_and_another_caller_is_not() {
    // 60 a minute: a burst of 10, then one every second.
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 60).await;
    let greedy = app.issuer.token().subject("greedy").sign();
    let other = app.issuer.token().subject("other").sign();
    for i in 0..10 {
        assert_eq!(
            me(&app, &greedy).await.status(),
            StatusCode::OK,
            "request {i}"
        );
    }
    assert_limited(me(&app, &greedy).await).await;
    assert_eq!(me(&app, &other).await.status(), StatusCode::OK);
    // REST routes share the budget: it is the caller's, not the route's.
    let csv = app
        .http
        .get(format!("{}/api/v1/mentors.csv", app.base))
        .bearer_auth(&greedy)
        .send()
        .await
        .unwrap();
    assert_limited(csv).await;
    // A machine client has a bucket of its own.
    let machine = app.machine_token("metrics:read");
    let figures = "{ programMetrics { mentors { total } } }";
    let body = app.graphql(&machine, figures, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
}

#[tokio::test]
async fn query_cost_is_budgeted_per_minute() {
    let app = spawn_app_with(|s| s.cost_limit_per_minute = 20_000).await;
    let spender = app.issuer.token().subject("spender").sign();
    let other = app.issuer.token().subject("other").sign();
    let first = app.post_graphql(&spender, COSTLY, json!({})).await;
    assert_eq!(first.status(), StatusCode::OK);
    let retry = assert_limited(app.post_graphql(&spender, COSTLY, json!({})).await).await;
    // 8,100 are left; the missing 3,800 of 20,000 a minute come back in about 12 s.
    assert!((10..=13).contains(&retry), "{retry}");
    // Cheap queries still fit in what is left; another caller has a whole budget.
    assert_eq!(me(&app, &spender).await.status(), StatusCode::OK);
    let theirs = app.post_graphql(&other, COSTLY, json!({})).await;
    assert_eq!(theirs.status(), StatusCode::OK);
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address_and_good_tokens_still_pass() {
    let app = spawn_app_with(|s| s.auth_failures_per_minute = 3).await;
    for _ in 0..3 {
        let response = me(&app, "not-a-token").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    assert_limited(me(&app, "not-a-token").await).await;
    let no_header = app
        .http
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .unwrap();
    assert_limited(no_header).await;
    let good = app.issuer.token().sign();
    assert_eq!(me(&app, &good).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn zero_turns_the_limits_off() {
    let app = spawn_app_with(|s| {
        s.rate_limit_per_minute = 0;
        s.cost_limit_per_minute = 0;
        s.auth_failures_per_minute = 0;
    })
    .await;
    let token = app.issuer.token().sign();
    for _ in 0..150 {
        assert_eq!(me(&app, &token).await.status(), StatusCode::OK);
    }
    for _ in 0..3 {
        let body = app.graphql(&token, COSTLY, json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
    }
    for _ in 0..40 {
        assert_eq!(me(&app, "x").await.status(), StatusCode::UNAUTHORIZED);
    }
}
