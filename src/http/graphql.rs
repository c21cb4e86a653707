//! GraphQL over HTTP: `POST /graphql` (JSON only, batches of at most [`MAX_BATCH`]) and
//! `GET /graphql` (queries only; GraphiQL in `dev`).
//!
//! Only `application/json` bodies are accepted, so a cross-site form or `text/plain` post
//! (which browsers send without a CORS preflight) can never run an operation.

use async_graphql::{BatchRequest, BatchResponse, Request, ServerError, http::GraphiQLSource};
use async_graphql_axum::GraphQLResponse;
use axum::{
    Json,
    body::Bytes,
    extract::{FromRequestParts, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde_json::json;

use super::auth::Authenticated;
use crate::{
    auth::Principal,
    graphql::{
        RequestId,
        context::ActorCell,
        fair,
        limits::{self, Analysis, Limits},
        loaders,
    },
    schema::{AppSchema, MAX_BATCH},
    state::AppState,
};

/// The cost from which a request waits for one of the instance's permits for costly
/// requests ([`AppState::heavy`]): a twelfth of the most a request may cost, far above what
/// an app's screens ask for (a portal page of 50 mentors with their mentees costs 7,600).
pub const HEAVY_COST: u64 = Limits::MAX_COST / 12;

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
    State(schema): State<AppSchema>,
    Authenticated(principal): Authenticated,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !is_json(&headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send GraphQL requests as application/json",
        );
    }
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
    let prepared: Vec<(Prepared, Option<Analysis>)> = requests
        .into_iter()
        .map(|request| prepare(&schema, request))
        .collect();
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
    let _turn = turn(&state, cost).await;
    let operations = prepared.into_iter().map(|(p, _)| p).collect();
    let run = execute(&state, &schema, principal, &headers, (operations, single));
    let (response, sent) = crate::live::collecting(run).await;
    // Committed by now (SQLite; PostgreSQL delivers its own hints): only the subscriptions
    // whose subject changed reload.
    for hint in sent {
        state.events().wake(hint);
    }
    response
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

/// An operation checked against the limits ([`limits::prepare`]): to run, or refused with
/// the error its answer carries.
enum Prepared {
    Run(Box<Request>),
    Refused(ServerError),
}

fn prepare(schema: &AppSchema, mut request: Request) -> (Prepared, Option<Analysis>) {
    let Some(checks) = crate::schema::checks(schema) else {
        // A schema built without `schema::build`: a fault of ours, never the client's.
        let missing = std::io::Error::other("the schema carries no limits");
        let error = async_graphql::Error::from(crate::error::AppError::internal(missing));
        return (
            Prepared::Refused(error.into_server_error(Default::default())),
            None,
        );
    };
    match limits::prepare(checks, &mut request) {
        Ok(analysis) => (Prepared::Run(Box::new(request)), Some(analysis)),
        Err(error) => (Prepared::Refused(error), None),
    }
}

/// `GET /graphql`: a query in the query string, or GraphiQL in `dev`.
pub async fn get(
    State(state): State<AppState>,
    State(schema): State<AppSchema>,
    request: axum::extract::Request,
) -> Response {
    let (mut parts, _body) = request.into_parts();
    let query_string = parts.uri.query().unwrap_or_default();
    let request = match async_graphql::http::parse_query_string(query_string) {
        Ok(request) if !request.query.is_empty() => request,
        _ if state.is_dev() => {
            return Html(
                GraphiQLSource::build()
                    .endpoint("/graphql")
                    .subscription_endpoint("/graphql/ws")
                    .finish(),
            )
            .into_response();
        }
        _ => return refuse(StatusCode::BAD_REQUEST, "missing query parameter"),
    };
    // Parsed and analysed once: the method rule, the cost budget and execution read it.
    let (prepared, analysis) = prepare(&schema, request);
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
    let cost = analysis.map_or(0, |a| a.cost);
    if let Err(retry) = state.rate_limits().cost(&principal, cost) {
        return retry.into_response();
    }
    let _turn = turn(&state, cost).await;
    let single = (vec![prepared], true);
    execute(&state, &schema, principal, &parts.headers, single).await
}

async fn execute(
    state: &AppState,
    schema: &AppSchema,
    principal: Principal,
    headers: &HeaderMap,
    (operations, single): (Vec<Prepared>, bool),
) -> Response {
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let gate = loaders::Gate::default();
    let actor = {
        let state = state.clone();
        ActorCell::lazy(request_id.clone(), move || {
            let (state, principal) = (state.clone(), principal.clone());
            async move { crate::people::service::resolve_actor(&state, &principal).await }
        })
    };
    let loaders = std::sync::Arc::new(loaders::for_request(
        state.db().clone(),
        gate.clone(),
        state.settings().request_connections,
    ));
    let actor = std::sync::Arc::new(actor);
    let permits = std::sync::Arc::new(fair::RootPermits::new(state.settings().request_connections));
    // A batch runs one operation after the other, so it never holds more of the pool than
    // one request does.
    let mut response = gate
        .wrap(async move {
            let mut responses = Vec::with_capacity(operations.len());
            for operation in operations {
                responses.push(match operation {
                    Prepared::Refused(error) => async_graphql::Response::from_errors(vec![error]),
                    Prepared::Run(request) => {
                        let request = request
                            .data(RequestId(request_id.clone()))
                            .data(actor.clone())
                            .data(loaders.clone())
                            .data(permits.clone())
                            .data(state.clone());
                        schema.execute(request).await
                    }
                });
            }
            if single && responses.len() == 1 {
                BatchResponse::Single(responses.remove(0))
            } else {
                BatchResponse::Batch(responses)
            }
        })
        .await;
    add_missing_codes(&mut response);
    let unavailable = responses(&mut response)
        .iter()
        .flat_map(|r| r.errors.iter())
        .any(|e| code_of(e) == Some("UNAVAILABLE"));
    let mut http = GraphQLResponse::from(response).into_response();
    if unavailable {
        *http.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        http.headers_mut().insert(
            header::RETRY_AFTER,
            crate::error::UNAVAILABLE_RETRY_AFTER.into(),
        );
    }
    http
}

fn responses(response: &mut BatchResponse) -> &mut [async_graphql::Response] {
    match response {
        BatchResponse::Single(r) => std::slice::from_mut(r),
        BatchResponse::Batch(rs) => rs.as_mut_slice(),
    }
}

fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => Some(code.as_str()),
        _ => None,
    }
}

/// Errors raised by async-graphql itself (parse, validation, limits, input coercion) carry
/// no code; they are all about the request, so they get BAD_USER_INPUT.
fn add_missing_codes(response: &mut BatchResponse) {
    for error in responses(response)
        .iter_mut()
        .flat_map(|r| r.errors.iter_mut())
    {
        if code_of(error).is_none() {
            let coded: ServerError = with_code(error.clone());
            *error = coded;
        }
    }
}

fn with_code(mut error: ServerError) -> ServerError {
    let mut ext = error.extensions.take().unwrap_or_default();
    ext.set("code", "BAD_USER_INPUT");
    error.extensions = Some(ext);
    error
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

/// A transport-level refusal, shaped like a GraphQL response.
fn refuse(status: StatusCode, message: &str) -> Response {
    refuse_with(status, with_code(ServerError::new(message, None)))
}

/// A refusal with an error of its own (a code and more in its extensions).
fn refuse_with(status: StatusCode, error: ServerError) -> Response {
    tracing::debug!(message = %error.message, "refused");
    (status, Json(json!({ "data": null, "errors": [error] }))).into_response()
}
