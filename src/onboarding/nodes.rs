//! GraphQL output types of onboarding: applications, their checklist, rounds.

use std::collections::HashMap;

use async_graphql::{Context, ID, Object, SimpleObject, dataloader::Loader};
use entity::onboarding_checklist_default;
use uuid::Uuid;

use super::{
    loaders::{RoundCountsKey, RoundKey},
    model::{ApplicationStatus, ChecklistItem, MentorApplication, OnboardingRound},
    repo,
};
use crate::{
    auth::policy::{self, Access},
    graphql::{
        batch_loaders,
        loaders::{DbLoader, LoadError},
        request, to_id,
    },
    people::{graphql::PersonNode, loaders::PersonKey},
    timestamp::Timestamp,
};

/// A step of the default checklist.
#[derive(SimpleObject)]
pub struct ChecklistTemplateItem {
    /// The step's stable name (lower-case letters, digits and dashes), used to tick it.
    pub key: String,
    /// What the applicant does, in words.
    pub label: String,
    /// Ticked by the service itself (acknowledging the role guide).
    pub automatic: bool,
}

impl From<onboarding_checklist_default::Model> for ChecklistTemplateItem {
    fn from(row: onboarding_checklist_default::Model) -> Self {
        Self {
            key: row.key,
            label: row.label,
            automatic: row.automatic,
        }
    }
}

/// Key: an application's id → its checklist (one statement for a page of applications).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChecklistKey(pub Uuid);

impl Loader<ChecklistKey> for DbLoader {
    type Value = Vec<ChecklistItem>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ChecklistKey],
    ) -> Result<HashMap<ChecklistKey, Self::Value>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut out: HashMap<ChecklistKey, Self::Value> = HashMap::new();
        for row in repo::items_of(&self.db, &ids).await? {
            out.entry(ChecklistKey(row.application_id))
                .or_default()
                .push(ChecklistItem::from(row));
        }
        Ok(out)
    }
}

/// A step of an application's checklist.
pub struct ChecklistItemNode(ChecklistItem);

/// A step an applicant completes before becoming a mentor (reading the role guide, a first
/// call…), ticked by the council or by the service.
#[Object(name = "ChecklistItem")]
impl ChecklistItemNode {
    /// The step's stable name, used to tick it.
    async fn key(&self) -> &str {
        &self.0.key
    }

    /// What the applicant does, in words.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// Ticked by the service itself (acknowledging the role guide).
    async fn automatic(&self) -> bool {
        self.0.automatic
    }

    /// Whether the step is complete.
    async fn done(&self) -> bool {
        self.0.done_at.is_some()
    }

    /// When it was ticked; `null` while open.
    async fn done_at(&self) -> Option<Timestamp> {
        self.0.done_at.map(Timestamp)
    }

    /// Who ticked it (the applicant, for the automatic step).
    async fn done_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        let Some(id) = self.0.done_by else {
            return Ok(None);
        };
        let person = batch_loaders(ctx)?.load_one(PersonKey(id)).await?;
        Ok(person.map(|p| PersonNode::new(p, Access::Minimal)))
    }
}

/// An application to become a mentor.
pub struct MentorApplicationNode(pub MentorApplication);

/// A rep's application to become a mentor, moving through review and onboarding (with its
/// checklist) to COMPLETED, DECLINED or WITHDRAWN.
#[Object(name = "MentorApplication")]
impl MentorApplicationNode {
    /// Its unique, stable id (what inputs and lookups take).
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Seen by the applicant themself or the council, in full.
    async fn applicant(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        let person = batch_loaders(ctx)?
            .load_one(PersonKey(self.0.applicant_id))
            .await?;
        Ok(person.map(|p| PersonNode::new(p, Access::Full)))
    }

