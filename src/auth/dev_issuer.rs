//! The local development token issuer of `dev` mode: OIDC discovery, a JWKS and a token
//! endpoint under `/dev/oidc`, on the service's own (loopback-only) listener.
//!
//! Tokens are signed with an EC key kept beside the dev database, so tokens printed at start
//! stay valid across restarts. Never mounted by `serve`.

use std::{sync::Arc, time::Duration};

use axum::{
    Form, Json, Router,
    extract::{FromRequest, Request, State},
    http::{HeaderMap, StatusCode, header},
    routing::{get, post},
};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    Role,
    signing::{SigningError, SigningKey},
};

/// Where the dev issuer is mounted.
pub const PATH: &str = "/dev/oidc";
/// The audience of dev tokens.
pub const AUDIENCE: &str = "mentorship-api";
/// The scope a machine client needs for program metrics.
pub const METRICS_SCOPE: &str = "metrics:read";
/// How long minted tokens are valid.
pub const TOKEN_TTL: Duration = Duration::from_secs(12 * 3600);

/// The issuer: its URL and its one signing key.
#[derive(Clone, Debug)]
pub struct DevIssuer {
    issuer: String,
    key: Arc<SigningKey>,
}

/// What a token should say; every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TokenRequest {
    /// `mentee`, `mentor`, `council` (a person) or `machine` (a council script).
    pub role: Option<String>,
    /// The subject; defaults to a fresh one.
    pub subject: Option<String>,
    /// `name` claim.
    pub name: Option<String>,
    /// `email` claim.
    pub email: Option<String>,
    /// Space-separated scopes (machine default: `metrics:read`).
    pub scope: Option<String>,
}

impl DevIssuer {
    /// An issuer at `issuer` signing with `key`.
    pub fn new(issuer: String, key: SigningKey) -> Self {
        Self {
            issuer,
            key: Arc::new(key),
        }
    }

    /// Loads the key at `path`, or makes one and saves it there.
    ///
    /// # Errors
    /// The file exists but does not hold a key, or cannot be written.
    pub fn load_or_create_key(path: &std::path::Path) -> Result<SigningKey, SigningError> {
        let kid = "dev-1";
        match std::fs::read_to_string(path) {
            Ok(pem) => SigningKey::from_pem(kid, jsonwebtoken::Algorithm::ES256, &pem),
            Err(_) => {
                let key = SigningKey::generate_ec(kid)?;
                std::fs::write(path, key.to_pem()).map_err(|e| SigningError::from_io(path, e))?;
                Ok(key)
            }
        }
    }

    /// The issuer URL (`iss`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Mints a token as described by `req`.
    ///
    /// # Errors
    /// An unknown role, or signing failed.
    pub fn mint(&self, req: &TokenRequest) -> Result<String, SigningError> {
        let role = requested_role(req).map_err(|m| SigningError::msg(&m))?;
        let subject = req
            .subject
            .clone()
            .unwrap_or_else(|| format!("dev-{}", uuid::Uuid::new_v4()));
        let now = Utc::now().timestamp();
        let mut claims = json!({
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + TOKEN_TTL.as_secs() as i64,
        });
        if let Some(role) = role {
            // Every mentor and council member is also a rep.
            let mut roles = vec![Role::Mentee.as_str()];
            if role != Role::Mentee {
                roles.push(role.as_str());
            }
            claims["roles"] = json!(roles);
            claims["scope"] = json!(req.scope.as_deref().unwrap_or("openid profile email"));
            if let Some(name) = &req.name {
                claims["name"] = json!(name);
            }
            if let Some(email) = &req.email {
                claims["email"] = json!(email);
            }
        } else {
            claims["azp"] = json!(subject);
            claims["scope"] = json!(req.scope.as_deref().unwrap_or(METRICS_SCOPE));
        }
        self.key.sign(&claims)
    }

    /// Discovery, JWKS and token routes, to nest under [`PATH`].
    pub fn router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .with_state(self)
    }
}

async fn discovery(State(issuer): State<DevIssuer>) -> Json<Value> {
    Json(json!({
        "issuer": issuer.issuer,
        "jwks_uri": format!("{}/jwks", issuer.issuer),
        "token_endpoint": format!("{}/token", issuer.issuer),
        "id_token_signing_alg_values_supported": ["ES256"],
        "grant_types_supported": ["client_credentials"],
    }))
}

async fn jwks(State(issuer): State<DevIssuer>) -> Json<Value> {
    Json(json!({ "keys": [issuer.key.public_jwk()] }))
}

/// A standard OAuth 2.0 client-credentials request (RFC 6749 §4.4), as council scripts send
/// it to a real provider: form-encoded, the client in Basic auth or in the form. Any client
/// id and secret are accepted here: this issuer is for a loopback `dev` instance only.
#[derive(Debug, Deserialize)]
struct ClientCredentials {
    grant_type: String,
    client_id: Option<String>,
    scope: Option<String>,
}

type TokenError = (StatusCode, Json<Value>);

/// The program role `req` asks for (default mentee); `None` for a machine client.
fn requested_role(req: &TokenRequest) -> Result<Option<Role>, String> {
    let role = req.role.as_deref().unwrap_or("mentee").to_ascii_lowercase();
    if role == "machine" {
        return Ok(None);
    }
    Role::parse(&role)
        .map(Some)
        .ok_or_else(|| format!("unknown role {role:?}: use mentee, mentor, council or machine"))
}

fn token_error(error: &str, description: impl ToString) -> TokenError {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "error_description": description.to_string() })),
    )
}

/// The client id of an `Authorization: Basic` header.
fn basic_client_id(headers: &HeaderMap) -> Option<String> {
    use base64::Engine;
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    Some(
        text.split_once(':')
            .map_or(text.as_str(), |(id, _)| id)
            .to_owned(),
    )
}

/// Mints a token from a JSON [`TokenRequest`] (any role), or from a form-encoded
/// client-credentials request (a machine client).
async fn token(
    State(issuer): State<DevIssuer>,
    request: Request,
) -> Result<Json<Value>, TokenError> {
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let req = if form {
        let basic = basic_client_id(request.headers());
        let Form(grant) = Form::<ClientCredentials>::from_request(request, &())
            .await
            .map_err(|e| token_error("invalid_request", e.body_text()))?;
        if grant.grant_type != "client_credentials" {
            return Err(token_error(
                "unsupported_grant_type",
                "only client_credentials",
            ));
        }
        TokenRequest {
            role: Some("machine".into()),
            subject: grant.client_id.or(basic),
            scope: grant.scope,
            ..TokenRequest::default()
        }
    } else {
        let Json(req) = Json::<TokenRequest>::from_request(request, &())
            .await
            .map_err(|e| token_error("invalid_request", e.body_text()))?;
        req
    };
    // The client's mistake in its own words; `mint` then only fails on signing.
    requested_role(&req).map_err(|m| token_error("invalid_request", m))?;
    let token = issuer
        .mint(&req)
        .map_err(|e| token_error("server_error", e))?;
    Ok(Json(json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": TOKEN_TTL.as_secs(),
    })))
}
