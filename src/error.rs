//! The one error type of the service and its mapping to GraphQL and HTTP.
//!
//! Every variant is a stable `extensions.code` from PRODUCT.md. `Internal` keeps its cause
//! chain for the log and shows clients only "internal error".
//!
//! `AppError` deliberately does not implement `Display`: async-graphql converts any
//! `Display` type into an error without extensions, and we want `?` in a resolver to go
//! through [`From<AppError>`] below, which sets the code, every time.

/// Result of every service operation.
pub type AppResult<T> = Result<T, AppError>;

/// What can go wrong, from the client's point of view.
#[derive(Debug)]
pub enum AppError {
    /// No valid access token.
    Unauthenticated(String),
    /// Authenticated, but this operation is not for the caller.
    Forbidden(String),
    /// Unknown, or invisible to the caller (never reveal which).
    NotFound(String),
    /// Input that breaks a rule; `field` names the input field when there is one.
    BadUserInput {
        /// The offending input field, in the client's spelling (`input.displayName`).
        field: Option<String>,
        /// What is wrong, for a human.
        message: String,
    },
    /// The change collides with the current state (a concurrent or earlier change).
    Conflict(String),
    /// A mentor has no free capacity left and no override was given.
    CapacityExceeded(String),
    /// Too many requests from this caller.
    RateLimited(String),
    /// The change lost a race with a concurrent one the database caught (a deadlock, a
    /// serialization failure, a unique index): CONFLICT, and the same request may succeed if
    /// sent again (`extensions.retryable: true`).
    Contended(anyhow_free::Cause),
    /// The database cannot be reached or is too busy to answer in time: HTTP 503 with
    /// `Retry-After`; the cause goes to the log.
    Unavailable(anyhow_free::Cause),
    /// A fault of ours; the cause goes to the log, never to the client.
    Internal(anyhow_free::Cause),
}

/// Every code a client can see, in the order of PRODUCT.md (`UNAVAILABLE` added after it).
pub const ERROR_CODES: [&str; 9] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "CAPACITY_EXCEEDED",
    "RATE_LIMITED",
    "INTERNAL",
    "UNAVAILABLE",
];

/// Seconds a client is told to wait when the database is unavailable.
pub const UNAVAILABLE_RETRY_AFTER: u64 = 2;

impl AppError {
    /// The stable code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) | Self::Contended(_) => "CONFLICT",
            Self::CapacityExceeded(_) => "CAPACITY_EXCEEDED",
            Self::RateLimited(_) => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
            Self::Unavailable(_) => "UNAVAILABLE",
        }
    }

    /// The HTTP status of an answer that is only this error (REST, and refusals before a
    /// GraphQL operation runs).
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self.code() {
            "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
            "FORBIDDEN" => StatusCode::FORBIDDEN,
            "NOT_FOUND" => StatusCode::NOT_FOUND,
            "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
            "CONFLICT" | "CAPACITY_EXCEEDED" => StatusCode::CONFLICT,
            "RATE_LIMITED" => StatusCode::TOO_MANY_REQUESTS,
            "UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a client sees: the human explanation, or "internal error" for faults.
    pub fn message(&self) -> &str {
        match self {
            Self::Unauthenticated(m)
            | Self::Forbidden(m)
            | Self::NotFound(m)
            | Self::Conflict(m)
            | Self::CapacityExceeded(m)
            | Self::RateLimited(m)
            | Self::BadUserInput { message: m, .. } => m,
            Self::Contended(_) => "a concurrent change got there first; send the request again",
            Self::Unavailable(_) => "the database is unavailable; retry shortly",
            Self::Internal(_) => "internal error",
        }
    }

    /// A bad value in one input field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A fault of ours, with its cause kept for the log.
    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(anyhow_free::Cause(Box::new(cause)))
    }

    /// Logs the error once, at the boundary: faults at error level with their cause chain,
    /// client errors at debug.
    pub fn log(&self) {
        match self {
            Self::Internal(cause) => tracing::error!(error = %cause.chain(), "internal error"),
            Self::Unavailable(cause) => {
                tracing::warn!(error = %cause.chain(), "database unavailable")
            }
            Self::Contended(cause) => tracing::info!(error = %cause.chain(), "lost a race"),
            other => tracing::debug!(code = other.code(), message = other.message(), "refused"),
        }
    }
}

