//! The bearer-token extractor: authentication happens here, once per request, and nowhere
//! else. Tokens are read from the `Authorization` header only (never the query string).

use axum::{
    Json,
    extract::FromRequestParts,
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{Principal, verifier::MAX_TOKEN_BYTES};
use crate::state::AppState;

/// A request whose bearer token verified.
pub struct Authenticated(pub Principal);

/// A missing or invalid token: 401 with `WWW-Authenticate` and a GraphQL-shaped body.
#[derive(Debug)]
pub struct Unauthenticated;

impl IntoResponse for Unauthenticated {
    fn into_response(self) -> Response {
        let body = json!({
            "data": null,
            "errors": [{
                "message": "a valid bearer token is required",
                "extensions": { "code": "UNAUTHENTICATED" },
            }],
        });
        let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
        response
    }
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = Unauthenticated;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or_else(|| {
            tracing::debug!("no usable bearer token");
            Unauthenticated
        })?;
        match state.verifier().verify(token).await {
            Ok(principal) => Ok(Self(principal)),
            Err(reason) => {
                tracing::debug!(%reason, "token refused");
                Err(Unauthenticated)
            }
        }
    }
}

/// The token of an `Authorization: Bearer …` header, if the header is present, not
/// oversized (checked before any parsing) and of the bearer scheme.
pub fn bearer_token(headers: &axum::http::HeaderMap) -> Option<&str> {
    bearer_token_value(headers.get(header::AUTHORIZATION)?.to_str().ok()?)
}

/// The token of a `Bearer …` value (also used for WebSocket `connection_init`), if it is
/// not oversized.
pub fn bearer_token_value(value: &str) -> Option<&str> {
    if value.len() > MAX_TOKEN_BYTES + "Bearer ".len() {
        return None;
    }
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}
