//! Queries on `person`. Helpers take any connection and never commit.

use std::collections::BTreeSet;

use entity::{mentor_profile, mentorship, person};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
    sea_query::{Expr, ExprTrait, Func, OnConflict, Query},
};
use uuid::Uuid;

use super::model::Person;
use crate::{
    auth::Role,
    db::json_array_contains,
    error::AppResult,
    paging::{Order, Page, keyset},
};

/// A person row with their mentor profile, if any.
pub type PersonRow = (person::Model, Option<mentor_profile::Model>);

/// Which people a council list shows.
#[derive(Clone, Debug, Default)]
pub struct PersonFilter {
    /// People with this effective role.
    pub role: Option<Role>,
    /// People with none of these effective roles.
    pub without_roles: Vec<Role>,
    /// With (true) or without (false) an active mentor.
    pub has_mentor: Option<bool>,
    /// ISO country code.
    pub country: Option<String>,
    /// Part of the display name, any case.
    pub search: Option<String>,
}

/// Turns a row into a person; `token_roles` overrides the stored ones (the caller's own
/// fresh token).
///
/// # Errors
/// INTERNAL for a row holding an unknown status or malformed languages.
pub fn to_person(
    (row, profile): PersonRow,
    token_roles: Option<&BTreeSet<Role>>,
) -> AppResult<Person> {
    let mut roles: BTreeSet<Role> = match token_roles {
        Some(roles) => roles.clone(),
        None => serde_json::from_value::<Vec<String>>(row.token_roles)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| Role::parse(r))
            .collect(),
    };
    let profile = profile
        .map(crate::mentor::model::MentorProfile::try_from)
        .transpose()?;
    if profile.as_ref().is_some_and(|p| p.is_live()) {
        roles.insert(Role::Mentor);
    }
    Ok(Person {
        id: row.id,
        display_name: row.display_name,
        email: row.email,
        country: row.country,
        languages: serde_json::from_value(row.languages)
            .map_err(crate::error::AppError::internal)?,
        timezone: row.timezone,
        bio: row.bio,
        roles,
        joined_at: row.joined_at,
        status: super::model::PersonStatus::from_db(&row.status)?,
        last_active_at: row.last_active_at,
        mentor_profile: profile,
    })
}

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

