//! The mentor role guide: versioned text that says what mentors do and what they don't.
//!
//! Rules owned here: only the council publishes; each publication is the next version
//! (the version is the primary key, so two concurrent publications cannot both take it) and
//! asks every mentor again; a mentor acknowledges the current version only; the council sees
//! who has and who hasn't acknowledged it.

pub mod graphql;
pub mod model;
pub mod repo;
pub mod service;
