//! Queries of applications, their checklists and the default checklist.

use chrono::{DateTime, Utc};
use entity::{
    mentor_application as app, mentor_application_item as item,
    onboarding_checklist_default as default,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, sea_query::Query,
};
use uuid::Uuid;

use super::model::ApplicationStatus;
use crate::{db, error::AppResult};

/// Most steps a checklist has.
pub const MAX_ITEMS: usize = 20;

fn open_statuses() -> Vec<&'static str> {
    ApplicationStatus::OPEN.iter().map(|s| s.as_str()).collect()
}

/// Writes a new application and its checklist (a copy of the defaults).
///
/// # Errors
/// CONFLICT when the rep has an open application already (the unique index decides, so two
/// concurrent applications cannot both pass).
pub async fn insert(conn: &impl ConnectionTrait, row: app::Model) -> AppResult<()> {
    let id = row.id;
    let active = app::ActiveModel {
        id: Set(row.id),
        applicant_id: Set(row.applicant_id),
        round_id: Set(row.round_id),
        contact_id: Set(row.contact_id),
        status: Set(row.status),
        motivation: Set(row.motivation),
        languages: Set(row.languages),
        areas: Set(row.areas),
        note: Set(row.note),
        applied_at: Set(row.applied_at),
        updated_at: Set(row.updated_at),
        completed_at: Set(row.completed_at),
        closed_at: Set(row.closed_at),
    };
    app::Entity::insert(active)
        .exec_without_returning(conn)
        .await
        .map_err(|e| {
            crate::db::conflict_on_unique(e, "you already have an application in progress")
        })?;
    let steps: Vec<item::ActiveModel> = defaults(conn)
        .await?
        .into_iter()
        .map(|d| item::ActiveModel {
            application_id: Set(id),
            key: Set(d.key),
            position: Set(d.position),
            label: Set(d.label),
            automatic: Set(d.automatic),
            done_at: Set(None),
            done_by: Set(None),
        })
        .collect();
    if !steps.is_empty() {
        item::Entity::insert_many(steps)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// One application.
///
/// # Errors
/// A database fault.
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<app::Model>> {
    Ok(app::Entity::find_by_id(id).one(conn).await?)
}

/// One application, locked until the transaction ends (PostgreSQL; SQLite's write
/// transaction already excludes other writers).
///
/// # Errors
/// A database fault.
pub async fn find_for_update(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<app::Model>> {
    let select = db::for_update(conn.get_database_backend(), app::Entity::find_by_id(id));
    Ok(select.one(conn).await?)
}

/// Saves a step: status, note, contact and dates.
///
/// # Errors
/// A database fault.
pub async fn save_step(conn: &impl ConnectionTrait, row: &app::Model) -> AppResult<()> {
    app::Entity::update(app::ActiveModel {
        id: Set(row.id),
        status: Set(row.status.clone()),
        contact_id: Set(row.contact_id),
        note: Set(row.note.clone()),
        updated_at: Set(row.updated_at),
        completed_at: Set(row.completed_at),
        closed_at: Set(row.closed_at),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// The checklist of an application, in order.
///
/// # Errors
/// A database fault.
pub async fn items(conn: &impl ConnectionTrait, application: Uuid) -> AppResult<Vec<item::Model>> {
    Ok(item::Entity::find()
        .filter(item::Column::ApplicationId.eq(application))
        .order_by_asc(item::Column::Position)
        .limit(MAX_ITEMS as u64)
        .all(conn)
        .await?)
}

/// The checklists of several applications (one statement for a page of them).
///
/// # Errors
/// A database fault.
pub async fn items_of(
    conn: &impl ConnectionTrait,
    applications: &[Uuid],
) -> AppResult<Vec<item::Model>> {
    Ok(item::Entity::find()
        .filter(item::Column::ApplicationId.is_in(applications.iter().copied()))
        .order_by_asc(item::Column::Position)
        .all(conn)
        .await?)
}

/// Ticks (`done = Some`) or unticks one step; how many rows changed (0: no such step).
///
/// # Errors
/// A database fault.
pub async fn set_item(
    conn: &impl ConnectionTrait,
    application: Uuid,
    key: &str,
    done: Option<(DateTime<Utc>, Uuid)>,
) -> AppResult<u64> {
    Ok(item::Entity::update_many()
        .set(item::ActiveModel {
            done_at: Set(done.map(|d| d.0)),
            done_by: Set(done.map(|d| d.1)),
            ..Default::default()
        })
        .filter(item::Column::ApplicationId.eq(application))
        .filter(item::Column::Key.eq(key))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Ticks the automatic steps of `applicant`'s open application: they acknowledged the
/// current role guide.
///
/// # Errors
/// A database fault.
pub async fn tick_automatic(
    conn: &impl ConnectionTrait,
    applicant: Uuid,
    at: DateTime<Utc>,
) -> AppResult<()> {
    let open = Query::select()
        .column(app::Column::Id)
        .from(app::Entity)
        .and_where(app::Column::ApplicantId.eq(applicant))
        .and_where(app::Column::Status.is_in(open_statuses()))
        .to_owned();
    item::Entity::update_many()
        .set(item::ActiveModel {
            done_at: Set(Some(at)),
            done_by: Set(Some(applicant)),
            ..Default::default()
        })
        .filter(item::Column::ApplicationId.in_subquery(open))
        .filter(item::Column::Automatic.eq(true))
        .filter(item::Column::DoneAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether `person` has an application in progress.
///
/// # Errors
/// A database fault.
pub async fn has_open(conn: &impl ConnectionTrait, person: Uuid) -> AppResult<bool> {
    Ok(app::Entity::find()
        .filter(app::Column::ApplicantId.eq(person))
        .filter(app::Column::Status.is_in(open_statuses()))
        .count(conn)
        .await?
        > 0)
}

/// The default checklist, in order.
///
/// # Errors
/// A database fault.
pub async fn defaults(conn: &impl ConnectionTrait) -> AppResult<Vec<default::Model>> {
    Ok(default::Entity::find()
        .order_by_asc(default::Column::Position)
        .limit(MAX_ITEMS as u64)
        .all(conn)
        .await?)
}

/// Replaces the default checklist.
///
/// # Errors
/// A database fault.
pub async fn replace_defaults(
    conn: &impl ConnectionTrait,
    rows: Vec<default::Model>,
) -> AppResult<()> {
    default::Entity::delete_many().exec(conn).await?;
    let rows: Vec<default::ActiveModel> = rows
        .into_iter()
        .map(|d| default::ActiveModel {
            key: Set(d.key),
            position: Set(d.position),
            label: Set(d.label),
            automatic: Set(d.automatic),
        })
        .collect();
    if !rows.is_empty() {
        default::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Which applications to list.
#[derive(Clone, Debug, Default)]
pub struct ApplicationFilter {
    /// Only this applicant's (non-council callers see their own only).
    pub applicant: Option<Uuid>,
    pub status: Option<ApplicationStatus>,
    pub round: Option<Uuid>,
}

/// The applications `filter` selects.
pub fn filtered(filter: &ApplicationFilter) -> Select<app::Entity> {
    let mut select = app::Entity::find();
    if let Some(applicant) = filter.applicant {
        select = select.filter(app::Column::ApplicantId.eq(applicant));
    }
    if let Some(status) = filter.status {
        select = select.filter(app::Column::Status.eq(status.as_str()));
    }
    if let Some(round) = filter.round {
        select = select.filter(app::Column::RoundId.eq(round));
    }
    select
}
