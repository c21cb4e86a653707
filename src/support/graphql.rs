//! GraphQL types and resolvers of support requests.

use async_graphql::{Context, ID, InputObject, Object};
use entity::support_message;

use super::{
    model::{
        MAX_MESSAGE, MAX_SUBJECT, SupportCategory, SupportMessage, SupportRecipient,
        SupportRequest, SupportRequestStatus,
    },
    service::{self, OpenSupportRequest},
    watch,
};
use crate::{
    auth::policy::Access,
    db::batch::Sort,
    error::AppError,
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection, nested_page},
        parse_id, request, to_id,
    },
    people::{graphql::PersonNode, loaders::PersonKey, model::bounded_text},
    timestamp::Timestamp,
};

fn required_text(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    bounded_text(field, Some(raw), max)?
        .ok_or_else(|| AppError::bad_input(field, "must not be empty"))
}

/// Which requests to list.
#[derive(InputObject, Default)]
pub struct SupportRequestFilter {
    /// Only requests in this status.
    pub status: Option<SupportRequestStatus>,
}

/// Support requests the caller may see.
#[derive(Default)]
pub struct SupportQuery;

#[Object]
impl SupportQuery {
    /// One request: for its requester, the mentor addressed (unless confidential) and the
    /// council; NOT_FOUND for anyone else.
    async fn support_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request to read.")] id: ID,
    ) -> async_graphql::Result<SupportRequestNode> {
        let (state, rc) = request(ctx).await?;
        Ok(SupportRequestNode(
            service::support_request(state, rc, parse_id("id", &id)?).await?,
        ))
    }

    /// The caller's requests and those addressed to them; every request for the council.
    async fn support_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests in this status; omit for all the caller may see.")]
        filter: Option<SupportRequestFilter>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<SupportRequestNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let status = filter.and_then(|f| f.status);
        let (rows, total) = service::support_requests(state, rc, status, page).await?;
        Ok(connection(&page, rows, |r| r.id, SupportRequestNode, total))
    }
}

/// Reach out to the mentor or the council.
#[derive(InputObject)]
pub struct OpenSupportRequestInput {
    /// The caller's mentor, or the council; a request to the mentor goes to the council
    /// when there is no available mentor.
    pub recipient: SupportRecipient,
    /// What kind of help, for routing and the council's figures.
    #[graphql(default_with = "SupportCategory::General")]
    pub category: SupportCategory,
    /// 1–200 characters.
    pub subject: String,
    /// The first message, 1–5,000 characters.
    pub message: String,
    /// Hide it from the mentor (always so for MENTOR_CHANGE).
    #[graphql(default = false)]
    pub confidential: bool,
}

/// Add to a thread.
#[derive(InputObject)]
pub struct ReplyToSupportRequestInput {
    /// The request answered; one the caller may see, not yet resolved or closed.
    pub request_id: ID,
    /// 1–5,000 characters.
    pub message: String,
}

/// End a request.
#[derive(InputObject)]
pub struct ResolveSupportRequestInput {
    /// The request to end; one the caller may see.
    pub request_id: ID,
    /// RESOLVED (default) or CLOSED.
    #[graphql(default_with = "SupportRequestStatus::Resolved")]
    pub status: SupportRequestStatus,
    /// A last message, at most 5,000 characters.
    pub note: Option<String>,
}

/// Reaching out.
#[derive(Default)]
pub struct SupportMutation;

#[Object]
impl SupportMutation {
    /// Opens a request; a request to the mentor goes to the council when there is no
    /// available mentor (see `routingNote`).
    async fn open_support_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Who the request is for (the mentor or the council), what it is about and the first message."
        )]
        input: OpenSupportRequestInput,
    ) -> async_graphql::Result<SupportRequestNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = OpenSupportRequest {
            recipient: input.recipient,
            category: input.category,
            subject: required_text("input.subject", &input.subject, MAX_SUBJECT)?,
            message: required_text("input.message", &input.message, MAX_MESSAGE)?,
            confidential: input.confidential,
        };
        Ok(SupportRequestNode(
            service::open_support_request(state, rc, cmd).await?,
        ))
    }

    /// Replies in a thread.
    async fn reply_to_support_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request and the reply.")] input: ReplyToSupportRequestInput,
    ) -> async_graphql::Result<SupportRequestNode> {
        let (state, rc) = request(ctx).await?;
        let id = parse_id("input.requestId", &input.request_id)?;
        let message = required_text("input.message", &input.message, MAX_MESSAGE)?;
        Ok(SupportRequestNode(
            service::reply_to_support_request(state, rc, id, message).await?,
        ))
    }

    /// Resolves or closes a request.
    async fn resolve_support_request(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request, RESOLVED or CLOSED, and a note.")]
        input: ResolveSupportRequestInput,
    ) -> async_graphql::Result<SupportRequestNode> {
        let (state, rc) = request(ctx).await?;
        let id = parse_id("input.requestId", &input.request_id)?;
        let note = bounded_text("input.note", input.note.as_deref(), MAX_MESSAGE)?;
        Ok(SupportRequestNode(
            service::resolve_support_request(state, rc, id, input.status, note).await?,
        ))
    }
}

