//! Loading people by id in batches.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use uuid::Uuid;

use super::{model::Person, repo};
use crate::graphql::loaders::{DbLoader, LoadError};

/// Key: a person's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PersonKey(pub Uuid);

impl Loader<PersonKey> for DbLoader {
    type Value = Person;
    type Error = LoadError;

    async fn load(&self, keys: &[PersonKey]) -> Result<HashMap<PersonKey, Person>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(repo::find_by_ids(&self.db, &ids)
            .await?
            .into_iter()
            .map(|p| (PersonKey(p.id), p))
            .collect())
    }
}
