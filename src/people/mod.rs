//! People: the reps, mentors and council members known to the program.
//!
//! Rules owned here: a person is identified by (issuer, subject) and created from their first
//! signed-in request — exactly once, also under concurrent first requests; a token without a
//! program role creates nothing; a person's roles are the token's plus MENTOR when a mentor
//! profile that is not retired exists.

pub mod graphql;
pub mod input;
pub mod loaders;
pub mod model;
pub mod provider_roles;
pub mod repo;
pub mod service;
