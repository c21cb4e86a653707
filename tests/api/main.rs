//! The integration suite: every test starts the real server on a random loopback port, with
//! its own database (SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is
//! set) and its own OIDC issuer serving discovery and JWKS over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod alerts;
mod announcements;
mod authentication;
mod authz_matrix;
mod bad_input;
mod calendar;
mod calls;
mod check_ins;
mod compression;
mod council;
mod data_rights;
mod demo_data;
mod dev_mode;
mod edge;
mod error_codes;
mod graphql_over_http;
mod http_surface;
mod idempotency;
mod import;
mod jobs;
mod limits;
mod mail;
mod me;
mod mentorship;
mod metrics;
mod notifications;
mod onboarding;
mod people;
mod persisted;
mod provider_roles;
mod races;
mod rate_limits;
mod readiness;
mod role_guide;
mod schema_sdl;
mod serve_config;
mod sql_counts;
mod subscriptions;
mod support;
mod transport_limits;
mod trusted;
mod unavailable;
