//! Automatic persisted queries (Apollo's protocol): an unknown hash, registering, the hash
//! alone over POST and GET, on another instance too; a document that does not match its
//! hash, or breaks a limit, is never registered.

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, app::error_code, spawn_app};

const DOC: &str = "{ me { id displayName } }";
/// `sha256sum` of [`DOC`], computed outside the service.
const HASH: &str = "98b13beea8cc564a7bbf9cb5ded5aa64d8fbc92f54c7807ecb08993cc414018e";

fn extension(hash: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": hash}})
}

async fn post(base: &str, token: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn get(base: &str, token: &str, hash: &str) -> Value {
    let response = reqwest::Client::new()
        .get(format!("{base}/graphql"))
        .bearer_auth(token)
        .query(&[("extensions", extension(hash).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn registered(app: &TestApp) -> i64 {
    let db = app.db.connect().await;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM persisted_query",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

#[tokio::test]
async fn an_unknown_hash_is_not_found_until_registered_then_it_runs_anywhere_by_hash() {
    let app = spawn_app().await;
    let (sibling, _stop, _) = app.sibling().await;
    let rep = app.mentee().await;

    let unknown = post(
        &app.base,
        &rep.token,
        json!({"extensions": extension(HASH)}),
    )
    .await;
    assert_eq!(error_code(&unknown), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(unknown["errors"][0]["message"], "PersistedQueryNotFound");
    let unknown = get(&app.base, &rep.token, HASH).await;
    assert_eq!(error_code(&unknown), "PERSISTED_QUERY_NOT_FOUND");

    let with_document = json!({"query": DOC, "extensions": extension(HASH)});
    let first = post(&app.base, &rep.token, with_document).await;
    assert_eq!(first["data"]["me"]["id"], rep.id.as_str());
    assert_eq!(registered(&app).await, 1);

    let by_hash = post(
        &app.base,
        &rep.token,
        json!({"extensions": extension(HASH)}),
    )
    .await;
    assert_eq!(by_hash["data"], first["data"]);
    assert_eq!(
        get(&app.base, &rep.token, HASH).await["data"],
        first["data"]
    );
    // The other instance has never seen it: it reads the registration from the database.
    assert_eq!(get(&sibling, &rep.token, HASH).await["data"], first["data"]);
    let elsewhere = post(&sibling, &rep.token, json!({"extensions": extension(HASH)})).await;
    assert_eq!(elsewhere["data"], first["data"]);
    assert_eq!(registered(&app).await, 1, "registered once");
}

#[tokio::test]
async fn a_document_that_does_not_match_its_hash_or_breaks_a_limit_is_not_registered() {
    let app = spawn_app().await;
    let rep = app.mentee().await;
    let other = "c53d78fa4c9c65a93967d42316fcd207fd611c7cac40a103820a866c3e5dd8f5";
    let mismatch = post(
        &app.base,
        &rep.token,
        json!({"query": DOC, "extensions": extension(other)}),
    )
    .await;
    assert_eq!(error_code(&mismatch), "BAD_USER_INPUT");
    assert!(mismatch["data"].is_null());
    let unknown = post(
        &app.base,
        &rep.token,
        json!({"extensions": extension(other)}),
    )
    .await;
    assert_eq!(
        error_code(&unknown),
        "PERSISTED_QUERY_NOT_FOUND",
        "the hash was not taken"
    );

    let malformed = json!({"persistedQuery": {"version": 2, "sha256Hash": HASH}});
    let answer = post(
        &app.base,
        &rep.token,
        json!({"query": DOC, "extensions": malformed}),
    )
    .await;
    assert_eq!(error_code(&answer), "BAD_USER_INPUT");

    // Deeper than the depth limit: refused, and its hash stays unknown.
    let deep = format!(
        "{{ me {} id {} }}",
        "{ mentorProfile { person ".repeat(10),
        "} }".repeat(10)
    );
    let deep_hash = crate::trusted::sha256(&deep);
    let refused = post(
        &app.base,
        &rep.token,
        json!({"query": deep, "extensions": extension(&deep_hash)}),
    )
    .await;
    assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    assert_eq!(registered(&app).await, 0);
}
