//! Queries on `mentor_profile` and the mentor directory.

use entity::{mentor_profile, mentorship, person};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait, Select,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::{
    db::json_array_contains,
    error::AppResult,
    paging::{Order, Page, keyset, keyset_by},
    people::{model::Person, repo::to_person},
};

/// The directory's filter.
#[derive(Clone, Debug, Default)]
pub struct MentorFilter {
    /// Only mentors who take a new mentee now (ACTIVE, willing, a free slot).
    pub accepting: Option<bool>,
    /// Speaking this language (exact tag).
    pub language: Option<String>,
    /// In this country.
    pub country: Option<String>,
    /// With this expertise tag.
    pub expertise: Option<String>,
}

/// Mentors that are ACTIVE and willing (capacity is checked by the caller with counts).
///
/// # Errors
/// A database fault.
pub async fn accepting_mentors(conn: &impl ConnectionTrait) -> AppResult<Vec<Person>> {
    person::Entity::find()
        .find_also_related(mentor_profile::Entity)
        .filter(
            mentor_profile::Column::Status.eq(crate::mentor::model::MentorStatus::Active.as_str()),
        )
        .filter(mentor_profile::Column::AcceptingMentees.eq(true))
        .order_by_asc(person::Column::Id)
        .limit(5_000)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_person(row, None))
        .collect::<AppResult<Vec<_>>>()
}

/// The mentors matching `filter`.
pub fn filtered(conn: &impl ConnectionTrait, filter: &MentorFilter) -> Select<person::Entity> {
    let backend = conn.get_database_backend();
    let mut select = person::Entity::find()
        .join(JoinType::InnerJoin, person::Relation::MentorProfile.def())
        .filter(
            mentor_profile::Column::Status.ne(crate::mentor::model::MentorStatus::Retired.as_str()),
        );
    if let Some(accepting) = filter.accepting {
        let active_mentees = Query::select()
            .expr(Expr::col((mentorship::Entity, mentorship::Column::Id)).count())
            .from(mentorship::Entity)
            .and_where(
                Expr::col((mentorship::Entity, mentorship::Column::MentorId))
                    .equals((person::Entity, person::Column::Id)),
            )
            .and_where(
                Expr::col((mentorship::Entity, mentorship::Column::Status))
                    .eq(crate::mentorship::model::MentorshipStatus::Active.as_str()),
            )
            .to_owned();
        let accepts = mentor_profile::Column::Status
            .eq(crate::mentor::model::MentorStatus::Active.as_str())
            .and(mentor_profile::Column::AcceptingMentees.eq(true))
            .and(
                Expr::col((mentor_profile::Entity, mentor_profile::Column::Capacity))
                    .gt(Expr::SubQuery(None, Box::new(active_mentees.into()))),
            );
        select = select.filter(if accepting { accepts } else { accepts.not() });
    }
    if let Some(language) = &filter.language {
        select = select.filter(json_array_contains(
            backend,
            r#""person"."languages""#,
            language.clone(),
        ));
    }
    if let Some(country) = &filter.country {
        select = select.filter(person::Column::Country.eq(country.to_ascii_uppercase()));
    }
    if let Some(expertise) = &filter.expertise {
        select = select.filter(json_array_contains(
            backend,
            r#""mentor_profile"."expertise""#,
            expertise.trim().to_lowercase(),
        ));
    }
    select
}

/// The order of the directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MentorOrder {
    /// By person id: the order in which people first signed in.
    #[default]
    Joined,
    /// By display name, ties by id.
    Name,
}

/// A page of the directory in `order` (one statement, profiles included); after a cursor,
/// the mentors past the cursor's person in that order.
///
/// # Errors
/// A database fault.
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &MentorFilter,
    page: &Page,
    order: MentorOrder,
) -> AppResult<Vec<Person>> {
    let select = filtered(conn, filter);
    let select = match order {
        MentorOrder::Joined => keyset(select, person::Column::Id, Order::OldestFirst, page),
        MentorOrder::Name => keyset_by(
            (conn.get_database_backend(), select),
            "{t}.display_name",
            person::Column::Id,
            Order::OldestFirst,
            page,
        ),
    };
    select
        .select_also(mentor_profile::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_person(row, None))
        .collect::<AppResult<Vec<_>>>()
}

/// The profile of a person, if any.
///
/// # Errors
/// A database fault.
pub async fn find(
    conn: &impl ConnectionTrait,
    person_id: Uuid,
) -> AppResult<Option<mentor_profile::Model>> {
    Ok(mentor_profile::Entity::find_by_id(person_id)
        .one(conn)
        .await?)
}

/// Inserts or replaces a profile row.
///
/// # Errors
/// A database fault.
pub async fn save(
    conn: &impl ConnectionTrait,
    row: mentor_profile::Model,
    exists: bool,
) -> AppResult<()> {
    let active = mentor_profile::ActiveModel {
        person_id: Set(row.person_id),
        capacity: Set(row.capacity),
        status: Set(row.status),
        accepting_mentees: Set(row.accepting_mentees),
        bio: Set(row.bio),
        expertise: Set(row.expertise),
        onboarded_at: Set(row.onboarded_at),
        break_until: Set(row.break_until),
        updated_at: Set(row.updated_at),
    };
    if exists {
        mentor_profile::Entity::update(active).exec(conn).await?;
    } else {
        mentor_profile::Entity::insert(active)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}
