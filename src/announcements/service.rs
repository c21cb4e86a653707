//! `publishAnnouncement`, `acknowledgeAnnouncement`, `relayAnnouncement`, reading.

use std::collections::BTreeMap;

use entity::{announcement, announcement_audience, announcement_relay, mentor_profile, person};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{ExprTrait, OnConflict},
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    audit::{self, Entry},
    auth::{Role, policy},
    db::{self, json_array_contains},
    error::{AppError, AppResult},
    mentorship,
    notifications::{self, Notice, NotificationKind},
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
};

/// Who an announcement is for.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum AnnouncementAudience {
    /// Mentors (who relay it when asked).
    Mentors,
    /// Every rep, mentors included.
    AllReps,
}

impl AnnouncementAudience {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mentors => "MENTORS",
            Self::AllReps => "ALL_REPS",
        }
    }
}

/// A new announcement.
#[derive(Clone, Debug)]
pub struct PublishAnnouncement {
    pub title: String,
    pub body: String,
    pub audience: AnnouncementAudience,
    pub country: Option<String>,
    pub language: Option<String>,
    pub relay_required: bool,
}

/// A relay: to these mentees, or to all current ones.
#[derive(Clone, Debug)]
pub struct RelayAnnouncement {
    pub announcement_id: Uuid,
    pub mentee_ids: Option<Vec<Uuid>>,
    pub channel: String,
    pub note: Option<String>,
}

