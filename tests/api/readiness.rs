//! `/readyz` follows the database: 503 while it is gone, 200 once it is back.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};

use crate::helpers::{TestApp, spawn_app};

async fn wait_for(app: &TestApp, want: StatusCode) {
    for _ in 0..100 {
        if app.get("/readyz").await.status() == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("/readyz never answered {want}");
}

#[tokio::test]
async fn readyz_turns_503_while_the_database_is_gone_and_back_to_200() {
    let app = spawn_app().await;
    wait_for(&app, StatusCode::OK).await;
    match (&app.db.postgres, &app.db.sqlite_file) {
        (Some((name, server)), _) => {
            let admin = Database::connect(server.as_str()).await.unwrap();
            admin
                .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
                .await
                .unwrap();
            admin
                .execute_unprepared(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = '{name}' AND pid <> pg_backend_pid()"
                ))
                .await
                .unwrap();
            wait_for(&app, StatusCode::SERVICE_UNAVAILABLE).await;
            admin
                .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
                .await
                .unwrap();
        }
        (None, Some(file)) => {
            let moved = file.with_extension("moved");
            std::fs::rename(file, &moved).unwrap();
            wait_for(&app, StatusCode::SERVICE_UNAVAILABLE).await;
            std::fs::rename(&moved, file).unwrap();
        }
        _ => unreachable!("a test database is SQLite or PostgreSQL"),
    }
    wait_for(&app, StatusCode::OK).await;
    let token = app.issuer.token().sign();
    let body = app
        .graphql(&token, "{ me { id } }", serde_json::json!({}))
        .await;
    assert!(body["data"]["me"]["id"].is_string(), "serves again: {body}");
}
