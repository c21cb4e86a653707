//! Strict access-token validation: size limits, algorithm allow-list (asymmetric only),
//! signature by a key of the issuer's JWKS, `iss`, `aud`, `exp` (required), `nbf`, `sub`.
//!
//! Header fields that name other keys (`jku`, `x5u`, `jwk`, `x5c`) are never followed; a
//! `crit` header is refused because we understand no extensions.

use std::{collections::BTreeSet, sync::Arc};

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, AlgorithmFamily, Validation, decode, decode_header};
use serde_json::Value;
use sha2::Digest;

use super::{
    Principal, PrincipalKind,
    jwks::{KeyCache, KeyError},
    principal::TokenProfile,
    roles::{ClaimPath, RoleMap},
};
use crate::config::{ConfigError, Settings};

/// Largest bearer token we look at (the whole `Authorization` value), in bytes.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// Largest encoded JOSE header, in bytes.
const MAX_HEADER_BYTES: usize = 2 * 1024;

/// Why a token was refused. Logged at debug; clients only ever see "invalid token".
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token too large")]
    TooLarge,
    #[error("malformed token: {0}")]
    Malformed(String),
    #[error("algorithm {0:?} not allowed")]
    AlgorithmNotAllowed(Algorithm),
    #[error("token has a crit header")]
    CriticalHeader,
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("invalid token: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
}

/// Checks the settings the verifier reads (the algorithm allow-list, the role map) without
/// building one, so `serve` can refuse them before connecting anywhere.
///
/// # Errors
/// The first unusable setting, by name.
pub fn check_settings(settings: &Settings) -> Result<(), ConfigError> {
    parse_algorithms(&settings.oidc_algorithms)?;
    super::roles::RoleMap::parse(&settings.oidc_role_map)?;
    Ok(())
}

/// Parses `RS256,ES256`; refuses symmetric algorithms (they would let anyone holding the
/// public key forge tokens) and unknown names.
///
/// # Errors
/// An unknown or symmetric algorithm, naming `MENTORSHIP_OIDC_ALGORITHMS`.
pub fn parse_algorithms(spec: &str) -> Result<Vec<Algorithm>, ConfigError> {
    let err = |p: String| ConfigError::new("MENTORSHIP_OIDC_ALGORITHMS", p);
    let algs = spec
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|name| {
            let alg: Algorithm = name
                .parse()
                .map_err(|_| err(format!("{name:?} is not a JWS algorithm")))?;
            if alg.family() == AlgorithmFamily::Hmac {
                return Err(err(format!(
                    "{name} is symmetric; only public-key algorithms"
                )));
            }
            Ok(alg)
        })
        .collect::<Result<Vec<_>, _>>()?;
    if algs.is_empty() {
        return Err(err("no algorithm given".into()));
    }
    Ok(algs)
}

/// Verifies tokens of one issuer for one audience.
pub struct TokenVerifier {
    keys: Arc<KeyCache>,
    algorithms: Vec<Algorithm>,
    validation: Validation,
    roles_claim: ClaimPath,
    role_map: RoleMap,
    verified: Arc<quick_cache::sync::Cache<[u8; 32], Verified>>,
    leeway: chrono::Duration,
}

/// Most tokens remembered as verified (per instance; a miss only costs a verification).
const VERIFIED_CAPACITY: usize = 10_000;
/// The longest a verification is reused: a key the issuer withdraws stops admitting tokens
/// it signed within this long, and a token's own expiry still applies.
const VERIFIED_FOR: chrono::Duration = chrono::Duration::seconds(60);

/// A token verified at `at`.
#[derive(Clone)]
struct Verified {
    principal: Principal,
    at: chrono::DateTime<chrono::Utc>,
}

