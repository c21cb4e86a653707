//! Running GraphQL operations for the HTTP transports ([`super::graphql`], and
//! [`super::idempotent`] for keyed mutations): an operation checked against the limits,
//! executed with the request's actor, loaders and permits, its errors coded, and the
//! transport's own refusals in the GraphQL error shape.

use async_graphql::{BatchResponse, Request, ServerError};
use axum::{
    Json,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    db::reader::Reader,
    graphql::{
        RequestId,
        context::ActorCell,
        fair,
        limits::{self, Analysis},
        loaders,
    },
    schema::AppSchema,
    state::AppState,
};

/// An operation checked against the limits ([`limits::prepare`]): to run, or refused with
/// the error its answer carries.
pub(super) enum Prepared {
    Run(Box<Request>),
    Refused(ServerError),
}

pub(super) fn prepare(schema: &AppSchema, mut request: Request) -> (Prepared, Option<Analysis>) {
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

/// The `x-request-id` (set by the request-id layer).
pub(super) fn request_id(headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Runs the operations as `actor`, the loaders reading with `reader`; the answer, and
/// whether it failed for a reason that may pass on a retry (the database unavailable, a
/// lost race, a fault of ours) rather than for one in the request.
pub(super) async fn run(
    state: &AppState,
    schema: &AppSchema,
    (actor, reader, request_id): (ActorCell, Reader, String),
    (operations, single): (Vec<Prepared>, bool),
    media: super::media::Media,
) -> (Response, bool) {
    let gate = loaders::Gate::default();
    let loaders = std::sync::Arc::new(loaders::for_request(
        reader,
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
                    Prepared::Run(mut request) => {
                        // The schema runs from the parsed document (set by the limits) and
                        // HTTP has no extension reading the text: kept to name arguments.
                        let text = std::mem::take(&mut request.query);
                        let request = request
                            .data(RequestId(request_id.clone()))
                            .data(actor.clone())
                            .data(loaders.clone())
                            .data(permits.clone())
                            .data(state.clone());
                        let mut answer = schema.execute(request).await;
                        super::coercion::name_arguments(&mut answer.errors, &text);
                        answer
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
    let errors = || responses_of(&response).iter().flat_map(|r| r.errors.iter());
    let unavailable = errors().any(|e| code_of(e) == Some("UNAVAILABLE"));
    let transient = errors().any(|e| {
        matches!(code_of(e), Some("UNAVAILABLE" | "INTERNAL"))
            || e.extensions
                .as_ref()
                .and_then(|x| x.get("retryable"))
                .is_some_and(|v| *v == async_graphql::Value::Boolean(true))
    });
    let mut http = media.encode(&response);
    if unavailable {
        *http.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        http.headers_mut().insert(
            header::RETRY_AFTER,
            crate::error::UNAVAILABLE_RETRY_AFTER.into(),
        );
    }
    (http, transient)
}

fn responses_of(response: &BatchResponse) -> &[async_graphql::Response] {
    match response {
        BatchResponse::Single(r) => std::slice::from_ref(r),
        BatchResponse::Batch(rs) => rs.as_slice(),
    }
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

/// A transport-level refusal, shaped like a GraphQL response to a request error (no `data`
/// entry: nothing was executed).
pub(super) fn refuse(status: StatusCode, message: &str) -> Response {
    refuse_with(status, with_code(ServerError::new(message, None)))
}

/// A refusal with an error of its own (a code and more in its extensions).
pub(super) fn refuse_with(status: StatusCode, error: ServerError) -> Response {
    tracing::debug!(message = %error.message, "refused");
    (status, Json(json!({ "errors": [error] }))).into_response()
}
