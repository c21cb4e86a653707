//! Who may read the figures and the window they describe: the program at `asOf`, and
//! events in a bounded period before it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::Value;

use crate::{
    auth::policy,
    error::{AppError, AppResult},
    request::RequestCtx,
};

/// Longest period accepted: a bound on the work of one request.
const MAX_PERIOD_DAYS: i64 = 3 * 366;
/// The period when the caller names none: the 30 days up to `asOf`.
const DEFAULT_PERIOD_DAYS: i64 = 30;

/// How a transport spells the window's inputs, so its errors name the caller's own field.
#[derive(Clone, Copy, Debug)]
pub struct WindowFields {
    pub as_of: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    /// The period as a whole (too long).
    pub period: &'static str,
}

impl WindowFields {
    /// `programMetrics(asOf, period: {from, to})`.
    pub const GRAPHQL: Self = Self {
        as_of: "asOf",
        from: "period.from",
        to: "period.to",
        period: "period",
    };
    /// `?asOf=&from=&to=`.
    pub const QUERY_STRING: Self = Self {
        as_of: "asOf",
        from: "from",
        to: "to",
        period: "from",
    };
}

/// What the figures describe: the program at `as_of`, and events in `[from, to)`.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub as_of: DateTime<Utc>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Window {
    /// Checks the caller and the requested window; `now` is the default `asOf`.
    ///
    /// # Errors
    /// FORBIDDEN unless council or a machine client with `metrics:read`; BAD_USER_INPUT for
    /// an `asOf` in the future, a period out of order, after `asOf` or longer than three
    /// years.
    pub fn authorize(
        rc: &RequestCtx,
        now: DateTime<Utc>,
        as_of: Option<DateTime<Utc>>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        fields: WindowFields,
    ) -> AppResult<Self> {
        policy::require_metrics_reader(&rc.actor)?;
        let as_of = as_of.unwrap_or(now);
        if as_of > now {
            return Err(AppError::bad_input(
                fields.as_of,
                "must not be in the future",
            ));
        }
        let to = to.unwrap_or(as_of);
        let from = from.unwrap_or(to - Duration::days(DEFAULT_PERIOD_DAYS));
        if from >= to {
            return Err(AppError::bad_input(
                fields.from,
                "must be before the end of the period",
            ));
        }
        if to > as_of {
            return Err(AppError::bad_input(fields.to, "must not be after asOf"));
        }
        if to - from > Duration::days(MAX_PERIOD_DAYS) {
            return Err(AppError::bad_input(fields.period, "at most three years"));
        }
        Ok(Self { as_of, from, to })
    }

    /// `$1` = asOf, `$2` = from, `$3` = to, then `extra` from `$4` on.
    pub(super) fn values(&self, extra: &[DateTime<Utc>]) -> Vec<Value> {
        [self.as_of, self.from, self.to]
            .iter()
            .chain(extra)
            .map(|t| Value::from(*t))
            .collect()
    }
}
