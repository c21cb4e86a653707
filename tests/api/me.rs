//! `me`: created from the token on first call, exactly once; roles from the configured claim.

use futures::future::join_all;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{app::error_code, spawn_app, spawn_app_with};

const ME: &str = "{ me { id displayName email roles status joinedAt } }";

async fn person_count(app: &crate::helpers::TestApp) -> u64 {
    entity::person::Entity::find()
        .count(&app.db.connect().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn first_call_creates_the_person_from_the_claims() {
    let app = spawn_app().await;
    let token = app
        .issuer
        .token()
        .subject("rep-1")
        .roles(&["mentee", "council"])
        .claim("name", json!("  Ada Lovelace "))
        .claim("email", json!("ada@example.org"))
        .sign();
    let body = app.graphql(&token, ME, json!({})).await;
    let me = &body["data"]["me"];
    assert_eq!(me["displayName"], "Ada Lovelace");
    assert_eq!(me["email"], "ada@example.org");
    assert_eq!(me["roles"], json!(["MENTEE", "COUNCIL"]));
    assert_eq!(me["status"], "ACTIVE");
    assert!(me["joinedAt"].as_str().unwrap().contains('T'));
    let again = app.graphql(&token, ME, json!({})).await;
    assert_eq!(
        again["data"]["me"]["id"], me["id"],
        "the same person on the second call"
    );
    assert_eq!(person_count(&app).await, 1);
}

#[tokio::test]
async fn ten_concurrent_first_calls_create_one_person() {
    let app = spawn_app().await;
    let token = app.issuer.token().subject("burst").sign();
    let bodies: Vec<Value> = join_all((0..10).map(|_| app.graphql(&token, ME, json!({})))).await;
    let ids: std::collections::BTreeSet<String> = bodies
        .iter()
        .map(|b| {
            b["data"]["me"]["id"]
                .as_str()
                .expect("every call succeeds")
                .to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(person_count(&app).await, 1);
}

#[tokio::test]
async fn preferred_username_stands_in_for_a_missing_name() {
    let app = spawn_app().await;
    let token = app
        .issuer
        .token()
        .without("name")
        .claim("preferred_username", json!("ada"))
        .sign();
    let body = app.graphql(&token, ME, json!({})).await;
    assert_eq!(body["data"]["me"]["displayName"], "ada");
}

#[tokio::test]
async fn a_token_without_a_program_role_is_forbidden_and_records_nothing() {
    let app = spawn_app().await;
    let token = app.issuer.token().roles(&["offline_access"]).sign();
    let body = app.graphql(&token, ME, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert!(body["data"].is_null());
    assert_eq!(person_count(&app).await, 0);
}

#[tokio::test]
async fn a_machine_token_has_no_person() {
    let app = spawn_app().await;
    let token = app
        .issuer
        .token()
        .without("roles")
        .claim("azp", json!("council-script"))
        .claim("scope", json!("metrics:read"))
        .sign();
    let body = app.graphql(&token, ME, json!({})).await;
    assert_eq!(error_code(&body), "FORBIDDEN");
    assert_eq!(person_count(&app).await, 0);
}

#[tokio::test]
async fn keycloak_style_nested_roles_are_mapped() {
    let app = spawn_app_with(|s| {
        s.oidc_roles_claim = "/realm_access/roles".into();
        s.oidc_role_map = "mentee=reps,mentor=reps-mentors,council=reps-council".into();
    })
    .await;
    let token = app
        .issuer
        .token()
        .without("roles")
        .claim(
            "realm_access",
            json!({"roles": ["reps", "reps-council", "offline_access"]}),
        )
        .sign();
    let body = app.graphql(&token, ME, json!({})).await;
    assert_eq!(body["data"]["me"]["roles"], json!(["MENTEE", "COUNCIL"]));
    // The plain role names mean nothing under this map.
    let unmapped = app.issuer.token().roles(&["mentee"]).sign();
    assert_eq!(
        error_code(&app.graphql(&unmapped, ME, json!({})).await),
        "FORBIDDEN"
    );
}

#[tokio::test]
async fn namespaced_top_level_roles_are_mapped() {
    let app = spawn_app_with(|s| {
        s.oidc_roles_claim = "https://reps.example.org/roles".into();
        s.oidc_role_map = "mentee=rep,mentor=mentor".into();
    })
    .await;
    let token = app
        .issuer
        .token()
        .without("roles")
        .claim("https://reps.example.org/roles", json!(["rep", "mentor"]))
        .sign();
    let body = app.graphql(&token, ME, json!({})).await;
    assert_eq!(body["data"]["me"]["roles"], json!(["MENTEE", "MENTOR"]));
}

#[tokio::test]
async fn me_works_over_get_too() {
    let app = spawn_app().await;
    let token = app.issuer.token().sign();
    let response = app
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[("query", "{ me { id } }")])
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(body["data"]["me"]["id"].is_string(), "{body}");
}
