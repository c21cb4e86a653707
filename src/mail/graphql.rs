//! `updateNotificationPreferences`, and `mailDeliveries` for the council.

use async_graphql::{Context, ID, InputObject, Object};

pub use super::nodes::NotificationPreferences;
use super::{preferences, query};
use crate::{
    auth::policy::Access,
    graphql::{
        pagination::{Conn, Page, connection},
        request, to_id,
    },
    notifications::model::{EmailPreference, MailStatus},
    people::graphql::PersonNode,
    timestamp::Timestamp,
};

/// How notifications reach the caller.
#[derive(InputObject)]
pub struct NotificationPreferencesInput {
    /// By e-mail: at once, in one daily summary at 08:00 in the caller's time zone, or not
    /// at all. The in-app inbox gets every notification whatever is chosen here.
    pub email: EmailPreference,
}

/// Mail preferences.
#[derive(Default)]
pub struct MailMutation;

#[Object]
impl MailMutation {
    /// Sets how notifications reach the caller by e-mail. OFF also cancels mails not sent
    /// yet. Any signed-in person, for themselves.
    async fn update_notification_preferences(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new preferences.")] input: NotificationPreferencesInput,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        let person = preferences::update(state, rc, input.email).await?;
        Ok(PersonNode::new(person, Access::Full))
    }
}

/// The council's view of the mail outbox.
#[derive(Default)]
pub struct MailQuery;

#[Object]
impl MailQuery {
    /// Mails of the outbox, newest first — to see what failed and why (council only). The
    /// content of a mail is never shown, only whom it was for and how its tries went.
    async fn mail_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only mails in this state (FAILED for the ones to look at); omit for all."
        )]
        status: Option<MailStatus>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<MailDelivery>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let (rows, total) = query::deliveries(state, rc, status, page).await?;
        Ok(connection(&page, rows, |r| r.id, MailDelivery, total))
    }
}

/// One mail of the outbox: a notification, or a day's digest of several, for one person.
pub struct MailDelivery(entity::mail_delivery::Model);

/// One mail of the outbox: a notification, or a day's digest of several, for one person —
/// whom it is for and how its tries went, never what it says.
#[Object]
impl MailDelivery {
    /// Its unique, stable id.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The recipient's person id.
    async fn recipient_id(&self) -> ID {
        to_id(self.0.person_id)
    }

    /// Whether it is a daily digest.
    async fn digest(&self) -> bool {
        self.0.digest
    }

    /// Where it stands.
    async fn status(&self) -> async_graphql::Result<MailStatus> {
        Ok(MailStatus::from_db(&self.0.status)?)
    }

    /// Tries so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// The relay's last refusal, or why it was cancelled; never the mail's content.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// When it is (or was last) due to be tried.
    async fn due_at(&self) -> Timestamp {
        Timestamp(self.0.due_at)
    }

    /// When it was written.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When the relay took it.
    async fn sent_at(&self) -> Option<Timestamp> {
        self.0.sent_at.map(Timestamp)
    }
}
