//! GraphQL types and resolvers of the inbox.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::{
    model::{Notification, NotificationKind},
    service::{self, MarkRead},
};
use crate::{
    error::AppError,
    graphql::{
        pagination::{Conn, Page, connection},
        parse_id, request, to_id,
    },
    timestamp::Timestamp,
};

/// The caller's inbox.
#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The caller's notifications, newest first.
    async fn my_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false, desc = "Only notifications not read yet.")] unread_only: bool,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<NotificationNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let (rows, total) = service::my_notifications(state, rc, unread_only, page).await?;
        Ok(connection(&page, rows, |n| n.id, NotificationNode, total))
    }

    /// How many of the caller's notifications are unread.
    async fn unread_notification_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let (state, rc) = request(ctx).await?;
        Ok(service::unread_count(state, rc).await?)
    }
}

/// Which notifications to mark read: `ids`, or `all: true` — exactly one.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// At most 100.
    pub ids: Option<Vec<ID>>,
    /// `true` marks every notification of the caller read.
    pub all: Option<bool>,
}

/// What marking did.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// Notifications that were unread and are read now.
    pub marked: u64,
    /// Unread notifications left.
    pub unread_count: u64,
}

/// Changes to the caller's inbox.
#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks the caller's notifications read.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which of the caller's notifications: listed ids, or all of them.")]
        input: MarkNotificationsReadInput,
    ) -> async_graphql::Result<MarkNotificationsReadPayload> {
        let (state, rc) = request(ctx).await?;
        let (marked, unread_count) =
            service::mark_notifications_read(state, rc, input.try_into()?).await?;
        Ok(MarkNotificationsReadPayload {
            marked,
            unread_count,
        })
    }
}

impl TryFrom<MarkNotificationsReadInput> for MarkRead {
    type Error = AppError;

    fn try_from(input: MarkNotificationsReadInput) -> Result<Self, AppError> {
        match (input.ids, input.all) {
            (Some(ids), None | Some(false)) => Ok(Self::Ids(
                ids.iter()
                    .map(|id| parse_id("input.ids", id))
                    .collect::<Result<_, _>>()?,
            )),
            (None, Some(true)) => Ok(Self::All),
            _ => Err(AppError::bad_input("input.ids", "give ids, or all: true")),
        }
    }
}

/// One entry of the inbox.
pub struct NotificationNode(pub Notification);

/// A message to one person in their in-app inbox: an assignment, a reply, an announcement,
/// a check-in due, ….
#[Object(name = "Notification")]
impl NotificationNode {
    /// Its unique, stable id (what inputs and lookups take).
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// What it is about, for clients to pick an icon and a link.
    async fn kind(&self) -> NotificationKind {
        self.0.kind
    }

    /// A one-line summary, as an inbox lists it.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The message in full; never a private note or a confidential request's text.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// What it is about: a mentorship, a support request, …
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject_id.map(to_id)
    }

    /// When it was sent.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// `null` while unread.
    async fn read_at(&self) -> Option<Timestamp> {
        self.0.read_at.map(Timestamp)
    }
}

/// Live inbox.
#[derive(Default)]
pub struct NotificationSubscription;

#[async_graphql::Subscription]
impl NotificationSubscription {
    /// Each new notification of the signed-in person, as it is committed.
    async fn notification_received(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = NotificationNode> + use<>> {
        let (state, rc) = request(ctx).await?;
        let inbox = service::live_inbox(state, rc).await?;
        Ok(futures_util::StreamExt::map(inbox, NotificationNode))
    }
}
