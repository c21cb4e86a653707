//! Storage of announcements and their audiences.

use entity::{announcement, announcement_audience, mentor_profile, person};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select,
    sea_query::ExprTrait,
};
use uuid::Uuid;

use super::model::Announcement;
use crate::{
    auth::{Role, policy::Scope},
    db::json_array_contains,
    error::AppResult,
};

/// Stores a new announcement.
///
/// # Errors
/// A database fault.
pub async fn insert(conn: &impl ConnectionTrait, a: &Announcement) -> AppResult<()> {
    announcement::Entity::insert(announcement::ActiveModel {
        id: Set(a.id),
        title: Set(a.title.clone()),
        body: Set(a.body.clone()),
        audience: Set(a.audience.as_str().into()),
        country: Set(a.country.clone()),
        language: Set(a.language.clone()),
        relay_required: Set(a.relay_required),
        published_at: Set(a.published_at),
        published_by: Set(a.published_by),
        call_id: Set(a.call_id),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Stores who receives an announcement and whom it must reach, in chunks.
///
/// # Errors
/// A database fault.
pub async fn insert_audience(
    conn: &impl ConnectionTrait,
    id: Uuid,
    audience: &std::collections::BTreeMap<Uuid, (bool, bool)>,
) -> AppResult<()> {
    let rows: Vec<announcement_audience::ActiveModel> = audience
        .iter()
        .map(
            |(person, (recipient, target))| announcement_audience::ActiveModel {
                announcement_id: Set(id),
                person_id: Set(*person),
                recipient: Set(*recipient),
                target: Set(*target),
                acknowledged_at: Set(None),
                relay_reminded_at: Set(None),
            },
        )
        .collect();
    for chunk in rows.chunks(500) {
        announcement_audience::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// An announcement.
///
/// # Errors
/// A database fault; INTERNAL for a corrupt row.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<Announcement>> {
    announcement::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(Announcement::try_from)
        .transpose()
}

/// Whether `person` received announcement `id`.
///
/// # Errors
/// A database fault.
pub async fn is_recipient(conn: &impl ConnectionTrait, id: Uuid, person: Uuid) -> AppResult<bool> {
    Ok(announcement_audience::Entity::find_by_id((id, person))
        .one(conn)
        .await?
        .is_some_and(|a| a.recipient))
}

/// The announcements a scope sees: all, or those its person received.
pub fn visible(scope: Scope) -> Select<announcement::Entity> {
    let select = announcement::Entity::find();
    let Scope::Own(viewer) = scope else {
        return select;
    };
    let received = sea_orm::sea_query::Query::select()
        .column(announcement_audience::Column::AnnouncementId)
        .from(announcement_audience::Entity)
        .and_where(announcement_audience::Column::PersonId.eq(viewer))
        .and_where(announcement_audience::Column::Recipient.eq(true))
        .to_owned();
    select.filter(announcement::Column::Id.in_subquery(received))
}

/// Marks a recipient's first reading.
///
/// # Errors
/// A database fault.
pub async fn acknowledge(
    conn: &impl ConnectionTrait,
    id: Uuid,
    person: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    announcement_audience::Entity::update_many()
        .set(announcement_audience::ActiveModel {
            acknowledged_at: Set(Some(at)),
            ..Default::default()
        })
        .filter(announcement_audience::Column::AnnouncementId.eq(id))
        .filter(announcement_audience::Column::PersonId.eq(person))
        .filter(announcement_audience::Column::AcknowledgedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// People matching the narrowing, as reps (token role) or as mentors (live profile).
pub async fn people(
    conn: &impl ConnectionTrait,
    mentors: bool,
    country: Option<&str>,
    language: Option<&str>,
) -> AppResult<Vec<Uuid>> {
    let backend = conn.get_database_backend();
    let mut select = person::Entity::find()
        .select_only()
        .column(person::Column::Id);
    if mentors {
        select = select.inner_join(mentor_profile::Entity).filter(
            mentor_profile::Column::Status.ne(crate::mentor::model::MentorStatus::Retired.as_str()),
        );
    } else {
        // Reps the news must reach; the council sends it and is not counted.
        select = select
            .filter(json_array_contains(
                backend,
                r#""person"."token_roles""#,
                Role::Mentee.as_str().into(),
            ))
            .filter(
                json_array_contains(
                    backend,
                    r#""person"."token_roles""#,
                    Role::Council.as_str().into(),
                )
                .not(),
            );
    }
    if let Some(country) = country {
        select = select.filter(person::Column::Country.eq(country));
    }
    if let Some(language) = language {
        select = select.filter(json_array_contains(
            backend,
            r#""person"."languages""#,
            language.into(),
        ));
    }
    Ok(select.into_tuple::<Uuid>().all(conn).await?)
}
