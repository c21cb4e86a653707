//! GraphQL subscriptions over WebSocket (`/graphql/ws`, graphql-transport-ws).
//!
//! The bearer token travels in `connection_init` (`{"Authorization": "Bearer …"}`, or
//! `{"token": "…"}`) and is verified once, here: a missing or bad token closes the socket with
//! 4401 (Unauthorized), a token without a person behind it with 4403 (Forbidden). The socket
//! is closed (4401, "token expired") when the token expires.

use std::{sync::Arc, time::Duration};

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

use super::{ActorCell, loaders, transport::RequestId};
use crate::{
    auth::{Principal, extractor::bearer_token_value},
    request::RequestCtx,
    state::AppState,
};

/// How long a client has to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// `GET /graphql/ws`.
pub async fn handler(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(state, protocol, socket))
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

async fn serve(state: AppState, protocol: GraphQLProtocol, socket: WebSocket) {
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
    let expires_at = principal.expires_at;
    let request_id = format!("ws-{}", uuid::Uuid::new_v4());
    let mut data = Data::default();
    data.insert(Arc::new(ActorCell::resolved(RequestCtx {
        actor,
        request_id: request_id.clone(),
    })));
    data.insert(Arc::new(loaders::for_request(
        state.db().clone(),
        loaders::Gate::default(),
        state.settings().request_connections,
    )));
    data.insert(RequestId(request_id));
    data.insert(principal);
    data.insert(state.clone());

    // Our own sender in front of the socket, so the expiry can close it with a reason.
    let (tx, mut rx) = futures_channel::mpsc::channel::<Message>(64);
    let forward = tokio::spawn(async move {
        while let Some(message) = rx.next().await {
            let last = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || last {
                break;
            }
        }
    });
    // async-graphql runs the handshake again from the replayed `connection_init`.
    let replay =
        stream::once(async move { Ok::<_, axum::Error>(Message::Text(init)) }).chain(incoming);
    let graphql = GraphQLWebSocket::new_with_pair(
        tx.clone()
            .sink_map_err(|_| axum::Error::new(std::io::Error::other("socket closed"))),
        replay,
        state.schema().clone(),
        protocol,
    )
    .on_connection_init(move |_| async move { Ok(data) })
    .serve();
    let until_expiry = (expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    tokio::select! {
        () = graphql => {}
        () = tokio::time::sleep(until_expiry) => {
            let mut tx = tx;
            tx.send(close(4401, "token expired")).await.ok();
        }
    }
    forward.await.ok();
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
