//! `openSupportRequest`, `replyToSupportRequest`, `resolveSupportRequest`, and reading.

use entity::support_request;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::{
    model::{
        SupportCategory, SupportMessage, SupportRecipient, SupportRequest, SupportRequestStatus,
    },
    repo,
};
use crate::{
    auth::{PersonActor, policy},
    council::{self, ContactArea},
    error::{AppError, AppResult},
    events::LiveEvent,
    mentor::model::{MentorProfile, MentorStatus},
    mentorship,
    notifications::{self, Notice, NotificationKind},
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
};

/// Reach out.
#[derive(Clone, Debug)]
pub struct OpenSupportRequest {
    pub recipient: SupportRecipient,
    pub category: SupportCategory,
    pub subject: String,
    pub message: String,
    pub confidential: bool,
}

fn notice(
    to: Uuid,
    kind: NotificationKind,
    title: &str,
    body: String,
    r: &SupportRequest,
) -> Notice {
    Notice {
        to,
        kind,
        title: title.into(),
        body,
        subject_id: Some(r.id),
    }
}

/// Where a request to the mentor really goes, and why, for the requester.
async fn route(
    conn: &impl ConnectionTrait,
    requester: Uuid,
    cmd: &OpenSupportRequest,
) -> AppResult<(SupportRecipient, Option<Uuid>, Option<&'static str>)> {
    if cmd.category == SupportCategory::MentorChange {
        return Ok((
            SupportRecipient::Council,
            None,
            Some("Requests for another mentor go to the council only."),
        ));
    }
    if cmd.recipient == SupportRecipient::Council {
        return Ok((SupportRecipient::Council, None, None));
    }
    // The mentor may not read a confidential request, so it cannot be theirs to answer.
    if cmd.confidential {
        return Ok((
            SupportRecipient::Council,
            None,
            Some("Confidential requests go to the council, so the council will answer."),
        ));
    }
    let Some(current) = mentorship::repo::active_of_mentees(conn, &[requester])
        .await?
        .pop()
    else {
        return Ok((
            SupportRecipient::Council,
            None,
            Some("You have no mentor at the moment, so the council will answer."),
        ));
    };
    let profile = crate::mentor::repo::find(conn, current.mentor_id)
        .await?
        .map(MentorProfile::try_from)
        .transpose()?;
    if profile.is_some_and(|p| p.status == MentorStatus::Active) {
        Ok((SupportRecipient::Mentor, Some(current.mentor_id), None))
    } else {
        Ok((
            SupportRecipient::Council,
            None,
            Some("Your mentor is not available at the moment, so the council will answer."),
        ))
    }
}

/// Opens a request, routed to the mentor or the council.
///
/// # Errors
/// FORBIDDEN for machine clients.
#[tracing::instrument(skip_all)]
pub async fn open_support_request(
    state: &AppState,
    rc: &RequestCtx,
    cmd: OpenSupportRequest,
) -> AppResult<SupportRequest> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let (recipient, mentor, routing_note) = route(&txn, me.id, &cmd).await?;
    let request = SupportRequest {
        id: Uuid::now_v7(),
        requester_id: me.id,
        recipient,
        assigned_mentor_id: mentor,
        category: cmd.category,
        subject: cmd.subject.clone(),
        confidential: cmd.confidential || cmd.category == SupportCategory::MentorChange,
        status: SupportRequestStatus::Open,
        routing_note: routing_note.map(str::to_owned),
        created_at: now,
        first_response_at: None,
        escalated_at: None,
        resolved_at: None,
        updated_at: now,
    };
    repo::insert(&txn, &request, &cmd.message).await?;
    let addressees = match mentor {
        Some(mentor) => vec![mentor],
        None => council::responsible(&txn, ContactArea::MentorshipAdministration).await?,
    };
    let mut notices: Vec<Notice> = addressees
        .into_iter()
        .filter(|id| *id != me.id)
        .map(|to| {
            notice(
                to,
                NotificationKind::SupportRequestOpened,
                "New support request",
                request.subject.clone(),
                &request,
            )
        })
        .collect();
    if let Some(note) = routing_note.filter(|_| cmd.recipient == SupportRecipient::Mentor) {
        notices.push(notice(
            me.id,
            NotificationKind::SupportRequestRouted,
            "Your request went to the council",
            note.into(),
            &request,
        ));
    }
    notifications::notify(&txn, now, &notices).await?;
    crate::live::notify_on_commit(&txn, &[LiveEvent::SupportRequest(request.id)]).await?;
    txn.commit().await?;
    Ok(request)
}

/// The request, if `viewer` may see it.
async fn visible(
    conn: &impl ConnectionTrait,
    viewer: &PersonActor,
    id: Uuid,
) -> AppResult<SupportRequest> {
    repo::find(conn, id)
        .await?
        .filter(|r| policy::can_view_support_request(viewer, r.facts()))
        .ok_or_else(|| AppError::NotFound("no such support request".into()))
}

/// Who is told about a change made by `actor`: the other side of the request.
async fn other_side(
    conn: &impl ConnectionTrait,
    r: &SupportRequest,
    actor: Uuid,
) -> AppResult<Vec<Uuid>> {
    let mut to = if actor == r.requester_id {
        match (r.assigned_mentor_id, r.status) {
            (Some(mentor), s) if s != SupportRequestStatus::Escalated && !r.confidential => {
                vec![mentor]
            }
            _ => council::responsible(conn, ContactArea::MentorshipAdministration).await?,
        }
    } else {
        vec![r.requester_id]
    };
    to.retain(|id| *id != actor);
    Ok(to)
}

