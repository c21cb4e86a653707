//! An entry of the audit log as the council reads it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// One audited change.
#[derive(Clone, Debug)]
pub struct AuditRecord {
    pub id: Uuid,
    /// The person who acted; `None` for a machine client.
    pub actor_id: Option<Uuid>,
    /// `person:<id>`, `client:<id>` or `system`.
    pub actor_label: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<Uuid>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<entity::audit_log::Model> for AuditRecord {
    type Error = AppError;

    fn try_from(row: entity::audit_log::Model) -> AppResult<Self> {
        Ok(Self {
            id: row.id,
            actor_id: row.actor_id,
            actor_label: row.actor_label,
            action: row.action,
            subject_type: row.subject_type,
            subject_id: row.subject_id,
            before: row.before,
            after: row.after,
            request_id: row.request_id,
            created_at: row.created_at,
        })
    }
}
