//! What a service operation knows about the request it serves.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};

use crate::auth::Actor;

/// The acting caller and the request id (for the audit log).
#[derive(Clone, Debug)]
pub struct RequestCtx {
    /// Who is acting.
    pub actor: Actor,
    /// The `x-request-id` of the HTTP request.
    pub request_id: String,
    /// The request's own transaction, when the transport holds one open around the whole
    /// operation (a mutation with an `Idempotency-Key`, whose answer commits with it).
    pub write: Option<Arc<DatabaseTransaction>>,
}

impl RequestCtx {
    /// A context without a request transaction.
    pub fn new(actor: Actor, request_id: String) -> Self {
        Self {
            actor,
            request_id,
            write: None,
        }
    }

    /// The write transaction of one service operation: a savepoint in the request's
    /// transaction when there is one (its commit is the transport's), else a transaction of
    /// its own ([`crate::db::begin_write`]).
    ///
    /// # Errors
    /// A database fault.
    pub async fn begin_write(&self, db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
        match &self.write {
            Some(outer) => outer.begin().await,
            None => crate::db::begin_write(db).await,
        }
    }
}
