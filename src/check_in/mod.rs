//! Touch-base meetings (check-ins) between a mentor and a mentee.
//!
//! Rules owned here: only the mentor or the mentee of an ACTIVE mentorship schedule, record
//! or cancel its meetings; a meeting is scheduled within the next year and recorded as held
//! no later than now and not before the mentorship started; only a PLANNED meeting can be
//! held or cancelled; plans, support needs and notes are visible to the two participants
//! only — `null` for the council and for any later mentor.

pub mod graphql;
pub mod model;
pub mod reminders;
pub mod repo;
pub mod service;
