//! GraphQL types and resolvers of announcements.

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    loaders::ReachCount,
    model::{Announcement, AnnouncementAudience},
    publish::{self, PublishAnnouncement},
    query,
    reach::{self, ReachStatus},
    relay::{self, RelayAnnouncement},
};
use crate::{
    auth::policy::{self, Access},
    error::{AppError, AppResult},
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection, loaded_count},
        parse_id, request, shared_loaders, to_id,
    },
    people::{
        graphql::PersonNode,
        model::{Country, Languages, bounded_text},
    },
    timestamp::Timestamp,
};

const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 20_000;

/// Announcements.
#[derive(Default)]
pub struct AnnouncementQuery;

#[Object]
impl AnnouncementQuery {
    /// An announcement the caller received (any, for the council).
    async fn announcement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The announcement to read.")] id: ID,
    ) -> async_graphql::Result<AnnouncementNode> {
        let (state, rc) = request(ctx).await?;
        Ok(AnnouncementNode(
            query::announcement(state, rc, parse_id("id", &id)?).await?,
        ))
    }

    /// Announcements the caller received (all, for the council), newest first.
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<AnnouncementNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let (rows, total) = query::announcements(state, rc, page).await?;
        Ok(connection(&page, rows, |a| a.id, AnnouncementNode, total))
    }
}

/// A new announcement (council).
#[derive(InputObject)]
pub struct PublishAnnouncementInput {
    /// 1–200 characters.
    pub title: String,
    /// Markdown, 1–20,000 characters.
    pub body: String,
    /// Who receives it: mentors only, or every rep.
    pub audience: AnnouncementAudience,
    /// Only people in this ISO country.
    pub country: Option<String>,
    /// Only people speaking this BCP 47 language.
    pub language: Option<String>,
    /// Mentors must pass it on to their mentees (and record it).
    #[graphql(default = false)]
    pub relay_required: bool,
}

impl TryFrom<PublishAnnouncementInput> for PublishAnnouncement {
    type Error = AppError;

    fn try_from(input: PublishAnnouncementInput) -> AppResult<Self> {
        let required = |field: &str, raw: &str, max| {
            bounded_text(field, Some(raw), max)?
                .ok_or_else(|| AppError::bad_input(field, "must not be empty"))
        };
        Ok(Self {
            title: required("input.title", &input.title, MAX_TITLE)?,
            body: required("input.body", &input.body, MAX_BODY)?,
            audience: input.audience,
            country: input
                .country
                .map(|c| Country::parse("input.country", &c).map(|c| c.as_str().to_owned()))
                .transpose()?,
            language: input
                .language
                .map(|l| Languages::parse("input.language", &[l]).map(|v| v.into_vec().remove(0)))
                .transpose()?,
            relay_required: input.relay_required,
        })
    }
}

/// A mentor passing an announcement on: to `menteeIds`, or to every current mentee.
#[derive(InputObject)]
pub struct RelayAnnouncementInput {
    /// The announcement passed on; the caller must have received it.
    pub announcement_id: ID,
    /// Omit for all current mentees.
    pub mentee_ids: Option<Vec<ID>>,
    /// How: `call`, `email`, `chat`, … (1–50 characters).
    pub channel: String,
    /// At most 2,000 characters.
    pub note: Option<String>,
}

/// Announcing, acknowledging, relaying.
#[derive(Default)]
pub struct AnnouncementMutation;

#[Object]
impl AnnouncementMutation {
    /// Publishes an announcement (council); the audience is fixed now.
    async fn publish_announcement(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The announcement's text and who it is for; the audience is fixed when it is published."
        )]
        input: PublishAnnouncementInput,
    ) -> async_graphql::Result<AnnouncementNode> {
        let (state, rc) = request(ctx).await?;
        Ok(AnnouncementNode(
            publish::publish_announcement(state, rc, input.try_into()?).await?,
        ))
    }

    /// Records that the caller read an announcement they received.
    async fn acknowledge_announcement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The announcement the caller read; one they received.")]
        announcement_id: ID,
    ) -> async_graphql::Result<AnnouncementNode> {
        let (state, rc) = request(ctx).await?;
        let id = parse_id("announcementId", &announcement_id)?;
        Ok(AnnouncementNode(
            relay::acknowledge_announcement(state, rc, id).await?,
        ))
    }

    /// Records that the calling mentor passed an announcement on; returns how many mentees
    /// this call reached (mentees already reached are not counted again).
    async fn relay_announcement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The announcement, the mentees told, and how.")]
        input: RelayAnnouncementInput,
    ) -> async_graphql::Result<u64> {
        let (state, rc) = request(ctx).await?;
        Ok(relay::relay_announcement(state, rc, input.try_into()?).await?)
    }
}

