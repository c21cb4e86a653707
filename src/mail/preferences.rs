//! How a person wants notifications by e-mail: their own choice, and the one-click
//! unsubscribe link that turns mail off without signing in.

use entity::person;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::repo;
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    links::Purpose,
    notifications::model::EmailPreference,
    people::model::Person,
    request::RequestCtx,
    state::AppState,
};

/// The caller's own preferences; `None` for anyone else's (they are nobody else's
/// business, not even the council's).
///
/// # Errors
/// A database fault; INTERNAL for a corrupt stored value.
pub async fn of(
    state: &AppState,
    rc: &RequestCtx,
    person: Uuid,
) -> AppResult<Option<EmailPreference>> {
    if !policy::is_self(&rc.actor, person) {
        return Ok(None);
    }
    let row = person::Entity::find_by_id(person).one(state.db()).await?;
    row.map(|r| EmailPreference::from_db(&r.email_preference))
        .transpose()
}

/// Sets the caller's e-mail preference; turning mail off also cancels mails not sent yet.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn update(
    state: &AppState,
    rc: &RequestCtx,
    email: EmailPreference,
) -> AppResult<Person> {
    let me = policy::require_person(&rc.actor)?.id;
    let txn = rc.begin_write(state.db()).await?;
    set(&txn, me, email).await?;
    txn.commit().await?;
    crate::people::service::me(state, rc).await
}

async fn set(
    conn: &impl sea_orm::ConnectionTrait,
    person_id: Uuid,
    email: EmailPreference,
) -> AppResult<()> {
    person::Entity::update_many()
        .set(person::ActiveModel {
            email_preference: Set(email.as_str().into()),
            ..Default::default()
        })
        .filter(person::Column::Id.eq(person_id))
        .exec(conn)
        .await?;
    if email == EmailPreference::Off {
        repo::cancel_pending_of(conn, person_id, "mail turned off").await?;
    }
    Ok(())
}

/// The one-click unsubscribe (RFC 8058): the token names the person and is signed; mail
/// becomes OFF. Repeating it changes nothing.
///
/// # Errors
/// NOT_FOUND for a token this service did not sign (tampered, made up) or an erased person.
pub async fn unsubscribe(state: &AppState, token: &str) -> AppResult<()> {
    let person_id = person_of(state, token).await?;
    let txn = crate::db::begin_write(state.db()).await?;
    set(&txn, person_id, EmailPreference::Off).await?;
    txn.commit().await?;
    tracing::info!(person = %person_id, "unsubscribed from mail by link");
    Ok(())
}

/// The person an unsubscribe token names, if it is genuine and they still exist.
///
/// # Errors
/// NOT_FOUND otherwise.
pub async fn person_of(state: &AppState, token: &str) -> AppResult<Uuid> {
    let not_found = || AppError::NotFound("no such unsubscribe link".into());
    let payload = state
        .link_key()
        .await?
        .open(Purpose::Unsubscribe, token)
        .ok_or_else(not_found)?;
    let id = Uuid::from_slice(&payload).map_err(|_| not_found())?;
    let row = person::Entity::find_by_id(id).one(state.db()).await?;
    match row {
        Some(p) if p.status != crate::people::model::PersonStatus::Erased.as_str() => Ok(id),
        _ => Err(not_found()),
    }
}
