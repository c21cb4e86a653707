//! Health, readiness, OpenAPI, request ids and CORS.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn health_and_readiness_answer_ok() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}

#[tokio::test]
async fn openapi_describes_the_rest_routes() {
    let app = spawn_app().await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/healthz", "/readyz"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
    }
    for path in [
        "/api/v1/metrics",
        "/api/v1/metrics.csv",
        "/api/v1/mentors.csv",
    ] {
        let get = &doc["paths"][path]["get"];
        assert_eq!(get["security"], json!([{"bearer": []}]), "{path}");
        assert!(get["responses"]["403"].is_object(), "{path}");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let report = &doc["components"]["schemas"]["ProgramMetricsReport"];
    assert!(report["properties"]["load"].is_object(), "{report}");
    // Swagger UI is a `dev` convenience only.
    assert_eq!(app.get("/swagger-ui/").await.status(), 404);
}

#[tokio::test]
async fn request_ids_are_generated_echoed_and_sanitized() {
    let app = spawn_app().await;
    let generated = app.get("/healthz").await;
    let id = generated.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    let echo = app
        .http
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "client-req-42")
        .send()
        .await
        .unwrap();
    assert_eq!(echo.headers()["x-request-id"], "client-req-42");
    let unsafe_id = app
        .http
        .get(format!("{}/healthz", app.base))
        .header("x-request-id", "a b\"c".repeat(50))
        .send()
        .await
        .unwrap();
    let replaced = unsafe_id.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(replaced.len(), 36, "replaced by a UUID: {replaced}");
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app = spawn_app_with(|s| s.cors_origins = "https://portal.example.org".into()).await;
    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
    };
    let allowed = preflight("https://portal.example.org").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://portal.example.org"
    );
    let other = preflight("https://evil.example").await.unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn graphiql_is_not_served_outside_dev() {
    let app = spawn_app().await;
    let page = app
        .http
        .get(format!("{}/graphql", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    let asset = app.get("/graphiql/init.js").await;
    assert_eq!(asset.status(), StatusCode::NOT_FOUND);
}
