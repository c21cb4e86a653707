//! GraphQL over HTTP: `POST /graphql` (JSON only, batches of at most [`MAX_BATCH`]) and
//! `GET /graphql` (queries only; GraphiQL in `dev`).
//!
//! Only `application/json` bodies are accepted, so a cross-site form or `text/plain` post
//! (which browsers send without a CORS preflight) can never run an operation.

use async_graphql::{BatchRequest, Request};
use axum::{
    body::Bytes,
    extract::{FromRequestParts, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    auth::Authenticated,
    execute::{Prepared, prepare, refuse, refuse_with, request_id, run},
    idempotent,
    media::{self, Media},
};
use crate::{
    auth::Principal,
    db::reader::Reader,
    graphql::{
        context::ActorCell,
        limits::{self, Analysis, Limits},
    },
    idempotency,
    persisted::{self, Persisted},
    schema::{AppSchema, MAX_BATCH},
    state::AppState,
};

/// The cost from which a request waits for one of the instance's permits for costly
/// requests ([`AppState::heavy`]): a twelfth of the most a request may cost, far above what
/// an app's screens ask for (a portal page of 50 mentors with their mentees costs 7,600).
pub const HEAVY_COST: u64 = Limits::MAX_COST / 12;

/// The refusal of a request that names no operation to run.
const MISSING_QUERY: &str =
    "the request has no query: send the document as `query` (or a persisted query's hash)";

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
    State(schema): State<AppSchema>,
    Authenticated(principal): Authenticated,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let media = Media::of(&headers);
    let response = post_as(&state, &schema, principal, (&headers, media), body).await;
    // A replay keeps the media type it was stored with.
    if response.headers().contains_key(idempotent::REPLAYED) {
        return response;
    }
    media.label(response)
}

async fn post_as(
    state: &AppState,
    schema: &AppSchema,
    principal: Principal,
    (headers, media): (&HeaderMap, Media),
    body: Bytes,
) -> Response {
    let (state, schema) = (state.clone(), schema.clone());
    if !is_json(headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send GraphQL requests as application/json",
        );
    }
    let key = match headers
        .get(idempotency::HEADER)
        .map(|v| idempotency::parse_key(v.as_bytes()))
    {
        None => None,
        Some(Ok(key)) => Some(key),
        Some(Err(_)) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
            );
        }
    };
    let batch: BatchRequest = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                &format!("malformed request body: {e}"),
            );
        }
    };
    let size = match &batch {
        BatchRequest::Single(_) => 1,
        BatchRequest::Batch(items) => items.len(),
    };
    if size == 0 || size > MAX_BATCH {
        return refuse(
            StatusCode::BAD_REQUEST,
            &format!("a batch must hold 1 to {MAX_BATCH} operations"),
        );
    }
    let (requests, single) = match batch {
        BatchRequest::Single(request) => (vec![request], true),
        BatchRequest::Batch(requests) => (requests, false),
    };
    if key.is_some() && requests.len() != 1 {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a request with an Idempotency-Key holds one operation, not a batch",
        );
    }
    let mut prepared: Vec<(Prepared, Option<Analysis>)> = Vec::with_capacity(size);
    let mut fingerprint = String::new();
    for mut request in requests {
        match persisted::resolve(state.db(), state.documents(), &mut request).await {
            // Nothing to run, and nothing named to look up: the request is malformed.
            Ok(Persisted::AdHoc) if request.query.is_empty() => {
                return refuse(StatusCode::BAD_REQUEST, MISSING_QUERY);
            }
            Ok(found) => {
                if key.is_some() {
                    fingerprint = fingerprint_of(&request);
                }
                let (operation, analysis) = prepare(&schema, request);
                if let Persisted::Register(hash) = found {
                    register(&state, hash, &operation).await;
                }
                prepared.push((operation, analysis));
            }
            Err(error) => prepared.push((Prepared::Refused(error), None)),
        }
    }
    let keyed = key.map(|key| idempotent::Keyed {
        key,
        fingerprint,
        media,
    });
    // The cost limit is for the whole batch: ten operations of the highest cost are one
    // request of ten times it.
    let cost: u64 = prepared.iter().filter_map(|(_, a)| a.map(|a| a.cost)).sum();
    if size > 1 && cost > Limits::MAX_COST {
        let error = limits::refusal(
            "cost",
            format!(
                "Batch is too complex: its operations cost {cost} together, the limit is {}",
                Limits::MAX_COST
            ),
        );
        return refuse_with(StatusCode::BAD_REQUEST, error);
    }
    if let Err(retry) = state.rate_limits().cost(&principal, cost) {
        return retry.into_response();
    }
    // Queries ignore the key: running them twice is harmless.
    let keyed = match (keyed, prepared.as_slice()) {
        (Some(keyed), [(_, Some(analysis))]) if analysis.mutation => {
            if analysis.root_fields != 1 {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "a mutation sent with an Idempotency-Key holds exactly one field",
                );
            }
            Some(keyed)
        }
        _ => None,
    };
    let _turn = turn(&state, cost).await;
    let mut operations: Vec<Prepared> = prepared.into_iter().map(|(p, _)| p).collect();
    let run = async {
        match keyed {
            // Keyed only with exactly one operation (checked above).
            Some(keyed) if operations.len() == 1 => {
                let (caller, operation) = ((principal, headers), operations.remove(0));
                idempotent::execute(&state, &schema, caller, keyed, operation).await
            }
            _ => {
                execute(
                    &state,
                    &schema,
                    principal,
                    (headers, media),
                    (operations, single),
                )
                .await
            }
        }
    };
    let (response, sent) = crate::live::collecting(run).await;
    // Committed by now (SQLite; PostgreSQL delivers its own hints): only the subscriptions
    // whose subject changed reload.
    for hint in sent {
        state.events().wake(hint);
    }
    response
}

