//! GraphQL types and resolvers of mentor profiles and the directory.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};

use super::{
    model::{Capacity, Expertise, MentorProfile, MentorStatus},
    repo::{MentorFilter, MentorOrder},
    service,
};
use crate::{
    auth::policy::Access,
    error::{AppError, AppResult},
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection},
        parse_id, request,
    },
    mentorship::loaders::ActiveCount,
    people::{
        graphql::PersonNode,
        model::{Country, Languages, Person, bounded_text},
    },
    timestamp::Timestamp,
};

/// Longest mentor bio.
pub const MAX_BIO: usize = 2_000;

/// The directory's filter.
#[derive(InputObject, Default)]
pub struct MentorFilterInput {
    /// Only mentors taking a new mentee now (true) or only those who are not (false).
    pub accepting: Option<bool>,
    /// Speaking this BCP 47 language tag.
    pub language: Option<String>,
    /// In this ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// With this expertise tag.
    pub expertise: Option<String>,
}

/// The mentor directory.
#[derive(Default)]
pub struct MentorQuery;

/// The order of the mentor directory.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MentorOrderBy {
    /// In the order they first signed in (the default).
    #[default]
    JoinedAsc,
    /// By display name, A to Z.
    DisplayNameAsc,
}

#[Object]
impl MentorQuery {
    /// Mentors (not retired), for any signed-in person: in the order they first signed in,
    /// or by name (`orderBy: DISPLAY_NAME_ASC`, as a directory lists them).
    async fn mentors(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only mentors matching every field given (country, language, accepting, status)."
        )]
        filter: Option<MentorFilterInput>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
        #[graphql(
            default,
            desc = "The order of the directory: first sign-in (default) or display name."
        )]
        order_by: MentorOrderBy,
    ) -> async_graphql::Result<Conn<PersonNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().try_into()?;
        let order = match order_by {
            MentorOrderBy::JoinedAsc => MentorOrder::Joined,
            MentorOrderBy::DisplayNameAsc => MentorOrder::Name,
        };
        let (rows, total) = service::mentors(state, rc, filter, (page, order)).await?;
        Ok(connection(
            &page,
            rows,
            |p| p.id,
            |p| PersonNode::new(p, Access::Public),
            total,
        ))
    }
}

impl TryFrom<MentorFilterInput> for MentorFilter {
    type Error = AppError;

    fn try_from(f: MentorFilterInput) -> AppResult<Self> {
        let language = match f.language {
            Some(l) => Languages::parse("filter.language", &[l])?
                .into_vec()
                .into_iter()
                .next(),
            None => None,
        };
        let country = f
            .country
            .map(|c| Country::parse("filter.country", &c).map(|c| c.as_str().to_owned()))
            .transpose()?;
        Ok(Self {
            accepting: f.accepting,
            language,
            country,
            expertise: f.expertise,
        })
    }
}

/// Make a rep a mentor (council).
#[derive(InputObject)]
pub struct GrantMentorRoleInput {
    /// The rep.
    pub person_id: ID,
    /// How many mentees, 0–50.
    #[graphql(default = 3)]
    pub capacity: i32,
}

/// Change a mentor profile: the mentor their own, the council anyone's (and the status).
#[derive(InputObject)]
pub struct UpdateMentorProfileInput {
    /// Whose profile (council); the caller's own when omitted.
    pub person_id: Option<ID>,
    /// 0–50.
    pub capacity: Option<i32>,
    /// The mentor's wish to get new mentees.
    pub accepting_mentees: Option<bool>,
    /// At most 2,000 characters; `null` clears it.
    pub bio: MaybeUndefined<String>,
    /// Up to 20 tags.
    pub expertise: Option<Vec<String>>,
    /// Council only.
    pub status: Option<MentorStatus>,
}

impl TryFrom<UpdateMentorProfileInput> for service::UpdateMentorProfile {
    type Error = AppError;

    fn try_from(input: UpdateMentorProfileInput) -> AppResult<Self> {
        Ok(Self {
            person_id: input
                .person_id
                .as_ref()
                .map(|id| parse_id("input.personId", id))
                .transpose()?,
            capacity: input
                .capacity
                .map(|c| Capacity::parse("input.capacity", c))
                .transpose()?,
            accepting_mentees: input.accepting_mentees,
            bio: match input.bio {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(bounded_text("input.bio", Some(&v), MAX_BIO)?),
            },
            expertise: input
                .expertise
                .map(|e| Expertise::parse("input.expertise", &e))
                .transpose()?,
            status: input.status,
        })
    }
}

/// Changes to mentor profiles.
#[derive(Default)]
pub struct MentorMutation;

#[Object]
impl MentorMutation {
    /// Grants the mentor role (council): an ACTIVE, accepting profile.
    async fn grant_mentor_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The rep who becomes a mentor, and how many mentees they can take.")]
        input: GrantMentorRoleInput,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = service::GrantMentorRole {
            person_id: parse_id("input.personId", &input.person_id)?,
            capacity: Capacity::parse("input.capacity", input.capacity)?,
        };
        Ok(PersonNode::new(
            service::grant_mentor_role(state, rc, cmd).await?,
            Access::Full,
        ))
    }

    /// Updates a mentor profile.
    async fn update_mentor_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The mentor and the profile fields to change; fields left out stay as they are."
        )]
        input: UpdateMentorProfileInput,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        let person = service::update_mentor_profile(state, rc, input.try_into()?).await?;
        Ok(PersonNode::new(person, Access::Public))
    }
}

/// The mentor side of a person.
pub struct MentorProfileNode {
    pub profile: MentorProfile,
    pub person: Person,
}

/// What makes a person a mentor: their status, how many mentees they can take and whether
/// they take new ones, and their current load.
#[Object(name = "MentorProfile")]
impl MentorProfileNode {
    /// The mentor.
    async fn person(&self) -> PersonNode {
        PersonNode::new(self.person.clone(), Access::Public)
    }

    /// How many mentees the mentor takes.
    async fn capacity(&self) -> i32 {
        self.profile.capacity
    }

    /// Where the mentor stands.
    async fn status(&self) -> MentorStatus {
        self.profile.status
    }

    /// Current mentees, counted from the database.
    async fn active_mentee_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(self.active(ctx).await? as i32)
    }

    /// Whether a new mentee can be assigned now without an override: ACTIVE, willing, and a
    /// free slot — always computed from the database.
    async fn accepting_mentees(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.profile.accepts(self.active(ctx).await?))
    }

    /// About the mentor as a mentor.
    async fn bio(&self) -> Option<&str> {
        self.profile.bio.as_deref()
    }

    /// Areas the mentor knows.
    async fn expertise(&self) -> &[String] {
        &self.profile.expertise
    }

    /// When the mentor role was granted.
    async fn onboarded_at(&self) -> Timestamp {
        Timestamp(self.profile.onboarded_at)
    }

    /// The mentor's last authenticated activity.
    async fn last_active_at(&self) -> Option<Timestamp> {
        self.person.last_active_at.map(Timestamp)
    }
}

impl MentorProfileNode {
    async fn active(&self, ctx: &Context<'_>) -> async_graphql::Result<usize> {
        let active = batch_loaders(ctx)?
            .load_one(ActiveCount(self.person.id))
            .await?;
        Ok(active.map_or(0, |n| n as usize))
    }
}
