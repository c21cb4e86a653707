//! Reach of an announcement: for every target rep, REACHED, PENDING or NOT_REACHABLE —
//! computed in SQL, counted and listed without loading everyone.

use entity::{announcement_audience, announcement_relay, mentorship, person};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationDef, Select,
    sea_query::{Expr, ExprTrait, Query},
};

use super::model::Announcement;
use crate::{
    error::AppResult,
    paging::{Order, Page, keyset},
    people::{model::Person, repo::to_person},
};

/// Where one rep stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ReachStatus {
    /// Acknowledged, or their mentor relayed it.
    Reached,
    /// Not yet.
    Pending,
    /// It needs relaying, they have no mentor and it is not in their own inbox.
    NotReachable,
}

fn audience_join() -> RelationDef {
    person::Entity::belongs_to(announcement_audience::Entity)
        .from(person::Column::Id)
        .to(announcement_audience::Column::PersonId)
        .into()
}

fn targets(a: &Announcement, status: ReachStatus) -> Select<person::Entity> {
    let relayed = Query::select()
        .expr(Expr::val(1))
        .from(announcement_relay::Entity)
        .and_where(
            Expr::col((
                announcement_relay::Entity,
                announcement_relay::Column::AnnouncementId,
            ))
            .eq(a.id),
        )
        .and_where(
            Expr::col((
                announcement_relay::Entity,
                announcement_relay::Column::MenteeId,
            ))
            .equals((person::Entity, person::Column::Id)),
        )
        .to_owned();
    let has_mentor = Query::select()
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
    let reached = Condition::any()
        .add(announcement_audience::Column::AcknowledgedAt.is_not_null())
        .add(Expr::exists(relayed));
    // Someone with the announcement in their own inbox can still read it: only a rep who
    // depends on a relay and has nobody to relay it is out of reach.
    let unreachable = Condition::all()
        .add(Expr::val(a.relay_required).eq(true))
        .add(announcement_audience::Column::Recipient.eq(false))
        .add(Expr::exists(has_mentor).not());
    let condition = match status {
        ReachStatus::Reached => reached,
        ReachStatus::NotReachable => Condition::all().add(reached.not()).add(unreachable),
        ReachStatus::Pending => Condition::all().add(reached.not()).add(unreachable.not()),
    };
    person::Entity::find()
        .join(JoinType::InnerJoin, audience_join())
        .filter(announcement_audience::Column::AnnouncementId.eq(a.id))
        .filter(announcement_audience::Column::Target.eq(true))
        .filter(condition)
}

/// A page of the targets at `status`.
///
/// # Errors
/// A database fault.
pub async fn list(
    conn: &impl ConnectionTrait,
    a: &Announcement,
    status: ReachStatus,
    page: &Page,
) -> AppResult<Vec<Person>> {
    let select = targets(a, status);
    keyset(select, person::Column::Id, Order::OldestFirst, page)
        .find_also_related(entity::mentor_profile::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_person(row, None))
        .collect::<AppResult<Vec<_>>>()
}
