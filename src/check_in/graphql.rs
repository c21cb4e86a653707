//! GraphQL types and resolvers of check-ins.

use async_graphql::{Context, ID, InputObject, Object};
use uuid::Uuid;

use super::{
    model::{CheckIn, CheckInOrder, CheckInStatus, MAX_AGENDA, MAX_PRIVATE_TEXT, MAX_REASON},
    service::{self, CancelCheckIn, HeldMeeting, RecordCheckIn, ScheduleCheckIn},
};
use crate::{
    auth::policy::{self, Access},
    error::{AppError, AppResult},
    graphql::{batch_loaders, parse_id, request, to_id},
    mentorship::{graphql::MentorshipNode, loaders::MentorshipKey, model::Mentorship},
    people::{graphql::PersonNode, loaders::PersonKey, model::bounded_text},
    timestamp::Timestamp,
};

/// The order of a mentorship's check-ins.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CheckInOrderBy {
    /// As they were recorded (the default).
    #[default]
    CreatedAtAsc,
    /// The latest meeting first: by when it was held, or for one not held (planned,
    /// cancelled) when it was planned for; ties newest first.
    HeldAtDesc,
}

impl From<CheckInOrderBy> for CheckInOrder {
    fn from(order: CheckInOrderBy) -> Self {
        match order {
            CheckInOrderBy::CreatedAtAsc => Self::Created,
            CheckInOrderBy::HeldAtDesc => Self::Latest,
        }
    }
}

/// Queries about check-ins.
#[derive(Default)]
pub struct CheckInQuery;

#[Object]
impl CheckInQuery {
    /// A check-in, for whoever may see its mentorship.
    async fn check_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The check-in to read.")] id: ID,
    ) -> async_graphql::Result<CheckInNode> {
        let (state, rc) = request(ctx).await?;
        let (c, m) = service::check_in(state, rc, parse_id("id", &id)?).await?;
        Ok(CheckInNode::new(c, &m))
    }
}

/// Plan a meeting (the mentor or the mentee).
#[derive(InputObject)]
pub struct ScheduleCheckInInput {
    /// The caller's active mentorship (as mentor or mentee).
    pub mentorship_id: ID,
    /// Within the next year.
    pub scheduled_for: Timestamp,
    /// Visible to both participants and the council; at most 2,000 characters.
    pub agenda: Option<String>,
}

/// Record a held meeting: give `checkInId` for a planned one, or `mentorshipId` for an
/// unplanned one — exactly one of the two.
#[derive(InputObject)]
pub struct RecordCheckInInput {
    /// The planned check-in that took place.
    pub check_in_id: Option<ID>,
    /// The caller's active mentorship, for a meeting that was not planned.
    pub mentorship_id: Option<ID>,
    /// Not in the future.
    pub held_at: Timestamp,
    /// The mentee's plans (participants only; at most 5,000 characters).
    pub mentee_plans: Option<String>,
    /// What support the mentee needs (participants only; at most 5,000 characters).
    pub support_needs: Option<String>,
    /// Notes (participants only; at most 5,000 characters).
    pub notes: Option<String>,
}

/// Call a planned meeting off.
#[derive(InputObject)]
pub struct CancelCheckInInput {
    /// The planned check-in that will not take place.
    pub check_in_id: ID,
    /// At most 500 characters.
    pub reason: Option<String>,
}

impl TryFrom<RecordCheckInInput> for RecordCheckIn {
    type Error = AppError;

    fn try_from(input: RecordCheckInInput) -> AppResult<Self> {
        let meeting = match (&input.check_in_id, &input.mentorship_id) {
            (Some(id), None) => HeldMeeting::Planned(parse_id("input.checkInId", id)?),
            (None, Some(id)) => HeldMeeting::Unplanned(parse_id("input.mentorshipId", id)?),
            _ => {
                return Err(AppError::bad_input(
                    "input.checkInId",
                    "give exactly one of checkInId and mentorshipId",
                ));
            }
        };
        let private = |field: &str, value: &Option<String>| {
            bounded_text(field, value.as_deref(), MAX_PRIVATE_TEXT)
        };
        Ok(Self {
            meeting,
            held_at: input.held_at.into(),
            mentee_plans: private("input.menteePlans", &input.mentee_plans)?,
            support_needs: private("input.supportNeeds", &input.support_needs)?,
            notes: private("input.notes", &input.notes)?,
        })
    }
}

/// Meetings, logged by their participants.
#[derive(Default)]
pub struct CheckInMutation;

