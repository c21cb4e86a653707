//! Break returns: a mentor PAUSED for a break is ACTIVE again once the return date passes.

use chrono::{DateTime, Utc};
use entity::mentor_profile;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

use crate::{
    db,
    error::AppResult,
    mentor::model::MentorStatus,
    notifications::{self, Notice, NotificationKind},
};

/// Brings every mentor whose break has ended back to ACTIVE; returns how many.
///
/// # Errors
/// A database fault.
pub async fn end_breaks(db: &DatabaseConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let due = mentor_profile::Entity::find()
        .filter(mentor_profile::Column::Status.eq(MentorStatus::Paused.as_str()))
        .filter(mentor_profile::Column::BreakUntil.lte(now))
        .limit(500)
        .all(db)
        .await?;
    let mut back = 0;
    for profile in due {
        let txn = db::begin_write(db).await?;
        let moved = mentor_profile::Entity::update_many()
            .set(mentor_profile::ActiveModel {
                status: Set(MentorStatus::Active.as_str().into()),
                break_until: Set(None),
                updated_at: Set(now),
                ..Default::default()
            })
            .filter(mentor_profile::Column::PersonId.eq(profile.person_id))
            .filter(mentor_profile::Column::Status.eq(MentorStatus::Paused.as_str()))
            .filter(mentor_profile::Column::BreakUntil.lte(now))
            .exec(&txn)
            .await?;
        if moved.rows_affected == 1 {
            let notice = Notice {
                to: profile.person_id,
                kind: NotificationKind::MentorBackFromBreak,
                title: "Welcome back".into(),
                body: "Your break has ended; you can be assigned mentees again.".into(),
                subject_id: None,
            };
            notifications::notify(&txn, now, &[notice]).await?;
            txn.commit().await?;
            back += 1;
        }
    }
    Ok(back)
}
