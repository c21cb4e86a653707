//! Program metrics for the council and council scripts: one GraphQL query for every figure,
//! the same figures as JSON and CSV over REST, and a month-by-month history.
//!
//! Rules owned here: only the council or a machine client with `metrics:read` reads them;
//! every figure is an aggregate statement over the stored history (no rows are loaded to be
//! counted in memory, no snapshots); windows are bounded (three years, 36 months).

pub mod graphql;
pub mod history;
pub mod model;
pub mod service;
pub mod sql;
pub mod window;
