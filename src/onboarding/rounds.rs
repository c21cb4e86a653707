//! Onboarding rounds (cohorts): dates within which applications join the round (their
//! counts by status are loaded in `loaders`).

use chrono::{DateTime, Duration, Utc};
use entity::onboarding_round as round;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use super::model::OnboardingRound;
use crate::{
    audit::{self, Entry},
    auth::policy,
    db,
    error::{AppError, AppResult},
    paging::{Order, Page, TotalCount, page_of},
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
#[tracing::instrument(skip_all)]
pub async fn open_onboarding_round(
    state: &AppState,
    rc: &RequestCtx,
    cmd: OpenRound,
) -> AppResult<OnboardingRound> {
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
    let txn = rc.begin_write(state.db()).await?;
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
    Ok(OnboardingRound::from(row))
}

/// One round (every signed-in person).
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND for an unknown round.
pub async fn onboarding_round(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<OnboardingRound> {
    policy::require_person(&rc.actor)?;
    round::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .map(OnboardingRound::from)
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
) -> AppResult<(Vec<OnboardingRound>, TotalCount)> {
    policy::require_person(&rc.actor)?;
    let select = round::Entity::find();
    let (rows, total) = page_of(
        state.db(),
        select,
        round::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await?;
    Ok((rows.into_iter().map(OnboardingRound::from).collect(), total))
}
