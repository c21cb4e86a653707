//! Council points of contact: which council member handles mentorship administration,
//! onboarding and communications — set by the council, visible to everyone, and used to
//! decide whom the council-side notifications reach.
//!
//! Rules owned here: only a council member can be a point of contact; with no contact set
//! for an area, every council member is responsible for it.

pub mod graphql;
pub mod repo;
pub mod service;

pub use service::{ContactArea, contact, contact_candidate, responsible};
