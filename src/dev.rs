//! `dev` mode: settings for a laptop, and the banner with ready-to-paste tokens.

use std::path::{Path, PathBuf};

use crate::{
    auth::dev_issuer::{DevIssuer, TokenRequest},
    config::{ConfigError, Settings},
    demo,
    secret::Secret,
};

/// Adjusts `settings` for `dev`: the SQLite file at `db`, loopback only, any CORS origin.
/// With `fresh`, deletes the database and the issuer key first. Returns the key's path.
///
/// # Errors
/// A non-loopback listen address, or files that cannot be deleted.
pub fn prepare(settings: &mut Settings, db: &Path, fresh: bool) -> Result<PathBuf, ConfigError> {
    if !settings.listen.ip().is_loopback() {
        return Err(ConfigError::new(
            "MENTORSHIP_LISTEN",
            "dev listens on loopback only",
        ));
    }
    let key = PathBuf::from(format!("{}.issuer-key.pem", db.display()));
    if fresh {
        for suffix in ["", "-wal", "-shm"] {
            remove_if_exists(&PathBuf::from(format!("{}{suffix}", db.display())))?;
        }
        remove_if_exists(&key)?;
    }
    if settings.database_url.is_none() {
        settings.database_url = Some(Secret::new(format!("sqlite://{}?mode=rwc", db.display())));
    }
    if settings.cors_origins.is_empty() {
        settings.cors_origins = "*".into();
    }
    Ok(key)
}

fn remove_if_exists(path: &Path) -> Result<(), ConfigError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ConfigError::new(
            "--fresh",
            format!("cannot delete {}: {e}", path.display()),
        )),
        _ => Ok(()),
    }
}

/// The text `dev` prints once it listens: URLs, tokens for each kind of caller, a curl line.
pub fn banner(issuer: &DevIssuer, base: &str) -> String {
    let mint = |role: &str, subject: String| {
        issuer
            .mint(&TokenRequest {
                role: Some(role.into()),
                subject: Some(subject),
                ..TokenRequest::default()
            })
            .unwrap_or_else(|e| format!("<could not sign: {e}>"))
    };
    let mentee = mint("mentee", demo::subject("mentee", 1));
    let lines = [
        format!("mentorship-api dev is up at {base}"),
        format!(
            "  GraphiQL:   {base}/graphql   (in a browser; signed in as the demo council member)"
        ),
        format!(
            "  WebSocket:  {}/graphql/ws   (graphql-transport-ws)",
            base.replacen("http", "ws", 1)
        ),
        format!("  Swagger UI: {base}/swagger-ui/"),
        format!("  OpenAPI:    {base}/openapi.json"),
        format!("  Mail:       {base}/dev/mail   (what would have been e-mailed, newest first)"),
        "Demo people (sign in as any with POST /dev/oidc/token):".into(),
    ];
    let who = demo::WHO_IS_WHO.iter().map(|(kind, n, role, try_it)| {
        format!(
            "  {:<16} {:<13} {:<22} {try_it}",
            demo::subject(kind, *n),
            demo::name(kind, *n),
            role
        )
    });
    let lines = lines.into_iter().chain(who).chain([
        "Bearer tokens (valid 12 h):".into(),
        format!("  mentee  ({}): {mentee}", demo::subject("mentee", 1)),
        format!(
            "  mentor  ({}): {}",
            demo::subject("mentor", 1),
            mint("mentor", demo::subject("mentor", 1))
        ),
        format!(
            "  council ({}): {}",
            demo::subject("council", 1),
            mint("council", demo::subject("council", 1))
        ),
        format!(
            "  machine (council-script, metrics:read): {}",
            mint("machine", "council-script".into())
        ),
        "Mint more: curl -s -X POST -H 'content-type: application/json' \\".into(),
        format!(
            "  -d '{{\"role\":\"mentor\",\"subject\":\"demo-mentor-02\"}}' {base}/dev/oidc/token"
        ),
        "Try it:".into(),
        format!(
            "  curl -s {base}/graphql -H 'content-type: application/json' -H 'authorization: Bearer {mentee}' -d '{{\"query\":\"{{ me {{ id displayName roles }} }}\"}}'"
        ),
    ]);
    lines.collect::<Vec<_>>().join("\n")
}
