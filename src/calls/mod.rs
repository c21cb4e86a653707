//! Mentor calls: the council schedules calls with every mentor, mentors RSVP, and after the
//! call the council records attendance, minutes, action items and the announcements mentors
//! must relay.
//!
//! Rules owned here: invitations are fixed when the call is scheduled; a call is recorded
//! once, after it took place; a mentor who missed `MENTORSHIP_MISSED_CALLS_ALERT` recorded
//! calls in a row raises one MISSED_CALLS alert for the council (exactly when the streak
//! reaches the count).

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod query;
pub mod record;
pub mod repo;
pub mod rsvp;
pub mod schedule;
