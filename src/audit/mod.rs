//! The audit log: every council action and every assignment change, written by the acting
//! service in its own transaction (so a rolled-back change leaves no entry), readable by the
//! council only.

pub mod graphql;
pub mod model;
pub mod repo;
pub mod service;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::{error::AppResult, request::RequestCtx};

/// One audited change.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// What was done, `verb_noun` (`assign_mentor`).
    pub action: &'a str,
    /// The kind of thing changed (`mentorship`, `person`, `mentor_profile`).
    pub subject_type: &'a str,
    /// The changed thing's id.
    pub subject_id: Option<Uuid>,
    /// The thing before the change.
    pub before: Option<serde_json::Value>,
    /// The thing after the change.
    pub after: Option<serde_json::Value>,
}

/// Appends `entry` on `conn` (the caller's transaction).
///
/// # Errors
/// A database fault (which rolls back the audited change with it).
pub async fn record(
    conn: &impl ConnectionTrait,
    rc: &RequestCtx,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> AppResult<()> {
    let row = entity::audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(rc.actor.person().map(|p| p.id)),
        actor_label: Set(rc.actor.label()),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        before: Set(entry.before),
        after: Set(entry.after),
        request_id: Set(Some(rc.request_id.clone()).filter(|r| !r.is_empty())),
        created_at: Set(at),
    };
    entity::audit_log::Entity::insert(row)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
