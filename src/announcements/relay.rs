//! What a recipient does with an announcement: `acknowledgeAnnouncement` (read it) and
//! `relayAnnouncement` (a mentor passed it on to mentees).

use entity::announcement_relay;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use uuid::Uuid;

use super::{model::Announcement, repo};
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    mentorship,
    request::RequestCtx,
    state::AppState,
};

/// A relay: to these mentees, or to all current ones.
#[derive(Clone, Debug)]
pub struct RelayAnnouncement {
    pub announcement_id: Uuid,
    pub mentee_ids: Option<Vec<Uuid>>,
    pub channel: String,
    pub note: Option<String>,
}

/// The announcement, for one of its recipients.
async fn received(conn: &impl ConnectionTrait, id: Uuid, person: Uuid) -> AppResult<Announcement> {
    let row = repo::find(conn, id).await?;
    let received = row.is_some() && repo::is_recipient(conn, id, person).await?;
    policy::require_recipient(received)?;
    row.ok_or_else(|| AppError::NotFound("no such announcement".into()))
}

/// Records that the caller read it.
///
/// # Errors
/// NOT_FOUND unless the caller received it.
#[tracing::instrument(skip_all, fields(announcement = %id))]
pub async fn acknowledge_announcement(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<Announcement> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let row = received(&txn, id, me.id).await?;
    repo::acknowledge(&txn, id, me.id, now).await?;
    txn.commit().await?;
    Ok(row)
}

/// Records that the calling mentor passed it on; returns how many mentees it now reached
/// through this call.
///
/// # Errors
/// NOT_FOUND unless the caller received it; BAD_USER_INPUT when it needs no relaying or for
/// someone who is not a current mentee of the caller.
#[tracing::instrument(skip_all, fields(announcement = %cmd.announcement_id))]
pub async fn relay_announcement(
    state: &AppState,
    rc: &RequestCtx,
    cmd: RelayAnnouncement,
) -> AppResult<u64> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let row = received(&txn, cmd.announcement_id, me.id).await?;
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
