//! Time, injectable: services ask the clock, so tests can move it (due dates, escalations).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// The source of "now" for every rule that depends on time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant, UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    /// Microsecond precision: what PostgreSQL stores, so a value reads back equal on both
    /// databases.
    fn now(&self) -> DateTime<Utc> {
        let now = Utc::now();
        now.trunc_subsecs(6)
    }
}

/// Real time shifted by an offset that tests (and `jobs run-once --now`) move at will.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<Mutex<Duration>>);

impl ManualClock {
    /// A clock showing real time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut offset) = self.0.lock() {
            *offset += by;
        }
    }

    /// Makes the clock show `at` now (and run on from there).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut offset) = self.0.lock() {
            *offset = at - Utc::now();
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = self
            .0
            .lock()
            .map(|o| *o)
            .unwrap_or_else(|e| *e.into_inner());
        (Utc::now() + offset).trunc_subsecs(6)
    }
}

/// Whether `at` is in the future but no more than a year away: the horizon of everything
/// planned (a meeting, a mentor call, the end of a break).
pub fn within_next_year(now: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    at > now && at <= now + Duration::days(365)
}
