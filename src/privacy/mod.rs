//! People's rights over their data: a copy of everything stored about them ([`export`]),
//! and being forgotten ([`erase`]). The REST routes are `http::export`'s; `erasePerson` is
//! [`graphql`]'s.

pub mod erase;
pub mod export;
pub mod graphql;
