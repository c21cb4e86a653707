//! One typed settings tree: defaults → optional `mentorship.toml` → environment.
//!
//! Environment names are the field names in upper case with the `MENTORSHIP_` prefix
//! (`oidc_issuer` ← `MENTORSHIP_OIDC_ISSUER`), except `DATABASE_URL`. The TOML file uses the
//! field names as they are. Durations are human (`90s`, `7d`). [`Settings::validate_for_serve`]
//! refuses configurations that are unsafe in production, naming the setting.

use std::{net::SocketAddr, path::Path, time::Duration};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// All settings of one process.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// `DATABASE_URL`: `postgres://…` (recommended) or `sqlite://path?mode=rwc`.
    /// `dev` defaults to `sqlite://mentorship-dev.db?mode=rwc`; `serve` requires it.
    pub database_url: Option<Secret>,
    /// `MENTORSHIP_DATABASE_MAX_CONNECTIONS`: pool size per instance.
    pub database_max_connections: u32,
    /// `MENTORSHIP_LISTEN`: address and port to listen on (`dev`: loopback only).
    pub listen: SocketAddr,
    /// `MENTORSHIP_OIDC_ISSUER`: the issuer URL; discovery is read from
    /// `<issuer>/.well-known/openid-configuration`. Required by `serve`; `https` unless loopback.
    pub oidc_issuer: Option<String>,
    /// `MENTORSHIP_OIDC_AUDIENCE`: the `aud` this API accepts. Required by `serve`.
    pub oidc_audience: Option<String>,
    /// `MENTORSHIP_OIDC_ROLES_CLAIM`: a top-level claim name (`roles`,
    /// `https://example.org/roles`) or a JSON Pointer (`/realm_access/roles`).
    pub oidc_roles_claim: String,
    /// `MENTORSHIP_OIDC_ROLE_MAP`: `mentee=reps,mentor=reps-mentors,council=reps-council`;
    /// a role may be listed more than once. Empty: the role names themselves.
    pub oidc_role_map: String,
    /// `MENTORSHIP_OIDC_ALGORITHMS`: the signature algorithms accepted (asymmetric only).
    pub oidc_algorithms: String,
    /// `MENTORSHIP_OIDC_LEEWAY`: clock skew allowed on `exp` and `nbf`.
    #[serde(with = "human_duration")]
    pub oidc_leeway: Duration,
    /// `MENTORSHIP_OIDC_JWKS_REFRESH`: how often signing keys are re-read in the background.
    #[serde(with = "human_duration")]
    pub oidc_jwks_refresh: Duration,
    /// `MENTORSHIP_OIDC_JWKS_MIN_INTERVAL`: least time between two key fetches triggered by
    /// tokens with an unknown `kid` (so a flood of made-up kids is not a flood of fetches).
    #[serde(with = "human_duration")]
    pub oidc_jwks_min_interval: Duration,
    /// `MENTORSHIP_CORS_ORIGINS`: comma-separated origins allowed to call from a browser
    /// (`*` for any); empty: no cross-origin access.
    pub cors_origins: String,
    /// `MENTORSHIP_BODY_LIMIT`: largest request body accepted, in bytes.
    pub body_limit: usize,
    /// `MENTORSHIP_REQUEST_TIMEOUT`: a request still running after this gets 408.
    #[serde(with = "human_duration")]
    pub request_timeout: Duration,
    /// `MENTORSHIP_HEADER_READ_TIMEOUT`: a client has this long to send a request's headers.
    #[serde(with = "human_duration")]
    pub header_read_timeout: Duration,
    /// `MENTORSHIP_IDLE_TIMEOUT`: a connection that reads and writes nothing for this long is
    /// closed (keep it above `MENTORSHIP_REQUEST_TIMEOUT`).
    #[serde(with = "human_duration")]
    pub idle_timeout: Duration,
    /// `MENTORSHIP_CHECK_IN_INTERVAL`: a held check-in is due again after this.
    #[serde(with = "human_duration")]
    pub check_in_interval: Duration,
    /// `MENTORSHIP_FIRST_CHECK_IN_WITHIN`: the first check-in of a new mentorship is due
    /// within this.
    #[serde(with = "human_duration")]
    pub first_check_in_within: Duration,
    /// `MENTORSHIP_SUPPORT_SLA`: a request to a mentor unanswered this long goes to the
    /// council.
    #[serde(with = "human_duration")]
    pub support_sla: Duration,
    /// `MENTORSHIP_CHECK_IN_REMINDER_BEFORE`: mentor and mentee are reminded this long
    /// before a check-in is due (and once more when it is overdue).
    #[serde(with = "human_duration")]
    pub check_in_reminder_before: Duration,
    /// `MENTORSHIP_MENTOR_INACTIVITY`: a mentor with no activity this long is reported to the
    /// council.
    #[serde(with = "human_duration")]
    pub mentor_inactivity: Duration,
    /// `MENTORSHIP_RELAY_REMINDER_AFTER`: a mentor who has not relayed a relay-required
    /// announcement this long after it was published is reminded once.
    #[serde(with = "human_duration")]
    pub relay_reminder_after: Duration,
    /// `MENTORSHIP_MISSED_CALLS_ALERT`: a mentor who missed this many recorded mentor calls
    /// in a row raises an alert for the council.
    pub missed_calls_alert: u32,
    /// `MENTORSHIP_MENTOR_DEFAULT_CAPACITY`: the capacity (0–50) of the mentor profile a
    /// person gets on signing in with the mentor role and no profile.
    pub mentor_default_capacity: u8,
    /// `MENTORSHIP_JOBS_INTERVAL`: how often `serve` runs the periodic jobs.
    #[serde(with = "human_duration")]
    pub jobs_interval: Duration,
    /// `MENTORSHIP_IDEMPOTENCY_TTL`: how long the answer to a mutation sent with an
    /// `Idempotency-Key` is kept for its retries; the periodic jobs purge older ones.
    #[serde(with = "human_duration")]
    pub idempotency_ttl: Duration,
    /// `MENTORSHIP_REQUEST_CONNECTIONS`: within one request, at most this many root fields
    /// resolve at once and at most this many loader batches load at once, so one request
    /// never holds more than twice this many pool connections.
    pub request_connections: usize,
    /// `MENTORSHIP_RATE_LIMIT_PER_MINUTE`: requests per caller and minute, per instance (a
    /// burst of a sixth of it); 0 turns the limit off.
    pub rate_limit_per_minute: u32,
    /// `MENTORSHIP_COST_LIMIT_PER_MINUTE`: query cost per caller and minute, per instance;
    /// 0 turns the limit off.
    pub cost_limit_per_minute: u32,
    /// `MENTORSHIP_AUTH_FAILURES_PER_MINUTE`: failed authentications per client address and
    /// minute, per instance, before 401 becomes 429; 0 turns the limit off.
    pub auth_failures_per_minute: u32,
    /// `MENTORSHIP_WS_MAX_SUBSCRIPTIONS`: subscriptions running at once on one socket.
    pub ws_max_subscriptions: usize,
    /// `MENTORSHIP_WS_MAX_SOCKETS`: sockets one caller may have open, per instance.
    pub ws_max_sockets: usize,
    /// `MENTORSHIP_INTROSPECTION`: `on` or `off`; unset, `on` in `dev` and `off` in `serve`.
    /// Field suggestions in errors ("Did you mean …") follow it.
    pub introspection: Option<Switch>,
    /// `MENTORSHIP_PERSISTED_QUERIES`: `off` (documents only), `apq` (automatic persisted
    /// queries, registered by any signed-in client) or `only` (trusted documents: the
    /// manifest's operations and nothing else).
    pub persisted_queries: PersistedQueries,
    /// `MENTORSHIP_SMTP_URL`: the relay mails go through — `smtps://user:pass@host:465`
    /// (TLS), `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtp://host:25` (plain,
    /// for a relay on the same host). Unset: `serve` sends no mail, `dev` keeps mails at
    /// `/dev/mail`. Never logged.
    pub smtp_url: Option<Secret>,
    /// `MENTORSHIP_MAIL_FROM`: the sender of every mail (`Mentorship <mentorship@example.org>`);
    /// required with `MENTORSHIP_SMTP_URL`.
    pub mail_from: Option<String>,
    /// `MENTORSHIP_PUBLIC_URL`: where people reach the portal and this API
    /// (`https://mentorship.example.org`), the base of every link in a mail and of calendar
    /// feed URLs; required with `MENTORSHIP_SMTP_URL`. Unset: `http://` + the listen address.
    pub public_url: Option<String>,
    /// `MENTORSHIP_MAIL_POLL`: how often the mail worker looks for due mails (it also wakes
    /// as soon as a notification is committed).
    #[serde(with = "human_duration")]
    pub mail_poll: Duration,
    /// `MENTORSHIP_PERSISTED_QUERIES_MANIFEST`: an Apollo persisted-query manifest whose
    /// operations run by hash in `apq` and `only` mode (required for `only`).
    pub persisted_queries_manifest: Option<std::path::PathBuf>,
}

