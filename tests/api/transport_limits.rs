//! The edge of the transport: WebSocket caps, ids and frame sizes, shutdown, and the
//! connections HTTP keeps (half-sent, idle).

use std::time::{Duration, Instant};

use futures::SinkExt;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use tokio_tungstenite::tungstenite::Message;

use crate::{
    helpers::spawn_app_with,
    subscriptions::{Ws, bearer, connect, next},
};

const NOTIFICATIONS: &str = "subscription { notificationReceived { kind } }";

async fn send(ws: &mut Ws, message: Value) {
    ws.send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

fn subscribe(id: &str, query: &str) -> Value {
    json!({"id": id, "type": "subscribe", "payload": {"query": query}})
}

/// Nothing arrives within `ms` (the socket is quiet and open).
async fn quiet(ws: &mut Ws, ms: u64) {
    use futures::StreamExt;
    let got = tokio::time::timeout(Duration::from_millis(ms), ws.next()).await;
    assert!(got.is_err(), "expected silence, got {got:?}");
}

#[tokio::test]
async fn subscriptions_per_socket_are_capped_and_the_socket_stays_open() {
    let app = spawn_app_with(|s| s.ws_max_subscriptions = 2).await;
    let c = app.council().await;
    let (mentee, mentor) = (app.mentee().await, app.mentor(&c, 3).await);
    let mut ws = connect(&app.base, bearer(&mentee.token)).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    send(&mut ws, subscribe("a", NOTIFICATIONS)).await;
    send(&mut ws, subscribe("b", NOTIFICATIONS)).await;
    send(&mut ws, subscribe("c", NOTIFICATIONS)).await;
    let refused = next(&mut ws).await;
    assert_eq!(refused["type"], "error", "{refused}");
    assert_eq!(refused["id"], "c");
    assert_eq!(refused["payload"][0]["extensions"]["code"], "RATE_LIMITED");
    // Completing one frees its place; the socket never closed.
    send(&mut ws, json!({"id": "a", "type": "complete"})).await;
    let done = next(&mut ws).await;
    assert_eq!(done, json!({"type": "complete", "id": "a"}));
    send(&mut ws, subscribe("d", NOTIFICATIONS)).await;
    quiet(&mut ws, 300).await;
    app.assign(&c, &mentee, &mentor).await;
    let mut ids = vec![];
    for _ in 0..2 {
        let pushed = next(&mut ws).await;
        assert_eq!(pushed["type"], "next", "{pushed}");
        ids.push(pushed["id"].as_str().unwrap().to_owned());
    }
    ids.sort();
    assert_eq!(ids, ["b", "d"]);
}

#[tokio::test]
async fn a_duplicate_id_closes_4409_and_an_oversized_frame_1009() {
    let app = spawn_app_with(|s| s.body_limit = 4096).await;
    let token = app.issuer.token().sign();
    let mut ws = connect(&app.base, bearer(&token)).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    send(&mut ws, subscribe("same", NOTIFICATIONS)).await;
    send(&mut ws, subscribe("same", NOTIFICATIONS)).await;
    assert_eq!(next(&mut ws).await, json!({"close": 4409}));

    let mut ws = connect(&app.base, bearer(&token)).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    let padding = "x".repeat(8192);
    send(
        &mut ws,
        subscribe("big", &format!("{NOTIFICATIONS} # {padding}")),
    )
    .await;
    assert_eq!(next(&mut ws).await, json!({"close": 1009}));
}

#[tokio::test]
async fn every_subscription_error_carries_a_code() {
    let app = spawn_app_with(|_| {}).await;
    let token = app.issuer.token().sign();
    let mut ws = connect(&app.base, bearer(&token)).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    for (id, query) in [
        ("syntax", "subscription {"),
        ("unknown", "subscription { nothingHere }"),
        (
            "bomb",
            "subscription { ...A } fragment A on Subscription { ...A }",
        ),
    ] {
        send(&mut ws, subscribe(id, query)).await;
        let error = next(&mut ws).await;
        assert_eq!(error["id"], id, "{error}");
        // An `error` message, or a `next` whose payload has errors (then a `complete`).
        let errors = match error["type"].as_str() {
            Some("error") => &error["payload"],
            Some("next") => &error["payload"]["errors"],
            _ => panic!("{error}"),
        };
        assert!(!errors.as_array().unwrap().is_empty(), "{error}");
        for e in errors.as_array().unwrap() {
            assert_eq!(e["extensions"]["code"], "BAD_USER_INPUT", "{error}");
        }
        if error["type"] == "next" {
            assert_eq!(next(&mut ws).await, json!({"type": "complete", "id": id}));
        }
    }
}

#[tokio::test]
async fn sockets_per_caller_are_capped() {
    let app = spawn_app_with(|s| s.ws_max_sockets = 2).await;
    let token = app.issuer.token().subject("many-tabs").sign();
    let mut open = vec![];
    for _ in 0..2 {
        let mut ws = connect(&app.base, bearer(&token)).await;
        assert_eq!(next(&mut ws).await["type"], "connection_ack");
        open.push(ws);
    }
    let mut third = connect(&app.base, bearer(&token)).await;
    assert_eq!(next(&mut third).await, json!({"close": 1013}));
    let other = app.issuer.token().subject("someone-else").sign();
    let mut theirs = connect(&app.base, bearer(&other)).await;
    assert_eq!(next(&mut theirs).await["type"], "connection_ack");
    // Closing one frees its place.
    drop(open.pop());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while app.state.sockets().open_sockets() > 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the closed socket's slot is freed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut again = connect(&app.base, bearer(&token)).await;
    assert_eq!(next(&mut again).await["type"], "connection_ack");
}

#[tokio::test]
async fn shutdown_closes_sockets_with_1001() {
    let mut app = spawn_app_with(|_| {}).await;
    let token = app.issuer.token().sign();
    let mut ws = connect(&app.base, bearer(&token)).await;
    assert_eq!(next(&mut ws).await["type"], "connection_ack");
    send(&mut ws, subscribe("1", NOTIFICATIONS)).await;
    quiet(&mut ws, 200).await;
    app.stop();
    assert_eq!(next(&mut ws).await, json!({"close": 1001}));
}

/// Whether the server closes `stream` within `limit` (a read returns end of stream).
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = vec![0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn half_sent_and_idle_connections_are_closed() {
    let app = spawn_app_with(|s| {
        s.header_read_timeout = Duration::from_secs(1);
        s.idle_timeout = Duration::from_secs(2);
    })
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    // Headers that never end.
    let mut half = TcpStream::connect(&addr).await.unwrap();
    half.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut half, Duration::from_secs(3)).await);
    // A connection that says nothing at all.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    assert!(closed_within(&mut silent, Duration::from_secs(4)).await);
    // A kept-alive connection after its answer: open a while, then closed.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 1024];
    let n = kept.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(!closed_within(&mut kept, Duration::from_millis(500)).await);
    assert!(closed_within(&mut kept, Duration::from_secs(4)).await);
}
