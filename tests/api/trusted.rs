//! Trusted documents (`MENTORSHIP_PERSISTED_QUERIES=only`): the manifest's operations run by
//! hash, over HTTP and WebSocket; ad-hoc documents and registrations are refused. Also the
//! other modes with a manifest, and `persisted-queries check`.

use futures::SinkExt;
use mentorship_api::config::PersistedQueries;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    helpers::{TestApp, app::error_code, spawn_app_with},
    subscriptions::{bearer, connect, next},
};

const ME: &str = "query Me { me { id } }";
const INBOX: &str = "subscription Inbox { notificationReceived { kind } }";
const READ: &str = "mutation Read { markNotificationsRead(input: {all: true}) { marked } }";
/// `sha256sum` of the three, computed outside the service.
const ME_ID: &str = "2e3e49f19828396c35f7f9415f5558239d37f5d85b674851f58bf43337f5aaab";
const INBOX_ID: &str = "37a68faa2727c97bd82ad9d47202940ad78e79d22f3e1df3147ea1dd055fc10d";
const READ_ID: &str = "eb1dbcbe92cc4e08a0677515ce12910bd73e5591cbfe504108a7fad7fe8337f0";

fn manifest(operations: Value) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    let body = json!({"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations});
    std::fs::write(file.path(), body.to_string()).unwrap();
    file
}

fn shipped() -> tempfile::NamedTempFile {
    manifest(json!([
        {"id": ME_ID, "name": "Me", "type": "query", "body": ME},
        {"id": INBOX_ID, "name": "Inbox", "type": "subscription", "body": INBOX},
        {"id": READ_ID, "name": "Read", "type": "mutation", "body": READ},
    ]))
}

async fn app_in(mode: PersistedQueries, file: &tempfile::NamedTempFile) -> TestApp {
    let path = file.path().to_owned();
    spawn_app_with(move |s| {
        s.persisted_queries = mode;
        s.persisted_queries_manifest = Some(path);
    })
    .await
}

async fn post(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

fn by_hash(id: &str) -> Value {
    json!({"persistedQuery": {"version": 1, "sha256Hash": id}})
}

#[tokio::test]
async fn only_the_manifest_runs_and_nothing_can_be_registered() {
    let file = shipped();
    let app = app_in(PersistedQueries::Only, &file).await;
    // `app.mentee()` signs in with an ad-hoc document: here a shipped one must do.
    let rep = crate::helpers::fixtures::Member {
        token: app.issuer.token().roles(&["mentee"]).sign(),
        id: String::new(),
    };
    let me = post(&app, &rep.token, json!({"extensions": by_hash(ME_ID)})).await;
    assert!(me["data"]["me"]["id"].is_string(), "{me}");
    let get = app
        .http
        .get(format!("{}/graphql", app.base))
        .bearer_auth(&rep.token)
        .query(&[("extensions", by_hash(ME_ID).to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(get.json::<Value>().await.unwrap()["data"], me["data"]);
    let read = post(
        &app,
        &rep.token,
        json!({"query": READ, "extensions": by_hash(READ_ID)}),
    )
    .await;
    assert_eq!(
        read["data"]["markNotificationsRead"]["marked"], 0,
        "a shipped document with its hash runs"
    );

    let ad_hoc = post(
        &app,
        &rep.token,
        json!({"query": "{ me { id displayName } }"}),
    )
    .await;
    assert_eq!(error_code(&ad_hoc), "PERSISTED_QUERY_ID_REQUIRED");
    assert!(ad_hoc["data"].is_null());
    let doc = "{ me { id displayName } }";
    let hash = "98b13beea8cc564a7bbf9cb5ded5aa64d8fbc92f54c7807ecb08993cc414018e";
    let register = post(
        &app,
        &rep.token,
        json!({"query": doc, "extensions": by_hash(hash)}),
    )
    .await;
    assert_eq!(error_code(&register), "PERSISTED_QUERY_NOT_IN_LIST");
    let unknown = post(&app, &rep.token, json!({"extensions": by_hash(hash)})).await;
    assert_eq!(
        error_code(&unknown),
        "PERSISTED_QUERY_NOT_IN_LIST",
        "nothing was registered"
    );
    let swapped = post(
        &app,
        &rep.token,
        json!({"query": doc, "extensions": by_hash(ME_ID)}),
    )
    .await;
    assert_eq!(
        error_code(&swapped),
        "BAD_USER_INPUT",
        "a document must match its id"
    );

    // The WebSocket transport holds to the same list.
    let mut ws = connect(&app.base, bearer(&rep.token)).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    let send = |id: &str, payload: Value| {
        Message::Text(
            json!({"id": id, "type": "subscribe", "payload": payload})
                .to_string()
                .into(),
        )
    };
    ws.send(send("1", json!({"query": INBOX.replace("Inbox", "Other")})))
        .await
        .unwrap();
    let refused = next(&mut ws).await;
    // async-graphql answers a refused subscription with one `next` holding the error.
    assert!(refused["payload"]["data"].is_null(), "{refused}");
    let code = &refused["payload"]["errors"][0]["extensions"]["code"];
    assert_eq!(code, "PERSISTED_QUERY_ID_REQUIRED");
    let listeners = app.state.events().listeners();
    ws.send(send("2", json!({"extensions": by_hash(INBOX_ID)})))
        .await
        .unwrap();
    for _ in 0..100 {
        if app.state.events().listeners() > listeners {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the shipped subscription never started");
}

#[tokio::test]
async fn apq_runs_the_manifest_without_registering_and_off_refuses_hashes() {
    let file = shipped();
    let app = app_in(PersistedQueries::Apq, &file).await;
    let rep = app.mentee().await;
    let me = post(&app, &rep.token, json!({"extensions": by_hash(ME_ID)})).await;
    assert_eq!(me["data"]["me"]["id"], rep.id.as_str());
    let ad_hoc = post(&app, &rep.token, json!({"query": "{ me { id } }"})).await;
    assert!(
        ad_hoc["errors"].is_null(),
        "ad-hoc documents run in apq mode"
    );

    let app = app_in(PersistedQueries::Off, &file).await;
    let rep = app.mentee().await;
    let hashed = post(&app, &rep.token, json!({"extensions": by_hash(ME_ID)})).await;
    assert_eq!(error_code(&hashed), "PERSISTED_QUERY_NOT_SUPPORTED");
    assert_eq!(hashed["errors"][0]["message"], "PersistedQueryNotSupported");
}

fn check(file: &std::path::Path) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mentorship-api"))
        .args([
            "--config",
            "/nonexistent/mentorship.toml",
            "persisted-queries",
            "check",
        ])
        .arg(file)
        .env_clear()
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn the_check_command_passes_a_good_manifest_and_names_every_bad_operation() {
    let (ok, text) = check(shipped().path());
    assert!(ok, "{text}");
    assert!(text.contains("3 operations, all valid"), "{text}");

    let unknown_field = "query Bad { me { shoeSize } }";
    let deep = format!(
        "query Deep {{ me {} id {} }}",
        "{ mentorProfile { person ".repeat(6),
        "} }".repeat(6)
    );
    let wrong_type = "query Typed { me { id } }";
    let ops = json!([
        {"id": ME_ID, "name": "Me", "type": "query", "body": ME},
        {"id": sha256(unknown_field), "name": "Bad", "type": "query", "body": unknown_field},
        {"id": sha256(&deep), "name": "Deep", "type": "query", "body": deep},
        {"id": sha256(wrong_type), "name": "Typed", "type": "mutation", "body": wrong_type},
    ]);
    let (ok, text) = check(manifest(ops).path());
    assert!(!ok);
    assert!(
        text.contains("operation \"Bad\"") && text.contains("shoeSize"),
        "{text}"
    );
    assert!(
        text.contains("operation \"Deep\"") && text.contains("deep"),
        "{text}"
    );
    assert!(
        text.contains("operation \"Typed\"") && text.contains("declared a mutation"),
        "{text}"
    );
    assert!(!text.contains("operation \"Me\""), "{text}");
    assert!(text.contains("3 of 4 operations invalid"), "{text}");

    let (ok, text) =
        check(manifest(json!([{"id": "abc", "name": "Me", "type": "query", "body": ME}])).path());
    assert!(!ok);
    assert!(text.contains("id is not the SHA-256 of its body"), "{text}");
}

/// By the system's `sha256sum`: the test does not trust the code it checks.
pub fn sha256(document: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(document.as_bytes())
        .unwrap();
    String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()[..64].to_owned()
}
