//! Domain events: what changed, announced after commit from the one service that changed it.
//! Notifications and live updates subscribe here instead of touching the services.

use tokio::sync::broadcast;
use uuid::Uuid;

use crate::mentorship::model::MentorshipEndReason;

/// Something that happened in the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DomainEvent {
    /// A mentee got a mentor.
    MentorshipStarted {
        mentorship_id: Uuid,
        mentor_id: Uuid,
        mentee_id: Uuid,
    },
    /// A mentorship ended (not by re-assignment).
    MentorshipEnded {
        mentorship_id: Uuid,
        mentor_id: Uuid,
        mentee_id: Uuid,
        reason: MentorshipEndReason,
    },
    /// A mentee moved from one mentor to another.
    MentorReassigned {
        mentee_id: Uuid,
        ended_mentorship_id: Uuid,
        started_mentorship_id: Uuid,
        old_mentor_id: Uuid,
        new_mentor_id: Uuid,
    },
}

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

/// The in-process bus. Bounded: a subscriber that falls behind loses the oldest events and
/// is told so by the channel (it must resynchronise from the database).
#[derive(Clone)]
pub struct EventBus {
    domain: broadcast::Sender<DomainEvent>,
    live: broadcast::Sender<LiveEvent>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            domain: broadcast::channel(1024).0,
            live: broadcast::channel(4096).0,
        }
    }
}

impl EventBus {
    /// Announces a committed change; having no subscriber is fine.
    pub fn publish(&self, event: DomainEvent) {
        tracing::debug!(?event, "domain event");
        self.domain.send(event).ok();
    }

    /// Receives every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<DomainEvent> {
        self.domain.subscribe()
    }

    /// Wakes live subscriptions of this instance.
    pub fn wake(&self, event: LiveEvent) {
        self.live.send(event).ok();
    }

    /// Receives live hints from now on.
    pub fn live(&self) -> broadcast::Receiver<LiveEvent> {
        self.live.subscribe()
    }
}
