//! Announcements: the council publishes to mentors or to all reps (optionally one country or
//! language); recipients acknowledge; for a relay-required announcement every mentor passes it
//! on to their mentees and records it, and the council sees its reach.
//!
//! Rules owned here: the audience is fixed at publication; a rep is REACHED once they
//! acknowledged it or their mentor relayed it to them, NOT_REACHABLE when it needs relaying,
//! they have no mentor and it is not in their own inbox, PENDING otherwise; a mentor relays only to their current mentees;
//! a mentor who has relayed nothing after `MENTORSHIP_RELAY_REMINDER_AFTER` is reminded once.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod publish;
pub mod query;
pub mod reach;
pub mod relay;
pub mod reminders;
pub mod repo;
