//! GraphQL subscriptions over WebSocket (`/graphql/ws`, graphql-transport-ws).
//!
//! The bearer token travels in `connection_init` (`{"Authorization": "Bearer …"}`, or
//! `{"token": "…"}`) and is verified once, here: a missing or bad token closes the socket with
//! 4401 (Unauthorized), a token without a person behind it with 4403 (Forbidden). The socket
//! is closed (4401, "token expired") when the token expires (with the same leeway HTTP
//! allows), and with 1001 when the server shuts down.
//!
//! Limits: frames over `MENTORSHIP_BODY_LIMIT` close with 1009; an id already subscribed closes
//! with 4409; past `MENTORSHIP_WS_MAX_SUBSCRIPTIONS` on a socket a subscription gets an
//! `error` (`RATE_LIMITED`) and the socket stays open; past `MENTORSHIP_WS_MAX_SOCKETS` per
//! caller a new socket closes with 1013. Every error sent carries `extensions.code`.

use std::{
    collections::HashSet,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::{
    extract::{
        State, WebSocketUpgrade,
        ws::{CloseFrame, Message, WebSocket},
    },
    response::Response,
};
use futures_util::{SinkExt, StreamExt, stream};
use serde_json::Value;

use super::auth::bearer_token_value;
use crate::{
    auth::Principal,
    error::AppError,
    graphql::{RequestId, context::ActorCell, fair, loaders},
    request::RequestCtx,
    schema::{AppSchema, WsSchema},
    state::AppState,
};

/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// `GET /graphql/ws`.
pub async fn handler(
    State(state): State<AppState>,
    State(WsSchema(schema)): State<WsSchema>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let limit = state.settings().body_limit;
    upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(state, schema, protocol, socket))
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

async fn serve(state: AppState, schema: AppSchema, protocol: GraphQLProtocol, socket: WebSocket) {
    // Shutdown waits (briefly) for this socket to send its 1001.
    let _running = state.shutdown().track();
    let (mut sink, mut incoming) = socket.split();
    let init = match tokio::time::timeout(INIT_TIMEOUT, incoming.next()).await {
        Ok(Some(Ok(Message::Text(text)))) => text,
        _ => {
            sink.send(close(4408, "Connection initialisation timeout"))
                .await
                .ok();
            return;
        }
    };
    let principal = match authenticate(&state, init.as_str()).await {
        Ok(principal) => principal,
        Err(code) => {
            let reason = if code == 4401 {
                "Unauthorized"
            } else {
                "Forbidden"
            };
            sink.send(close(code, reason)).await.ok();
            return;
        }
    };
    let actor = match crate::people::service::resolve_actor(&state, &principal).await {
        Ok(actor) if actor.person().is_some() => actor,
        Ok(_) => {
            sink.send(close(4403, "Forbidden")).await.ok();
            return;
        }
        Err(err) => {
            err.log();
            sink.send(close(1011, "internal error")).await.ok();
            return;
        }
    };
    let Some(_socket_slot) = state.sockets().open(&principal) else {
        // 1013 Try Again Later: the caller has as many sockets open as one may.
        sink.send(close(1013, "Too many sockets")).await.ok();
        return;
    };
    // A token is good until `exp` plus the leeway, as on HTTP.
    let leeway = chrono::Duration::from_std(state.settings().oidc_leeway).unwrap_or_default();
    let expires_at = principal.expires_at + leeway;
    let request_id = format!("ws-{}", uuid::Uuid::new_v4());
    let mut data = Data::default();
    data.insert(Arc::new(ActorCell::resolved(RequestCtx::new(
        actor,
        request_id.clone(),
    ))));
    data.insert(Arc::new(loaders::for_request(
        crate::db::reader::Reader::Pool(state.db().clone()),
        loaders::Gate::default(),
        state.settings().request_connections,
    )));
    data.insert(RequestId(request_id));
    data.insert(Arc::new(fair::RootPermits::new(
        state.settings().request_connections,
    )));
    data.insert(state.clone());

    let active = Arc::new(Mutex::new(HashSet::<String>::new()));
    // Our own sender in front of the socket: the reader and the expiry close it with a
    // reason, and every outgoing error gets its code.
    let (tx, mut rx) = futures_channel::mpsc::channel::<Message>(64);
    let writer = {
        let active = active.clone();
        tokio::spawn(async move {
            while let Some(message) = rx.next().await {
                let last = matches!(message, Message::Close(_));
                let message = outgoing(message, &active);
                if sink.send(message).await.is_err() || last {
                    break;
                }
            }
        })
    };
    // What async-graphql reads: the replayed `connection_init`, then what the reader lets by.
    let (pass, passed) = futures_channel::mpsc::channel::<Message>(16);
    let max = state.settings().ws_max_subscriptions;
    let reader = tokio::spawn(read(incoming, pass, tx.clone(), active, max));
    let stream = stream::once(async move { Message::Text(init) })
        .chain(passed)
        .map(Ok::<_, axum::Error>);
    let graphql = GraphQLWebSocket::new_with_pair(
        tx.clone()
            .sink_map_err(|_| axum::Error::new(std::io::Error::other("socket closed"))),
        stream,
        schema,
        protocol,
    )
    .on_connection_init(move |_| async move { Ok(data) })
    .serve();
    let until_expiry = (expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    let mut tx = tx;
    tokio::select! {
        () = graphql => {}
        () = tokio::time::sleep(until_expiry) => {
            tx.send(close(4401, "token expired")).await.ok();
        }
        () = state.shutdown().begun() => {
            tx.send(close(1001, "server shutting down")).await.ok();
        }
    }
    reader.abort();
    drop(tx);
    writer.await.ok();
}

/// Reads the client's messages: refuses frames over the body limit (close 1009), a second
/// subscription with an id in use (close 4409, as graphql-transport-ws says) and more than
/// `max` subscriptions at once (an `error` for that id; the socket stays open); passes the
/// rest on to async-graphql.
async fn read(
    mut incoming: futures_util::stream::SplitStream<WebSocket>,
    mut pass: futures_channel::mpsc::Sender<Message>,
    mut reply: futures_channel::mpsc::Sender<Message>,
    active: Arc<Mutex<HashSet<String>>>,
    max: usize,
) {
    while let Some(message) = incoming.next().await {
        let message = match message {
            Ok(message) => message,
            Err(error) => {
                tracing::debug!(%error, "websocket read failed");
                let too_big = error.to_string().to_ascii_lowercase().contains("too long")
                    || error.to_string().to_ascii_lowercase().contains("too big");
                if too_big {
                    reply.send(close(1009, "Message too big")).await.ok();
                }
                return;
            }
        };
        if let Message::Text(text) = &message {
            match admit(text.as_str(), &active, max) {
                Admit::Pass => {}
                Admit::Duplicate(id) => {
                    tracing::debug!(%id, "duplicate subscription id");
                    reply
                        .send(close(4409, "Subscriber for id already exists"))
                        .await
                        .ok();
                    return;
                }
                Admit::TooMany(id) => {
                    reply.send(too_many(&id, max)).await.ok();
                    continue;
                }
            }
        }
        if pass.send(message).await.is_err() {
            return;
        }
    }
}

enum Admit {
    Pass,
    Duplicate(String),
    TooMany(String),
}

/// Keeps the set of running subscription ids (both protocols' names).
fn admit(text: &str, active: &Mutex<HashSet<String>>, max: usize) -> Admit {
    let Ok(message) = serde_json::from_str::<Value>(text) else {
        return Admit::Pass;
    };
    let Some(id) = message["id"].as_str().map(str::to_owned) else {
        return Admit::Pass;
    };
    let mut active = active
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match message["type"].as_str() {
        Some("subscribe" | "start") => {
            if active.contains(&id) {
                Admit::Duplicate(id)
            } else if active.len() >= max {
                Admit::TooMany(id)
            } else {
                active.insert(id);
                Admit::Pass
            }
        }
        Some("complete" | "stop") => {
            active.remove(&id);
            Admit::Pass
        }
        _ => Admit::Pass,
    }
}

fn too_many(id: &str, max: usize) -> Message {
    let err = AppError::RateLimited(format!("at most {max} subscriptions per socket"));
    let error = serde_json::json!({
        "id": id,
        "type": "error",
        "payload": [{
            "message": err.message(),
            "extensions": { "code": err.code() },
        }],
    });
    Message::Text(error.to_string().into())
}

/// A message to the client: errors without a code get BAD_USER_INPUT (they come from
/// async-graphql's parsing, validation and limits), and a subscription the server ended
/// frees its id.
fn outgoing(message: Message, active: &Mutex<HashSet<String>>) -> Message {
    let Message::Text(text) = &message else {
        return message;
    };
    let Ok(mut value) = serde_json::from_str::<Value>(text.as_str()) else {
        return message;
    };
    let kind = value["type"].as_str().unwrap_or_default().to_owned();
    if matches!(kind.as_str(), "complete" | "error")
        && let Some(id) = value["id"].as_str()
    {
        active
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(id);
    }
    let errors = match kind.as_str() {
        "error" => value.get_mut("payload"),
        "next" | "data" => value.get_mut("payload").and_then(|p| p.get_mut("errors")),
        _ => None,
    };
    let Some(Value::Array(errors)) = errors else {
        return message;
    };
    let mut patched = false;
    for error in errors.iter_mut().filter_map(Value::as_object_mut) {
        let extensions = error
            .entry("extensions")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(ext) = extensions.as_object_mut()
            && !ext.contains_key("code")
        {
            ext.insert("code".into(), "BAD_USER_INPUT".into());
            patched = true;
        }
    }
    if patched {
        Message::Text(value.to_string().into())
    } else {
        message
    }
}

/// The principal of the `connection_init` payload, or the close code to answer with.
async fn authenticate(state: &AppState, init: &str) -> Result<Principal, u16> {
    let message: Value = serde_json::from_str(init).map_err(|_| 4400u16)?;
    if message["type"] != "connection_init" {
        return Err(4401);
    }
    let payload = &message["payload"];
    let token = ["Authorization", "authorization"]
        .iter()
        .find_map(|key| payload[key].as_str().and_then(bearer_token_value))
        .or_else(|| payload["token"].as_str())
        .ok_or(4401u16)?;
    let principal = state.verifier().verify(token).await.map_err(|reason| {
        tracing::debug!(%reason, "websocket token refused");
        4401u16
    })?;
    if principal.roles.is_empty() {
        return Err(4403);
    }
    Ok(principal)
}
