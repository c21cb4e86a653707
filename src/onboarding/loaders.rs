//! Batched loads of onboarding rounds for a page of applications or rounds: each round, and
//! each round's applications counted by status, in one statement per page.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{mentor_application as app, onboarding_round as round};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::model::{ApplicationStatus, OnboardingRound};
use crate::{
    error::AppError,
    graphql::loaders::{DbLoader, LoadError},
};

/// How many applications a round has in each status.
#[derive(Clone, Debug, Default)]
pub struct RoundCounts(pub HashMap<&'static str, u64>);

impl RoundCounts {
    /// Applications in `status`.
    pub fn of(&self, status: ApplicationStatus) -> u64 {
        self.0.get(status.as_str()).copied().unwrap_or(0)
    }

    /// Every application of the round.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }
}

/// Key: a round's id → its counts (one grouped statement for a page of rounds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RoundCountsKey(pub Uuid);

impl Loader<RoundCountsKey> for DbLoader {
    type Value = RoundCounts;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RoundCountsKey],
    ) -> Result<HashMap<RoundCountsKey, RoundCounts>, LoadError> {
        let rows: Vec<(Option<Uuid>, String, i64)> = app::Entity::find()
            .select_only()
            .column(app::Column::RoundId)
            .column(app::Column::Status)
            .column_as(app::Column::Id.count(), "n")
            .filter(app::Column::RoundId.is_in(keys.iter().map(|k| k.0)))
            .group_by(app::Column::RoundId)
            .group_by(app::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(AppError::from)?;
        let mut out: HashMap<RoundCountsKey, RoundCounts> =
            keys.iter().map(|k| (*k, RoundCounts::default())).collect();
        for (round, status, n) in rows {
            let status = ApplicationStatus::from_db(&status)?;
            let Some(round) = round else {
                continue;
            };
            if let Some(counts) = out.get_mut(&RoundCountsKey(round)) {
                counts.0.insert(status.as_str(), n.max(0) as u64);
            }
        }
        Ok(out)
    }
}

/// Key: a round's id → the round (the `round` of a page of applications in one statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RoundKey(pub Uuid);

impl Loader<RoundKey> for DbLoader {
    type Value = OnboardingRound;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[RoundKey],
    ) -> Result<HashMap<RoundKey, OnboardingRound>, LoadError> {
        let rows = round::Entity::find()
            .filter(round::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(AppError::from)?;
        Ok(rows
            .into_iter()
            .map(|r| (RoundKey(r.id), OnboardingRound::from(r)))
            .collect())
    }
}
