//! Mentorships: who mentors whom, since when, and the full history.
//!
//! Rules owned here: only the council assigns, re-assigns and ends; a mentee has at most one
//! ACTIVE mentorship (checked here for a friendly CONFLICT, enforced by a partial unique
//! index under concurrency); assigning beyond a mentor's capacity, or to a mentor who is not
//! ACTIVE and accepting, is CAPACITY_EXCEEDED unless the council overrides it explicitly,
//! which is recorded; nobody mentors themself; ended mentorships never change; a
//! re-assignment ends the old and starts the new one in one transaction. Every change is
//! audited and notified in its transaction and announced as a domain event after commit.

pub mod assign;
pub mod due;
pub mod end;
pub mod graphql;
pub mod input;
pub mod loaders;
pub mod model;
pub mod notices;
pub mod query;
pub mod repo;
pub mod roster;
pub mod suggest;