/// People by id, with their profiles (one statement).
///
/// # Errors
/// A database fault.
pub async fn find_by_ids(conn: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<Vec<Person>> {
    use sea_orm::QueryTrait;
    // Read by the thousands through the people loader: decoded by position (`db::rows`).
    let statement = person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .find_also_related(mentor_profile::Entity)
        .build(conn.get_database_backend());
    conn.query_all_raw(statement)
        .await?
        .iter()
        .map(|row| to_person(decode_with_profile(row)?, None))
        .collect::<AppResult<Vec<_>>>()
}

/// A person row with its (left-joined) profile, as `find_also_related` selects them: the
/// person's columns, then the profile's, each in its model's field order.
fn decode_with_profile(row: &sea_orm::QueryResult) -> Result<PersonRow, sea_orm::DbErr> {
    let mut c = crate::db::rows::Cols::new(row, 0);
    let person = person::Model {
        id: c.next()?,
        issuer: c.next()?,
        subject: c.next()?,
        display_name: c.next()?,
        email: c.next()?,
        country: c.next()?,
        languages: c.next()?,
        timezone: c.next()?,
        locale: c.next()?,
        bio: c.next()?,
        token_roles: c.next()?,
        status: c.next()?,
        joined_at: c.next()?,
        last_active_at: c.next()?,
        updated_at: c.next()?,
        email_preference: c.next()?,
        calendar_feed_generation: c.next()?,
    };
    let Some(person_id) = c.next::<Option<Uuid>>()? else {
        return Ok((person, None));
    };
    let profile = mentor_profile::Model {
        person_id,
        capacity: c.next()?,
        status: c.next()?,
        accepting_mentees: c.next()?,
        bio: c.next()?,
        expertise: c.next()?,
        onboarded_at: c.next()?,
        break_until: c.next()?,
        updated_at: c.next()?,
    };
    Ok((person, Some(profile)))
}

/// One person by id.
///
/// # Errors
/// A database fault.
pub async fn find_by_id(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<Person>> {
    Ok(find_by_ids(conn, &[id]).await?.pop())
}

/// A person's row, locked until the end of the transaction (`FOR UPDATE` on PostgreSQL;
/// SQLite's write transaction holds the whole database).
///
/// # Errors
/// A database fault.
pub async fn lock(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<person::Model>> {
    let select = crate::db::for_update(conn.get_database_backend(), person::Entity::find_by_id(id));
    Ok(select.one(conn).await?)
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

/// Saves changed columns of a person.
///
/// # Errors
/// A database fault.
pub async fn update(conn: &impl ConnectionTrait, changes: person::ActiveModel) -> AppResult<()> {
    person::Entity::update(changes).exec(conn).await?;
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

/// The people matching `filter`.
pub fn filtered(conn: &impl ConnectionTrait, filter: &PersonFilter) -> Select<person::Entity> {
    let backend = conn.get_database_backend();
    let mut select = person::Entity::find();
    let live_profile = Query::select()
        .expr(Expr::val(1))
        .from(mentor_profile::Entity)
        .and_where(
            Expr::col((mentor_profile::Entity, mentor_profile::Column::PersonId))
                .equals((person::Entity, person::Column::Id)),
        )
        .and_where(
            Expr::col((mentor_profile::Entity, mentor_profile::Column::Status))
                .ne(crate::mentor::model::MentorStatus::Retired.as_str()),
        )
        .to_owned();
    let active_mentorship = Query::select()
        .expr(Expr::val(1))
        .from(mentorship::Entity)
        .and_where(
            Expr::col((mentorship::Entity, mentorship::Column::MenteeId))
                .equals((person::Entity, person::Column::Id)),
        )
        .and_where(
            Expr::col((mentorship::Entity, mentorship::Column::Status))
                .eq(crate::mentorship::model::MentorshipStatus::Active.as_str()),
        )
        .to_owned();
    // A person has a role when their token carries it; MENTOR also with a live profile.
    let has_role = |role: Role| {
        let in_token =
            json_array_contains(backend, r#""person"."token_roles""#, role.as_str().into());
        match role {
            Role::Mentor => Condition::any()
                .add(in_token)
                .add(Expr::exists(live_profile.clone())),
            _ => Condition::all().add(in_token),
        }
    };
    if let Some(role) = filter.role {
        select = select.filter(has_role(role));
    }
    for &role in &filter.without_roles {
        select = select.filter(has_role(role).not());
    }
    if let Some(has) = filter.has_mentor {
        let exists = Expr::exists(active_mentorship);
        select = select.filter(if has { exists } else { exists.not() });
    }
    if let Some(country) = &filter.country {
        select = select.filter(person::Column::Country.eq(country.to_ascii_uppercase()));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // The term matches literally: `%`, `_` and the escape character itself are escaped.
        let literal = search
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = sea_orm::sea_query::LikeExpr::new(format!("%{literal}%")).escape('\\');
        select = select.filter(
            Expr::expr(Func::lower(Expr::col((
                person::Entity,
                person::Column::DisplayName,
            ))))
            .like(pattern),
        );
    }
    select
}

/// A page of people matching `filter`, in id order, with profiles (one statement).
///
/// # Errors
/// A database fault.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &PersonFilter,
    page: &Page,
) -> AppResult<Vec<Person>> {
    let select = filtered(conn, filter);
    keyset(select, person::Column::Id, Order::OldestFirst, page)
        .find_also_related(mentor_profile::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_person(row, None))
        .collect::<AppResult<Vec<_>>>()
}

/// Every council member (by the roles last seen in their tokens); the council is small.
///
/// # Errors
/// A database fault.
pub async fn council_members(conn: &impl ConnectionTrait) -> AppResult<Vec<Uuid>> {
    let backend = conn.get_database_backend();
    Ok(person::Entity::find()
        .filter(json_array_contains(
            backend,
            r#""person"."token_roles""#,
            Role::Council.as_str().into(),
        ))
        .order_by_asc(person::Column::Id)
        .limit(500)
        .all(conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect())
}

/// Records activity now, unless recorded since `unless_since` (concurrent requests of one
/// person write once).
///
/// # Errors
/// A database fault.
pub async fn touch(
    conn: &impl ConnectionTrait,
    id: Uuid,
    unless_since: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    person::Entity::update_many()
        .set(person::ActiveModel {
            last_active_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(person::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(person::Column::LastActiveAt.is_null())
                .add(person::Column::LastActiveAt.lt(unless_since)),
        )
        .exec(conn)
        .await?;
    Ok(())
}
