//! Onboarding rounds (cohorts): dates within which applications join the round, and how
//! many applications each round has in each status.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::{DateTime, Duration, Utc};
use entity::{mentor_application as app, onboarding_round as round};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use super::model::ApplicationStatus;
use crate::{
    audit::{self, Entry},
    auth::policy,
    db,
    error::{AppError, AppResult},
    graphql::{
        loaders::{DbLoader, LoadError},
        pagination::{Order, Page, TotalCount, page_of},
    },
    request::RequestCtx,
    state::AppState,
};

/// The advisory lock key that serializes opening rounds.
const ROUNDS_LOCK: i64 = 0x006f_6e62_6f61_7264; // "onboard"

/// A new round.
#[derive(Clone, Debug)]
pub struct OpenRound {
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// The round open at `at`, if any.
///
/// # Errors
/// A database fault.
pub async fn current(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
) -> AppResult<Option<round::Model>> {
    Ok(round::Entity::find()
        .filter(round::Column::OpensAt.lte(at))
        .filter(round::Column::ClosesAt.gt(at))
        .order_by_desc(round::Column::OpensAt)
        .one(conn)
        .await?)
}

/// Opens a round (council). Rounds do not overlap, so every application belongs to at
/// most one.
///
/// # Errors
/// FORBIDDEN unless council; BAD_USER_INPUT for dates out of order, a round longer than a
/// year or one already over; CONFLICT when it overlaps another round.
pub async fn open_onboarding_round(
    state: &AppState,
    rc: &RequestCtx,
    cmd: OpenRound,
) -> AppResult<round::Model> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    if cmd.closes_at <= cmd.opens_at || cmd.closes_at - cmd.opens_at > Duration::days(366) {
        return Err(AppError::bad_input(
            "input.closesAt",
            "must be after opensAt, at most a year later",
        ));
    }
    if cmd.closes_at <= now {
        return Err(AppError::bad_input(
            "input.closesAt",
            "must be in the future",
        ));
    }
    let txn = db::begin_write(state.db()).await?;
    // Two rounds opened at once must not both pass the overlap check.
    db::lock_topic(&txn, ROUNDS_LOCK).await?;
    let overlapping = round::Entity::find()
        .filter(round::Column::OpensAt.lt(cmd.closes_at))
        .filter(round::Column::ClosesAt.gt(cmd.opens_at))
        .one(&txn)
        .await?;
    if let Some(other) = overlapping {
        return Err(AppError::Conflict(format!(
            "it overlaps the round \"{}\"",
            other.name
        )));
    }
    let row = round::Model {
        id: Uuid::now_v7(),
        name: cmd.name,
        opens_at: cmd.opens_at,
        closes_at: cmd.closes_at,
        created_at: now,
        created_by: council.id,
    };
    round::Entity::insert(round::ActiveModel {
        id: Set(row.id),
        name: Set(row.name.clone()),
        opens_at: Set(row.opens_at),
        closes_at: Set(row.closes_at),
        created_at: Set(now),
        created_by: Set(council.id),
    })
    .exec_without_returning(&txn)
    .await?;
    let entry = Entry {
        action: "open_onboarding_round",
        subject_type: "onboarding_round",
        subject_id: Some(row.id),
        before: None,
        after: Some(json!({"name": row.name, "opensAt": row.opens_at, "closesAt": row.closes_at})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// One round (every signed-in person).
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND for an unknown round.
pub async fn onboarding_round(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<round::Model> {
    policy::require_person(&rc.actor)?;
    round::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .ok_or_else(|| AppError::NotFound("no such onboarding round".into()))
}

/// Rounds in the order they were opened (every signed-in person; counts are the council's).
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn onboarding_rounds(
    state: &AppState,
    rc: &RequestCtx,
    page: Page,
) -> AppResult<(Vec<round::Model>, TotalCount)> {
    policy::require_person(&rc.actor)?;
    let select = round::Entity::find();
    page_of(
        state.db(),
        select,
        round::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await
}

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
            let (Some(round), Some(status)) = (round, ApplicationStatus::from_db(&status)) else {
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
    type Value = round::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[RoundKey]) -> Result<HashMap<RoundKey, round::Model>, LoadError> {
        let rows = round::Entity::find()
            .filter(round::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(AppError::from)?;
        Ok(rows.into_iter().map(|r| (RoundKey(r.id), r)).collect())
    }
}
