//! Queries on `mentor_alert`.

use chrono::{DateTime, Utc};
use entity::mentor_alert;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use super::model::{MentorAlert, MentorAlertKind, MentorAlertStatus};
use crate::error::AppResult;

/// Opens an alert; the partial unique index refuses a second open one of the same kind.
///
/// # Errors
/// CONFLICT when one is open already; a database fault.
pub async fn insert(conn: &impl ConnectionTrait, a: &MentorAlert) -> AppResult<()> {
    let row = mentor_alert::ActiveModel {
        id: Set(a.id),
        mentor_id: Set(a.mentor_id),
        kind: Set(a.kind.as_str().into()),
        message: Set(a.message.clone()),
        return_on: Set(a.return_on),
        status: Set(MentorAlertStatus::Open.as_str().into()),
        created_at: Set(a.created_at),
        handled_by: Set(None),
        handled_at: Set(None),
        resolution: Set(None),
    };
    mentor_alert::Entity::insert(row)
        .exec_without_returning(conn)
        .await
        .map_err(|e| {
            crate::db::conflict_on_unique(
                e,
                "an alert of this kind is already open for this mentor",
            )
        })?;
    Ok(())
}

/// One alert.
///
/// # Errors
/// A database fault.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<MentorAlert>> {
    mentor_alert::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(MentorAlert::try_from)
        .transpose()
}

/// Marks an OPEN alert resolved; false when it no longer was open.
///
/// # Errors
/// A database fault.
pub async fn resolve(
    conn: &impl ConnectionTrait,
    id: Uuid,
    by: Uuid,
    resolution: &str,
    at: DateTime<Utc>,
) -> AppResult<bool> {
    let result = mentor_alert::Entity::update_many()
        .set(mentor_alert::ActiveModel {
            status: Set(MentorAlertStatus::Resolved.as_str().into()),
            handled_by: Set(Some(by)),
            handled_at: Set(Some(at)),
            resolution: Set(Some(resolution.to_owned())),
            ..Default::default()
        })
        .filter(mentor_alert::Column::Id.eq(id))
        .filter(
            mentor_alert::Column::Status.eq(crate::alerts::model::MentorAlertStatus::Open.as_str()),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Alerts of one mentor, status and kind (each optional).
pub fn filtered(
    mentor: Option<Uuid>,
    status: Option<MentorAlertStatus>,
    kind: Option<MentorAlertKind>,
) -> Select<mentor_alert::Entity> {
    let mut select = mentor_alert::Entity::find();
    if let Some(mentor) = mentor {
        select = select.filter(mentor_alert::Column::MentorId.eq(mentor));
    }
    if let Some(status) = status {
        select = select.filter(mentor_alert::Column::Status.eq(match status {
            MentorAlertStatus::Open => "OPEN",
            MentorAlertStatus::Resolved => "RESOLVED",
        }));
    }
    if let Some(kind) = kind {
        select = select.filter(mentor_alert::Column::Kind.eq(kind.as_str()));
    }
    select
}
