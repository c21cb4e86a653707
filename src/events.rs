//! Live hints: after a commit, the subscriptions of this instance (and, through
//! `pg_notify`, of every instance: `crate::live`) are told what may have changed, and reload
//! it. What a change tells *people* is a notification, written in the change's own
//! transaction (`notifications::notify`), so nothing needs an in-process event to be told.

use tokio::sync::broadcast;
use uuid::Uuid;

/// A hint to live subscriptions that something they watch may have changed. It carries ids
/// only: subscribers reload from the database and re-check visibility, so a hint may be
/// duplicated, early or spurious without harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveEvent {
    /// A person's inbox may have new notifications.
    Inbox(Uuid),
    /// A support request may have changed.
    SupportRequest(Uuid),
    /// Anything may have changed (after a mutation, a job run, a listener reconnect).
    Any,
}

impl LiveEvent {
    /// The `pg_notify` payload of this hint.
    pub fn payload(self) -> String {
        match self {
            Self::Inbox(id) => format!("inbox:{id}"),
            Self::SupportRequest(id) => format!("request:{id}"),
            Self::Any => "any".into(),
        }
    }

    /// Reads a `pg_notify` payload; anything unknown wakes everyone.
    pub fn from_payload(payload: &str) -> Self {
        let parse = |id: &str| Uuid::parse_str(id).ok();
        match payload.split_once(':') {
            Some(("inbox", id)) => parse(id).map_or(Self::Any, Self::Inbox),
            Some(("request", id)) => parse(id).map_or(Self::Any, Self::SupportRequest),
            _ => Self::Any,
        }
    }
}

/// The PostgreSQL channel that carries [`LiveEvent`]s between instances.
pub const LIVE_CHANNEL: &str = "mentorship_live";

/// The in-process bus of live hints. Bounded: a subscriber that falls behind loses the
/// oldest hints and is told so by the channel (it must resynchronise from the database).
#[derive(Clone)]
pub struct EventBus {
    live: broadcast::Sender<LiveEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            live: broadcast::channel(4096).0,
        }
    }
}

impl EventBus {
    /// Wakes live subscriptions of this instance.
    pub fn wake(&self, event: LiveEvent) {
        self.live.send(event).ok();
    }

    /// How many live subscriptions of this instance are listening (a subscription is set up
    /// once it listens: what readiness probes and tests wait for).
    pub fn listeners(&self) -> usize {
        self.live.receiver_count()
    }

    /// Receives live hints from now on.
    pub fn live(&self) -> broadcast::Receiver<LiveEvent> {
        self.live.subscribe()
    }
}
