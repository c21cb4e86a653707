//! A mutation sent with an `Idempotency-Key` ([`crate::idempotency`]): it runs in one
//! transaction that the request holds from the claim of the key to the stored answer, and
//! every service operation inside it is a savepoint of that transaction. So the answer and
//! the writes commit together or not at all, and a retry gets the answer byte for byte.
//!
//! A second request with the key while the first runs waits for it (PostgreSQL: on the
//! key's row, up to 10 s, then 409 CONFLICT, retryable; SQLite: on the write lock) and then
//! gets its answer. Failures that may pass on a retry (the database unavailable, a lost
//! race, a fault of ours) store nothing: the transaction rolls back and a retry runs again.

use std::sync::Arc;

use axum::{
    body::Body,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::DatabaseTransaction;

use super::execute::{Prepared, refuse_with, request_id, run};
use crate::{
    auth::Principal,
    db::{self, reader::Reader},
    error::{AppError, AppResult},
    graphql::context::ActorCell,
    idempotency::{
        scope,
        store::{self, Claim, Stored},
    },
    request::RequestCtx,
    schema::AppSchema,
    state::AppState,
};

/// Set on an answer that was stored by an earlier request with the same key.
pub const REPLAYED: &str = "idempotent-replayed";

/// The key and what the request is (its fingerprint).
pub struct Keyed {
    /// The client's key.
    pub key: String,
    /// [`crate::idempotency::fingerprint`] of the request.
    pub fingerprint: String,
    /// The answer's media type; a replay keeps the one stored.
    pub media: super::media::Media,
}

/// Runs `operation` (one mutation with one root field) once per caller and key.
pub(super) async fn execute(
    state: &AppState,
    schema: &AppSchema,
    (principal, headers): (Principal, &axum::http::HeaderMap),
    keyed: Keyed,
    operation: Prepared,
) -> Response {
    match attempt(
        state,
        schema,
        (principal, request_id(headers)),
        keyed,
        operation,
    )
    .await
    {
        Ok(response) => response,
        Err(error) => refusal(error),
    }
}

async fn attempt(
    state: &AppState,
    schema: &AppSchema,
    (principal, request_id): (Principal, String),
    keyed: Keyed,
    operation: Prepared,
) -> AppResult<Response> {
    // Resolved before the transaction opens: a first sign-in writes the person in a
    // transaction of its own, which SQLite's one write lock would make wait for ours.
    let actor = crate::people::service::resolve_actor(state, &principal).await?;
    let caller = scope(&actor);
    let id = (caller.as_str(), keyed.key.as_str());
    let now = state.clock().now();
    let expired = crate::idempotency::expired_before(state.settings(), now);
    let txn = Arc::new(db::begin_write(state.db()).await?);
    match store::claim(&txn, id, &keyed.fingerprint, (now, expired)).await? {
        Claim::Replay(stored) => return Ok(replay(stored)),
        Claim::Mismatch => {
            return Err(AppError::bad_input(
                "Idempotency-Key",
                "this key was used for a different request (document, operation name or \
                 variables); use a new key for a new request",
            ));
        }
        Claim::Owned => {}
    }
    let rc = RequestCtx {
        write: Some(txn.clone()),
        ..RequestCtx::new(actor, request_id.clone())
    };
    let runner = (
        ActorCell::resolved(rc),
        Reader::Request(txn.clone()),
        request_id,
    );
    let (response, transient) =
        run(state, schema, runner, (vec![operation], true), keyed.media).await;
    if transient {
        // Dropping the transaction rolls the claim back with everything else.
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(AppError::internal)?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let stored = Stored {
        status: parts.status.as_u16(),
        content_type,
        body: body.to_vec(),
    };
    store::answer(&txn, id, &stored).await?;
    sole(txn).await?.commit().await?;
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// The transaction, once the request's loaders have let go of it: a loader's task may
/// still be winding down for a moment after the answer is built.
async fn sole(mut txn: Arc<DatabaseTransaction>) -> AppResult<DatabaseTransaction> {
    for _ in 0..1_000 {
        match Arc::try_unwrap(txn) {
            Ok(txn) => return Ok(txn),
            Err(shared) => txn = shared,
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    Err(AppError::internal(std::io::Error::other(
        "the request's transaction is still shared after its answer",
    )))
}

fn replay(stored: Stored) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&stored.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// The answer to a request that did not run: 422 for a key reused for another request, 409
/// for one still running, 503 when the database is unavailable.
fn refusal(error: AppError) -> Response {
    let status = match error.code() {
        // The one request error here: a key reused for another request.
        "BAD_USER_INPUT" => StatusCode::UNPROCESSABLE_ENTITY,
        _ => error.status(),
    };
    let unavailable = status == StatusCode::SERVICE_UNAVAILABLE;
    let error = async_graphql::Error::from(error).into_server_error(Default::default());
    let mut response = refuse_with(status, error);
    if unavailable {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            crate::error::UNAVAILABLE_RETRY_AFTER.into(),
        );
    }
    response
}
