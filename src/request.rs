//! What a service operation knows about the request it serves.

use crate::auth::Actor;

/// The acting caller and the request id (for the audit log).
#[derive(Clone, Debug)]
pub struct RequestCtx {
    /// Who is acting.
    pub actor: Actor,
    /// The `x-request-id` of the HTTP request.
    pub request_id: String,
}
