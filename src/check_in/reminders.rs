//! Reminders: mentor and mentee are told `MENTORSHIP_CHECK_IN_REMINDER_BEFORE` before a
//! check-in is due, and once when it becomes overdue — one notification each per cycle (a
//! cycle is a due date; `reminder_sent` remembers which went out).

use chrono::{DateTime, Utc};
use entity::reminder_sent;
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, sea_query::OnConflict};

use crate::{
    config::Settings,
    db,
    error::AppResult,
    mentorship::{
        due,
        repo::{self, MentorshipFilter, OverdueAt},
    },
    notifications::{self, Notice, NotificationKind},
    paging::Page,
};

/// Rows examined per page.
const PAGE: u64 = 500;

/// Sends the reminders that are due; returns how many mentorships were reminded.
///
/// # Errors
/// A database fault (reminders sent before it stay sent).
pub async fn send_reminders(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let before = settings.check_in_reminder_before;
    // "Due within `before`" is "overdue" with the clock moved on by `before`.
    let filter = MentorshipFilter {
        overdue: Some(OverdueAt {
            overdue: true,
            started_before: now + before - settings.first_check_in_within,
            held_before: now + before - settings.check_in_interval,
        }),
        ..MentorshipFilter::default()
    };
    let mut page = Page {
        first: PAGE,
        after: None,
    };
    let mut sent = 0;
    loop {
        let mut rows = repo::list(db, &filter, &page).await?;
        let more = rows.len() as u64 > PAGE;
        rows.truncate(PAGE as usize);
        let ids: Vec<_> = rows.iter().map(|m| m.id).collect();
        let last_held = repo::last_held(db, &ids).await?;
        for m in &rows {
            let Some(due) = due::next_due(m, last_held.get(&m.id).copied(), settings) else {
                continue;
            };
            let (kind, label, title) = if now >= due {
                (
                    NotificationKind::CheckInOverdue,
                    "OVERDUE",
                    "A touch-base meeting is overdue",
                )
            } else {
                (
                    NotificationKind::CheckInDueSoon,
                    "DUE_SOON",
                    "A touch-base meeting is due soon",
                )
            };
            let txn = db::begin_write(db).await?;
            let inserted = reminder_sent::Entity::insert(reminder_sent::ActiveModel {
                mentorship_id: Set(m.id),
                kind: Set(label.into()),
                due_at: Set(due),
                sent_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([
                    reminder_sent::Column::MentorshipId,
                    reminder_sent::Column::Kind,
                    reminder_sent::Column::DueAt,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            if inserted == 0 {
                continue;
            }
            let body = format!(
                "Due by {}. Plan it or record it in the app.",
                due.format("%Y-%m-%d")
            );
            let notices: Vec<Notice> = [m.mentor_id, m.mentee_id]
                .into_iter()
                .map(|to| Notice {
                    to,
                    kind,
                    title: title.into(),
                    body: body.clone(),
                    subject_id: Some(m.id),
                })
                .collect();
            notifications::notify(&txn, now, &notices).await?;
            txn.commit().await?;
            sent += 1;
        }
        if !more {
            return Ok(sent);
        }
        page.after = ids.last().copied();
    }
}