/// `MENTORSHIP_PERSISTED_QUERIES`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersistedQueries {
    /// Documents only; a hash is answered `PERSISTED_QUERY_NOT_SUPPORTED`.
    Off,
    /// Automatic persisted queries (Apollo's protocol), and the manifest's operations.
    #[default]
    Apq,
    /// Only the manifest's operations, by hash.
    Only,
}

/// A setting that is `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Switch {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: None,
            database_max_connections: 10,
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            oidc_issuer: None,
            oidc_audience: None,
            oidc_roles_claim: "roles".into(),
            oidc_role_map: String::new(),
            oidc_algorithms: "RS256,ES256".into(),
            oidc_leeway: Duration::from_secs(60),
            oidc_jwks_refresh: Duration::from_secs(3600),
            oidc_jwks_min_interval: Duration::from_secs(30),
            cors_origins: String::new(),
            body_limit: 256 * 1024,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(75),
            check_in_interval: Duration::from_secs(365 * 86_400),
            first_check_in_within: Duration::from_secs(30 * 86_400),
            support_sla: Duration::from_secs(7 * 86_400),
            check_in_reminder_before: Duration::from_secs(14 * 86_400),
            mentor_inactivity: Duration::from_secs(90 * 86_400),
            relay_reminder_after: Duration::from_secs(7 * 86_400),
            missed_calls_alert: 3,
            mentor_default_capacity: 3,
            jobs_interval: Duration::from_secs(300),
            idempotency_ttl: Duration::from_secs(86_400),
            introspection: None,
            persisted_queries: PersistedQueries::Apq,
            persisted_queries_manifest: None,
            smtp_url: None,
            mail_from: None,
            public_url: None,
            mail_poll: Duration::from_secs(15),
            request_connections: 2,
            rate_limit_per_minute: 600,
            cost_limit_per_minute: 200_000,
            auth_failures_per_minute: 30,
            ws_max_subscriptions: 20,
            ws_max_sockets: 10,
        }
    }
}

