//! `rotateCalendarFeedUrl` (the URL itself is `Person.calendarFeedUrl`, on `me`).

use async_graphql::{Context, Object};

use super::token;
use crate::{auth::policy::Access, graphql::request, people::graphql::PersonNode};

/// Calendar feeds.
#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Gives the caller a new calendar feed URL (read it as `calendarFeedUrl`); every
    /// earlier URL answers 404 from now on — for a URL shared by mistake. Any signed-in
    /// person, for themselves.
    async fn rotate_calendar_feed_url(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        Ok(PersonNode::new(
            token::rotate(state, rc).await?,
            Access::Full,
        ))
    }
}
