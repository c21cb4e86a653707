//! Authentication and authorization.
//!
//! A bearer token is verified once, at the edge (`crate::http::auth` for HTTP), against the
//! issuer's published keys ([`jwks`]) with a strict [`verifier`]; the result is a
//! [`Principal`]. What a principal may do is decided by the named rules of [`policy`], at the
//! top of each service operation. [`signing`] and [`dev_issuer`] mint tokens for `dev` and tests.

pub mod actor;
pub mod callers;
pub mod dev_issuer;
pub mod jwks;
pub mod policy;
pub mod principal;
pub mod roles;
pub mod signing;
pub mod verifier;

pub use actor::{Actor, PersonActor};
pub use principal::{Principal, PrincipalKind, Role};
