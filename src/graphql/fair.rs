//! Fair use of the pool within one request: async-graphql resolves the root fields of a
//! query (aliases included) all at once, each taking a pool connection, so a query of many
//! root fields could hold the whole pool. [`Fair`] wraps the query root so that at most
//! `MENTORSHIP_REQUEST_CONNECTIONS` root fields of one request (or one WebSocket connection)
//! resolve at a time; mutations already run one after the other, and the loaders bound their
//! batches the same way ([`super::loaders::for_request`]).
//!
//! A wrapper, not an extension: any schema extension sends every field of every answer
//! through async-graphql's extension chain, and only the root fields need the permits.

use std::borrow::Cow;

use async_graphql::{
    Context, ContextSelectionSet, ObjectType, OutputType, Positioned, ServerResult, Value,
    parser::types::Field,
    registry::Registry,
    resolver_utils::{ContainerType, resolve_container},
};
use tokio::sync::Semaphore;

/// The permits of one request's root fields (request data, attached by the transport).
pub struct RootPermits(Semaphore);

impl RootPermits {
    /// `n` root fields at a time (at least one).
    pub fn new(n: usize) -> Self {
        Self(Semaphore::new(n.max(1)))
    }
}

/// A query root whose fields wait for one of the request's [`RootPermits`].
#[derive(Default)]
pub struct Fair<Q>(pub Q);

impl<Q: ContainerType> ContainerType for Fair<Q> {
    async fn resolve_field(&self, ctx: &Context<'_>) -> ServerResult<Option<Value>> {
        // Never closed, so acquiring only waits.
        let _permit = match ctx.data_opt::<std::sync::Arc<RootPermits>>() {
            Some(permits) => permits.0.acquire().await.ok(),
            None => None,
        };
        self.0.resolve_field(ctx).await
    }

    async fn find_entity(&self, ctx: &Context<'_>, params: &Value) -> ServerResult<Option<Value>> {
        self.0.find_entity(ctx, params).await
    }
}

impl<Q: ContainerType> OutputType for Fair<Q> {
    fn type_name() -> Cow<'static, str> {
        Q::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Q::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        resolve_container(ctx, self).await
    }
}

impl<Q: ObjectType> ObjectType for Fair<Q> {}
