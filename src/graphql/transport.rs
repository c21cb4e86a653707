//! GraphQL over HTTP: `POST /graphql` (JSON only, batches of at most [`MAX_BATCH`]) and
//! `GET /graphql` (queries only; GraphiQL in `dev`).
//!
//! Only `application/json` bodies are accepted, so a cross-site form or `text/plain` post
//! (which browsers send without a CORS preflight) can never run an operation.

use async_graphql::{
    BatchRequest, BatchResponse, Request, ServerError,
    http::GraphiQLSource,
    parser::{parse_query, types::OperationType},
};
use async_graphql_axum::GraphQLResponse;
use axum::{
    Json,
    body::Bytes,
    extract::{FromRequestParts, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde_json::json;

use super::MAX_BATCH;
use crate::{
    auth::{Principal, extractor::Authenticated},
    error::AppError,
    state::AppState,
};

/// The `x-request-id` of the current request, for resolvers that write audit rows.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
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
    let mutates = match &batch {
        BatchRequest::Single(r) => !is_query(r),
        BatchRequest::Batch(rs) => rs.iter().any(|r| !is_query(r)),
    };
    let response = execute(&state, principal, &headers, batch).await;
    if mutates {
        // Committed by now: live subscriptions of this instance reload what they watch.
        state.events().wake(crate::events::LiveEvent::Any);
    }
    response
}

/// `GET /graphql`: a query in the query string, or GraphiQL in `dev`.
pub async fn get(State(state): State<AppState>, request: axum::extract::Request) -> Response {
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
    if !is_query(&request) {
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
    execute(
        &state,
        principal,
        &parts.headers,
        BatchRequest::Single(request),
    )
    .await
}

async fn execute(
    state: &AppState,
    principal: Principal,
    headers: &HeaderMap,
    batch: BatchRequest,
) -> Response {
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let gate = super::loaders::Gate::default();
    let batch = batch
        .data(principal)
        .data(RequestId(request_id))
        .data(std::sync::Arc::new(super::ActorCell::default()))
        .data(std::sync::Arc::new(super::loaders::for_request(
            state.db().clone(),
            gate.clone(),
        )))
        .data(state.clone());
    let mut response = gate.wrap(state.schema().execute_batch(batch)).await;
    add_missing_codes(&mut response);
    GraphQLResponse::from(response).into_response()
}

/// Errors raised by async-graphql itself (parse, validation, limits, input coercion) carry
/// no code; they are all about the request, so they get BAD_USER_INPUT.
fn add_missing_codes(response: &mut BatchResponse) {
    let responses = match response {
        BatchResponse::Single(r) => std::slice::from_mut(r),
        BatchResponse::Batch(rs) => rs.as_mut_slice(),
    };
    for error in responses.iter_mut().flat_map(|r| r.errors.iter_mut()) {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|ext| ext.get("code").is_some());
        if !has_code {
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

/// Whether the operation the request would run is a query (unparsable requests count as
/// queries: execution reports the parse error).
fn is_query(request: &Request) -> bool {
    let Ok(doc) = parse_query(&request.query) else {
        return true;
    };
    let name = request.operation_name.as_deref();
    doc.operations
        .iter()
        .filter(|(op_name, _)| name.is_none() || op_name.map(|n| n.as_str()) == name)
        .all(|(_, op)| op.node.ty == OperationType::Query)
}

/// A transport-level refusal, shaped like a GraphQL response.
fn refuse(status: StatusCode, message: &str) -> Response {
    let error = AppError::BadUserInput {
        field: None,
        message: message.to_owned(),
    };
    error.log();
    let body = json!({
        "data": null,
        "errors": [{ "message": message, "extensions": { "code": error.code() } }],
    });
    (status, Json(body)).into_response()
}
