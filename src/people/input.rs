//! The input of `updateMyProfile` and the mutation root of people.

use async_graphql::{Context, InputObject, MaybeUndefined, Object};

use super::{
    graphql::{MAX_BIO, PersonNode},
    model::{Country, DisplayName, Languages, Timezone, bounded_text},
    service,
};
use crate::{auth::policy::Access, error::AppError, error::AppResult, graphql::request};

/// Changes to one's own profile. Omitted fields stay; `null` clears a clearable one.
#[derive(InputObject)]
pub struct UpdateMyProfileInput {
    /// 1–80 characters, trimmed.
    pub display_name: Option<String>,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub timezone: MaybeUndefined<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: MaybeUndefined<String>,
    /// Up to 10 BCP 47 language tags.
    pub languages: Option<Vec<String>>,
    /// At most 2,000 characters.
    pub bio: MaybeUndefined<String>,
}

impl TryFrom<UpdateMyProfileInput> for service::UpdateMyProfile {
    type Error = AppError;

    fn try_from(input: UpdateMyProfileInput) -> AppResult<Self> {
        let clearable = |value: MaybeUndefined<String>,
                         parse: &dyn Fn(&str) -> AppResult<String>|
         -> AppResult<Option<Option<String>>> {
            match value {
                MaybeUndefined::Undefined => Ok(None),
                MaybeUndefined::Null => Ok(Some(None)),
                MaybeUndefined::Value(v) => Ok(Some(Some(parse(&v)?))),
            }
        };
        Ok(Self {
            display_name: input
                .display_name
                .map(|n| DisplayName::parse("input.displayName", &n))
                .transpose()?,
            timezone: clearable(input.timezone, &|v| {
                Timezone::parse("input.timezone", v).map(|t| t.name().to_owned())
            })?,
            country: clearable(input.country, &|v| {
                Country::parse("input.country", v).map(|c| c.as_str().to_owned())
            })?,
            languages: input
                .languages
                .map(|l| Languages::parse("input.languages", &l).map(Languages::into_vec))
                .transpose()?,
            bio: match input.bio {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(v) => Some(bounded_text("input.bio", Some(&v), MAX_BIO)?),
            },
        })
    }
}

/// Changes people make to themselves.
#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Updates the caller's own profile.
    async fn update_my_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The profile fields to change; fields left out stay as they are.")]
        input: UpdateMyProfileInput,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        let person = service::update_my_profile(state, rc, input.try_into()?).await?;
        Ok(PersonNode::new(person, Access::Full))
    }
}
