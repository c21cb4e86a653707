//! A database that is gone (PostgreSQL) or locked (SQLite): requests fail fast with 503
//! UNAVAILABLE and `Retry-After`, and the service recovers by itself.

use std::time::{Duration, Instant};

use mentorship_api::secret::Secret;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, db, proxy::Proxy, spawn_app, spawn_app_with};

async fn assert_unavailable(response: Response, started: Instant) {
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "2");
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "UNAVAILABLE", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["retryable"], true);
    assert_eq!(
        body["errors"][0]["message"],
        "the database is unavailable; retry shortly"
    );
}

async fn recovers(app: &TestApp, token: &str, query: &str) {
    for _ in 0..100 {
        let response = app.post_graphql(token, query, json!({})).await;
        if response.status() == StatusCode::OK {
            let body: Value = response.json().await.unwrap();
            assert!(body["errors"].is_null(), "{body}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never recovered");
}

#[tokio::test]
async fn a_database_that_is_gone_or_locked_fails_fast_with_503_and_recovers() {
    match db::server_url() {
        Some(server) => postgres_stopped(&server).await,
        None => sqlite_locked().await,
    }
}

async fn postgres_stopped(server: &str) {
    let url = url::Url::parse(server).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let mut proxy = Proxy::start(target.parse().unwrap()).await;
    let port = proxy.addr.port();
    let app = spawn_app_with(move |s| {
        let mut url = url::Url::parse(s.database_url.as_ref().unwrap().expose()).unwrap();
        url.set_port(Some(port)).unwrap();
        s.database_url = Some(Secret::new(url.to_string()));
    })
    .await;
    let token = app.issuer.token().sign();
    let me = "{ me { id } }";
    assert_eq!(
        app.post_graphql(&token, me, json!({})).await.status(),
        StatusCode::OK
    );
    proxy.stop().await;
    for _ in 0..3 {
        let started = Instant::now();
        assert_unavailable(app.post_graphql(&token, me, json!({})).await, started).await;
    }
    assert_eq!(
        app.get("/readyz").await.status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    proxy.resume().await;
    recovers(&app, &token, me).await;
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
}

async fn sqlite_locked() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let write = r#"mutation { updateMyProfile(input: { bio: "hello" }) { id } }"#;
    recovers(&app, &token, write).await;
    // Another process holds SQLite's write lock (a long write transaction).
    let holder = app.db.connect().await;
    let lock = mentorship_api::db::begin_write(&holder).await.unwrap();
    let started = Instant::now();
    assert_unavailable(app.post_graphql(&token, write, json!({})).await, started).await;
    // Reads go on meanwhile.
    let body = app.graphql(&token, "{ me { bio } }", json!({})).await;
    assert_eq!(body["data"]["me"]["bio"], "hello");
    lock.rollback().await.unwrap();
    recovers(&app, &token, write).await;
}

/// What the database says when a change lost a race becomes CONFLICT with `retryable: true`,
/// never INTERNAL: a serialization failure and a deadlock (PostgreSQL), a unique index hit
/// by a concurrent insert (both).
#[tokio::test]
async fn lost_races_in_the_database_are_retryable_conflicts() {
    use mentorship_api::error::AppError;
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    let conn = app.db.connect().await;
    let mut faults = vec![];
    if db::server_url().is_some() {
        for code in ["40001", "40P01"] {
            let sql =
                format!("DO $$ BEGIN RAISE EXCEPTION 'lost' USING ERRCODE = '{code}'; END $$");
            faults.push(conn.execute_unprepared(&sql).await.unwrap_err());
        }
    }
    conn.execute_unprepared("CREATE TABLE race_probe (id INTEGER PRIMARY KEY)")
        .await
        .unwrap();
    conn.execute_unprepared("INSERT INTO race_probe (id) VALUES (1)")
        .await
        .unwrap();
    faults.push(
        conn.execute_unprepared("INSERT INTO race_probe (id) VALUES (1)")
            .await
            .unwrap_err(),
    );
    for fault in faults {
        let shown = format!("{fault}");
        let error: async_graphql::Error = AppError::from(fault).into();
        let ext = error.extensions.as_ref().unwrap();
        assert_eq!(
            ext.get("code").unwrap().to_string(),
            "\"CONFLICT\"",
            "{shown}"
        );
        assert_eq!(ext.get("retryable").unwrap().to_string(), "true", "{shown}");
        assert!(
            !error.message.contains("race_probe"),
            "nothing internal: {}",
            error.message
        );
    }
}
