//! GraphQL types and resolvers of the mentor role guide.

use async_graphql::{Context, InputObject, Object};

use super::model::RoleGuide;
use super::service;
use crate::{
    auth::policy::Access,
    error::{AppError, AppResult},
    graphql::{
        pagination::{Conn, Page, connection},
        request,
    },
    people::{graphql::PersonNode, model::bounded_text},
    timestamp::Timestamp,
};

const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 50_000;
const MAX_ITEMS: usize = 30;
const MAX_ITEM: usize = 300;

/// The role guide.
#[derive(Default)]
pub struct RoleGuideQuery;

#[Object]
impl RoleGuideQuery {
    /// The current version of the mentor role guide, if one was published.
    async fn current_role_guide(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<RoleGuideNode>> {
        let (state, rc) = request(ctx).await?;
        Ok(service::current_role_guide(state, rc)
            .await?
            .map(RoleGuideNode))
    }

    /// One version of the guide.
    async fn role_guide(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version number (1 is the first guide published).")] version: i32,
    ) -> async_graphql::Result<RoleGuideNode> {
        let (state, rc) = request(ctx).await?;
        Ok(RoleGuideNode(
            service::role_guide(state, rc, version).await?,
        ))
    }
}

/// A new version of the guide (council).
#[derive(InputObject)]
pub struct PublishRoleGuideInput {
    /// 1–200 characters.
    pub title: String,
    /// Markdown, 1–50,000 characters.
    pub body: String,
    /// What mentors do: up to 30 items of at most 300 characters.
    #[graphql(default)]
    pub mentors_do: Vec<String>,
    /// What mentors don't do: up to 30 items of at most 300 characters.
    #[graphql(default)]
    pub mentors_dont: Vec<String>,
}

fn items(field: &str, raw: &[String]) -> AppResult<Vec<String>> {
    if raw.len() > MAX_ITEMS {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_ITEMS} items"),
        ));
    }
    raw.iter()
        .map(|item| {
            bounded_text(field, Some(item), MAX_ITEM)?
                .ok_or_else(|| AppError::bad_input(field, "items must not be empty"))
        })
        .collect()
}

impl TryFrom<PublishRoleGuideInput> for service::PublishRoleGuide {
    type Error = AppError;

    fn try_from(input: PublishRoleGuideInput) -> AppResult<Self> {
        let required = |field: &str, raw: &str, max| {
            bounded_text(field, Some(raw), max)?
                .ok_or_else(|| AppError::bad_input(field, "must not be empty"))
        };
        Ok(Self {
            title: required("input.title", &input.title, MAX_TITLE)?,
            body: required("input.body", &input.body, MAX_BODY)?,
            mentors_do: items("input.mentorsDo", &input.mentors_do)?,
            mentors_dont: items("input.mentorsDont", &input.mentors_dont)?,
        })
    }
}

/// Acknowledge having read a version.
#[derive(InputObject)]
pub struct AcknowledgeRoleGuideInput {
    /// The current version.
    pub version: i32,
}

/// Publishing and acknowledging the guide.
#[derive(Default)]
pub struct RoleGuideMutation;

#[Object]
impl RoleGuideMutation {
    /// Publishes the next version (council); every mentor is asked to read it.
    async fn publish_role_guide(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new version's title and text.")] input: PublishRoleGuideInput,
    ) -> async_graphql::Result<RoleGuideNode> {
        let (state, rc) = request(ctx).await?;
        Ok(RoleGuideNode(
            service::publish_role_guide(state, rc, input.try_into()?).await?,
        ))
    }

    /// Records that the calling mentor read the current version.
    async fn acknowledge_role_guide(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version the caller read.")] input: AcknowledgeRoleGuideInput,
    ) -> async_graphql::Result<RoleGuideNode> {
        let (state, rc) = request(ctx).await?;
        Ok(RoleGuideNode(
            service::acknowledge_role_guide(state, rc, input.version).await?,
        ))
    }
}

/// A version of the mentor role guide.
pub struct RoleGuideNode(pub RoleGuide);

impl RoleGuideNode {
    /// The council's view of who did or did not acknowledge; `None` for others.
    async fn mentors(
        &self,
        ctx: &Context<'_>,
        acknowledged: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Option<Conn<PersonNode>>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let Some((rows, total)) =
            service::readers(state, rc, self.0.version, acknowledged, page).await?
        else {
            return Ok(None);
        };
        Ok(Some(connection(
            &page,
            rows,
            |p| p.id,
            |p| PersonNode::new(p, Access::Public),
            total,
        )))
    }
}

/// A version of the mentor role description and its expectations, which every mentor is
/// asked to read and acknowledge.
#[Object(name = "RoleGuide")]
impl RoleGuideNode {
    /// 1 for the first guide, one more for each version published after it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The version's heading.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Markdown.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// What mentors do.
    async fn mentors_do(&self) -> &[String] {
        &self.0.mentors_do
    }

    /// What mentors don't do.
    async fn mentors_dont(&self) -> &[String] {
        &self.0.mentors_dont
    }

    /// When the council published it; mentors are asked to read it from then on.
    async fn published_at(&self) -> Timestamp {
        Timestamp(self.0.published_at)
    }

    /// Whether the caller acknowledged this version.
    async fn acknowledged_by_me(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let (state, rc) = request(ctx).await?;
        Ok(service::acknowledged_by_me(state, rc, self.0.version).await?)
    }

    /// Mentors who acknowledged this version (council only).
    async fn acknowledged_by(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Option<Conn<PersonNode>>> {
        self.mentors(ctx, true, first, after).await
    }

    /// Mentors who have not acknowledged this version yet (council only).
    async fn pending_mentors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Option<Conn<PersonNode>>> {
        self.mentors(ctx, false, first, after).await
    }
}
