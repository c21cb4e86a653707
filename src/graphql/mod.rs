//! The GraphQL schema, assembled in one place with its limits, and its HTTP transport.

pub mod fair;
pub mod limits;
pub mod loaders;
pub mod pagination;
pub mod shape;
pub mod text;
pub mod transport;
pub mod ws;

use async_graphql::{Context, ID, MergedObject, MergedSubscription, Schema};
use tokio::sync::OnceCell;
use uuid::Uuid;

use crate::{
    alerts::graphql::{AlertMutation, AlertQuery},
    announcements::graphql::{AnnouncementMutation, AnnouncementQuery},
    audit::graphql::AuditQuery,
    auth::Principal,
    calls::graphql::{CallMutation, CallQuery},
    check_in::graphql::{CheckInMutation, CheckInQuery},
    council::graphql::{CouncilMutation, CouncilQuery},
    error::{AppError, AppResult},
    mentor::graphql::{MentorMutation, MentorQuery},
    mentorship::graphql::{MentorshipMutation, MentorshipQuery},
    metrics::graphql::MetricsQuery,
    notifications::graphql::{NotificationMutation, NotificationQuery, NotificationSubscription},
    onboarding::graphql::{OnboardingMutation, OnboardingQuery},
    people::graphql::{PeopleMutation, PeopleQuery},
    request::RequestCtx,
    role_guide::graphql::{RoleGuideMutation, RoleGuideQuery},
    state::AppState,
    support::graphql::{SupportMutation, SupportQuery, SupportSubscription},
};

/// Deepest recursion of the parser (fragments, nested values).
pub const MAX_RECURSION: usize = 32;
/// Most directives on one field.
pub const MAX_DIRECTIVES: usize = 10;
/// Most operations in one batched request.
pub const MAX_BATCH: usize = 10;

/// Every query root of the domain modules.
#[derive(MergedObject, Default)]
pub struct Query(
    PeopleQuery,
    MentorQuery,
    MentorshipQuery,
    CheckInQuery,
    AuditQuery,
    NotificationQuery,
    CouncilQuery,
    SupportQuery,
    AlertQuery,
    RoleGuideQuery,
    AnnouncementQuery,
    CallQuery,
    OnboardingQuery,
    MetricsQuery,
);

/// Every mutation root of the domain modules.
#[derive(MergedObject, Default)]
pub struct Mutation(
    PeopleMutation,
    MentorMutation,
    MentorshipMutation,
    CheckInMutation,
    NotificationMutation,
    CouncilMutation,
    SupportMutation,
    AlertMutation,
    RoleGuideMutation,
    AnnouncementMutation,
    CallMutation,
    OnboardingMutation,
);

/// Every subscription root (served over `/graphql/ws`).
#[derive(MergedSubscription, Default)]
pub struct Subscription(NotificationSubscription, SupportSubscription);

/// The schema type served at `/graphql` and `/graphql/ws`.
pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema with its limits ([`limits`]). Per-request data (state, principal,
/// request id, loaders) is attached by the transport, so one schema serves the whole process.
///
/// With `introspection` off, `__schema` and `__type` are refused and errors carry no "Did you
/// mean …" suggestions (both would describe the schema to whoever asks).
/// `connections` bounds the pool connections one request holds ([`fair`]).
pub fn build(introspection: bool, connections: usize) -> AppSchema {
    let shape = std::sync::Arc::new(shape::Shape::from_sdl(&sdl()));
    let builder = bare()
        .data(shape.clone())
        .extension(limits::Checked {
            shape,
            introspection,
        })
        .extension(fair::RootFields(connections))
        .limit_recursive_depth(MAX_RECURSION)
        .limit_directives(MAX_DIRECTIVES);
    if introspection {
        builder.finish()
    } else {
        builder
            .disable_introspection()
            .disable_suggestions()
            .finish()
    }
}

fn bare() -> async_graphql::SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
}

/// The SDL the server serves (`schema` command, `schema.graphql`).
pub fn sdl() -> String {
    bare().finish().sdl()
}

/// The schema's shape the limits read (see [`shape`]).
pub fn shape(schema: &AppSchema) -> Option<&shape::Shape> {
    schema
        .data::<std::sync::Arc<shape::Shape>>()
        .map(|s| s.as_ref())
}

/// The request's acting caller, resolved (and the person created) once per request.
#[derive(Default)]
pub struct ActorCell(OnceCell<RequestCtx>);

impl ActorCell {
    /// A cell holding an already resolved caller (a WebSocket connection resolves it once
    /// at `connection_init`).
    pub fn resolved(rc: RequestCtx) -> Self {
        Self(OnceCell::from(rc))
    }
}

/// The shared state and the request context (acting caller, request id).
///
/// # Errors
/// UNAUTHENTICATED if the transport attached no principal; a database fault while
/// resolving the caller.
pub async fn request<'a>(ctx: &Context<'a>) -> AppResult<(&'a AppState, &'a RequestCtx)> {
    let state = ctx
        .data::<AppState>()
        .map_err(|_| AppError::internal(MissingData("AppState")))?;
    let principal = ctx
        .data::<Principal>()
        .map_err(|_| AppError::Unauthenticated("a valid bearer token is required".into()))?;
    let cell = ctx
        .data::<std::sync::Arc<ActorCell>>()
        .map_err(|_| AppError::internal(MissingData("ActorCell")))?;
    let request_id = ctx
        .data::<transport::RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let rc = cell
        .0
        .get_or_try_init(|| async {
            let actor = crate::people::service::resolve_actor(state, principal).await?;
            Ok::<_, AppError>(RequestCtx { actor, request_id })
        })
        .await?;
    Ok((state, rc))
}

/// The request's loaders.
///
/// # Errors
/// INTERNAL if the transport attached none.
pub fn loaders<'a>(ctx: &Context<'a>) -> AppResult<&'a loaders::Loaders> {
    ctx.data::<std::sync::Arc<loaders::Loaders>>()
        .map(|l| l.as_ref())
        .map_err(|_| AppError::internal(MissingData("Loaders")))
}

/// The request's loaders, shared (for lazy fields such as `totalCount`).
///
/// # Errors
/// INTERNAL if the transport attached none.
pub fn shared_loaders(ctx: &Context<'_>) -> AppResult<std::sync::Arc<loaders::Loaders>> {
    ctx.data::<std::sync::Arc<loaders::Loaders>>()
        .cloned()
        .map_err(|_| AppError::internal(MissingData("Loaders")))
}

/// Parses a GraphQL `ID` holding a UUID.
///
/// # Errors
/// BAD_USER_INPUT naming `field`.
pub fn parse_id(field: &str, id: &ID) -> AppResult<Uuid> {
    Uuid::parse_str(id.as_str()).map_err(|_| AppError::bad_input(field, "not a valid id"))
}

/// A UUID as a GraphQL `ID`.
pub fn to_id(id: Uuid) -> ID {
    ID(id.to_string())
}

#[derive(Debug, thiserror::Error)]
#[error("{0} missing from the GraphQL context")]
struct MissingData(&'static str);
