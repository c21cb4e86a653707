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

/// The in-process bus. Bounded: a subscriber that falls behind loses the oldest events and
/// is told so by the channel (it must resynchronise from the database).
#[derive(Clone)]
pub struct EventBus(broadcast::Sender<DomainEvent>);

impl Default for EventBus {
    fn default() -> Self {
        Self(broadcast::channel(1024).0)
    }
}

impl EventBus {
    /// Announces a committed change; having no subscriber is fine.
    pub fn publish(&self, event: DomainEvent) {
        tracing::debug!(?event, "domain event");
        self.0.send(event).ok();
    }

    /// Receives every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<DomainEvent> {
        self.0.subscribe()
    }
}
