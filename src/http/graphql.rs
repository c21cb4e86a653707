//! GraphQL over HTTP: `POST /graphql` (JSON only, batches of at most [`MAX_BATCH`]) and
//! `GET /graphql` (queries only; GraphiQL in `dev`).
//!
//! Only `application/json` bodies are accepted, so a cross-site form or `text/plain` post
//! (which browsers send without a CORS preflight) can never run an operation.

use async_graphql::{
    BatchRequest, BatchResponse, Request, ServerError, http::GraphiQLSource, parser::parse_query,
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

use super::auth::Authenticated;
use crate::{
    auth::Principal,
    graphql::{
        RequestId,
        context::ActorCell,
        limits::{self, Analysis, Limits},
        loaders,
    },
    schema::{AppSchema, MAX_BATCH},
    state::AppState,
};

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
    // The cost limit is for the whole batch: ten operations of the highest cost are one
    // request of ten times it.
    let analysed: Vec<Analysis> = batch.iter().filter_map(|r| analyse(&schema, r)).collect();
    let cost: u64 = analysed.iter().map(|a| a.cost).sum();
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
    let (response, sent) =
        crate::live::collecting(execute(&state, &schema, principal, &headers, batch)).await;
    // Committed by now (SQLite; PostgreSQL delivers its own hints): only the subscriptions
    // whose subject changed reload.
    for hint in sent {
        state.events().wake(hint);
    }
    response
}

/// The analysis of a request's document (`None` if it does not parse or breaks a limit:
/// execution reports that, with the same checks, and runs nothing).
fn analyse(schema: &AppSchema, request: &Request) -> Option<Analysis> {
    let shape = crate::schema::shape(schema)?;
    let doc = parse_query(&request.query).ok()?;
    limits::analyse(
        shape,
        &doc,
        &request.variables,
        request.operation_name.as_deref(),
    )
    .ok()
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
    // Parsed and analysed once: the method rule and the cost budget both read it.
    let analysis = analyse(&schema, &request);
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
    execute(
        &state,
        &schema,
        principal,
        &parts.headers,
        BatchRequest::Single(request),
    )
    .await
}

async fn execute(
    state: &AppState,
    schema: &AppSchema,
    principal: Principal,
    headers: &HeaderMap,
    batch: BatchRequest,
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
    let batch = batch
        .data(RequestId(request_id))
        .data(std::sync::Arc::new(actor))
        .data(std::sync::Arc::new(loaders::for_request(
            state.db().clone(),
            gate.clone(),
            state.settings().request_connections,
        )))
        .data(state.clone());
    // A batch runs one operation after the other, so it never holds more of the pool than
    // one request does.
    let mut response = gate
        .wrap(async move {
            match batch {
                BatchRequest::Single(request) => {
                    BatchResponse::Single(schema.execute(request).await)
                }
                BatchRequest::Batch(requests) => {
                    let mut responses = Vec::with_capacity(requests.len());
                    for request in requests {
                        responses.push(schema.execute(request).await);
                    }
                    BatchResponse::Batch(responses)
                }
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
