//! Mentor alerts: a mentor tells the council they are overwhelmed, need a break or step
//! down; the system notices inactivity. The council resolves an alert, usually by
//! re-assigning mentees.
//!
//! Rules owned here: reporting load sets the mentor's status at once (OVERWHELMED, or
//! PAUSED for a break or stepping down), so new assignments stop and suggestions leave them
//! out; one OPEN alert per mentor and kind (a partial unique index); resolving applies the
//! resolution, the mentor's new status and every re-assignment in one transaction — or
//! nothing, if any of them is impossible; a mentor on a break returns to ACTIVE on the
//! return date ([`returns`]).

pub mod graphql;
pub mod inactivity;
pub mod model;
pub mod query;
pub mod raise;
pub mod repo;
pub mod report;
pub mod resolve;
pub mod returns;
