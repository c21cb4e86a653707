//! Batched reads for request lists: the first page of each thread and its length.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::support_message;
use uuid::Uuid;

use crate::graphql::loaders::{DbLoader, LoadError, count_of_each, first_of_each};

/// Key: (request, rows wanted) → the first messages of that thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FirstMessages(pub Uuid, pub u64);

impl Loader<FirstMessages> for DbLoader {
    type Value = Vec<support_message::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FirstMessages],
    ) -> Result<HashMap<FirstMessages, Self::Value>, LoadError> {
        let fetch = keys.iter().map(|k| k.1).max().unwrap_or(0);
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = first_of_each::<support_message::Entity>(
            &self.db,
            support_message::Column::RequestId,
            &ids,
            fetch,
        )
        .await?;
        Ok(keys
            .iter()
            .map(|key| {
                let mine = rows
                    .iter()
                    .filter(|m| m.request_id == key.0)
                    .take(key.1 as usize)
                    .cloned()
                    .collect();
                (*key, mine)
            })
            .collect())
    }
}

/// Key: a request → how many messages its thread has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MessageCount(pub Uuid);

impl Loader<MessageCount> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[MessageCount]) -> Result<HashMap<MessageCount, u64>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let counts = count_of_each::<support_message::Entity>(
            &self.db,
            support_message::Column::RequestId,
            &ids,
        )
        .await?;
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}
