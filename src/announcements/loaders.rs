//! Batched reads for announcement lists: whether the caller acknowledged each one.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::announcement_audience;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::graphql::loaders::{DbLoader, LoadError};

/// Key: (announcement, person) → whether that person acknowledged it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Acknowledged(pub Uuid, pub Uuid);

impl Loader<Acknowledged> for DbLoader {
    type Value = bool;
    type Error = LoadError;

    async fn load(&self, keys: &[Acknowledged]) -> Result<HashMap<Acknowledged, bool>, LoadError> {
        let rows = announcement_audience::Entity::find()
            .filter(announcement_audience::Column::AnnouncementId.is_in(keys.iter().map(|k| k.0)))
            .filter(announcement_audience::Column::PersonId.is_in(keys.iter().map(|k| k.1)))
            .filter(announcement_audience::Column::Recipient.eq(true))
            .all(&self.db)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    Acknowledged(r.announcement_id, r.person_id),
                    r.acknowledged_at.is_some(),
                )
            })
            .filter(|(k, _)| keys.contains(k))
            .collect())
    }
}
