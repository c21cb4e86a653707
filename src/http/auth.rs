//! The bearer-token extractor: authentication happens here, once per request, and nowhere
//! else. Tokens are read from the `Authorization` header only (never the query string).

use std::net::SocketAddr;

use axum::{
    Json,
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::{HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{
    auth::{Principal, verifier::MAX_TOKEN_BYTES},
    rate_limit::RetryAfter,
    state::AppState,
};

/// A request whose bearer token verified.
pub struct Authenticated(pub Principal);

/// A missing or invalid token: 401 with `WWW-Authenticate` and a GraphQL-shaped body.
#[derive(Debug)]
pub struct Unauthenticated;

/// Why a request was not let in.
#[derive(Debug)]
pub enum Rejection {
    /// No valid token.
    Unauthenticated,
    /// The caller (or, for failed sign-ins, the client address) is over its rate limit.
    RateLimited(RetryAfter),
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthenticated => Unauthenticated.into_response(),
            Self::RateLimited(retry) => retry.into_response(),
        }
    }
}

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

/// Authenticates, then counts the request against the caller's rate limit. A failed
/// authentication counts against the client address: past its limit the answer is 429, so
/// guessing tokens is slow.
impl<S> FromRequestParts<S> for Authenticated
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let verified = match bearer_token(&parts.headers) {
            Some(token) => state.verifier().verify(token).await.map_err(|reason| {
                tracing::debug!(%reason, "token refused");
            }),
            None => {
                tracing::debug!("no usable bearer token");
                Err(())
            }
        };
        let Ok(principal) = verified else {
            let address = parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip());
            if let Some(Err(retry)) = address.map(|a| state.rate_limits().auth_failure(a)) {
                return Err(Rejection::RateLimited(retry));
            }
            return Err(Rejection::Unauthenticated);
        };
        state
            .rate_limits()
            .request(&principal)
            .map_err(Rejection::RateLimited)?;
        Ok(Self(principal))
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
