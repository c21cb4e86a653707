//! What a resolver reads from its request: the shared state, the acting caller (resolved
//! once per request, lazily, by whatever the transport injected) and the request's loaders.
//! The kit imports no domain: the transports decide how a principal becomes an actor.

use std::{future::Future, pin::Pin, sync::Arc};

use async_graphql::Context;
use tokio::sync::OnceCell;

use super::loaders::Loaders;
use crate::{
    auth::Actor,
    error::{AppError, AppResult},
    request::RequestCtx,
    state::AppState,
};

/// The `x-request-id` of the current request, for resolvers that write audit rows.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

type Resolve =
    Box<dyn Fn() -> Pin<Box<dyn Future<Output = AppResult<Actor>> + Send>> + Send + Sync>;

/// The request's acting caller, resolved (and the person created) at most once per request,
/// the first time a resolver asks.
pub struct ActorCell {
    cell: OnceCell<RequestCtx>,
    request_id: String,
    resolve: Option<Resolve>,
}

impl ActorCell {
    /// A cell that resolves the caller with `resolve` when first asked (HTTP: most requests
    /// resolve it, but an introspection-only one never touches the database).
    pub fn lazy<F, Fut>(request_id: String, resolve: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = AppResult<Actor>> + Send + 'static,
    {
        Self {
            cell: OnceCell::new(),
            request_id,
            resolve: Some(Box::new(move || Box::pin(resolve()))),
        }
    }

    /// A cell holding an already resolved caller (a WebSocket connection resolves it once
    /// at `connection_init`).
    pub fn resolved(rc: RequestCtx) -> Self {
        Self {
            request_id: rc.request_id.clone(),
            cell: OnceCell::from(rc),
            resolve: None,
        }
    }
}

/// The shared state and the request context (acting caller, request id).
///
/// # Errors
/// UNAUTHENTICATED if the transport attached no caller; a database fault while resolving it.
pub async fn request<'a>(ctx: &Context<'a>) -> AppResult<(&'a AppState, &'a RequestCtx)> {
    let state = ctx
        .data::<AppState>()
        .map_err(|_| AppError::internal(MissingData("AppState")))?;
    let cell = ctx
        .data::<Arc<ActorCell>>()
        .map_err(|_| AppError::Unauthenticated("a valid bearer token is required".into()))?;
    let rc = cell
        .cell
        .get_or_try_init(|| async {
            let resolve = cell
                .resolve
                .as_ref()
                .ok_or_else(|| AppError::internal(MissingData("actor resolver")))?;
            let actor = resolve().await?;
            Ok::<_, AppError>(RequestCtx::new(actor, cell.request_id.clone()))
        })
        .await?;
    Ok((state, rc))
}

/// The request's loaders.
///
/// # Errors
/// INTERNAL if the transport attached none.
pub fn batch_loaders<'a>(ctx: &Context<'a>) -> AppResult<&'a Loaders> {
    ctx.data::<Arc<Loaders>>()
        .map(|l| l.as_ref())
        .map_err(|_| AppError::internal(MissingData("Loaders")))
}

/// The request's loaders, shared (for lazy fields such as `totalCount`).
///
/// # Errors
/// INTERNAL if the transport attached none.
pub fn shared_loaders(ctx: &Context<'_>) -> AppResult<Arc<Loaders>> {
    ctx.data::<Arc<Loaders>>()
        .cloned()
        .map_err(|_| AppError::internal(MissingData("Loaders")))
}

#[derive(Debug, thiserror::Error)]
#[error("{0} missing from the GraphQL context")]
struct MissingData(&'static str);
