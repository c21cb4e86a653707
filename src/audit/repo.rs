//! Reading the audit log.

use entity::audit_log;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::{error::AppResult, paging::Page};

/// Which entries to show.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub subject_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
}

fn filtered(filter: &AuditFilter) -> Select<audit_log::Entity> {
    let mut select = audit_log::Entity::find();
    if let Some(action) = &filter.action {
        select = select.filter(audit_log::Column::Action.eq(action.as_str()));
    }
    if let Some(subject) = filter.subject_id {
        select = select.filter(audit_log::Column::SubjectId.eq(subject));
    }
    if let Some(actor) = filter.actor_id {
        select = select.filter(audit_log::Column::ActorId.eq(actor));
    }
    select
}

/// A page of entries, oldest first.
///
/// # Errors
/// A database fault.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: &Page,
) -> AppResult<Vec<audit_log::Model>> {
    let mut select = filtered(filter);
    if let Some(after) = page.after {
        select = select.filter(audit_log::Column::Id.gt(after));
    }
    Ok(select
        .order_by_asc(audit_log::Column::Id)
        .limit(page.fetch())
        .all(conn)
        .await?)
}

/// How many entries match.
///
/// # Errors
/// A database fault.
pub async fn count(conn: &impl ConnectionTrait, filter: &AuditFilter) -> AppResult<u64> {
    Ok(filtered(filter).count(conn).await?)
}
