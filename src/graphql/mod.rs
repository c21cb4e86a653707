//! The GraphQL schema, assembled in one place with its limits, and its HTTP transport.

pub mod transport;

use async_graphql::{Context, EmptyMutation, EmptySubscription, MergedObject, Schema};

use crate::{auth::Principal, error::AppError, people::graphql::PeopleQuery, state::AppState};

/// Deepest selection nesting accepted.
pub const MAX_DEPTH: usize = 10;
/// Highest query cost accepted (each field 1; connections multiply by `first`).
pub const MAX_COMPLEXITY: usize = 1_000;
/// Deepest recursion of the parser (fragments, nested values).
pub const MAX_RECURSION: usize = 32;
/// Most directives on one field.
pub const MAX_DIRECTIVES: usize = 10;
/// Most operations in one batched request.
pub const MAX_BATCH: usize = 10;

/// Every query root of the domain modules.
#[derive(MergedObject, Default)]
pub struct Query(PeopleQuery);

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// Builds the schema with its limits. Per-request data (state, principal, request id) is
/// attached by the transport, so one schema serves the whole process.
pub fn build() -> AppSchema {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(MAX_RECURSION)
        .limit_directives(MAX_DIRECTIVES)
        .finish()
}

/// The SDL the server serves (`schema` command, `schema.graphql`).
pub fn sdl() -> String {
    build().sdl()
}

/// The shared state and the verified caller of the current request.
///
/// # Errors
/// UNAUTHENTICATED if the transport attached no principal (never for routed requests).
pub fn request_parts<'a>(ctx: &Context<'a>) -> Result<(&'a AppState, &'a Principal), AppError> {
    let state = ctx
        .data::<AppState>()
        .map_err(|_| AppError::internal(MissingData("AppState")))?;
    let principal = ctx
        .data::<Principal>()
        .map_err(|_| AppError::Unauthenticated("a valid bearer token is required".into()))?;
    Ok((state, principal))
}

#[derive(Debug, thiserror::Error)]
#[error("{0} missing from the GraphQL context")]
struct MissingData(&'static str);
