//! Known callers, remembered for a few seconds so that a signed-in person's request does not
//! start with a database round trip (`person(id)` went from two statements to one).
//!
//! Per instance and safe to lose: an entry only saves the lookup of a person's row. What
//! can go stale is the MENTOR role a mentor profile grants: this instance forgets every
//! entry when one of its own requests commits a profile change ([`CallerCache::forget_all`]),
//! and another instance's change is seen within [`FRESH_FOR`]. A change of the token's own
//! roles is never stale (the token's roles are part of the match).

use std::{
    collections::BTreeSet,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use quick_cache::sync::Cache;

use super::{PersonActor, Role};

/// How long an entry is trusted: the longest another instance's grant or retirement of a
/// mentor profile takes to show in this instance's answers.
pub const FRESH_FOR: Duration = Duration::from_secs(5);

/// How many callers are remembered (about 200 bytes each).
const CAPACITY: usize = 10_000;

#[derive(Clone)]
struct Entry {
    actor: PersonActor,
    token_roles: BTreeSet<Role>,
    /// Until when the person's `lastActiveAt` needs no update.
    active_until: DateTime<Utc>,
    fresh_until: Instant,
    generation: u64,
}

/// The callers resolved recently, keyed by (issuer, subject).
pub struct CallerCache {
    entries: Cache<(String, String), Entry>,
    generation: AtomicU64,
}

impl Default for CallerCache {
    fn default() -> Self {
        Self {
            entries: Cache::new(CAPACITY),
            generation: AtomicU64::new(0),
        }
    }
}

/// A lookup's ticket: what [`CallerCache::remember`] needs to know that no change was
/// committed between reading the database and storing the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

impl CallerCache {
    /// The remembered caller for (issuer, subject) holding exactly `token_roles`, if fresh and
    /// their activity needs no update at `now`; otherwise a ticket for [`Self::remember`].
    pub fn get(
        &self,
        issuer: &str,
        subject: &str,
        token_roles: &BTreeSet<Role>,
        now: DateTime<Utc>,
    ) -> Result<PersonActor, Ticket> {
        // Taken before the lookup, so a change committed during it invalidates the result.
        let generation = self.generation.load(Ordering::Acquire);
        let key = (issuer.to_owned(), subject.to_owned());
        match self.entries.get(&key) {
            Some(e)
                if e.generation == generation
                    && e.fresh_until > Instant::now()
                    && now < e.active_until
                    && &e.token_roles == token_roles =>
            {
                Ok(e.actor)
            }
            _ => Err(Ticket(generation)),
        }
    }

    /// Remembers a caller read from the database under `ticket`, unless a change was
    /// committed since; `active_until` is when their activity is next due to be written.
    pub fn remember(
        &self,
        ticket: Ticket,
        (issuer, subject): (&str, &str),
        token_roles: &BTreeSet<Role>,
        actor: &PersonActor,
        active_until: DateTime<Utc>,
    ) {
        if ticket.0 != self.generation.load(Ordering::Acquire) {
            return;
        }
        let entry = Entry {
            actor: actor.clone(),
            token_roles: token_roles.clone(),
            active_until,
            fresh_until: Instant::now() + FRESH_FOR,
            generation: ticket.0,
        };
        self.entries
            .insert((issuer.to_owned(), subject.to_owned()), entry);
    }

    /// Forgets every caller: called after a commit that may change someone's roles.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> PersonActor {
        PersonActor {
            id: uuid::Uuid::now_v7(),
            roles: BTreeSet::from([Role::Mentor]),
        }
    }

    #[test]
    fn a_commit_during_the_lookup_keeps_its_result_out() {
        let cache = CallerCache::default();
        let (roles, now) = (BTreeSet::new(), Utc::now());
        let later = now + chrono::Duration::hours(1);
        let ticket = cache.get("iss", "sub", &roles, now).unwrap_err();
        cache.forget_all();
        cache.remember(ticket, ("iss", "sub"), &roles, &actor(), later);
        assert!(cache.get("iss", "sub", &roles, now).is_err());

        let ticket = cache.get("iss", "sub", &roles, now).unwrap_err();
        let a = actor();
        cache.remember(ticket, ("iss", "sub"), &roles, &a, later);
        assert_eq!(cache.get("iss", "sub", &roles, now).map(|p| p.id), Ok(a.id));
        // Other token roles, or activity due, go back to the database.
        let council = BTreeSet::from([Role::Council]);
        assert!(cache.get("iss", "sub", &council, now).is_err());
        assert!(cache.get("iss", "sub", &roles, later).is_err());
        cache.forget_all();
        assert!(cache.get("iss", "sub", &roles, now).is_err());
    }
}
