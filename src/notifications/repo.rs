//! Queries on `notification`.

use chrono::{DateTime, Utc};
use entity::notification;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::model::{Notice, Notification};
use crate::error::AppResult;

/// Appends notices.
///
/// # Errors
/// A database fault.
pub async fn insert(
    conn: &impl ConnectionTrait,
    notices: &[Notice],
    mails: &[Option<Uuid>],
    at: DateTime<Utc>,
) -> AppResult<Vec<Uuid>> {
    if notices.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<notification::ActiveModel> = notices
        .iter()
        .zip(mails.iter().copied().chain(std::iter::repeat(None)))
        .map(|(n, mail_id)| notification::ActiveModel {
            id: Set(Uuid::now_v7()),
            person_id: Set(n.to),
            kind: Set(n.kind.as_str().into()),
            title: Set(n.title.clone()),
            body: Set(n.body.clone()),
            subject_id: Set(n.subject_id),
            created_at: Set(at),
            read_at: Set(None),
            mail_id: Set(mail_id),
        })
        .collect();
    let ids = rows.iter().filter_map(|r| r.id.clone().take()).collect();
    notification::Entity::insert_many(rows)
        .exec_without_returning(conn)
        .await?;
    Ok(ids)
}

/// One person's notifications (unread only, if asked).
pub fn of(person: Uuid, unread_only: bool) -> Select<notification::Entity> {
    let select = notification::Entity::find().filter(notification::Column::PersonId.eq(person));
    if unread_only {
        select.filter(notification::Column::ReadAt.is_null())
    } else {
        select
    }
}

/// How many notifications a person has (unread only, if asked).
///
/// # Errors
/// A database fault.
pub async fn count(conn: &impl ConnectionTrait, person: Uuid, unread_only: bool) -> AppResult<u64> {
    Ok(of(person, unread_only).count(conn).await?)
}

/// Marks a person's unread notifications read: the given ones, or all. Returns how many.
///
/// # Errors
/// A database fault.
pub async fn mark_read(
    conn: &impl ConnectionTrait,
    person: Uuid,
    ids: Option<&[Uuid]>,
    at: DateTime<Utc>,
) -> AppResult<u64> {
    let mut update = notification::Entity::update_many()
        .set(notification::ActiveModel {
            read_at: Set(Some(at)),
            ..Default::default()
        })
        .filter(notification::Column::PersonId.eq(person))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = ids {
        update = update.filter(notification::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(update.exec(conn).await?.rows_affected)
}

/// A person's notifications after `after`, oldest first, at most 100.
///
/// # Errors
/// A database fault.
pub async fn newer_than(
    conn: &impl ConnectionTrait,
    person: Uuid,
    after: Option<Uuid>,
) -> AppResult<Vec<Notification>> {
    let mut select = of(person, false);
    if let Some(after) = after {
        select = select.filter(notification::Column::Id.gt(after));
    }
    select
        .order_by_asc(notification::Column::Id)
        .limit(100)
        .all(conn)
        .await?
        .into_iter()
        .map(Notification::from_row)
        .collect()
}

/// The id of a person's newest notification.
///
/// # Errors
/// A database fault.
pub async fn latest_id(conn: &impl ConnectionTrait, person: Uuid) -> AppResult<Option<Uuid>> {
    Ok(of(person, false)
        .order_by_desc(notification::Column::Id)
        .one(conn)
        .await?
        .map(|n| n.id))
}
