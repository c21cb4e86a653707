//! Queries on `role_guide` and `role_guide_ack`.

use entity::{mentor_profile, person, role_guide, role_guide_ack};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Select,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::model::RoleGuide;
use crate::{
    error::AppResult,
    paging::{Order, Page, keyset},
    people::{model::Person, repo::to_person},
};

/// The newest version, if any was published.
///
/// # Errors
/// A database fault.
pub async fn current(conn: &impl ConnectionTrait) -> AppResult<Option<RoleGuide>> {
    role_guide::Entity::find()
        .order_by_desc(role_guide::Column::Version)
        .one(conn)
        .await?
        .map(RoleGuide::try_from)
        .transpose()
}

/// One version.
///
/// # Errors
/// A database fault.
pub async fn find(conn: &impl ConnectionTrait, version: i32) -> AppResult<Option<RoleGuide>> {
    role_guide::Entity::find_by_id(version)
        .one(conn)
        .await?
        .map(RoleGuide::try_from)
        .transpose()
}

/// Whether `person` acknowledged `version`.
///
/// # Errors
/// A database fault.
pub async fn acknowledged_by(
    conn: &impl ConnectionTrait,
    person: Uuid,
    version: i32,
) -> AppResult<bool> {
    Ok(role_guide_ack::Entity::find_by_id((person, version))
        .one(conn)
        .await?
        .is_some())
}

/// Stores a new version. CONFLICT when another was published with the same number at the
/// same moment (the primary key decides).
///
/// # Errors
/// CONFLICT as above; a database fault.
pub async fn insert(conn: &impl ConnectionTrait, guide: &RoleGuide) -> AppResult<()> {
    role_guide::Entity::insert(guide.to_row().into_active_model())
        .exec_without_returning(conn)
        .await
        .map_err(|e| {
            crate::db::conflict_on_unique(
                e,
                "another version was published at the same moment; reload and retry",
            )
        })?;
    Ok(())
}

/// Mentors (not retired) who did (`true`) or did not (`false`) acknowledge `version`.
pub fn mentors(version: i32, acknowledged: bool) -> Select<person::Entity> {
    let ack = Query::select()
        .expr(Expr::val(1))
        .from(role_guide_ack::Entity)
        .and_where(
            Expr::col((role_guide_ack::Entity, role_guide_ack::Column::PersonId))
                .equals((person::Entity, person::Column::Id)),
        )
        .and_where(Expr::col((role_guide_ack::Entity, role_guide_ack::Column::Version)).eq(version))
        .to_owned();
    let exists = Expr::exists(ack);
    person::Entity::find()
        .join(JoinType::InnerJoin, person::Relation::MentorProfile.def())
        .filter(
            mentor_profile::Column::Status.ne(crate::mentor::model::MentorStatus::Retired.as_str()),
        )
        .filter(if acknowledged { exists } else { exists.not() })
}

/// A page of mentors who did or did not acknowledge `version`, with profiles.
///
/// # Errors
/// A database fault.
pub async fn list_mentors(
    conn: &impl ConnectionTrait,
    version: i32,
    acknowledged: bool,
    page: &Page,
) -> AppResult<Vec<Person>> {
    let select = mentors(version, acknowledged);
    keyset(select, person::Column::Id, Order::OldestFirst, page)
        .select_also(mentor_profile::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_person(row, None))
        .collect::<AppResult<Vec<_>>>()
}

/// Ids of every mentor who is not retired (to ask them to read a new version).
///
/// # Errors
/// A database fault.
pub async fn live_mentor_ids(conn: &impl ConnectionTrait) -> AppResult<Vec<Uuid>> {
    Ok(mentor_profile::Entity::find()
        .select_only()
        .column(mentor_profile::Column::PersonId)
        .filter(
            mentor_profile::Column::Status.ne(crate::mentor::model::MentorStatus::Retired.as_str()),
        )
        .into_tuple::<Uuid>()
        .all(conn)
        .await?)
}
