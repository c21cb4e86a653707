//! The issuer's signing keys: discovery, a cached JWKS, and the rules for refreshing it.
//!
//! - Keys are fetched at start-up and every `oidc_jwks_refresh` in the background.
//! - A token with an unknown `kid` triggers at most one fetch per `oidc_jwks_min_interval`
//!   (single-flight), so a flood of made-up kids cannot become a flood of fetches. That
//!   interval is counted between fetches triggered this way only: a key rotated in just after
//!   a scheduled fetch is still picked up by the first token that uses it.
//! - A failed fetch keeps the keys already cached: an issuer outage does not sign users out.

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use jsonwebtoken::{
    Algorithm, DecodingKey,
    jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse},
};
use serde::Deserialize;
use tokio::sync::Mutex;

/// Largest discovery document or JWKS we read.
const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// One verification key.
pub struct VerifyKey {
    /// `kid` from the JWKS, if any.
    pub kid: Option<String>,
    /// `alg` from the JWKS, if the issuer pinned one.
    pub alg: Option<Algorithm>,
    /// The key itself.
    pub key: DecodingKey,
}

/// Why no key could be found or fetched.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// No cached key matches the token's `kid` and algorithm.
    #[error("no signing key matches kid {0:?}")]
    UnknownKey(Option<String>),
    /// Discovery or the JWKS could not be read.
    #[error("fetching signing keys failed: {0}")]
    Fetch(String),
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    jwks_uri: String,
}

/// The cache of one issuer's keys; cheap to share.
pub struct KeyCache {
    issuer: String,
    http: reqwest::Client,
    min_interval: Duration,
    keys: RwLock<Arc<Vec<Arc<VerifyKey>>>>,
    loaded: std::sync::atomic::AtomicBool,
    /// Last fetch triggered by an unknown kid; the lock also makes fetches single-flight.
    last_on_demand: Mutex<Option<Instant>>,
}

impl KeyCache {
    /// A cache for `issuer` that fetches nothing until asked.
    ///
    /// # Errors
    /// The HTTP client cannot be built (no TLS roots).
    pub fn new(issuer: &str, min_interval: Duration) -> Result<Self, KeyError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| KeyError::Fetch(e.to_string()))?;
        Ok(Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            http,
            min_interval,
            keys: RwLock::new(Arc::new(Vec::new())),
            loaded: false.into(),
            last_on_demand: Mutex::new(None),
        })
    }

    /// Whether keys have been loaded at least once (readiness).
    pub fn is_loaded(&self) -> bool {
        self.loaded.load(std::sync::atomic::Ordering::Acquire)
    }

    /// The key for a token's `kid` and `alg`, fetching once if it is not cached yet.
    ///
    /// # Errors
    /// [`KeyError::UnknownKey`] when no key matches, even after a permitted refresh.
    pub async fn key_for(
        &self,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Arc<VerifyKey>, KeyError> {
        if let Some(key) = self.find(kid, alg) {
            return Ok(key);
        }
        self.refresh_on_demand().await;
        self.find(kid, alg)
            .ok_or_else(|| KeyError::UnknownKey(kid.map(str::to_owned)))
    }

    /// A fetch for an unknown kid, unless one ran within `min_interval`. Callers queue on the
    /// lock, so a burst of unknown kids waits for one fetch and then finds it recent.
    async fn refresh_on_demand(&self) {
        let mut last = self.last_on_demand.lock().await;
        if last.is_some_and(|t| t.elapsed() < self.min_interval) {
            return;
        }
        *last = Some(Instant::now());
        self.refresh().await.ok();
    }

    /// Re-reads the keys now. A failure keeps the cached keys.
    ///
    /// # Errors
    /// The fetch failed (the cache is unchanged).
    pub async fn refresh(&self) -> Result<(), KeyError> {
        let keys = self
            .fetch()
            .await
            .inspect_err(|e| tracing::warn!(error = %e))?;
        tracing::debug!(count = keys.len(), "signing keys loaded");
        if let Ok(mut slot) = self.keys.write() {
            *slot = Arc::new(keys);
        }
        self.loaded
            .store(true, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<Arc<VerifyKey>> {
        let keys = self.keys.read().ok()?.clone();
        let fits = |k: &&Arc<VerifyKey>| {
            k.key.family() == alg.family() && k.alg.is_none_or(|pinned| pinned == alg)
        };
        match kid {
            Some(kid) => keys
                .iter()
                .filter(fits)
                .find(|k| k.kid.as_deref() == Some(kid))
                .cloned(),
            // Without a kid, only an unambiguous key will do.
            None => {
                let mut candidates = keys.iter().filter(fits);
                match (candidates.next(), candidates.next()) {
                    (Some(only), None) => Some(only.clone()),
                    _ => None,
                }
            }
        }
    }

    async fn fetch(&self) -> Result<Vec<Arc<VerifyKey>>, KeyError> {
        let discovery_url = format!("{}/.well-known/openid-configuration", self.issuer);
        let discovery: Discovery = self.get_json(&discovery_url).await?;
        if discovery.issuer.trim_end_matches('/') != self.issuer {
            return Err(KeyError::Fetch(format!(
                "discovery names issuer {:?}, expected {:?}",
                discovery.issuer, self.issuer
            )));
        }
        if self.issuer.starts_with("https://") && !discovery.jwks_uri.starts_with("https://") {
            return Err(KeyError::Fetch("jwks_uri must use https".into()));
        }
        let set: JwkSet = self.get_json(&discovery.jwks_uri).await?;
        Ok(set
            .keys
            .iter()
            .filter_map(verify_key)
            .map(Arc::new)
            .collect())
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, KeyError> {
        let fail = |e: &dyn std::fmt::Display| KeyError::Fetch(format!("{url}: {e}"));
        let mut response = self
            .http
            .get(url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|e| fail(&e))?;
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| fail(&e))? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(fail(&"document too large"));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| fail(&e))
    }
}

/// A JWK usable for verifying signatures, or `None` (encryption keys, symmetric keys,
/// unsupported types are skipped rather than failing the whole set).
fn verify_key(jwk: &Jwk) -> Option<VerifyKey> {
    if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
        return None;
    }
    let key = DecodingKey::from_jwk(jwk).ok()?;
    if key.family() == jsonwebtoken::AlgorithmFamily::Hmac {
        return None;
    }
    let alg = match jwk.common.key_algorithm {
        Some(a) => Some(key_algorithm(a)?),
        None => None,
    };
    Some(VerifyKey {
        kid: jwk.common.key_id.clone(),
        alg,
        key,
    })
}

fn key_algorithm(alg: KeyAlgorithm) -> Option<Algorithm> {
    Some(match alg {
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        _ => return None,
    })
}