/// A database fault, by what the client can do about it: wait (the database is unreachable,
/// the pool exhausted, SQLite busy), send again (a deadlock, a serialization failure, a
/// unique index hit by a concurrent insert), or nothing (ours).
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        use sea_orm::{DbErr, RuntimeErr, sqlx::Error};
        let sqlx = match &err {
            DbErr::ConnectionAcquire(_) => return Self::unavailable(err),
            DbErr::Conn(RuntimeErr::SqlxError(e))
            | DbErr::Exec(RuntimeErr::SqlxError(e))
            | DbErr::Query(RuntimeErr::SqlxError(e)) => e.clone(),
            _ => return Self::internal(err),
        };
        match sqlx.as_ref() {
            Error::PoolTimedOut | Error::PoolClosed | Error::Io(_) | Error::Tls(_) => {
                Self::unavailable(err)
            }
            Error::Database(db) => match db.code().as_deref() {
                // PostgreSQL: serialization failure, deadlock, unique violation, a lock not
                // granted within `lock_timeout`.
                Some("40001" | "40P01" | "23505" | "55P03") => Self::Contended(cause(err)),
                // SQLite: UNIQUE, PRIMARY KEY.
                Some("2067" | "1555") => Self::Contended(cause(err)),
                // PostgreSQL: connection exceptions, shutting down, starting up.
                Some(c) if c.starts_with("08") || c.starts_with("57P") => Self::unavailable(err),
                // SQLite: busy or locked past the busy timeout.
                Some("5" | "6" | "517" | "261") => Self::unavailable(err),
                _ => Self::internal(err),
            },
            _ => Self::internal(err),
        }
    }
}

impl AppError {
    fn unavailable(err: sea_orm::DbErr) -> Self {
        Self::Unavailable(cause(err))
    }
}

fn cause(err: impl std::error::Error + Send + Sync + 'static) -> anyhow_free::Cause {
    anyhow_free::Cause(Box::new(err))
}

use async_graphql::ErrorExtensions;

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        err.log();
        async_graphql::Error::new(err.message()).extend_with(|_, ext| {
            ext.set("code", err.code());
            match &err {
                AppError::BadUserInput {
                    field: Some(field), ..
                } => ext.set("field", field.as_str()),
                AppError::Contended(_) | AppError::RateLimited(_) => ext.set("retryable", true),
                AppError::Unavailable(_) => {
                    ext.set("retryable", true);
                    ext.set("retryAfter", UNAVAILABLE_RETRY_AFTER);
                }
                _ => {}
            }
        })
    }
}

/// A boxed cause that renders its whole `source()` chain, without pulling in `anyhow`.
pub mod anyhow_free {
    use std::fmt;

    /// The underlying fault of an [`super::AppError::Internal`].
    #[derive(Debug)]
    pub struct Cause(pub Box<dyn std::error::Error + Send + Sync>);

    impl Cause {
        /// "outer: inner: innermost", for one log line.
        pub fn chain(&self) -> String {
            let mut out = self.0.to_string();
            let mut next = self.0.source();
            while let Some(err) = next {
                out.push_str(": ");
                out.push_str(&err.to_string());
                next = err.source();
            }
            out
        }
    }

    impl fmt::Display for Cause {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt(f)
        }
    }

    impl std::error::Error for Cause {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.0.source()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_and_mapped() {
        let readme = include_str!("../README.md");
        let errors = &readme[readme.find("## Errors").unwrap_or(0)..];
        for code in ERROR_CODES {
            assert!(
                errors.contains(&format!("`{code}`")),
                "{code} is not in the README"
            );
        }
        let variants = [
            AppError::Unauthenticated(String::new()),
            AppError::Forbidden(String::new()),
            AppError::NotFound(String::new()),
            AppError::bad_input("f", "m"),
            AppError::Conflict(String::new()),
            AppError::CapacityExceeded(String::new()),
            AppError::RateLimited(String::new()),
            AppError::internal(std::io::Error::other("disk on fire")),
            AppError::Unavailable(cause(std::io::Error::other("down"))),
        ];
        let codes: Vec<&str> = variants.iter().map(AppError::code).collect();
        assert_eq!(codes, ERROR_CODES);
    }

    #[test]
    fn internal_errors_show_nothing_of_their_cause() {
        let err = AppError::internal(std::io::Error::other("password=hunter2"));
        let gql: async_graphql::Error = err.into();
        assert_eq!(gql.message, "internal error");
        assert!(!format!("{:?}", gql.extensions).contains("hunter2"));
    }
}