/// People matching the narrowing, as reps (token role) or as mentors (live profile).
async fn people(
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
        select = select
            .inner_join(mentor_profile::Entity)
            .filter(mentor_profile::Column::Status.ne("RETIRED"));
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

/// Publishes and delivers an announcement (council).
///
/// # Errors
/// FORBIDDEN unless council.
#[tracing::instrument(skip_all)]
pub async fn publish_announcement(
    state: &AppState,
    rc: &RequestCtx,
    cmd: PublishAnnouncement,
) -> AppResult<announcement::Model> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    let row = announcement::Model {
        id: Uuid::now_v7(),
        title: cmd.title,
        body: cmd.body,
        audience: cmd.audience.as_str().into(),
        country: cmd.country,
        language: cmd.language,
        relay_required: cmd.relay_required,
        published_at: now,
        published_by: council.id,
        call_id: None,
    };
    announcement::Entity::insert(announcement::ActiveModel {
        id: Set(row.id),
        title: Set(row.title.clone()),
        body: Set(row.body.clone()),
        audience: Set(row.audience.clone()),
        country: Set(row.country.clone()),
        language: Set(row.language.clone()),
        relay_required: Set(row.relay_required),
        published_at: Set(now),
        published_by: Set(council.id),
        call_id: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    let (country, language) = (row.country.as_deref(), row.language.as_deref());
    let reps = people(&txn, false, country, language).await?;
    let mentors = people(&txn, true, country, language).await?;
    // (recipient, target) per person.
    let mut audience: BTreeMap<Uuid, (bool, bool)> = BTreeMap::new();
    let recipients = if cmd.audience == AnnouncementAudience::Mentors {
        &mentors
    } else {
        &reps
    };
    for id in recipients {
        audience.entry(*id).or_default().0 = true;
    }
    let targets = if cmd.audience == AnnouncementAudience::AllReps || cmd.relay_required {
        &reps
    } else {
        &mentors
    };
    for id in targets {
        audience.entry(*id).or_default().1 = true;
    }
    let rows: Vec<announcement_audience::ActiveModel> = audience
        .iter()
        .map(
            |(person, (recipient, target))| announcement_audience::ActiveModel {
                announcement_id: Set(row.id),
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
            .exec_without_returning(&txn)
            .await?;
    }
    let notices: Vec<Notice> = recipients
        .iter()
        .map(|to| Notice {
            to: *to,
            kind: NotificationKind::AnnouncementPublished,
            title: row.title.clone(),
            body: if row.relay_required && mentors.contains(to) {
                "Please pass this on to your mentees and record it in the app.".into()
            } else {
                "A new announcement from the council.".into()
            },
            subject_id: Some(row.id),
        })
        .collect();
    for chunk in notices.chunks(500) {
        notifications::notify(&txn, now, chunk).await?;
    }
    let entry = Entry {
        action: "publish_announcement",
        subject_type: "announcement",
        subject_id: Some(row.id),
        before: None,
        after: Some(
            json!({"audience": row.audience, "relayRequired": row.relay_required, "recipients": recipients.len(), "targets": targets.len()}),
        ),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(row)
}

/// The announcement, if the caller is in its audience or on the council.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND otherwise.
pub async fn announcement(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<announcement::Model> {
    let me = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such announcement".into());
    let row = announcement::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .ok_or_else(not_found)?;
    if me.has(Role::Council) || recipient_row(state.db(), id, me.id).await?.is_some() {
        Ok(row)
    } else {
        Err(not_found())
    }
}

async fn recipient_row(
    conn: &impl ConnectionTrait,
    id: Uuid,
    person: Uuid,
) -> AppResult<Option<announcement_audience::Model>> {
    Ok(announcement_audience::Entity::find_by_id((id, person))
        .one(conn)
        .await?
        .filter(|a| a.recipient))
}

/// Announcements visible to a viewer: all for the council, else those received.
fn visible(viewer: Uuid, council: bool) -> sea_orm::Select<announcement::Entity> {
    let select = announcement::Entity::find();
    if council {
        return select;
    }
    let received = sea_orm::sea_query::Query::select()
        .column(announcement_audience::Column::AnnouncementId)
        .from(announcement_audience::Entity)
        .and_where(announcement_audience::Column::PersonId.eq(viewer))
        .and_where(announcement_audience::Column::Recipient.eq(true))
        .to_owned();
    select.filter(announcement::Column::Id.in_subquery(received))
}

/// Announcements the caller received (all of them for the council), newest first.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn announcements(
    state: &AppState,
    rc: &RequestCtx,
    page: Page,
) -> AppResult<(Vec<announcement::Model>, TotalCount)> {
    let me = policy::require_person(&rc.actor)?;
    let select = visible(me.id, me.has(Role::Council));
    page_of(
        state.db(),
        select,
        announcement::Column::Id,
        Order::NewestFirst,
        &page,
    )
    .await
}

/// Records that the caller read it.
///
/// # Errors
/// NOT_FOUND unless the caller received it.
pub async fn acknowledge_announcement(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<announcement::Model> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    let row = announcement::Entity::find_by_id(id).one(&txn).await?;
    let (Some(row), Some(_)) = (row, recipient_row(&txn, id, me.id).await?) else {
        return Err(AppError::NotFound("no such announcement".into()));
    };
    announcement_audience::Entity::update_many()
        .set(announcement_audience::ActiveModel {
            acknowledged_at: Set(Some(now)),
            ..Default::default()
        })
        .filter(announcement_audience::Column::AnnouncementId.eq(id))
        .filter(announcement_audience::Column::PersonId.eq(me.id))
        .filter(announcement_audience::Column::AcknowledgedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(row)
}

/// Records that the calling mentor passed it on; returns how many mentees it now reached
/// through this call.
///
/// # Errors
/// NOT_FOUND unless the caller received it; BAD_USER_INPUT when it needs no relaying or for
/// someone who is not a current mentee of the caller.
pub async fn relay_announcement(
    state: &AppState,
    rc: &RequestCtx,
    cmd: RelayAnnouncement,
) -> AppResult<u64> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    let row = announcement::Entity::find_by_id(cmd.announcement_id)
        .one(&txn)
        .await?;
    let (Some(row), Some(_)) = (row, recipient_row(&txn, cmd.announcement_id, me.id).await?) else {
        return Err(AppError::NotFound("no such announcement".into()));
    };
    if !row.relay_required {
        return Err(AppError::bad_input(
            "input.announcementId",
            "this announcement needs no relaying",
        ));
    }
    let current: Vec<Uuid> = mentorship::repo::active_of_mentors(&txn, &[me.id])
        .await?
        .into_iter()
        .map(|m| m.mentee_id)
        .collect();
    let mentees = match cmd.mentee_ids {
        None => current,
        Some(ids) => {
            if let Some(stranger) = ids.iter().find(|id| !current.contains(id)) {
                return Err(AppError::bad_input(
                    "input.menteeIds",
                    format!("{stranger} is not a current mentee of yours"),
                ));
            }
            ids
        }
    };
    let rows: Vec<announcement_relay::ActiveModel> = mentees
        .iter()
        .map(|mentee| announcement_relay::ActiveModel {
            announcement_id: Set(row.id),
            mentee_id: Set(*mentee),
            mentor_id: Set(me.id),
            channel: Set(cmd.channel.clone()),
            note: Set(cmd.note.clone()),
            relayed_at: Set(now),
        })
        .collect();
    let relayed = if rows.is_empty() {
        0
    } else {
        announcement_relay::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([
                    announcement_relay::Column::AnnouncementId,
                    announcement_relay::Column::MenteeId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?
    };
    txn.commit().await?;
    Ok(relayed)
}
