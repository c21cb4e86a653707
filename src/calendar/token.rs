//! Feed URLs: the person and the feed generation, signed ([`crate::links`]).

use entity::person;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{
    auth::policy,
    error::{AppError, AppResult},
    links::{LinkKey, Purpose},
    people::model::{Person, PersonStatus},
    request::RequestCtx,
    state::AppState,
};

/// The URL of `person`'s feed at `generation`.
pub fn url(public_url: &str, key: &LinkKey, person: Uuid, generation: i32) -> String {
    let mut payload = person.as_bytes().to_vec();
    payload.extend_from_slice(&generation.to_be_bytes());
    let token = key.sign(Purpose::CalendarFeed, &payload);
    format!("{public_url}/api/v1/calendar/{token}.ics")
}

/// The caller's own feed URL; `None` for anyone else's.
///
/// # Errors
/// A database fault.
pub async fn feed_url(
    state: &AppState,
    rc: &RequestCtx,
    person: Uuid,
) -> AppResult<Option<String>> {
    if !policy::is_self(&rc.actor, person) {
        return Ok(None);
    }
    let Some(row) = person::Entity::find_by_id(person).one(state.db()).await? else {
        return Ok(None);
    };
    let key = state.link_key().await?;
    let public = state.settings().public_base();
    Ok(Some(url(
        &public,
        key,
        person,
        row.calendar_feed_generation,
    )))
}

/// A new feed URL for the caller; every earlier one stops working.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn rotate(state: &AppState, rc: &RequestCtx) -> AppResult<Person> {
    let me = policy::require_person(&rc.actor)?.id;
    let txn = rc.begin_write(state.db()).await?;
    bump(&txn, me).await?;
    txn.commit().await?;
    crate::people::service::me(state, rc).await
}

/// Invalidates every feed URL of `person` (rotation, erasure).
///
/// # Errors
/// A database fault.
pub async fn bump(conn: &impl sea_orm::ConnectionTrait, person: Uuid) -> AppResult<()> {
    person::Entity::update_many()
        .col_expr(
            person::Column::CalendarFeedGeneration,
            Expr::col(person::Column::CalendarFeedGeneration).add(1),
        )
        .filter(person::Column::Id.eq(person))
        .exec(conn)
        .await?;
    Ok(())
}

/// The person a feed token names, if it is genuine, current, and they are not erased.
///
/// # Errors
/// NOT_FOUND otherwise.
pub async fn person_of(state: &AppState, token: &str) -> AppResult<person::Model> {
    let not_found = || AppError::NotFound("no such calendar feed".into());
    let payload = state
        .link_key()
        .await?
        .open(Purpose::CalendarFeed, token)
        .ok_or_else(not_found)?;
    let (id, generation) = payload.split_at_checked(16).ok_or_else(not_found)?;
    let id = Uuid::from_slice(id).map_err(|_| not_found())?;
    let generation = i32::from_be_bytes(generation.try_into().map_err(|_| not_found())?);
    let row = person::Entity::find_by_id(id).one(state.db()).await?;
    match row {
        Some(p)
            if p.calendar_feed_generation == generation
                && p.status != PersonStatus::Erased.as_str() =>
        {
            Ok(p)
        }
        _ => Err(not_found()),
    }
}
