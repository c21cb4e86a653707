//! Mentors: the mentor profile of a person, its capacity and availability, and the directory.
//!
//! Rules owned here: only the council grants the mentor role; a mentor edits their own
//! capacity (0–50), availability, bio and expertise, the council also their status;
//! `acceptingMentees` is computed from the database (status ACTIVE, the mentor's own flag, and
//! a free slot), never stored as a separate truth.

pub mod graphql;
pub mod model;
pub mod repo;
pub mod service;
