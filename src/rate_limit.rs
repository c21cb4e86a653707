//! Rate limits per caller, per instance (token buckets from `governor`): requests per minute
//! and query cost per minute for each person or machine client, and failed authentications
//! per client address. One caller's burst never limits another. The buckets live in this
//! process: with N instances behind a balancer a caller gets up to N times the budget, which
//! is fine for abuse control and said so in the README.

use std::{
    net::IpAddr,
    num::NonZeroU32,
    time::{Duration, Instant},
};

use governor::{
    DefaultKeyedRateLimiter, Quota,
    clock::{Clock, DefaultClock},
};

use crate::{
    auth::{Principal, PrincipalKind},
    config::Settings,
    error::AppError,
};

/// The instance's buckets.
pub struct RateLimits {
    requests: Option<DefaultKeyedRateLimiter<String>>,
    cost: Option<DefaultKeyedRateLimiter<String>>,
    auth_failures: Option<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

/// Refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl axum::response::IntoResponse for RetryAfter {
    /// 429 with `Retry-After`, in the GraphQL error shape.
    fn into_response(self) -> axum::response::Response {
        let seconds = self.seconds();
        let err = AppError::RateLimited(format!("too many requests; retry after {seconds} s"));
        err.log();
        let body = serde_json::json!({
            "data": null,
            "errors": [{
                "message": err.message(),
                "extensions": { "code": err.code(), "retryable": true, "retryAfter": seconds },
            }],
        });
        let mut response =
            (axum::http::StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
        response
    }
}

impl RetryAfter {
    /// Whole seconds, at least one (for `Retry-After` and `extensions.retryAfter`).
    pub fn seconds(self) -> u64 {
        self.0.as_secs_f64().ceil().max(1.0) as u64
    }
}

impl RateLimits {
    /// Buckets for `settings` (a limit of 0 is off).
    pub fn new(settings: &Settings) -> Self {
        // A minute's requests may come in a burst of ten seconds' worth; a minute's cost
        // budget all at once (else the costliest query could never run).
        let requests = NonZeroU32::new(settings.rate_limit_per_minute).map(|n| {
            let burst = NonZeroU32::new(n.get() / 6).unwrap_or(NonZeroU32::MIN);
            DefaultKeyedRateLimiter::keyed(Quota::per_minute(n).allow_burst(burst))
        });
        let cost = NonZeroU32::new(settings.cost_limit_per_minute)
            .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)));
        let auth_failures = NonZeroU32::new(settings.auth_failures_per_minute)
            .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)));
        Self {
            requests,
            cost,
            auth_failures,
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request of `caller`.
    ///
    /// # Errors
    /// The caller's request budget is spent.
    pub fn request(&self, caller: &Principal) -> Result<(), RetryAfter> {
        let Some(limiter) = &self.requests else {
            return Ok(());
        };
        limiter
            .check_key(&key(caller))
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(self.clock.now())))
    }

    /// Spends `cost` of `caller`'s cost budget (a cost of 0 spends nothing).
    ///
    /// # Errors
    /// Not enough budget left.
    pub fn cost(&self, caller: &Principal, cost: u64) -> Result<(), RetryAfter> {
        let (Some(limiter), Some(n)) = (
            &self.cost,
            NonZeroU32::new(u32::try_from(cost).unwrap_or(u32::MAX)),
        ) else {
            return Ok(());
        };
        match limiter.check_key_n(&key(caller), n) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(RetryAfter(not_until.wait_time_from(self.clock.now()))),
            // More than a whole minute's budget: never, so "a minute".
            Err(_) => Err(RetryAfter(Duration::from_secs(60))),
        }
    }

    /// Counts a failed authentication from `address`.
    ///
    /// # Errors
    /// The address has failed too often: answer 429 instead of 401.
    pub fn auth_failure(&self, address: IpAddr) -> Result<(), RetryAfter> {
        let Some(limiter) = &self.auth_failures else {
            return Ok(());
        };
        limiter
            .check_key(&address)
            .map_err(|not_until| RetryAfter(not_until.wait_time_from(self.clock.now())))
    }

    /// Forgets callers whose buckets are full again, so the maps stay as small as the set of
    /// recent callers (run by the periodic jobs).
    pub fn forget_idle(&self) {
        let started = Instant::now();
        for limiter in [&self.requests, &self.cost].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Some(limiter) = &self.auth_failures {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        tracing::debug!(elapsed = ?started.elapsed(), "rate limit buckets pruned");
    }
}

/// One bucket per person (issuer and subject) or machine client.
fn key(caller: &Principal) -> String {
    match &caller.kind {
        PrincipalKind::Person => format!("p\u{0}{}\u{0}{}", caller.issuer, caller.subject),
        PrincipalKind::Machine { client_id } => format!("m\u{0}{}\u{0}{client_id}", caller.issuer),
    }
}

/// Open WebSocket sockets per caller, per instance.
pub struct SocketSlots {
    max: usize,
    open: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

/// One open socket; dropping it frees the slot (and forgets a caller with none left).
pub struct SocketSlot {
    key: String,
    open: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, usize>>>,
}

impl SocketSlots {
    /// At most `max` sockets per caller.
    pub fn new(max: usize) -> Self {
        Self {
            max,
            open: std::sync::Arc::default(),
        }
    }

    /// Sockets open on this instance, all callers together.
    pub fn open_sockets(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .sum()
    }

    /// A slot for one more socket of `caller`, if they have fewer than the maximum.
    pub fn open(&self, caller: &Principal) -> Option<SocketSlot> {
        let key = key(caller);
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(key.clone()).or_default();
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(SocketSlot {
            key,
            open: self.open.clone(),
        })
    }
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}
