//! `councilContacts` and `setCouncilContact`.

use async_graphql::{Context, ID, InputObject, Object};

use super::service::{self, Contact, ContactArea};
use crate::{
    auth::policy::Access,
    graphql::{parse_id, request},
    people::graphql::PersonNode,
};

/// Points of contact.
#[derive(Default)]
pub struct CouncilQuery;

#[Object]
impl CouncilQuery {
    /// Which council member handles what, for everyone.
    async fn council_contacts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<CouncilContactNode>> {
        let (state, rc) = request(ctx).await?;
        Ok(service::council_contacts(state, rc)
            .await?
            .into_iter()
            .map(CouncilContactNode)
            .collect())
    }
}

/// Make a council member the point of contact for an area (council).
#[derive(InputObject)]
pub struct SetCouncilContactInput {
    /// The area of mentorship.
    pub area: ContactArea,
    /// The council member who answers for it.
    pub person_id: ID,
}

/// Council changes to points of contact.
#[derive(Default)]
pub struct CouncilMutation;

#[Object]
impl CouncilMutation {
    /// Sets the point of contact for an area.
    async fn set_council_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The area and the council member who becomes its point of contact.")]
        input: SetCouncilContactInput,
    ) -> async_graphql::Result<CouncilContactNode> {
        let (state, rc) = request(ctx).await?;
        let person = parse_id("input.personId", &input.person_id)?;
        Ok(CouncilContactNode(
            service::set_council_contact(state, rc, input.area, person).await?,
        ))
    }
}

/// The council member who handles an area.
pub struct CouncilContactNode(Contact);

/// The council member who is the point of contact for one area of mentorship (onboarding,
/// escalations, …).
#[Object(name = "CouncilContact")]
impl CouncilContactNode {
    /// The area of mentorship.
    async fn area(&self) -> ContactArea {
        self.0.area
    }

    /// The council member to contact for it.
    async fn person(&self) -> PersonNode {
        PersonNode::new(self.0.person.clone(), Access::Public)
    }
}
