//! GraphQL types and resolvers of people: thin wrappers over [`super::service`].
//!
//! The one import cycle the layer rule allows starts here: `PersonNode` resolves a mentor
//! profile and mentorships, `MentorshipNode` its people and check-ins, `CheckInNode` its
//! mentorship — the schema's own object graph (async-graphql's starwars model keeps Human
//! and Droid together the same way). Gathering the four node types into one module would
//! cut across the domains to remove a cycle that is the API's shape.

use crate::{mail::nodes::NotificationPreferences, timestamp::Timestamp};
use async_graphql::{Context, ID, InputObject, Object};

use super::{
    model::{Country, Person, PersonStatus},
    repo::PersonFilter,
    service,
};
use crate::{
    auth::{
        Role,
        policy::{self, Access},
    },
    error::{AppError, AppResult},
    graphql::{
        batch_loaders,
        pagination::{Conn, Page, connection},
        parse_id, request, to_id,
    },
    mentor::graphql::MentorProfileNode,
    mentorship::{
        graphql::MentorshipNode,
        loaders::{ActiveOfMentee, current_mentees},
    },
};

/// Longest personal bio.
pub const MAX_BIO: usize = 2_000;

/// Queries about people.
#[derive(Default)]
pub struct PeopleQuery;

/// Which people to list (council).
#[derive(InputObject, Default)]
pub struct PersonFilterInput {
    /// People with this role now. Every rep has MENTEE: combine with `withoutRoles` to
    /// list plain reps (`{role: MENTEE, withoutRoles: [MENTOR, COUNCIL]}`).
    pub role: Option<Role>,
    /// People with none of these roles now.
    #[graphql(default)]
    pub without_roles: Vec<Role>,
    /// With (true) or without (false) an active mentor.
    pub has_mentor: Option<bool>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// Part of the display name, any case.
    pub search: Option<String>,
}

#[Object]
impl PeopleQuery {
    /// The signed-in person; created from the token's claims on the first call.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        Ok(PersonNode::new(service::me(state, rc).await?, Access::Full))
    }

    /// A person: mentors and council members to everyone; a rep to themself, their current
    /// mentor and the council; NOT_FOUND for anyone else.
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person to read.")] id: ID,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        let (person, access) = service::person(state, rc, parse_id("id", &id)?).await?;
        Ok(PersonNode::new(person, access))
    }

    /// Everyone in the program (council only), in joining order.
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Only people matching every field given (role, country, language, search); omit for everyone."
        )]
        filter: Option<PersonFilterInput>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Conn<PersonNode>> {
        let (state, rc) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let filter = filter.unwrap_or_default().try_into()?;
        let (rows, total) = service::people(state, rc, filter, page).await?;
        Ok(connection(
            &page,
            rows,
            |p| p.id,
            |p| PersonNode::new(p, Access::Full),
            total,
        ))
    }
}

impl TryFrom<PersonFilterInput> for PersonFilter {
    type Error = AppError;

    fn try_from(f: PersonFilterInput) -> AppResult<Self> {
        let country = f
            .country
            .as_deref()
            .map(|c| Country::parse("filter.country", c))
            .transpose()?;
        Ok(Self {
            role: f.role,
            without_roles: f.without_roles,
            has_mentor: f.has_mentor,
            country: country.map(|c| c.as_str().to_owned()),
            search: f.search,
        })
    }
}

/// A rep, mentor or council member. Fields a viewer may not see resolve to `null`.
pub struct PersonNode {
    pub person: Person,
    /// The least the viewer may see (raised per viewer by relationship).
    pub floor: Access,
}

impl PersonNode {
    /// A person the viewer sees at least at `floor`.
    pub fn new(person: Person, floor: Access) -> Self {
        Self { person, floor }
    }

    /// The viewer's access: the floor, or more by who they are to this person.
    async fn access(&self, ctx: &Context<'_>) -> async_graphql::Result<Access> {
        if self.floor == Access::Full {
            return Ok(Access::Full);
        }
        let (_, rc) = request(ctx).await?;
        let Some(viewer) = rc.actor.person() else {
            return Ok(self.floor);
        };
        let id = self.person.id;
        let level = service::access_with(viewer, &self.person, || async move {
            let current = batch_loaders(ctx)?.load_one(ActiveOfMentee(id)).await?;
            Ok::<_, async_graphql::Error>(current.map(|m| m.mentor_id))
        })
        .await?;
        Ok(level.max(self.floor))
    }

    async fn at_least<T>(
        &self,
        ctx: &Context<'_>,
        level: Access,
        value: impl FnOnce() -> T,
    ) -> async_graphql::Result<Option<T>> {
        Ok((self.access(ctx).await? >= level).then(value))
    }

    /// Public for mentors and council members, personal for other reps.
    fn public_level(&self) -> Access {
        if self.person.is_public() {
            Access::Public
        } else {
            Access::Full
        }
    }
}