/// Registers the document of a persisted query sent with its hash, once it has passed the
/// limits ([`prepare`]), so no document over them is ever stored.
async fn register(state: &AppState, hash: String, operation: &Prepared) {
    let Prepared::Run(request) = operation else {
        return;
    };
    let (db, documents, now) = (state.db(), state.documents(), state.clock().now());
    if let Err(e) = persisted::register(db, documents, (hash, &request.query), now).await {
        // The request still runs; the client registers it again next time.
        e.log();
    }
}

/// What makes a retry the same request ([`idempotency::fingerprint`]).
fn fingerprint_of(request: &Request) -> String {
    let variables = serde_json::to_value(&request.variables).unwrap_or_default();
    idempotency::fingerprint(
        &request.query,
        request.operation_name.as_deref(),
        &variables,
    )
}

/// Costly requests take turns, one per core: their answers are built whole in memory
/// before they are sent, so 32 of them at once would hold 32 answers (and interleaving them
/// on two cores makes none of them faster). Cheap requests never wait for them. The wait
/// counts against the request timeout.
async fn turn(state: &AppState, cost: u64) -> Option<tokio::sync::SemaphorePermit<'_>> {
    if cost < HEAVY_COST {
        return None;
    }
    // Never closed, so acquiring only waits.
    state.heavy().acquire().await.ok()
}

/// `GET /graphql`: a query in the query string, or GraphiQL in `dev` for a browser.
pub async fn get(
    State(state): State<AppState>,
    State(schema): State<AppSchema>,
    request: axum::extract::Request,
) -> Response {
    let media = Media::of(request.headers());
    media.label(get_as(state, schema, request, media).await)
}

async fn get_as(
    state: AppState,
    schema: AppSchema,
    request: axum::extract::Request,
    media: Media,
) -> Response {
    let (mut parts, _body) = request.into_parts();
    let query_string = parts.uri.query().unwrap_or_default();
    let mut request = match async_graphql::http::parse_query_string(query_string) {
        Ok(request) if !request.query.is_empty() || persisted::asks(&request) => request,
        _ if state.is_dev() && query_string.is_empty() && media::wants_html(&parts.headers) => {
            return super::graphiql::page();
        }
        Ok(_) => return refuse(StatusCode::BAD_REQUEST, MISSING_QUERY),
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                &format!("malformed query string: {e}"),
            );
        }
    };
    // A hash alone is the point of GET: a cache can hold the answer under its URL.
    let found = persisted::resolve(state.db(), state.documents(), &mut request).await;
    // Parsed and analysed once: the method rule, the cost budget and execution read it.
    let (prepared, analysis, found) = match found {
        Ok(found) => {
            let (prepared, analysis) = prepare(&schema, request);
            (prepared, analysis, found)
        }
        Err(error) => (Prepared::Refused(error), None, Persisted::AdHoc),
    };
    if analysis.is_some_and(|a| a.mutation) {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "only queries may be sent with GET; use POST for mutations",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return response;
    }
    let principal = match Authenticated::from_request_parts(&mut parts, &state).await {
        Ok(Authenticated(principal)) => principal,
        Err(rejection) => return rejection.into_response(),
    };
    if let Persisted::Register(hash) = found {
        register(&state, hash, &prepared).await;
    }
    let cost = analysis.map_or(0, |a| a.cost);
    if let Err(retry) = state.rate_limits().cost(&principal, cost) {
        return retry.into_response();
    }
    let _turn = turn(&state, cost).await;
    let single = (vec![prepared], true);
    execute(&state, &schema, principal, (&parts.headers, media), single).await
}

async fn execute(
    state: &AppState,
    schema: &AppSchema,
    principal: Principal,
    (headers, media): (&HeaderMap, Media),
    operations: (Vec<Prepared>, bool),
) -> Response {
    let request_id = request_id(headers);
    let actor = {
        let state = state.clone();
        ActorCell::lazy(request_id.clone(), move || {
            let (state, principal) = (state.clone(), principal.clone());
            async move { crate::people::service::resolve_actor(&state, &principal).await }
        })
    };
    let reader = Reader::Pool(state.db().clone());
    run(
        state,
        schema,
        (actor, reader, request_id),
        operations,
        media,
    )
    .await
    .0
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}