#[Object]
impl CheckInMutation {
    /// Plans a meeting of an active mentorship.
    async fn schedule_check_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The active mentorship and when the meeting is planned.")]
        input: ScheduleCheckInInput,
    ) -> async_graphql::Result<CheckInNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = ScheduleCheckIn {
            mentorship_id: parse_id("input.mentorshipId", &input.mentorship_id)?,
            scheduled_for: input.scheduled_for.into(),
            agenda: bounded_text("input.agenda", input.agenda.as_deref(), MAX_AGENDA)?,
        };
        let (c, m) = service::schedule_check_in(state, rc, cmd).await?;
        Ok(CheckInNode::new(c, &m))
    }

    /// Records a held meeting (a planned one, or one that just happened).
    async fn record_check_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The meeting held: a planned check-in, or a mentorship and when it happened, with what was discussed."
        )]
        input: RecordCheckInInput,
    ) -> async_graphql::Result<CheckInNode> {
        let (state, rc) = request(ctx).await?;
        let (c, m) = service::record_check_in(state, rc, input.try_into()?).await?;
        Ok(CheckInNode::new(c, &m))
    }

    /// Cancels a planned meeting.
    async fn cancel_check_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The planned meeting that will not happen.")] input: CancelCheckInInput,
    ) -> async_graphql::Result<CheckInNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = CancelCheckIn {
            check_in_id: parse_id("input.checkInId", &input.check_in_id)?,
            reason: bounded_text("input.reason", input.reason.as_deref(), MAX_REASON)?,
        };
        let (c, m) = service::cancel_check_in(state, rc, cmd).await?;
        Ok(CheckInNode::new(c, &m))
    }
}

/// A touch-base meeting.
pub struct CheckInNode {
    check_in: CheckIn,
    mentor_id: Uuid,
    mentee_id: Uuid,
}

impl CheckInNode {
    /// The node of a check-in of mentorship `m`.
    pub fn new(check_in: CheckIn, m: &Mentorship) -> Self {
        Self {
            check_in,
            mentor_id: m.mentor_id,
            mentee_id: m.mentee_id,
        }
    }

    async fn private(
        &self,
        ctx: &Context<'_>,
        value: &Option<String>,
    ) -> async_graphql::Result<Option<String>> {
        let (_, rc) = request(ctx).await?;
        let parties = policy::Parties {
            mentor: self.mentor_id,
            mentee: self.mentee_id,
            mentee_current_mentor: None,
        };
        let allowed = rc
            .actor
            .person()
            .is_some_and(|v| policy::can_read_check_in_notes(v, parties));
        Ok(if allowed { value.clone() } else { None })
    }
}

/// A touch-base meeting of a mentor and their mentee: planned, held or cancelled. A held
/// one restarts the yearly clock of its mentorship (see `Mentorship.nextCheckInDueBy`).
#[Object(name = "CheckIn")]
impl CheckInNode {
    /// The check-in's id.
    async fn id(&self) -> ID {
        to_id(self.check_in.id)
    }

    /// The mentorship the meeting belongs to.
    async fn mentorship(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<MentorshipNode>> {
        let m = batch_loaders(ctx)?
            .load_one(MentorshipKey(self.check_in.mentorship_id))
            .await?;
        Ok(m.map(MentorshipNode))
    }

    /// PLANNED, HELD or CANCELLED.
    async fn status(&self) -> CheckInStatus {
        self.check_in.status
    }

    /// When it was planned for; `null` for a meeting recorded without planning.
    async fn scheduled_for(&self) -> Option<Timestamp> {
        self.check_in.scheduled_for.map(Timestamp)
    }

    /// When it took place; `null` until it is recorded as held.
    async fn held_at(&self) -> Option<Timestamp> {
        self.check_in.held_at.map(Timestamp)
    }

    /// Visible to both participants and the council.
    async fn agenda(&self) -> Option<&str> {
        self.check_in.agenda.as_deref()
    }

    /// The two participants only; `null` for everyone else.
    async fn mentee_plans(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        self.private(ctx, &self.check_in.mentee_plans).await
    }

    /// The two participants only; `null` for everyone else.
    async fn support_needs(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        self.private(ctx, &self.check_in.support_needs).await
    }

    /// The two participants only; `null` for everyone else.
    async fn notes(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        self.private(ctx, &self.check_in.notes).await
    }

    /// Why it was called off.
    async fn cancel_reason(&self) -> Option<&str> {
        self.check_in.cancel_reason.as_deref()
    }

    /// Who planned or recorded it: the mentor or the mentee.
    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        let p = batch_loaders(ctx)?
            .load_one(PersonKey(self.check_in.created_by))
            .await?;
        Ok(p.map(|p| PersonNode::new(p, Access::Minimal)))
    }

    /// When it was first planned or recorded.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.check_in.created_at)
    }
}
