//! Authorization rules, one named function per rule. Every service operation starts with
//! one of these; resolvers never check roles themselves.

use super::{Principal, PrincipalKind};
use crate::error::{AppError, AppResult};

/// The caller must be a person (a token with a program role), not a machine client.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub fn require_person(principal: &Principal) -> AppResult<()> {
    match principal.kind {
        PrincipalKind::Person => Ok(()),
        PrincipalKind::Machine { .. } => Err(AppError::Forbidden(
            "this operation needs a person with a program role; the token has none".into(),
        )),
    }
}
