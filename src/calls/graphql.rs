//! GraphQL types and resolvers of mentor calls.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use super::{
    loaders::{AttendanceOf, InvitationOf},
    model::{
        MAX_ACTION_ITEM, MAX_ACTION_ITEMS, MAX_AGENDA, MAX_LINK, MAX_MINUTES, MentorCall,
        MentorCallStatus, Rsvp,
    },
    query,
    record::{self, RecordMentorCall},
    rsvp,
    schedule::{self, ScheduleMentorCall},
};
use crate::{
    auth::policy::{self, Access},
    error::{AppError, AppResult},
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection},
        parse_id, request, to_id,
    },
    people::{graphql::PersonNode, loaders::PersonKey, model::bounded_text},
    timestamp::Timestamp,
};

/// Mentor calls.
#[derive(Default)]
pub struct CallQuery;

#[Object]
impl CallQuery {
    /// A call: for the council and the mentors invited.
    async fn mentor_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The call to read.")] id: ID,
    ) -> async_graphql::Result<MentorCallNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorCallNode(
            query::mentor_call(state, rc, parse_id("id", &id)?).await?,
        ))
    }

    /// Calls the caller was invited to (all, for the council), in scheduling order.
    async fn mentor_calls(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<MentorCallNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let (rows, total) = query::mentor_calls(state, rc, page).await?;
        Ok(connection(&page, rows, |c| c.id, MentorCallNode, total))
    }
}

/// A new call (council).
#[derive(InputObject)]
pub struct ScheduleMentorCallInput {
    /// Within the next year.
    pub scheduled_for: Timestamp,
    /// 1–5,000 characters.
    pub agenda: String,
    /// Where to join: an http(s) URL of at most 500 characters.
    pub link: Option<String>,
}

/// What happened in a call (council).
#[derive(InputObject)]
pub struct RecordMentorCallInput {
    /// The call that took place (not yet recorded).
    pub call_id: ID,
    /// The invited mentors who attended; everyone else invited missed it.
    #[graphql(default)]
    pub attended_mentor_ids: Vec<ID>,
    /// At most 20,000 characters.
    pub minutes: Option<String>,
    /// Up to 50 items of at most 500 characters.
    #[graphql(default)]
    pub action_items: Vec<String>,
    /// Relay-required announcements carrying the call's outcome.
    #[graphql(default)]
    pub announcement_ids: Vec<ID>,
}

/// Mentor calls.
#[derive(Default)]
pub struct CallMutation;

#[Object]
impl CallMutation {
    /// Schedules a call and invites every mentor (council).
    async fn schedule_mentor_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "When the call is, its agenda and link; every mentor is invited.")]
        input: ScheduleMentorCallInput,
    ) -> async_graphql::Result<MentorCallNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = input.try_into()?;
        Ok(MentorCallNode(
            schedule::schedule_mentor_call(state, rc, cmd).await?,
        ))
    }

    /// Answers an invitation.
    async fn rsvp_mentor_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The call the caller (an invited mentor) answers.")] call_id: ID,
        #[graphql(desc = "Whether the caller will attend.")] response: Rsvp,
    ) -> async_graphql::Result<MentorCallNode> {
        let (state, rc) = request(ctx).await?;
        let id = parse_id("callId", &call_id)?;
        Ok(MentorCallNode(
            rsvp::rsvp_mentor_call(state, rc, id, response).await?,
        ))
    }

    /// Records attendance, minutes, action items and announcements to relay (council).
    async fn record_mentor_call(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Who attended, the minutes, the action items and the announcements to relay."
        )]
        input: RecordMentorCallInput,
    ) -> async_graphql::Result<MentorCallNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = input.try_into()?;
        Ok(MentorCallNode(
            record::record_mentor_call(state, rc, cmd).await?,
        ))
    }
}

impl TryFrom<ScheduleMentorCallInput> for ScheduleMentorCall {
    type Error = AppError;

    fn try_from(input: ScheduleMentorCallInput) -> AppResult<Self> {
        let link = bounded_text("input.link", input.link.as_deref(), MAX_LINK)?;
        let web =
            |l: &str| url::Url::parse(l).is_ok_and(|u| matches!(u.scheme(), "https" | "http"));
        if link.as_deref().is_some_and(|l| !web(l)) {
            return Err(AppError::bad_input("input.link", "must be an http(s) URL"));
        }
        Ok(Self {
            scheduled_for: input.scheduled_for.into(),
            agenda: bounded_text("input.agenda", Some(&input.agenda), MAX_AGENDA)?
                .ok_or_else(|| AppError::bad_input("input.agenda", "must not be empty"))?,
            link,
        })
    }
}

