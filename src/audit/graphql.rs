//! `auditLog` for the council.

use async_graphql::{Context, ID, InputObject, Json, Object};

use super::{model::AuditRecord, repo::AuditFilter, service};
use crate::{
    error::{AppError, AppResult},
    graphql::{
        pagination::{Conn, Page, connection},
        parse_id, request, to_id,
    },
    timestamp::Timestamp,
};

/// Which audit entries to show.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// `assign_mentor`, `reassign_mentor`, `end_mentorship`, `grant_mentor_role`,
    /// `update_mentor_profile`.
    pub action: Option<String>,
    /// The changed thing.
    pub subject_id: Option<ID>,
    /// The acting person.
    pub actor_id: Option<ID>,
}

/// The audit log.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every council action and assignment change, oldest first (council only).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the entries matching every field given; omit for all entries.")]
        filter: Option<AuditLogFilter>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<AuditEntry>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().try_into()?;
        let (rows, total) = service::audit_log(state, rc, &filter, page).await?;
        Ok(connection(&page, rows, |r| r.id, AuditEntry, total))
    }
}

impl TryFrom<AuditLogFilter> for AuditFilter {
    type Error = AppError;

    fn try_from(f: AuditLogFilter) -> AppResult<Self> {
        let id = |field: &str, id: Option<&ID>| id.map(|id| parse_id(field, id)).transpose();
        Ok(Self {
            subject_id: id("filter.subjectId", f.subject_id.as_ref())?,
            actor_id: id("filter.actorId", f.actor_id.as_ref())?,
            action: f.action,
        })
    }
}

pub struct AuditEntry(AuditRecord);

/// A record of one council action or assignment change: who did what to which object,
/// when, with the state before and after. Entries are never changed or deleted.
#[Object]
impl AuditEntry {
    /// Its unique, stable id (what inputs and lookups take).
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The acting person, if a person acted.
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(to_id)
    }

    /// Who acted (`person:<id>`, `client:<id>`, or `system` for what the service did itself:
    /// an import, a profile provisioned from a token's role).
    async fn actor(&self) -> &str {
        &self.0.actor_label
    }

    /// What was done, as a verb in snake case (`assign_mentor`, `resolve_mentor_alert`, …).
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The kind of thing it was done to (`mentorship`, `person`, `announcement`, …).
    async fn subject_type(&self) -> &str {
        &self.0.subject_type
    }

    /// The thing it was done to, when it has an id.
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject_id.map(to_id)
    }

    /// The subject before the change.
    async fn before(&self) -> Option<Json<serde_json::Value>> {
        self.0.before.clone().map(Json)
    }

    /// The subject after the change.
    async fn after(&self) -> Option<Json<serde_json::Value>> {
        self.0.after.clone().map(Json)
    }

    /// The `x-request-id` of the request that made the change.
    async fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// When it was done.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}
