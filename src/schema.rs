//! The schema: every domain's query, mutation and subscription roots merged, with the
//! limits any document is held to. Built once by startup and handed to the transports
//! ([`crate::http`]); nothing below this module knows the schema exists.

use async_graphql::{MergedObject, MergedSubscription, Schema};

use crate::{
    alerts::graphql::{AlertMutation, AlertQuery},
    announcements::graphql::{AnnouncementMutation, AnnouncementQuery},
    audit::graphql::AuditQuery,
    calls::graphql::{CallMutation, CallQuery},
    check_in::graphql::{CheckInMutation, CheckInQuery},
    council::graphql::{CouncilMutation, CouncilQuery},
    graphql::{fair, limits, shape},
    mentor::graphql::{MentorMutation, MentorQuery},
    mentorship::graphql::{MentorshipMutation, MentorshipQuery},
    metrics::graphql::MetricsQuery,
    notifications::graphql::{NotificationMutation, NotificationQuery, NotificationSubscription},
    onboarding::graphql::{OnboardingMutation, OnboardingQuery},
    people::graphql::{PeopleMutation, PeopleQuery},
    role_guide::graphql::{RoleGuideMutation, RoleGuideQuery},
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

/// The schema's shape the limits read (see [`shape::Shape`]).
pub fn shape(schema: &AppSchema) -> Option<&shape::Shape> {
    schema
        .data::<std::sync::Arc<shape::Shape>>()
        .map(|s| s.as_ref())
}
