//! Onboarding new mentors: applications, their checklist, and rounds (cohorts).
//!
//! Rules owned here: one open application per rep (a partial unique index); the status moves
//! APPLIED → IN_REVIEW → ONBOARDING → COMPLETED, or to DECLINED (council) / WITHDRAWN
//! (applicant) from any open status, and every other move is a CONFLICT; the checklist is
//! copied from the council's defaults when the rep applies, its role-guide step ticks itself
//! when the applicant acknowledges the current guide, and completion needs every step done;
//! completion grants the mentor profile in the same transaction; the applicant and the
//! point of contact hear of every step they did not take themselves.

pub mod apply;
pub mod checklist;
pub mod contact;
pub mod graphql;
pub mod loaders;
pub mod model;
pub mod nodes;
pub mod query;
pub mod repo;
pub mod rounds;
pub mod service;
pub mod step;
