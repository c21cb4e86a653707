//! Relay reminders: a mentor who received a relay-required announcement and has relayed it to
//! nobody after `MENTORSHIP_RELAY_REMINDER_AFTER` is reminded once.

use chrono::{DateTime, Utc};
use entity::{announcement, announcement_audience, announcement_relay, mentor_profile};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, JoinType, QueryFilter,
    QuerySelect,
};
use uuid::Uuid;

use crate::{
    config::Settings,
    db,
    error::AppResult,
    notifications::{self, Notice, NotificationKind},
};

/// Sends the reminders that are due; returns how many.
///
/// # Errors
/// A database fault.
pub async fn remind_relays(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let due: Vec<announcement::Model> = announcement::Entity::find()
        .filter(announcement::Column::RelayRequired.eq(true))
        .filter(announcement::Column::PublishedAt.lt(now - settings.relay_reminder_after))
        .limit(200)
        .all(db)
        .await?;
    let mut sent = 0;
    for a in due {
        let mentors: Vec<Uuid> = announcement_audience::Entity::find()
            .select_only()
            .column(announcement_audience::Column::PersonId)
            .join(
                JoinType::InnerJoin,
                announcement_audience::Entity::belongs_to(mentor_profile::Entity)
                    .from(announcement_audience::Column::PersonId)
                    .to(mentor_profile::Column::PersonId)
                    .into(),
            )
            .filter(announcement_audience::Column::AnnouncementId.eq(a.id))
            .filter(announcement_audience::Column::Recipient.eq(true))
            .filter(announcement_audience::Column::RelayRemindedAt.is_null())
            .filter(
                mentor_profile::Column::Status
                    .ne(crate::mentor::model::MentorStatus::Retired.as_str()),
            )
            .into_tuple::<Uuid>()
            .all(db)
            .await?;
        let relayed: Vec<Uuid> = announcement_relay::Entity::find()
            .select_only()
            .column(announcement_relay::Column::MentorId)
            .distinct()
            .filter(announcement_relay::Column::AnnouncementId.eq(a.id))
            .into_tuple::<Uuid>()
            .all(db)
            .await?;
        for mentor in mentors.into_iter().filter(|m| !relayed.contains(m)) {
            let txn = db::begin_write(db).await?;
            let marked = announcement_audience::Entity::update_many()
                .set(announcement_audience::ActiveModel {
                    relay_reminded_at: Set(Some(now)),
                    ..Default::default()
                })
                .filter(announcement_audience::Column::AnnouncementId.eq(a.id))
                .filter(announcement_audience::Column::PersonId.eq(mentor))
                .filter(announcement_audience::Column::RelayRemindedAt.is_null())
                .exec(&txn)
                .await?;
            if marked.rows_affected == 1 {
                let notice = Notice {
                    to: mentor,
                    kind: NotificationKind::RelayReminder,
                    title: "Please pass on an announcement".into(),
                    body: format!("\"{}\" still needs to reach your mentees.", a.title),
                    subject_id: Some(a.id),
                };
                notifications::notify(&txn, now, &[notice]).await?;
                txn.commit().await?;
                sent += 1;
            }
        }
    }
    Ok(sent)
}