    /// The council member following the application; `null` until one is set (then the
    /// whole council is told of each step).
    async fn contact(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonNode>> {
        let Some(id) = self.0.contact_id else {
            return Ok(None);
        };
        let person = batch_loaders(ctx)?.load_one(PersonKey(id)).await?;
        Ok(person.map(|p| PersonNode::new(p, Access::Public)))
    }

    /// The round that was open when the rep applied.
    async fn round(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OnboardingRoundNode>> {
        let Some(id) = self.0.round_id else {
            return Ok(None);
        };
        let round = batch_loaders(ctx)?.load_one(RoundKey(id)).await?;
        Ok(round.map(OnboardingRoundNode))
    }

    /// Where the application stands in the process.
    async fn status(&self) -> ApplicationStatus {
        self.0.status
    }

    /// Why the rep wants to mentor, in their words.
    async fn motivation(&self) -> &str {
        &self.0.motivation
    }

    /// BCP 47 tags.
    async fn languages(&self) -> Vec<String> {
        self.0.languages.clone()
    }

    /// What the rep would mentor in (e.g. `events`, `campaigns`).
    async fn areas(&self) -> Vec<String> {
        self.0.areas.clone()
    }

    /// The note of the latest step (why it was declined, for instance).
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The steps to complete before becoming a mentor, in order.
    async fn checklist(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ChecklistItemNode>> {
        Ok(batch_loaders(ctx)?
            .load_one(ChecklistKey(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ChecklistItemNode)
            .collect())
    }

    /// When the rep applied.
    async fn applied_at(&self) -> Timestamp {
        Timestamp(self.0.applied_at)
    }

    /// When it last changed (a step, the contact, a checklist tick).
    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }

    /// When the applicant became a mentor; `null` unless COMPLETED.
    async fn completed_at(&self) -> Option<Timestamp> {
        self.0.completed_at.map(Timestamp)
    }

    /// When it was completed, declined or withdrawn.
    async fn closed_at(&self) -> Option<Timestamp> {
        self.0.closed_at.map(Timestamp)
    }
}

/// How many applications a round has, by status.
#[derive(SimpleObject)]
pub struct OnboardingRoundCounts {
    /// Every application of the round.
    pub applications: u64,
    /// Waiting for the council's review.
    pub applied: u64,
    /// Being reviewed by the council.
    pub in_review: u64,
    /// Accepted, working through the checklist.
    pub onboarding: u64,
    /// Became mentors.
    pub completed: u64,
    /// Declined by the council.
    pub declined: u64,
    /// Withdrawn by the applicant.
    pub withdrawn: u64,
}

/// An onboarding round (cohort).
pub struct OnboardingRoundNode(pub OnboardingRound);

/// A cohort of mentor onboarding: applications made while it is open join it, so the
/// council onboards new mentors together.
#[Object(name = "OnboardingRound")]
impl OnboardingRoundNode {
    /// Its unique, stable id (what inputs and lookups take).
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// The cohort's name, as the council announces it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// When applications start joining it.
    async fn opens_at(&self) -> Timestamp {
        Timestamp(self.0.opens_at)
    }

    /// Exclusive.
    async fn closes_at(&self) -> Timestamp {
        Timestamp(self.0.closes_at)
    }

    /// Applications made now join this round.
    async fn current(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let (state, _) = request(ctx).await?;
        let now = state.clock().now();
        Ok(self.0.opens_at <= now && now < self.0.closes_at)
    }

    /// Applications by status (council only; `null` for others).
    async fn counts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<OnboardingRoundCounts>> {
        let (_, rc) = request(ctx).await?;
        if !policy::sees_oversight(&rc.actor) {
            return Ok(None);
        }
        let counts = batch_loaders(ctx)?
            .load_one(RoundCountsKey(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(Some(OnboardingRoundCounts {
            applications: counts.total(),
            applied: counts.of(ApplicationStatus::Applied),
            in_review: counts.of(ApplicationStatus::InReview),
            onboarding: counts.of(ApplicationStatus::Onboarding),
            completed: counts.of(ApplicationStatus::Completed),
            declined: counts.of(ApplicationStatus::Declined),
            withdrawn: counts.of(ApplicationStatus::Withdrawn),
        }))
    }
}
