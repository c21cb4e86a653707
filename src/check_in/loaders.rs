//! Batched reads for mentorship lists: the first page of each one's check-ins and their
//! number.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::check_in;
use uuid::Uuid;

use super::model::CheckIn;
use crate::graphql::loaders::{DbLoader, LoadError, count_of_each, first_of_each};

/// Key: (mentorship, rows wanted) → its first check-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FirstCheckIns(pub Uuid, pub u64);

impl Loader<FirstCheckIns> for DbLoader {
    type Value = Vec<CheckIn>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FirstCheckIns],
    ) -> Result<HashMap<FirstCheckIns, Self::Value>, LoadError> {
        let fetch = keys.iter().map(|k| k.1).max().unwrap_or(0);
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = first_of_each::<check_in::Entity>(
            &self.db,
            check_in::Column::MentorshipId,
            &ids,
            fetch,
        )
        .await?;
        Ok(keys
            .iter()
            .map(|key| {
                let mine = rows
                    .iter()
                    .filter(|c| c.mentorship_id == key.0)
                    .take(key.1 as usize)
                    .cloned()
                    .map(CheckIn::from)
                    .collect();
                (*key, mine)
            })
            .collect())
    }
}

/// Key: a mentorship → how many check-ins it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CheckInCount(pub Uuid);

impl Loader<CheckInCount> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[CheckInCount]) -> Result<HashMap<CheckInCount, u64>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let counts =
            count_of_each::<check_in::Entity>(&self.db, check_in::Column::MentorshipId, &ids)
                .await?;
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}
