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
    let by = (rc.actor.person().map(|p| p.id), rc.actor.label());
    let request_id = Some(rc.request_id.clone()).filter(|r| !r.is_empty());
    insert(conn, by, request_id, at, entry).await
}

/// Appends `entry` as done by the service itself (actor `system`), for what no caller
/// asked for in so many words: a profile provisioned from a token's role, an import run.
///
/// # Errors
/// A database fault.
pub async fn record_system(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> AppResult<()> {
    insert(conn, (None, SYSTEM.into()), None, at, entry).await
}

/// The actor label of [`record_system`]'s entries.
pub const SYSTEM: &str = "system";

async fn insert(
    conn: &impl ConnectionTrait,
    (actor_id, actor_label): (Option<Uuid>, String),
    request_id: Option<String>,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> AppResult<()> {
    let row = entity::audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor_id),
        actor_label: Set(actor_label),
        action: Set(entry.action.to_owned()),
        subject_type: Set(entry.subject_type.to_owned()),
        subject_id: Set(entry.subject_id),
        before: Set(entry.before),
        after: Set(entry.after),
        request_id: Set(request_id),
        created_at: Set(at),
    };
    entity::audit_log::Entity::insert(row)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}
