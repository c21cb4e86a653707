//! Queries on `support_request` and `support_message`.

use chrono::{DateTime, Utc};
use entity::{support_message, support_request};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::model::{SupportMessage, SupportRequest, SupportRequestStatus};
use crate::{
    auth::policy::Scope,
    error::AppResult,
    paging::{Order, Page, keyset},
};

/// One request.
///
/// # Errors
/// A database fault.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<SupportRequest>> {
    support_request::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(SupportRequest::from_row)
        .transpose()
}

/// Inserts a request with its first message.
///
/// # Errors
/// A database fault.
pub async fn insert(
    conn: &impl ConnectionTrait,
    r: &SupportRequest,
    message: &str,
) -> AppResult<()> {
    support_request::Entity::insert(support_request::ActiveModel {
        id: Set(r.id),
        requester_id: Set(r.requester_id),
        recipient: Set(r.recipient.as_str().into()),
        assigned_mentor_id: Set(r.assigned_mentor_id),
        category: Set(r.category.as_str().into()),
        subject: Set(r.subject.clone()),
        confidential: Set(r.confidential),
        status: Set(r.status.as_str().into()),
        routing_note: Set(r.routing_note.clone()),
        created_at: Set(r.created_at),
        first_response_at: Set(None),
        escalated_at: Set(None),
        resolved_at: Set(None),
        resolved_by: Set(None),
        updated_at: Set(r.created_at),
    })
    .exec_without_returning(conn)
    .await?;
    add_message(conn, r.id, r.requester_id, message, r.created_at).await
}

/// Appends a message to a thread.
///
/// # Errors
/// A database fault.
pub async fn add_message(
    conn: &impl ConnectionTrait,
    request: Uuid,
    author: Uuid,
    body: &str,
    at: DateTime<Utc>,
) -> AppResult<()> {
    support_message::Entity::insert(support_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        request_id: Set(request),
        author_id: Set(author),
        body: Set(body.to_owned()),
        created_at: Set(at),
    })
    .exec_without_returning(conn)
    .await?;
    // A reply changes the request: its `updatedAt` says so.
    support_request::Entity::update_many()
        .col_expr(support_request::Column::UpdatedAt, at.into())
        .filter(support_request::Column::Id.eq(request))
        .exec(conn)
        .await?;
    Ok(())
}

/// Moves a request from one of `from` to `to`, setting the given times; false when a
/// concurrent change moved it first.
///
/// # Errors
/// A database fault.
pub async fn transition(
    conn: &impl ConnectionTrait,
    id: Uuid,
    from: &[SupportRequestStatus],
    to: SupportRequestStatus,
    changes: support_request::ActiveModel,
    at: DateTime<Utc>,
) -> AppResult<bool> {
    let result = support_request::Entity::update_many()
        .set(support_request::ActiveModel {
            status: Set(to.as_str().into()),
            updated_at: Set(at),
            ..changes
        })
        .filter(support_request::Column::Id.eq(id))
        .filter(support_request::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Requests visible to a viewer: all (council), or their own and those addressed to them
/// when not confidential — visibility is part of the query; optionally of one status.
pub fn visible(
    scope: Scope,
    status: Option<SupportRequestStatus>,
) -> Select<support_request::Entity> {
    let mut select = support_request::Entity::find();
    if let Scope::Own(viewer) = scope {
        select = select.filter(
            Condition::any()
                .add(support_request::Column::RequesterId.eq(viewer))
                .add(
                    Condition::all()
                        .add(support_request::Column::AssignedMentorId.eq(viewer))
                        .add(support_request::Column::Confidential.eq(false)),
                ),
        );
    }
    if let Some(status) = status {
        select = select.filter(support_request::Column::Status.eq(status.as_str()));
    }
    select
}

/// A page of a thread, oldest first.
///
/// # Errors
/// A database fault.
pub async fn messages(
    conn: &impl ConnectionTrait,
    request: Uuid,
    page: &Page,
) -> AppResult<Vec<SupportMessage>> {
    let select =
        support_message::Entity::find().filter(support_message::Column::RequestId.eq(request));
    keyset(
        select,
        support_message::Column::Id,
        Order::OldestFirst,
        page,
    )
    .all(conn)
    .await?
    .into_iter()
    .map(SupportMessage::try_from)
    .collect()
}

/// Requests to a mentor still unanswered and opened before `before` (at most `limit`).
///
/// # Errors
/// A database fault.
pub async fn unanswered_before(
    conn: &impl ConnectionTrait,
    before: DateTime<Utc>,
    limit: u64,
) -> AppResult<Vec<SupportRequest>> {
    support_request::Entity::find()
        .filter(
            support_request::Column::Recipient
                .eq(crate::support::model::SupportRecipient::Mentor.as_str()),
        )
        .filter(support_request::Column::Status.eq(SupportRequestStatus::Open.as_str()))
        .filter(support_request::Column::FirstResponseAt.is_null())
        .filter(support_request::Column::CreatedAt.lt(before))
        .order_by_asc(support_request::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(SupportRequest::from_row)
        .collect::<AppResult<_>>()
}