impl TryFrom<RecordMentorCallInput> for RecordMentorCall {
    type Error = AppError;

    fn try_from(input: RecordMentorCallInput) -> AppResult<Self> {
        if input.action_items.len() > MAX_ACTION_ITEMS {
            return Err(AppError::bad_input(
                "input.actionItems",
                format!("at most {MAX_ACTION_ITEMS}"),
            ));
        }
        let ids = |field: &str, ids: &[ID]| -> AppResult<Vec<_>> {
            ids.iter().map(|id| parse_id(field, id)).collect()
        };
        let item = |i: &String| {
            bounded_text("input.actionItems", Some(i), MAX_ACTION_ITEM)?
                .ok_or_else(|| AppError::bad_input("input.actionItems", "items must not be empty"))
        };
        Ok(Self {
            call_id: parse_id("input.callId", &input.call_id)?,
            attended: ids("input.attendedMentorIds", &input.attended_mentor_ids)?,
            minutes: bounded_text("input.minutes", input.minutes.as_deref(), MAX_MINUTES)?,
            action_items: input
                .action_items
                .iter()
                .map(item)
                .collect::<AppResult<_>>()?,
            announcement_ids: ids("input.announcementIds", &input.announcement_ids)?,
        })
    }
}

/// One invited mentor's RSVP and attendance.
#[derive(SimpleObject)]
pub struct CallAttendance {
    /// The invited mentor.
    pub mentor: Option<PersonNode>,
    /// Their answer to the invitation; `null` when they did not answer.
    pub rsvp: Option<Rsvp>,
    /// `null` until the call is recorded.
    pub attended: Option<bool>,
}

pub struct MentorCallNode(pub MentorCall);

/// A call of the council with every mentor ("mentor calls"): invitations and RSVPs before,
/// attendance, minutes and action items after; missing calls repeatedly raises an alert.
#[Object(name = "MentorCall")]
impl MentorCallNode {
    /// The call's id.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// When the call starts.
    async fn scheduled_for(&self) -> Timestamp {
        Timestamp(self.0.scheduled_for)
    }

    /// What the call will cover.
    async fn agenda(&self) -> &str {
        &self.0.agenda
    }

    /// Where to join it (a video-call URL), when given.
    async fn link(&self) -> Option<&str> {
        self.0.link.as_deref()
    }

    /// SCHEDULED until the council records it as HELD.
    async fn status(&self) -> MentorCallStatus {
        self.0.status
    }

    /// What was said, once recorded.
    async fn minutes(&self) -> Option<&str> {
        self.0.minutes.as_deref()
    }

    /// What was agreed to do, once recorded.
    async fn action_items(&self) -> &[String] {
        &self.0.action_items
    }

    /// The caller's RSVP.
    async fn my_rsvp(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Rsvp>> {
        let (_, rc) = request(ctx).await?;
        let Some(me) = rc.actor.person() else {
            return Ok(None);
        };
        let mine = batch_loaders(ctx)?
            .load_one(InvitationOf(self.0.id, me.id))
            .await?;
        Ok(mine.and_then(|i| i.rsvp))
    }

    /// Every invited mentor with RSVP and attendance (council only).
    async fn attendance(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Vec<CallAttendance>>> {
        let (_, rc) = request(ctx).await?;
        if !policy::sees_oversight(&rc.actor) {
            return Ok(None);
        }
        let rows = batch_loaders(ctx)?
            .load_one(AttendanceOf(self.0.id))
            .await?
            .unwrap_or_default();
        let people = batch_loaders(ctx)?
            .load_many(rows.iter().map(|r| PersonKey(r.mentor_id)))
            .await?;
        Ok(Some(
            rows.into_iter()
                .map(|r| CallAttendance {
                    mentor: people
                        .get(&PersonKey(r.mentor_id))
                        .cloned()
                        .map(|p| PersonNode::new(p, Access::Public)),
                    rsvp: r.rsvp,
                    attended: r.attended,
                })
                .collect(),
        ))
    }
}
