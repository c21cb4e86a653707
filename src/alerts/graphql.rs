//! GraphQL types and resolvers of mentor alerts.

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    model::{MAX_REASSIGNMENTS, MAX_TEXT, MentorAlert, MentorAlertKind, MentorAlertStatus},
    query,
    report::{self, ReportMentorLoad},
    resolve::{self, Move, ResolveMentorAlert},
};
use crate::{
    auth::policy::Access,
    error::{AppError, AppResult},
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection},
        parse_id, request, to_id,
    },
    mentor::model::MentorStatus,
    people::{graphql::PersonNode, loaders::PersonKey, model::bounded_text},
    timestamp::Timestamp,
};

/// Which alerts to list.
#[derive(InputObject, Default)]
pub struct MentorAlertFilter {
    /// Only open, or only resolved, alerts.
    pub status: Option<MentorAlertStatus>,
    /// Only alerts of this kind.
    pub kind: Option<MentorAlertKind>,
    /// Council only; others always see their own.
    pub mentor_id: Option<ID>,
}

/// Mentor alerts.
#[derive(Default)]
pub struct AlertQuery;

#[Object]
impl AlertQuery {
    /// Alerts, oldest first: all for the council, one's own for a mentor.
    async fn mentor_alerts(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only alerts of this mentor, kind or status; omit for all the caller may see."
        )]
        filter: Option<MentorAlertFilter>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<MentorAlertNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let f = filter.unwrap_or_default();
        let mentor = f
            .mentor_id
            .as_ref()
            .map(|id| parse_id("filter.mentorId", id))
            .transpose()?;
        let (rows, total) = query::mentor_alerts(state, rc, mentor, f.status, f.kind, page).await?;
        Ok(connection(&page, rows, |a| a.id, MentorAlertNode, total))
    }
}

/// A mentor telling the council about their load.
#[derive(InputObject)]
pub struct ReportMentorLoadInput {
    /// OVERWHELMED, NEEDS_BREAK or STEPPING_DOWN.
    pub kind: MentorAlertKind,
    /// At most 2,000 characters.
    pub message: Option<String>,
    /// For NEEDS_BREAK: back on this date (within the next year).
    pub return_on: Option<Timestamp>,
}

/// One mentee to move.
#[derive(InputObject)]
pub struct ReassignmentInput {
    /// A current mentee of the alert's mentor.
    pub mentee_id: ID,
    /// The mentor they move to.
    pub new_mentor_id: ID,
    /// Move even beyond the new mentor's capacity (audited).
    #[graphql(default = false)]
    pub allow_over_capacity: bool,
}

/// The council's answer to an alert.
#[derive(InputObject)]
pub struct ResolveMentorAlertInput {
    /// The open alert answered.
    pub alert_id: ID,
    /// 1–2,000 characters; sent to the mentor.
    pub resolution: String,
    /// The mentor's status from now on.
    pub mentor_status: Option<MentorStatus>,
    /// Mentees to move, at most 50; all of them or none.
    #[graphql(default)]
    pub reassignments: Vec<ReassignmentInput>,
}

/// Mentor load and alerts.
#[derive(Default)]
pub struct AlertMutation;

#[Object]
impl AlertMutation {
    /// Tells the council the caller (a mentor) is overwhelmed, needs a break or steps down.
    async fn report_mentor_load(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What the mentor reports (overwhelmed, a break, stepping down) with a message."
        )]
        input: ReportMentorLoadInput,
    ) -> async_graphql::Result<MentorAlertNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorAlertNode(
            report::report_mentor_load(state, rc, input.try_into()?).await?,
        ))
    }

    /// Resolves an alert (council): re-assignments, the mentor's status and the resolution,
    /// all or nothing.
    async fn resolve_mentor_alert(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The alert, the re-assignments it takes, the mentor's new status and the resolution."
        )]
        input: ResolveMentorAlertInput,
    ) -> async_graphql::Result<MentorAlertNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorAlertNode(
            resolve::resolve_mentor_alert(state, rc, input.try_into()?).await?,
        ))
    }
}

impl TryFrom<ReportMentorLoadInput> for ReportMentorLoad {
    type Error = AppError;

    fn try_from(input: ReportMentorLoadInput) -> AppResult<Self> {
        Ok(Self {
            kind: input.kind,
            message: bounded_text("input.message", input.message.as_deref(), MAX_TEXT)?,
            return_on: input.return_on.map(|t| t.0),
        })
    }
}

impl TryFrom<ResolveMentorAlertInput> for ResolveMentorAlert {
    type Error = AppError;

    fn try_from(input: ResolveMentorAlertInput) -> AppResult<Self> {
        if input.reassignments.len() > MAX_REASSIGNMENTS {
            return Err(AppError::bad_input(
                "input.reassignments",
                format!("at most {MAX_REASSIGNMENTS}"),
            ));
        }
        let step = |(i, r): (usize, &ReassignmentInput)| {
            let id =
                |field: &str, id: &ID| parse_id(&format!("input.reassignments.{i}.{field}"), id);
            Ok(Move {
                mentee_id: id("menteeId", &r.mentee_id)?,
                new_mentor_id: id("newMentorId", &r.new_mentor_id)?,
                allow_over_capacity: r.allow_over_capacity,
            })
        };
        Ok(Self {
            alert_id: parse_id("input.alertId", &input.alert_id)?,
            resolution: bounded_text("input.resolution", Some(&input.resolution), MAX_TEXT)?
                .ok_or_else(|| AppError::bad_input("input.resolution", "must not be empty"))?,
            mentor_status: input.mentor_status,
            reassignments: input
                .reassignments
                .iter()
                .enumerate()
                .map(step)
                .collect::<AppResult<_>>()?,
        })
    }
}

/// A mentor's load or availability, for the council.
pub struct MentorAlertNode(pub MentorAlert);

/// A mentor who cannot carry their load, raised by the mentor (overwhelmed, a break,
/// stepping down) or by the jobs (inactivity, missed calls), for the council to act on.
#[Object(name = "MentorAlert")]
impl MentorAlertNode {
    /// The alert's id.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The mentor it is about.
    async fn mentor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        let p = batch_loaders(ctx)?
            .load_one(PersonKey(self.0.mentor_id))
            .await?;
        Ok(p.map(|p| PersonNode::new(p, Access::Public)))
    }

    /// What happened.
    async fn kind(&self) -> MentorAlertKind {
        self.0.kind
    }

    /// The mentor's own words, or what the jobs detected.
    async fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// For a break: when the mentor expects to be back.
    async fn return_on(&self) -> Option<Timestamp> {
        self.0.return_on.map(Timestamp)
    }

    /// OPEN until the council resolves it.
    async fn status(&self) -> MentorAlertStatus {
        self.0.status
    }

    /// When it was raised.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// The council member who resolved it; `null` while open.
    async fn handled_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        match self.0.handled_by {
            Some(id) => {
                let p = batch_loaders(ctx)?.load_one(PersonKey(id)).await?;
                Ok(p.map(|p| PersonNode::new(p, Access::Public)))
            }
            None => Ok(None),
        }
    }

    /// When it was resolved; `null` while open.
    async fn handled_at(&self) -> Option<Timestamp> {
        self.0.handled_at.map(Timestamp)
    }

    /// The council's answer, as sent to the mentor; `null` while open.
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
}
