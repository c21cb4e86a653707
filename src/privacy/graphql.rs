//! `erasePerson`.

use async_graphql::{Context, ID, InputObject, Object};

use super::erase::{self, ErasePerson};
use crate::{
    auth::policy::Access,
    graphql::{parse_id, request},
    people::graphql::PersonNode,
};

/// Erase a person (council): irreversible.
#[derive(InputObject)]
pub struct ErasePersonInput {
    /// The person to forget.
    pub person_id: ID,
    /// Why, such as the reference of their request (1–500 characters); kept in the audit
    /// log.
    pub reason: String,
}

/// Data rights.
#[derive(Default)]
pub struct PrivacyMutation;

#[Object]
impl PrivacyMutation {
    /// Forgets a person, irreversibly, in one transaction: personal fields cleared, the name
    /// a pseudonym ("Former rep #7"), private check-in notes, plans and support needs and
    /// their message bodies deleted, their inbox emptied, their sign-in link removed (the
    /// same token then signs in as a new person); an active mentorship as mentee ends
    /// (MENTEE_LEFT). What metrics count stays. CONFLICT while they mentor anyone
    /// (re-assign first) or once erased. Council only.
    async fn erase_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person and the reason.")] input: ErasePersonInput,
    ) -> async_graphql::Result<PersonNode> {
        let (state, rc) = request(ctx).await?;
        let cmd = ErasePerson {
            person_id: parse_id("input.personId", &input.person_id)?,
            reason: input.reason,
        };
        Ok(PersonNode::new(
            erase::erase_person(state, rc, cmd).await?,
            Access::Full,
        ))
    }
}
