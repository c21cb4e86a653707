//! GraphQL resolvers and inputs of onboarding: applications, checklists, rounds (output
//! types in `nodes`).

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    apply::{self, Apply},
    checklist::{self, DefaultStep},
    contact,
    model::ApplicationStatus,
    nodes::{ChecklistTemplateItem, MentorApplicationNode, OnboardingRoundNode},
    query,
    repo::ApplicationFilter,
    rounds::{self, OpenRound},
    step::{self, Step},
};
use crate::{
    error::{AppError, AppResult},
    graphql::{
        pagination::{Conn, Page, connection},
        parse_id, request,
    },
    mentor::model::{Capacity, Expertise},
    people::model::{Languages, bounded_text},
    timestamp::Timestamp,
};

const MAX_MOTIVATION: usize = 5_000;
const MAX_NOTE: usize = 2_000;
const MAX_ROUND_NAME: usize = 100;

fn required(field: &str, raw: &str, max: usize) -> AppResult<String> {
    bounded_text(field, Some(raw), max)?
        .ok_or_else(|| AppError::bad_input(field, "must not be empty"))
}

/// Onboarding.
#[derive(Default)]
pub struct OnboardingQuery;

#[Object]
impl OnboardingQuery {
    /// An application: for the council and the applicant.
    async fn mentor_application(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application to read.")] id: ID,
    ) -> async_graphql::Result<MentorApplicationNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorApplicationNode(
            query::application(state, rc, parse_id("id", &id)?).await?,
        ))
    }

    /// Applications, oldest first: every one for the council, the caller's own otherwise.
    async fn mentor_applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only applications of this round or status; omit for all the caller may see."
        )]
        filter: Option<MentorApplicationFilter>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<MentorApplicationNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let filter = filter
            .map(TryInto::try_into)
            .transpose()?
            .unwrap_or_default();
        let (rows, total) = query::applications(state, rc, filter, page).await?;
        Ok(connection(
            &page,
            rows,
            |a| a.id,
            MentorApplicationNode,
            total,
        ))
    }

    /// The checklist new applications start with.
    async fn onboarding_checklist(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ChecklistTemplateItem>> {
        let (state, rc) = request(ctx).await?;
        Ok(checklist::default_checklist(state, rc)
            .await?
            .into_iter()
            .map(ChecklistTemplateItem::from)
            .collect())
    }

    /// One onboarding round.
    async fn onboarding_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The round to read.")] id: ID,
    ) -> async_graphql::Result<OnboardingRoundNode> {
        let (state, rc) = request(ctx).await?;
        Ok(OnboardingRoundNode(
            rounds::onboarding_round(state, rc, parse_id("id", &id)?).await?,
        ))
    }

    /// Onboarding rounds in the order they were opened.
    async fn onboarding_rounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<OnboardingRoundNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let (rows, total) = rounds::onboarding_rounds(state, rc, page).await?;
        Ok(connection(
            &page,
            rows,
            |r| r.id,
            OnboardingRoundNode,
            total,
        ))
    }
}

/// Which applications to list.
#[derive(InputObject, Default)]
pub struct MentorApplicationFilter {
    /// Only applications at this step.
    pub status: Option<ApplicationStatus>,
    /// Only applications of this onboarding round.
    pub round_id: Option<ID>,
}

impl TryFrom<MentorApplicationFilter> for ApplicationFilter {
    type Error = AppError;

    fn try_from(input: MentorApplicationFilter) -> AppResult<Self> {
        Ok(Self {
            applicant: None,
            status: input.status,
            round: input
                .round_id
                .map(|id| parse_id("filter.roundId", &id))
                .transpose()?,
        })
    }
}

/// A rep's application to become a mentor.
#[derive(InputObject)]
pub struct ApplyToBecomeMentorInput {
    /// Why they want to mentor: 1–5,000 characters.
    pub motivation: String,
    /// BCP 47 tags of the languages they can mentor in: 1–10.
    pub languages: Vec<String>,
    /// Areas they can help with: 1–20 tags of 1–50 characters.
    pub areas: Vec<String>,
}

impl TryFrom<ApplyToBecomeMentorInput> for Apply {
    type Error = AppError;

    fn try_from(input: ApplyToBecomeMentorInput) -> AppResult<Self> {
        let languages = Languages::parse("input.languages", &input.languages)?;
        let areas = Expertise::parse("input.areas", &input.areas)?;
        Ok(Self {
            motivation: required("input.motivation", &input.motivation, MAX_MOTIVATION)?,
            languages,
            areas,
        })
    }
}

/// Moves an application a step.
#[derive(InputObject)]
pub struct SetMentorApplicationStatusInput {
    /// The application that moves.
    pub application_id: ID,
    /// IN_REVIEW, ONBOARDING, COMPLETED or DECLINED (council); WITHDRAWN (applicant).
    pub status: ApplicationStatus,
    /// Why, for the applicant: at most 2,000 characters.
    pub note: Option<String>,
    /// On COMPLETED: the new mentor's capacity (0–50, default 3).
    pub capacity: Option<i32>,
}

