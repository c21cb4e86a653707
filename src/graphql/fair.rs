//! Fair use of the pool within one request: async-graphql resolves the root fields of a
//! query (aliases included) all at once, each taking a pool connection, so a query of many
//! root fields could hold the whole pool. Here at most `n` root fields of one request resolve
//! at a time (mutations already run one after the other); the loaders bound their batches the
//! same way ([`super::loaders::for_request`]).

use std::sync::Arc;

use async_graphql::{
    ServerResult, Value,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo},
};
use tokio::sync::Semaphore;

/// The extension; `n` is `MENTORSHIP_REQUEST_CONNECTIONS`.
pub struct RootFields(pub usize);

impl ExtensionFactory for RootFields {
    fn create(&self) -> Arc<dyn Extension> {
        // One instance per request: the permits are the request's own.
        Arc::new(Permits(Semaphore::new(self.0.max(1))))
    }
}

struct Permits(Semaphore);

#[async_graphql::async_trait::async_trait]
impl Extension for Permits {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_some() {
            return next.run(ctx, info).await;
        }
        // Never closed, so acquiring only waits.
        let _permit = self.0.acquire().await;
        next.run(ctx, info).await
    }
}
