//! Test harness: the app, its database, its token issuer, a GraphQL client.

pub mod app;
pub mod db;
pub mod fixtures;
pub mod history;
pub mod issuer;
pub mod proxy;
pub mod seed;
pub mod smtp;

pub use app::{TestApp, spawn_app, spawn_app_with};