/// Longest relay channel name.
const MAX_CHANNEL: usize = 50;
/// Longest relay note.
const MAX_RELAY_NOTE: usize = 2_000;

impl TryFrom<RelayAnnouncementInput> for RelayAnnouncement {
    type Error = AppError;

    fn try_from(input: RelayAnnouncementInput) -> AppResult<Self> {
        let ids = |ids: &[ID]| -> AppResult<Vec<_>> {
            ids.iter()
                .map(|id| parse_id("input.menteeIds", id))
                .collect()
        };
        Ok(Self {
            announcement_id: parse_id("input.announcementId", &input.announcement_id)?,
            mentee_ids: input.mentee_ids.as_deref().map(ids).transpose()?,
            channel: bounded_text("input.channel", Some(&input.channel), MAX_CHANNEL)?
                .ok_or_else(|| AppError::bad_input("input.channel", "must not be empty"))?,
            note: bounded_text("input.note", input.note.as_deref(), MAX_RELAY_NOTE)?,
        })
    }
}

pub struct AnnouncementNode(pub Announcement);

/// News from the council to reps or mentors ("regular council communications"), which
/// mentors may be asked to pass on to their mentees so that it reaches every rep.
#[Object(name = "Announcement")]
impl AnnouncementNode {
    /// The announcement's id, for `announcement(id:)` and acknowledging it.
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }

    /// Its headline, as notifications show it.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The message itself, in Markdown.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// Who it was sent to, fixed when it was published.
    async fn audience(&self) -> AnnouncementAudience {
        self.0.audience
    }

    /// When set, it went only to people in this country (ISO 3166-1 alpha-2).
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }

    /// When set, it went only to people speaking this language (BCP 47).
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }

    /// Whether mentors must pass it on to their mentees and record that they did.
    async fn relay_required(&self) -> bool {
        self.0.relay_required
    }

    /// When the council published it.
    async fn published_at(&self) -> Timestamp {
        Timestamp(self.0.published_at)
    }

    /// Whether the caller acknowledged it.
    async fn acknowledged_by_me(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let (_, rc) = request(ctx).await?;
        let Some(me) = rc.actor.person() else {
            return Ok(false);
        };
        let key = super::loaders::Acknowledged(self.0.id, me.id);
        Ok(batch_loaders(ctx)?.load_one(key).await?.unwrap_or(false))
    }

    /// Who it reached (council only; `null` for others).
    async fn reach(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ReachNode>> {
        let (_, rc) = request(ctx).await?;
        Ok(policy::sees_oversight(&rc.actor).then(|| ReachNode(self.0.clone())))
    }
}

/// Reach of one announcement: every rep it must reach, by status.
pub struct ReachNode(Announcement);

impl ReachNode {
    async fn people(
        &self,
        ctx: &Context<'_>,
        status: ReachStatus,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<PersonNode>> {
        let (state, _) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        // A list showing only counts (`reached { totalCount }`) loads no people at all.
        let look = ctx.look_ahead();
        let lists = ["edges", "nodes", "pageInfo"];
        let rows = if lists.iter().any(|f| look.field(f).exists()) {
            reach::list(state.db(), &self.0, status, &page).await?
        } else {
            Vec::new()
        };
        let total = loaded_count(shared_loaders(ctx)?, ReachCount(self.0.id, status));
        Ok(connection(
            &page,
            rows,
            |p| p.id,
            |p| PersonNode::new(p, Access::Full),
            total,
        ))
    }
}

/// Whether an announcement reached the reps it must reach: each of them directly (they
/// acknowledged it) or through their mentor (who relayed it), pending, or unreachable.
#[Object(name = "AnnouncementReach")]
impl ReachNode {
    /// Reps who acknowledged it or whose mentor relayed it.
    async fn reached(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<PersonNode>> {
        self.people(ctx, ReachStatus::Reached, first, after).await
    }

    /// Reps not reached yet.
    async fn pending(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<PersonNode>> {
        self.people(ctx, ReachStatus::Pending, first, after).await
    }

    /// Reps it needs relaying to who have no mentor.
    async fn not_reachable(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<PersonNode>> {
        self.people(ctx, ReachStatus::NotReachable, first, after)
            .await
    }
}
