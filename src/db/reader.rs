//! Where a request's loaders read: the pool, or — for a request that holds its own
//! transaction (a mutation with an `Idempotency-Key`) — that transaction, so the answer
//! shows the mutation's writes before they commit with it.

use std::sync::Arc;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement,
};

/// A connection to read with.
#[derive(Debug, Clone)]
pub enum Reader {
    /// The pool (every request without a transaction of its own).
    Pool(DatabaseConnection),
    /// The request's transaction.
    Request(Arc<DatabaseTransaction>),
}

macro_rules! each {
    ($self:ident, $c:ident => $e:expr) => {
        match $self {
            Reader::Pool($c) => $e,
            Reader::Request($c) => $e,
        }
    };
}

#[async_trait::async_trait]
impl ConnectionTrait for Reader {
    fn get_database_backend(&self) -> DbBackend {
        each!(self, c => c.get_database_backend())
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        each!(self, c => c.execute_raw(stmt).await)
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        each!(self, c => c.execute_unprepared(sql).await)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        each!(self, c => c.query_one_raw(stmt).await)
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        each!(self, c => c.query_all_raw(stmt).await)
    }
}