/// Adds a reply; the first one by anyone but the requester acknowledges the request.
///
/// # Errors
/// NOT_FOUND when invisible; CONFLICT when resolved or closed.
#[tracing::instrument(skip_all, fields(request = %request_id))]
pub async fn reply_to_support_request(
    state: &AppState,
    rc: &RequestCtx,
    request_id: Uuid,
    message: String,
) -> AppResult<SupportRequest> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let mut r = visible(&txn, me, request_id).await?;
    if r.is_done() {
        return Err(AppError::Conflict(
            "this request is closed; open a new one".into(),
        ));
    }
    repo::add_message(&txn, r.id, me.id, &message, now).await?;
    if me.id != r.requester_id && r.first_response_at.is_none() {
        let from = [SupportRequestStatus::Open, SupportRequestStatus::Escalated];
        let changes = support_request::ActiveModel {
            first_response_at: Set(Some(now)),
            ..Default::default()
        };
        if repo::transition(
            &txn,
            r.id,
            &from,
            SupportRequestStatus::Acknowledged,
            changes,
            now,
        )
        .await?
        {
            r.status = SupportRequestStatus::Acknowledged;
            r.first_response_at = Some(now);
        }
    }
    let notices: Vec<Notice> = other_side(&txn, &r, me.id)
        .await?
        .into_iter()
        .map(|to| {
            notice(
                to,
                NotificationKind::SupportRequestReplied,
                "New reply",
                r.subject.clone(),
                &r,
            )
        })
        .collect();
    notifications::notify(&txn, now, &notices).await?;
    crate::live::notify_on_commit(&txn, &[LiveEvent::SupportRequest(r.id)]).await?;
    txn.commit().await?;
    Ok(r)
}

/// Resolves (or closes) a request: the requester, the mentor addressed or the council.
///
/// # Errors
/// NOT_FOUND when invisible; CONFLICT when already done; BAD_USER_INPUT for a status
/// other than RESOLVED or CLOSED.
#[tracing::instrument(skip_all, fields(request = %request_id))]
pub async fn resolve_support_request(
    state: &AppState,
    rc: &RequestCtx,
    request_id: Uuid,
    outcome: SupportRequestStatus,
    note: Option<String>,
) -> AppResult<SupportRequest> {
    let me = policy::require_person(&rc.actor)?;
    if !matches!(
        outcome,
        SupportRequestStatus::Resolved | SupportRequestStatus::Closed
    ) {
        return Err(AppError::bad_input(
            "input.status",
            "a request ends RESOLVED or CLOSED",
        ));
    }
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let mut r = visible(&txn, me, request_id).await?;
    if let Some(note) = &note {
        repo::add_message(&txn, r.id, me.id, note, now).await?;
    }
    let from = [
        SupportRequestStatus::Open,
        SupportRequestStatus::Acknowledged,
        SupportRequestStatus::Escalated,
    ];
    let changes = support_request::ActiveModel {
        resolved_at: Set(Some(now)),
        resolved_by: Set(Some(me.id)),
        ..Default::default()
    };
    if !repo::transition(&txn, r.id, &from, outcome, changes, now).await? {
        return Err(AppError::Conflict(
            "this request is already resolved or closed".into(),
        ));
    }
    r.status = outcome;
    r.resolved_at = Some(now);
    let notices: Vec<Notice> = other_side(&txn, &r, me.id)
        .await?
        .into_iter()
        .map(|to| {
            notice(
                to,
                NotificationKind::SupportRequestResolved,
                "Request resolved",
                r.subject.clone(),
                &r,
            )
        })
        .collect();
    notifications::notify(&txn, now, &notices).await?;
    crate::live::notify_on_commit(&txn, &[LiveEvent::SupportRequest(r.id)]).await?;
    txn.commit().await?;
    Ok(r)
}

/// A page of a request's thread after a cursor (first pages come batched from the request's
/// `FirstChildren` loader), for whoever may see the request.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND for a request the caller cannot see.
pub async fn messages(
    state: &AppState,
    rc: &RequestCtx,
    request: Uuid,
    page: Page,
) -> AppResult<Vec<SupportMessage>> {
    let viewer = policy::require_person(&rc.actor)?;
    visible(state.db(), viewer, request).await?;
    repo::messages(state.db(), request, &page).await
}

/// One request, if visible.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND when unknown or invisible.
pub async fn support_request(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<SupportRequest> {
    visible(state.db(), policy::require_person(&rc.actor)?, id).await
}

/// The requests the caller may see: the council all, others their own and those addressed to
/// them.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn support_requests(
    state: &AppState,
    rc: &RequestCtx,
    status: Option<SupportRequestStatus>,
    page: Page,
) -> AppResult<(Vec<SupportRequest>, TotalCount)> {
    let select = repo::visible(policy::list_scope(&rc.actor)?, status);
    let (rows, total) = page_of(
        state.db(),
        select,
        support_request::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    let rows = rows.into_iter().map(SupportRequest::from_row);
    Ok((rows.collect::<AppResult<_>>()?, total))
}
