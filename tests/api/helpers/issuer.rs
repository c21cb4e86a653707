//! An OIDC issuer on its own random port: discovery and JWKS over real HTTP, RSA and EC
//! keys, rotation, an outage switch, a fetch counter, and a token builder.

use std::sync::{
    Arc, RwLock,
    atomic::{AtomicBool, AtomicUsize, Ordering},
};

use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};
use chrono::Utc;
use mentorship_api::auth::signing::SigningKey;
use serde_json::{Value, json};

/// The audience test tokens are issued for.
pub const AUDIENCE: &str = "mentorship-api-test";

struct Inner {
    url: String,
    published: RwLock<Vec<SigningKey>>,
    active: RwLock<SigningKey>,
    jwks_fetches: AtomicUsize,
    down: AtomicBool,
}

/// A running test issuer.
#[derive(Clone)]
pub struct TestIssuer(Arc<Inner>);

impl TestIssuer {
    /// Starts an issuer publishing one RSA and one EC key, signing with the RSA one.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/realms/reps", listener.local_addr().unwrap());
        let rsa = SigningKey::generate_rsa("rsa-1").unwrap();
        let ec = SigningKey::generate_ec("ec-1").unwrap();
        let issuer = Self(Arc::new(Inner {
            url,
            published: RwLock::new(vec![rsa.clone(), ec]),
            active: RwLock::new(rsa),
            jwks_fetches: AtomicUsize::new(0),
            down: AtomicBool::new(false),
        }));
        let app = Router::new()
            .route(
                "/realms/reps/.well-known/openid-configuration",
                get(discovery),
            )
            .route("/realms/reps/jwks", get(jwks))
            .with_state(issuer.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        issuer
    }

    /// The issuer URL (`iss`).
    pub fn url(&self) -> &str {
        &self.0.url
    }

    /// How many times the JWKS was fetched.
    pub fn jwks_fetches(&self) -> usize {
        self.0.jwks_fetches.load(Ordering::SeqCst)
    }

    /// Makes discovery and JWKS answer 503 (or work again).
    pub fn set_down(&self, down: bool) {
        self.0.down.store(down, Ordering::SeqCst);
    }

    /// Publishes `key` and signs with it from now on (old keys stay published).
    pub fn rotate_to(&self, key: SigningKey) {
        self.0.published.write().unwrap().push(key.clone());
        *self.0.active.write().unwrap() = key;
    }

    /// The published key with this kid.
    pub fn key(&self, kid: &str) -> SigningKey {
        let keys = self.0.published.read().unwrap();
        keys.iter().find(|k| k.kid() == kid).unwrap().clone()
    }

    /// A builder for a valid person token with the MENTEE role.
    pub fn token(&self) -> TokenBuilder {
        let now = Utc::now().timestamp();
        TokenBuilder {
            claims: json!({
                "iss": self.0.url,
                "aud": AUDIENCE,
                "sub": format!("user-{}", uuid::Uuid::new_v4()),
                "iat": now,
                "nbf": now,
                "exp": now + 3600,
                "roles": ["mentee"],
                "name": "Test Rep",
                "email": "rep@example.org",
            }),
            key: self.0.active.read().unwrap().clone(),
        }
    }
}

/// Claims to sign, with the key to sign them with.
pub struct TokenBuilder {
    pub claims: Value,
    key: SigningKey,
}

impl TokenBuilder {
    /// Sets a claim.
    pub fn claim(mut self, name: &str, value: Value) -> Self {
        self.claims[name] = value;
        self
    }

    /// Removes a claim.
    pub fn without(mut self, name: &str) -> Self {
        self.claims.as_object_mut().unwrap().remove(name);
        self
    }

    /// Sets the `sub`.
    pub fn subject(self, sub: &str) -> Self {
        self.claim("sub", json!(sub))
    }

    /// Sets the role names in `roles`.
    pub fn roles(self, roles: &[&str]) -> Self {
        self.claim("roles", json!(roles))
    }

    /// Signs with another key.
    pub fn signed_by(mut self, key: SigningKey) -> Self {
        self.key = key;
        self
    }

    /// The signed token.
    pub fn sign(&self) -> String {
        self.key.sign(&self.claims).unwrap()
    }
}

async fn discovery(State(issuer): State<TestIssuer>) -> impl IntoResponse {
    if issuer.0.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Json(json!({
        "issuer": issuer.0.url,
        "jwks_uri": format!("{}/jwks", issuer.0.url),
    }))
    .into_response()
}

async fn jwks(State(issuer): State<TestIssuer>) -> impl IntoResponse {
    issuer.0.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    if issuer.0.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let keys: Vec<Value> = issuer
        .0
        .published
        .read()
        .unwrap()
        .iter()
        .map(|k| serde_json::to_value(k.public_jwk()).unwrap())
        .collect();
    Json(json!({ "keys": keys })).into_response()
}