/// A rep, mentor or council member. Fields the viewer may not see resolve to `null`.
#[Object(name = "Person")]
impl PersonNode {
    /// The person's UUID.
    async fn id(&self) -> ID {
        to_id(self.person.id)
    }

    /// Public name, 1–80 characters.
    async fn display_name(&self) -> &str {
        &self.person.display_name
    }

    /// Program roles in effect now.
    async fn roles(&self) -> Vec<Role> {
        self.person.roles.iter().copied().collect()
    }

    /// Contact address; the person, their current mentor and the council only.
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .at_least(ctx, Access::Full, || self.person.email.clone())
            .await?
            .flatten())
    }

    /// ISO 3166-1 alpha-2 country code (public for mentors and council members).
    async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .at_least(ctx, self.public_level(), || self.person.country.clone())
            .await?
            .flatten())
    }

    /// BCP 47 language tags (public for mentors and council members).
    async fn languages(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<String>>> {
        self.at_least(ctx, self.public_level(), || self.person.languages.clone())
            .await
    }

    /// IANA time zone (public for mentors and council members).
    async fn timezone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .at_least(ctx, self.public_level(), || self.person.timezone.clone())
            .await?
            .flatten())
    }

    /// About the person (public for mentors and council members).
    async fn bio(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self
            .at_least(ctx, self.public_level(), || self.person.bio.clone())
            .await?
            .flatten())
    }

    /// Whether the person takes part in the program (public for mentors and council members).
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PersonStatus>> {
        self.at_least(ctx, self.public_level(), || self.person.status)
            .await
    }

    /// When the person first signed in (or was imported); personal.
    async fn joined_at(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Timestamp>> {
        let joined = self.at_least(ctx, Access::Full, || self.person.joined_at);
        Ok(joined.await?.map(Timestamp))
    }

    /// How notifications reach the person; only on `me` (null for anyone else, the
    /// council included).
    async fn notification_preferences(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<NotificationPreferences>> {
        let (state, rc) = request(ctx).await?;
        let email = crate::mail::preferences::of(state, rc, self.person.id).await?;
        Ok(email.map(|email| NotificationPreferences { email }))
    }

    /// The person's calendar feed (iCalendar: planned check-ins, next due dates, mentor
    /// calls) for a calendar app to subscribe to; only on `me`. Anyone holding the URL can
    /// read the feed: `rotateCalendarFeedUrl` replaces it.
    async fn calendar_feed_url(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let (state, rc) = request(ctx).await?;
        Ok(crate::calendar::token::feed_url(state, rc, self.person.id).await?)
    }

    /// The mentor side, for mentors (also former ones).
    async fn mentor_profile(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<MentorProfileNode>> {
        let Some(profile) = self.person.mentor_profile.clone() else {
            return Ok(None);
        };
        let node = MentorProfileNode {
            profile,
            person: self.person.clone(),
        };
        self.at_least(ctx, Access::Public, || node).await
    }

    /// The person's active mentorship as mentee; personal.
    async fn current_mentorship(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<MentorshipNode>> {
        if self.access(ctx).await? < Access::Full {
            return Ok(None);
        }
        let current = batch_loaders(ctx)?
            .load_one(ActiveOfMentee(self.person.id))
            .await?;
        Ok(current.map(MentorshipNode))
    }

    /// Every mentorship the person took part in, as mentee or mentor; personal.
    async fn mentorship_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Option<Conn<MentorshipNode>>> {
        let access = self.access(ctx).await?;
        let (state, _) = request(ctx).await?;
        let page = Page::parse(first, after.as_deref())?;
        let history = crate::mentorship::query::history(state, access, self.person.id, page);
        // Boxed: see `graphql::pagination::nested_page`.
        let Some((rows, total)) = Box::pin(history).await? else {
            return Ok(None);
        };
        Ok(Some(connection(
            &page,
            rows,
            |m| m.id,
            MentorshipNode,
            total,
        )))
    }

    /// The mentor's current mentees: the mentor themself and the council only.
    async fn mentees(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many items to return: 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(
            desc = "The cursor to continue after (the previous page's `pageInfo.endCursor`); omit for the first page."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<Option<Conn<PersonNode>>> {
        let (_, rc) = request(ctx).await?;
        let allowed = rc
            .actor
            .person()
            .is_some_and(|v| policy::can_list_mentees_of(v, self.person.id));
        if !allowed || self.person.mentor_profile.is_none() {
            return Ok(None);
        }
        let page = Page::parse(first, after.as_deref())?;
        let (rows, total) =
            current_mentees(crate::graphql::shared_loaders(ctx)?, self.person.id, &page).await?;
        Ok(Some(connection(
            &page,
            rows,
            |(id, _)| *id,
            |(_, p)| PersonNode::new(p, Access::Full),
            total,
        )))
    }
}