/// A setting that is missing or unsafe, with the name an operator would set.
#[derive(Debug, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The environment variable (or TOML key) to fix.
    pub setting: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl ConfigError {
    pub(crate) fn new(setting: &'static str, problem: impl Into<String>) -> Self {
        Self {
            setting,
            problem: problem.into(),
        }
    }
}

impl Settings {
    /// Defaults, then `file` (if it exists), then the environment.
    ///
    /// # Errors
    /// A value of the wrong type or form, named by figment.
    pub fn load(file: &Path) -> Result<Self, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .merge(Env::prefixed("MENTORSHIP_"))
            .extract()
            .map_err(Box::new)
    }

    /// Refuses what production must not run with: no issuer or audience, a plain-`http`
    /// issuer off loopback, a symmetric or unknown algorithm, no database.
    ///
    /// # Errors
    /// The first unsafe setting, by name.
    pub fn validate_for_serve(&self) -> Result<(), ConfigError> {
        let issuer = self
            .oidc_issuer
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| ConfigError::new("MENTORSHIP_OIDC_ISSUER", "is required"))?;
        check_issuer_url(issuer)?;
        if self
            .oidc_audience
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
        {
            return Err(ConfigError::new("MENTORSHIP_OIDC_AUDIENCE", "is required"));
        }
        if self.database_url.is_none() {
            return Err(ConfigError::new("DATABASE_URL", "is required"));
        }
        if self.mentor_default_capacity > 50 {
            return Err(ConfigError::new(
                "MENTORSHIP_MENTOR_DEFAULT_CAPACITY",
                "must be 0 to 50",
            ));
        }
        self.validate_mail()?;
        // The algorithm list and the role map are checked by `auth::verifier::check_settings`,
        // which owns their syntax (and keeps this module a leaf).
        Ok(())
    }
}

impl Settings {
    /// The base of links in mails and feeds, without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.listen),
        }
    }

    /// With a relay, a sender and a public URL are needed, and the URL must be one.
    ///
    /// # Errors
    /// The setting to fix.
    pub fn validate_mail(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.public_url {
            let parsed = url::Url::parse(url).map_err(|e| {
                ConfigError::new("MENTORSHIP_PUBLIC_URL", format!("not a URL: {e}"))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(ConfigError::new(
                    "MENTORSHIP_PUBLIC_URL",
                    "must be http or https",
                ));
            }
        }
        if self.smtp_url.is_none() {
            return Ok(());
        }
        if self
            .mail_from
            .as_deref()
            .is_none_or(|f| f.trim().is_empty())
        {
            return Err(ConfigError::new(
                "MENTORSHIP_MAIL_FROM",
                "is required with MENTORSHIP_SMTP_URL",
            ));
        }
        if self.public_url.is_none() {
            return Err(ConfigError::new(
                "MENTORSHIP_PUBLIC_URL",
                "is required with MENTORSHIP_SMTP_URL (the links in mails)",
            ));
        }
        Ok(())
    }
}

/// `https`, or `http` on a loopback host only (a local test issuer).
fn check_issuer_url(issuer: &str) -> Result<(), ConfigError> {
    let url = url::Url::parse(issuer)
        .map_err(|e| ConfigError::new("MENTORSHIP_OIDC_ISSUER", format!("not a URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(ConfigError::new(
            "MENTORSHIP_OIDC_ISSUER",
            "plain http is only allowed on loopback; use https",
        )),
        other => Err(ConfigError::new(
            "MENTORSHIP_OIDC_ISSUER",
            format!("unsupported scheme {other:?}"),
        )),
    }
}

/// Serde for durations written as `90s`, `15m`, `7d` (or a bare number of seconds).
pub mod human_duration {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    /// Writes the human form.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&humantime::format_duration(*d).to_string())
    }

    /// Reads the human form or whole seconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Seconds(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Seconds(s) => Ok(Duration::from_secs(s)),
            Raw::Text(t) => humantime::parse_duration(t.trim()).map_err(|e| {
                D::Error::custom(format!("{t:?} is not a duration like 90s or 7d ({e})"))
            }),
        }
    }
}

#[cfg(test)]
mod tests;
