//! GraphQL types and resolvers of mentorships.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::{
    assign::{self, AssignMentor, ReassignMentor},
    due,
    end::{self, EndMentorship},
    input::{AssignMentorInput, EndMentorshipInput, MentorshipFilterInput, ReassignMentorInput},
    loaders::LastHeld,
    model::{Mentorship, MentorshipEndReason, MentorshipStatus},
    query, suggest,
};
use crate::{
    auth::policy::{self, Access},
    check_in::{
        graphql::{CheckInNode, CheckInOrderBy},
        model::{CheckIn, CheckInOrder},
    },
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection, nested_page},
        parse_id, request, to_id,
    },
    people::{graphql::PersonNode, loaders::PersonKey, model::bounded_text},
    timestamp::Timestamp,
};

/// Longest assignment or ending note.
pub const MAX_NOTE: usize = 2_000;

/// Queries about mentorships.
#[derive(Default)]
pub struct MentorshipQuery;

#[Object]
impl MentorshipQuery {
    /// A mentorship: for its mentee, its mentor (also after it ended), the mentee's current
    /// mentor and the council; NOT_FOUND for anyone else.
    async fn mentorship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mentorship to read.")] id: ID,
    ) -> async_graphql::Result<MentorshipNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorshipNode(
            query::mentorship(state, rc, parse_id("id", &id)?).await?,
        ))
    }

    /// All mentorships (council), in assignment order.
    async fn mentorships(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only mentorships matching every field given; omit for all.")]
        filter: Option<MentorshipFilterInput>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<MentorshipNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().try_into()?;
        let (rows, total) = query::mentorships(state, rc, filter, page).await?;
        Ok(connection(&page, rows, |m| m.id, MentorshipNode, total))
    }

    /// Mentors ranked for a mentee (council): ACTIVE, accepting, with a free slot; the
    /// current mentor left out.
    async fn mentor_suggestions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mentee who needs a mentor (or a new one).")] mentee_id: ID,
        #[graphql(
            default = 5,
            desc = "How many mentors to suggest, best match first: 1 to 50."
        )]
        first: i32,
    ) -> async_graphql::Result<Vec<MentorSuggestionNode>> {
        let (state, rc) = request(ctx).await?;
        let mentee = parse_id("menteeId", &mentee_id)?;
        let ranked = suggest::mentor_suggestions(state, rc, mentee, first).await?;
        Ok(ranked.into_iter().map(MentorSuggestionNode).collect())
    }
}

/// Council changes to mentorships.
#[derive(Default)]
pub struct MentorshipMutation;

#[Object]
impl MentorshipMutation {
    /// Assigns a mentor to a mentee who has none (council).
    async fn assign_mentor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mentee who has no mentor and the mentor to pair them with.")]
        input: AssignMentorInput,
    ) -> async_graphql::Result<MentorshipNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = AssignMentor {
            mentee_id: parse_id("input.menteeId", &input.mentee_id)?,
            mentor_id: parse_id("input.mentorId", &input.mentor_id)?,
            note: bounded_text("input.note", input.note.as_deref(), MAX_NOTE)?,
            allow_over_capacity: input.allow_over_capacity,
        };
        Ok(MentorshipNode(assign::assign_mentor(state, rc, cmd).await?))
    }

    /// Ends the mentee's mentorship and starts one with the new mentor, atomically
    /// (council). Returns the new mentorship.
    async fn reassign_mentor(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The mentee, their new mentor, and whether the new mentor may go over capacity."
        )]
        input: ReassignMentorInput,
    ) -> async_graphql::Result<MentorshipNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = ReassignMentor {
            mentee_id: parse_id("input.menteeId", &input.mentee_id)?,
            new_mentor_id: parse_id("input.newMentorId", &input.new_mentor_id)?,
            reason: input.reason,
            note: bounded_text("input.note", input.note.as_deref(), MAX_NOTE)?,
            allow_over_capacity: input.allow_over_capacity,
        };
        Ok(MentorshipNode(
            assign::reassign_mentor(state, rc, cmd).await?,
        ))
    }

    /// Ends a mentorship (council). Ended mentorships never change again.
    async fn end_mentorship(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mentorship to end, with the reason and a note.")]
        input: EndMentorshipInput,
    ) -> async_graphql::Result<MentorshipNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = EndMentorship {
            mentorship_id: parse_id("input.mentorshipId", &input.mentorship_id)?,
            reason: input.reason,
            note: bounded_text("input.note", input.note.as_deref(), MAX_NOTE)?,
        };
        Ok(MentorshipNode(end::end_mentorship(state, rc, cmd).await?))
    }
}

/// A mentor → mentee assignment.
pub struct MentorshipNode(pub Mentorship);

impl MentorshipNode {
    async fn person(
        &self,
        ctx: &Context<'_>,
        id: uuid::Uuid,
    ) -> async_graphql::Result<Option<PersonNode>> {
        let person = batch_loaders(ctx)?.load_one(PersonKey(id)).await?;
        Ok(person.map(|p| PersonNode::new(p, Access::Minimal)))
    }

