//! GraphQL types and resolvers of people: thin wrappers over [`super::service`].

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};

use super::{model::Person, service};
use crate::{auth::Role, graphql::request_parts};

/// Queries about people.
#[derive(Default)]
pub struct PeopleQuery;

#[Object]
impl PeopleQuery {
    /// The signed-in person; created from the token's claims on the first call.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<PersonNode> {
        let (state, principal) = request_parts(ctx)?;
        Ok(PersonNode(service::me(state, principal).await?))
    }
}

/// A rep, mentor or council member.
pub struct PersonNode(pub Person);

#[Object(name = "Person")]
impl PersonNode {
    /// The person's UUID.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Public name, 1–80 characters.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// Contact address; visible to the person, their current mentor and the council.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Program roles in effect now.
    async fn roles(&self) -> Vec<Role> {
        self.0.roles.iter().copied().collect()
    }

    /// When the person first signed in (or was imported).
    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
}
