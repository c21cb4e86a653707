//! The schema: every domain's query, mutation and subscription roots merged, with the
//! limits any document is held to. Built once by startup and handed to the transports
//! ([`crate::http`]); nothing below this module knows the schema exists.

use async_graphql::{MergedObject, MergedSubscription, Schema};

use crate::{
    alerts::graphql::{AlertMutation, AlertQuery},
    announcements::graphql::{AnnouncementMutation, AnnouncementQuery},
    audit::graphql::AuditQuery,
    calendar::graphql::CalendarMutation,
    calls::graphql::{CallMutation, CallQuery},
    check_in::graphql::{CheckInMutation, CheckInQuery},
    council::graphql::{CouncilMutation, CouncilQuery},
    graphql::{fair, limits, shape},
    mail::graphql::{MailMutation, MailQuery},
    mentor::graphql::{MentorMutation, MentorQuery},
    mentorship::graphql::{MentorshipMutation, MentorshipQuery},
    metrics::graphql::MetricsQuery,
    notifications::graphql::{NotificationMutation, NotificationQuery, NotificationSubscription},
    onboarding::graphql::{OnboardingMutation, OnboardingQuery},
    people::{graphql::PeopleQuery, input::PeopleMutation},
    privacy::graphql::PrivacyMutation,
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
    MailQuery,
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
    PrivacyMutation,
    MailMutation,
    CalendarMutation,
);

/// Every subscription root (served over `/graphql/ws`).
#[derive(MergedSubscription, Default)]
pub struct Subscription(NotificationSubscription, SupportSubscription);

/// The schema type served at `/graphql` and `/graphql/ws`; root fields of a query take the
/// request's permits ([`fair`]).
pub type AppSchema = Schema<fair::Fair<Query>, Mutation, Subscription>;

/// The schema the WebSocket transport runs: the same, with the limits checked by an
/// extension (its protocol library reads and runs each message itself). HTTP checks them
/// before executing ([`limits::prepare`]), so its schema has no extension at all.
#[derive(Clone)]
pub struct WsSchema(pub AppSchema);

/// Builds the schemas with their limits ([`limits`]). Per-request data (state, principal,
/// request id, loaders, permits) is attached by the transport, so one schema serves the
/// whole process.
///
/// With `introspection` off, `__schema` and `__type` are refused and errors carry no "Did you
/// mean …" suggestions (both would describe the schema to whoever asks).
pub fn build(
    introspection: bool,
    documents: std::sync::Arc<crate::persisted::Documents>,
) -> (AppSchema, WsSchema) {
    let checks = std::sync::Arc::new(limits::Checks {
        shape: shape::Shape::from_sdl(&sdl()),
        introspection,
    });
    let finish = |builder: async_graphql::SchemaBuilder<_, _, _>| {
        let builder = builder
            .data(checks.clone())
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
    };
    let http = finish(bare());
    let ws = finish(bare().extension(limits::ws::Checked(checks.clone(), Some(documents))));
    (http, WsSchema(ws))
}

fn bare() -> async_graphql::SchemaBuilder<fair::Fair<Query>, Mutation, Subscription> {
    Schema::build(
        fair::Fair(Query::default()),
        Mutation::default(),
        Subscription::default(),
    )
}

/// The SDL the server serves (`schema` command, `schema.graphql`), with `@specifiedBy` on
/// the scalars that have one: introspection reports it, so the committed file says it too.
pub fn sdl() -> String {
    bare()
        .finish()
        .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}

/// What the transports check every document against (see [`limits::prepare`]).
pub fn checks(schema: &AppSchema) -> Option<&limits::Checks> {
    schema
        .data::<std::sync::Arc<limits::Checks>>()
        .map(|c| c.as_ref())
}

/// What is wrong with `document`, declared as an operation of `kind`, against the schema as
/// `serve` runs it (introspection off): parse errors, validation errors and broken limits,
/// one message each; empty when it would run (`persisted-queries check`). Nothing executes.
pub async fn check_operation(document: &str, kind: &str) -> Vec<String> {
    let checks = std::sync::Arc::new(limits::Checks {
        shape: shape::Shape::from_sdl(&sdl()),
        introspection: false,
    });
    let schema = bare()
        .extension(limits::ws::Checked(checks, None))
        .extension(ValidateOnly)
        .limit_recursive_depth(MAX_RECURSION)
        .limit_directives(MAX_DIRECTIVES)
        .disable_introspection()
        .finish();
    let mut problems: Vec<String> = match async_graphql::parser::parse_query(document) {
        Ok(doc) => {
            let kinds: Vec<String> = doc
                .operations
                .iter()
                .map(|(_, op)| op.node.ty.to_string())
                .collect();
            match kinds.as_slice() {
                [one] if one == kind => vec![],
                [one] => vec![format!("declared a {kind}, but the document is a {one}")],
                _ => vec![format!("holds {} operations, not one", kinds.len())],
            }
        }
        Err(_) => vec![],
    };
    let response = schema.execute(async_graphql::Request::new(document)).await;
    problems.extend(response.errors.into_iter().map(|e| e.message));
    problems
}

/// Stops a request after validation: checking a document runs none of its resolvers.
struct ValidateOnly;

impl async_graphql::extensions::ExtensionFactory for ValidateOnly {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(ValidateOnly)
    }
}

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for ValidateOnly {
    async fn execute(
        &self,
        _ctx: &async_graphql::extensions::ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: async_graphql::extensions::NextExecute<'_>,
    ) -> async_graphql::Response {
        async_graphql::Response::default()
    }
}