/// A rep reaching out.
pub struct SupportRequestNode(pub SupportRequest);

impl SupportRequestNode {
    async fn person(
        &self,
        ctx: &Context<'_>,
        id: uuid::Uuid,
    ) -> async_graphql::Result<Option<PersonNode>> {
        let p = batch_loaders(ctx)?.load_one(PersonKey(id)).await?;
        Ok(p.map(|p| PersonNode::new(p, Access::Minimal)))
    }
}

/// A rep asking for help ("reach out to their mentors when they need help"): a thread with
/// the mentor or the council, escalated to the council when the mentor does not answer in
/// time.
#[Object(name = "SupportRequest")]
impl SupportRequestNode {
    /// The request's id.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The rep who asked for help.
    async fn requester(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        self.person(ctx, self.0.requester_id).await
    }

    /// Whom it went to after routing.
    async fn recipient(&self) -> SupportRecipient {
        self.0.recipient
    }

    /// The mentor addressed, when it went to the mentor.
    async fn assigned_mentor(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<PersonNode>> {
        match self.0.assigned_mentor_id {
            Some(id) => self.person(ctx, id).await,
            None => Ok(None),
        }
    }

    /// What kind of help is asked for.
    async fn category(&self) -> SupportCategory {
        self.0.category
    }

    /// The request's one-line summary.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// Hidden from the mentor.
    async fn confidential(&self) -> bool {
        self.0.confidential
    }

    /// Where it stands: open, acknowledged, escalated, resolved or closed.
    async fn status(&self) -> SupportRequestStatus {
        self.0.status
    }

    /// Why it went where it went (e.g. no available mentor).
    async fn routing_note(&self) -> Option<&str> {
        self.0.routing_note.as_deref()
    }

    /// The thread, oldest first (the first message opened the request).
    async fn messages(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<SupportMessageNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let id = self.0.id;
        let later = || service::messages(state, rc, id, page);
        let (rows, total) =
            nested_page::<support_message::Entity, _, _>(ctx, id, (&page, Sort::Created), later)
                .await?;
        Ok(connection(&page, rows, |m| m.id, SupportMessageNode, total))
    }

    /// When the rep opened it.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When someone other than the requester first replied; `null` until then.
    async fn first_response_at(&self) -> Option<Timestamp> {
        self.0.first_response_at.map(Timestamp)
    }

    /// When it went to the council for want of a timely answer; `null` if it did not.
    async fn escalated_at(&self) -> Option<Timestamp> {
        self.0.escalated_at.map(Timestamp)
    }

    /// When it was resolved or closed; `null` while open.
    async fn resolved_at(&self) -> Option<Timestamp> {
        self.0.resolved_at.map(Timestamp)
    }
}

/// One message of a thread.
pub struct SupportMessageNode(SupportMessage);

/// One message of a support request's thread.
#[Object(name = "SupportMessage")]
impl SupportMessageNode {
    /// The message's id.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Who wrote it: the requester, the mentor or a council member.
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        let p = batch_loaders(ctx)?
            .load_one(PersonKey(self.0.author_id))
            .await?;
        Ok(p.map(|p| PersonNode::new(p, Access::Minimal)))
    }

    /// What they wrote.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// When it was sent.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// Live support threads.
#[derive(Default)]
pub struct SupportSubscription;

#[async_graphql::Subscription]
impl SupportSubscription {
    /// The request each time it changes (a reply, a status); ends when the caller can no
    /// longer see it. NOT_FOUND for a request the caller cannot see.
    async fn support_request_updated(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The request to follow; one the caller may see.")] id: ID,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = SupportRequestNode> + use<>> {
        let (state, rc) = request(ctx).await?;
        let changes = watch::support_request_updates(state, rc, parse_id("id", &id)?).await?;
        Ok(futures_util::StreamExt::map(changes, SupportRequestNode))
    }
}