impl TryFrom<SetMentorApplicationStatusInput> for Step {
    type Error = AppError;

    fn try_from(input: SetMentorApplicationStatusInput) -> AppResult<Self> {
        Ok(Self {
            application_id: parse_id("input.applicationId", &input.application_id)?,
            status: input.status,
            note: bounded_text("input.note", input.note.as_deref(), MAX_NOTE)?,
            capacity: input
                .capacity
                .map(|c| Capacity::parse("input.capacity", c))
                .transpose()?,
        })
    }
}

/// Sets an application's point of contact.
#[derive(InputObject)]
pub struct SetMentorApplicationContactInput {
    /// The open application to accompany.
    pub application_id: ID,
    /// A council member.
    pub person_id: ID,
}

/// Ticks or unticks a step of an application's checklist.
#[derive(InputObject)]
pub struct SetOnboardingChecklistItemInput {
    /// The application in onboarding.
    pub application_id: ID,
    /// The step's key.
    pub key: String,
    /// Ticked (true) or unticked (false).
    pub done: bool,
}

/// One step of the default checklist.
#[derive(InputObject)]
pub struct ChecklistStepInput {
    /// Lower-case letters, digits and dashes, 1–40; `acknowledge-role-guide` ticks itself.
    pub key: String,
    /// 1–200 characters.
    pub label: String,
}

/// The checklist new applications start with.
#[derive(InputObject)]
pub struct SetOnboardingChecklistInput {
    /// 1–20 steps with distinct keys, in order.
    pub items: Vec<ChecklistStepInput>,
}

/// Opens an onboarding round.
#[derive(InputObject)]
pub struct OpenOnboardingRoundInput {
    /// 1–100 characters.
    pub name: String,
    /// When applications start joining it.
    pub opens_at: Timestamp,
    /// After `opensAt`, at most a year later, in the future.
    pub closes_at: Timestamp,
}

/// Onboarding.
#[derive(Default)]
pub struct OnboardingMutation;

#[Object]
impl OnboardingMutation {
    /// A rep applies to become a mentor (one application in progress at a time).
    async fn apply_to_become_mentor(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Why the rep applies, the areas they would mentor in and their languages."
        )]
        input: ApplyToBecomeMentorInput,
    ) -> async_graphql::Result<MentorApplicationNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorApplicationNode(
            apply::apply_to_become_mentor(state, rc, input.try_into()?).await?,
        ))
    }

    /// Moves an application a step; COMPLETED makes the applicant a mentor.
    async fn set_mentor_application_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application and the step it moves to.")]
        input: SetMentorApplicationStatusInput,
    ) -> async_graphql::Result<MentorApplicationNode> {
        let (state, rc) = request(ctx).await?;
        Ok(MentorApplicationNode(
            step::set_mentor_application_status(state, rc, input.try_into()?).await?,
        ))
    }

    /// Makes a council member the application's point of contact (council).
    async fn set_mentor_application_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application and the council member who accompanies it.")]
        input: SetMentorApplicationContactInput,
    ) -> async_graphql::Result<MentorApplicationNode> {
        let (state, rc) = request(ctx).await?;
        let application = parse_id("input.applicationId", &input.application_id)?;
        let person = parse_id("input.personId", &input.person_id)?;
        Ok(MentorApplicationNode(
            contact::set_mentor_application_contact(state, rc, application, person).await?,
        ))
    }

    /// Ticks or unticks a step of an application's checklist (council).
    async fn set_onboarding_checklist_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The application, the step's key and whether it is done.")]
        input: SetOnboardingChecklistItemInput,
    ) -> async_graphql::Result<MentorApplicationNode> {
        let (state, rc) = request(ctx).await?;
        let application = parse_id("input.applicationId", &input.application_id)?;
        Ok(MentorApplicationNode(
            checklist::set_onboarding_checklist_item(
                state,
                rc,
                application,
                input.key.trim(),
                input.done,
            )
            .await?,
        ))
    }

    /// Replaces the checklist new applications start with (council).
    async fn set_onboarding_checklist(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Every step new applications start with, in order.")]
        input: SetOnboardingChecklistInput,
    ) -> async_graphql::Result<Vec<ChecklistTemplateItem>> {
        let (state, rc) = request(ctx).await?;
        let steps = input
            .items
            .into_iter()
            .map(|i| DefaultStep {
                key: i.key,
                label: i.label,
            })
            .collect();
        Ok(checklist::set_onboarding_checklist(state, rc, steps)
            .await?
            .into_iter()
            .map(ChecklistTemplateItem::from)
            .collect())
    }

    /// Opens an onboarding round (council); rounds do not overlap.
    async fn open_onboarding_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The round's name and when it opens and closes for applications.")]
        input: OpenOnboardingRoundInput,
    ) -> async_graphql::Result<OnboardingRoundNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = OpenRound {
            name: required("input.name", &input.name, MAX_ROUND_NAME)?,
            opens_at: input.opens_at.into(),
            closes_at: input.closes_at.into(),
        };
        Ok(OnboardingRoundNode(
            rounds::open_onboarding_round(state, rc, cmd).await?,
        ))
    }
}
