//! Batched reads for announcement lists: whether the caller acknowledged each one.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::announcement_audience;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::reach::ReachStatus;
use crate::{
    error::AppError,
    graphql::loaders::{DbLoader, LoadError},
};

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
            .map_err(AppError::from)?;
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

/// Key: (announcement, status) → how many of its targets stand there. A list of
/// announcements counts every status of every one in one grouped statement, with the same
/// rules as [`super::reach`] (a test checks the counts against the lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReachCount(pub Uuid, pub ReachStatus);

impl Loader<ReachCount> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[ReachCount]) -> Result<HashMap<ReachCount, u64>, LoadError> {
        let mut ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        ids.sort();
        ids.dedup();
        let list: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let reached = "(au.acknowledged_at IS NOT NULL OR r.mentee_id IS NOT NULL)";
        let sql = format!(
            "SELECT au.announcement_id, CAST(COUNT(*) AS BIGINT), \
             CAST(SUM(CASE WHEN {reached} THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN NOT {reached} AND a.relay_required = TRUE AND au.recipient = FALSE \
                 AND cur.mentee_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) \
             FROM announcement_audience au JOIN announcement a ON a.id = au.announcement_id \
             LEFT JOIN announcement_relay r ON r.announcement_id = au.announcement_id \
                 AND r.mentee_id = au.person_id \
             LEFT JOIN (SELECT DISTINCT mentee_id FROM mentorship WHERE status = 'ACTIVE') cur \
                 ON cur.mentee_id = au.person_id \
             WHERE au.target = TRUE AND au.announcement_id IN ({}) \
             GROUP BY au.announcement_id",
            list.join(", ")
        );
        let values: Vec<sea_orm::Value> = ids.iter().map(|id| (*id).into()).collect();
        let statement = crate::db::statement(self.db.get_database_backend(), &sql, values);
        let rows = self
            .db
            .query_all_raw(statement)
            .await
            .map_err(AppError::from)?;
        let mut counts: HashMap<Uuid, [u64; 3]> = HashMap::new();
        for row in rows {
            let get = |i| -> Result<u64, AppError> {
                Ok(row.try_get_by_index::<Option<i64>>(i)?.unwrap_or(0).max(0) as u64)
            };
            let (all, reached, unreachable) = (get(1)?, get(2)?, get(3)?);
            let id: Uuid = row.try_get_by_index(0).map_err(AppError::from)?;
            counts.insert(
                id,
                [
                    reached,
                    all.saturating_sub(reached + unreachable),
                    unreachable,
                ],
            );
        }
        Ok(keys
            .iter()
            .map(|k| {
                let [reached, pending, unreachable] = counts.get(&k.0).copied().unwrap_or_default();
                let n = match k.1 {
                    ReachStatus::Reached => reached,
                    ReachStatus::Pending => pending,
                    ReachStatus::NotReachable => unreachable,
                };
                (*k, n)
            })
            .collect())
    }
}
