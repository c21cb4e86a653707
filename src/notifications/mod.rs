//! Notifications: each person's in-app inbox.
//!
//! Rules owned here: a notification is written by the service whose change it reports, in
//! that change's transaction — a committed change always has its notifications, a
//! rolled-back one has none; a person sees and marks only their own.

pub mod graphql;
pub mod model;
pub mod outbox;
pub mod repo;
pub mod service;

pub use model::{Notice, NotificationKind};
pub use service::notify;
