//! Reading the audit log.

use entity::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

/// Which entries to show.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub subject_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
}

/// The entries matching `filter`.
pub fn filtered(filter: &AuditFilter) -> Select<audit_log::Entity> {
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