impl TokenVerifier {
    /// Builds the verifier from settings whose issuer and audience are set.
    ///
    /// # Errors
    /// A missing or invalid OIDC setting.
    pub fn new(settings: &Settings, keys: Arc<KeyCache>) -> Result<Self, ConfigError> {
        let issuer = settings
            .oidc_issuer
            .as_deref()
            .ok_or_else(|| ConfigError::new("MENTORSHIP_OIDC_ISSUER", "is required"))?;
        let audience = settings
            .oidc_audience
            .as_deref()
            .ok_or_else(|| ConfigError::new("MENTORSHIP_OIDC_AUDIENCE", "is required"))?;
        let algorithms = parse_algorithms(&settings.oidc_algorithms)?;
        let mut validation = Validation::new(algorithms[0]);
        validation.algorithms = algorithms.clone();
        validation.set_issuer(&[issuer.trim_end_matches('/'), issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = settings.oidc_leeway.as_secs();
        Ok(Self {
            keys,
            algorithms,
            validation,
            roles_claim: ClaimPath::parse(&settings.oidc_roles_claim),
            role_map: RoleMap::parse(&settings.oidc_role_map)?,
            verified: Arc::new(quick_cache::sync::Cache::new(VERIFIED_CAPACITY)),
            leeway: chrono::Duration::from_std(settings.oidc_leeway).unwrap_or_default(),
        })
    }

    /// The key cache (readiness, background refresh).
    pub fn keys(&self) -> &Arc<KeyCache> {
        &self.keys
    }

    /// Verifies `token` and returns the caller it proves.
    ///
    /// # Errors
    /// Any failed check; the reason is for the log only.
    pub async fn verify(&self, token: &str) -> Result<Principal, TokenError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::TooLarge);
        }
        let encoded_header = token.split('.').next().unwrap_or_default();
        if encoded_header.len() > MAX_HEADER_BYTES {
            return Err(TokenError::TooLarge);
        }
        // A client sends the same token for minutes, and an ES256 check costs more than
        // most requests: a token verified in the last minute, and not expired since, is
        // taken as verified. The key is the token's hash, so no token is kept in memory.
        let digest: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        let now = chrono::Utc::now();
        if let Some(seen) = self.verified.get(&digest)
            && now - seen.at < VERIFIED_FOR
            && now < seen.principal.expires_at + self.leeway
        {
            return Ok(seen.principal);
        }
        let principal = self.verify_fully(token).await?;
        self.verified.insert(
            digest,
            Verified {
                principal: principal.clone(),
                at: now,
            },
        );
        Ok(principal)
    }

    async fn verify_fully(&self, token: &str) -> Result<Principal, TokenError> {
        let header = decode_header(token).map_err(|e| TokenError::Malformed(e.to_string()))?;
        if !self.algorithms.contains(&header.alg) {
            return Err(TokenError::AlgorithmNotAllowed(header.alg));
        }
        if header.crit.is_some() {
            return Err(TokenError::CriticalHeader);
        }
        let key = self.keys.key_for(header.kid.as_deref(), header.alg).await?;
        let mut validation = self.validation.clone();
        validation.algorithms = vec![header.alg];
        let data = decode::<Value>(token, &key.key, &validation)?;
        self.principal(&data.claims)
    }

    fn principal(&self, claims: &Value) -> Result<Principal, TokenError> {
        let text = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let missing = |name: &str| TokenError::Malformed(format!("claim {name} missing"));
        let subject = text("sub").ok_or_else(|| missing("sub"))?;
        let issuer = text("iss").ok_or_else(|| missing("iss"))?;
        let exp = claims
            .get("exp")
            .and_then(Value::as_i64)
            .ok_or_else(|| missing("exp"))?;
        let roles = self.role_map.map(&self.roles_claim.values(claims));
        let scopes: BTreeSet<String> = match claims.get("scope").or_else(|| claims.get("scp")) {
            Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => BTreeSet::new(),
        };
        let kind = if roles.is_empty() {
            PrincipalKind::Machine {
                client_id: text("azp")
                    .or_else(|| text("client_id"))
                    .unwrap_or_else(|| subject.clone()),
            }
        } else {
            PrincipalKind::Person
        };
        Ok(Principal {
            issuer: issuer.trim_end_matches('/').to_owned(),
            subject,
            kind,
            roles,
            scopes,
            profile: TokenProfile {
                name: text("name").or_else(|| text("preferred_username")),
                // An address the issuer says it has not verified is not one to mail.
                email: text("email")
                    .filter(|_| claims.get("email_verified") != Some(&Value::Bool(false))),
                zoneinfo: text("zoneinfo"),
                locale: text("locale"),
            },
            expires_at: DateTime::<Utc>::from_timestamp(exp, 0).unwrap_or_default(),
        })
    }
}