    async fn last_held(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(batch_loaders(ctx)?.load_one(LastHeld(self.0.id)).await?)
    }

    /// Council and the two parties see the notes; a later mentor does not.
    async fn sees_notes(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let (_, rc) = request(ctx).await?;
        Ok(rc.actor.person().is_some_and(|v| {
            policy::can_read_mentorship_notes(v, self.0.mentor_id, self.0.mentee_id)
        }))
    }
}

/// A mentor supporting one rep, from assignment until it ends: the pair meets at least
/// once a year ("touch base"), and the mentor is the rep's first contact for help.
#[Object(name = "Mentorship")]
impl MentorshipNode {
    /// The mentorship's id.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Who supports the rep; `null` only when the caller may no longer see that person.
    async fn mentor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        self.person(ctx, self.0.mentor_id).await
    }

    /// The rep being supported; `null` only when the caller may no longer see them.
    async fn mentee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        self.person(ctx, self.0.mentee_id).await
    }

    /// ACTIVE until it ends; a mentee has at most one active mentorship.
    async fn status(&self) -> MentorshipStatus {
        self.0.status
    }

    /// When the mentor was assigned.
    async fn started_at(&self) -> Timestamp {
        Timestamp(self.0.started_at)
    }

    /// When it ended; `null` while active.
    async fn ended_at(&self) -> Option<Timestamp> {
        self.0.ended_at.map(Timestamp)
    }

    /// Why it ended; `null` while active.
    async fn end_reason(&self) -> Option<MentorshipEndReason> {
        self.0.end_reason
    }

    /// Why it was assigned (council and the two parties).
    async fn note(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .sees_notes(ctx)
            .await?
            .then(|| self.0.note.clone())
            .flatten())
    }

    /// Why it ended (council and the two parties).
    async fn end_note(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .sees_notes(ctx)
            .await?
            .then(|| self.0.end_note.clone())
            .flatten())
    }

    /// The council member who assigned it.
    async fn assigned_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        match self.0.assigned_by {
            Some(id) => self.person(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Assigned beyond the mentor's capacity by explicit council override.
    async fn over_capacity(&self) -> bool {
        self.0.over_capacity
    }

    /// Its touch-base meetings, in creation order unless `orderBy` says otherwise
    /// (`HELD_AT_DESC`: the latest meeting first, as a portal shows them).
    async fn check_ins(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
        #[graphql(
            default,
            desc = "Creation order (default), or the latest meeting first."
        )]
        order_by: CheckInOrderBy,
    ) -> async_graphql::Result<Conn<CheckInNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let order = CheckInOrder::from(order_by);
        let later = || crate::check_in::service::of_mentorship(state, rc, &self.0, (page, order));
        let (rows, total) = nested_page::<entity::check_in::Entity, CheckIn, _>(
            ctx,
            self.0.id,
            (&page, order.sort()),
            later,
        )
        .await?;
        let m = self.0.clone();
        Ok(connection(
            &page,
            rows,
            |c| c.id,
            |c| CheckInNode::new(c, &m),
            total,
        ))
    }

    /// When the last meeting was held.
    async fn last_check_in_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Timestamp>> {
        Ok(self.last_held(ctx).await?.map(Timestamp))
    }

    /// When the next meeting is due: a year after the last held one, or 30 days after the
    /// start when none was held (configurable). `null` once ended.
    async fn next_check_in_due_by(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Timestamp>> {
        let (state, _) = request(ctx).await?;
        let last = self.last_held(ctx).await?;
        Ok(due::next_due(&self.0, last, state.settings()).map(Timestamp))
    }

    /// Whether the next meeting is past due.
    async fn check_in_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let (state, _) = request(ctx).await?;
        let now = state.clock().now();
        Ok(due::is_overdue(
            &self.0,
            self.last_held(ctx).await?,
            state.settings(),
            now,
        ))
    }
}

/// A ranked mentor for a mentee.
pub struct MentorSuggestionNode(suggest::Suggestion);

/// A mentor who could take a mentee, with how well they match and why.
#[Object(name = "MentorSuggestion")]
impl MentorSuggestionNode {
    /// The mentor.
    async fn mentor(&self) -> PersonNode {
        PersonNode::new(self.0.mentor.clone(), Access::Public)
    }

    /// Higher is a better match: shared languages 3 each (up to 2), same country 2, time
    /// zones up to 2 (closer is more), 0.4 per free slot (up to 5).
    async fn score(&self) -> f64 {
        self.0.score
    }

    /// Why, in words: `speaks es`, `same country`, `3 free slots`.
    async fn reasons(&self) -> &[String] {
        &self.0.reasons
    }

    /// Slots left before capacity.
    async fn free_slots(&self) -> i32 {
        self.0.free_slots as i32
    }
}
