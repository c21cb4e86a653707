//! Queries on `person`. Helpers take any connection and never commit.

use entity::{mentor_profile, person};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::OnConflict,
};
use uuid::Uuid;

use crate::error::AppResult;

/// A person row with their mentor profile, if any.
pub type PersonRow = (person::Model, Option<mentor_profile::Model>);

/// Finds the person of a token identity, with their mentor profile (one statement).
///
/// # Errors
/// A database fault.
pub async fn find_by_identity(
    conn: &impl ConnectionTrait,
    issuer: &str,
    subject: &str,
) -> AppResult<Option<PersonRow>> {
    Ok(person::Entity::find()
        .filter(person::Column::Issuer.eq(issuer))
        .filter(person::Column::Subject.eq(subject))
        .find_also_related(mentor_profile::Entity)
        .one(conn)
        .await?)
}

/// Inserts `row` unless a person with the same identity exists; concurrent first sign-ins
/// therefore end with exactly one row and no error.
///
/// # Errors
/// A database fault.
pub async fn insert_if_absent(
    conn: &impl ConnectionTrait,
    row: person::ActiveModel,
) -> AppResult<()> {
    person::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([person::Column::Issuer, person::Column::Subject])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Records the program roles last seen in the person's token.
///
/// # Errors
/// A database fault.
pub async fn set_token_roles(
    conn: &impl ConnectionTrait,
    id: Uuid,
    roles: serde_json::Value,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    person::Entity::update_many()
        .set(person::ActiveModel {
            token_roles: Set(roles),
            updated_at: Set(at),
            ..Default::default()
        })
        .filter(person::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}
