//! Escalation: a request to a mentor with no answer within `MENTORSHIP_SUPPORT_SLA` goes to
//! the council — once: the move is guarded by the request's status, so reruns and concurrent
//! instances cannot escalate it twice.

use chrono::{DateTime, Utc};
use entity::support_request;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use super::{model::SupportRequestStatus, repo};
use crate::{
    config::Settings,
    council::{self, ContactArea},
    db,
    error::AppResult,
    events::LiveEvent,
    notifications::{self, Notice, NotificationKind},
};

/// Most requests escalated in one run (the next run takes the rest).
const BATCH: u64 = 500;

/// Escalates every overdue unanswered request; returns how many.
///
/// # Errors
/// A database fault (requests escalated before it stay escalated).
pub async fn escalate_unanswered(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let overdue = repo::unanswered_before(db, now - settings.support_sla, BATCH).await?;
    let mut escalated = 0;
    for r in overdue {
        let txn = db::begin_write(db).await?;
        let changes = support_request::ActiveModel {
            escalated_at: Set(Some(now)),
            ..Default::default()
        };
        let from = [SupportRequestStatus::Open];
        if !repo::transition(
            &txn,
            r.id,
            &from,
            SupportRequestStatus::Escalated,
            changes,
            now,
        )
        .await?
        {
            continue;
        }
        let mut notices = vec![Notice {
            to: r.requester_id,
            kind: NotificationKind::SupportRequestEscalated,
            title: "Your request went to the council".into(),
            body: format!(
                "Your mentor has not answered \"{}\" yet, so the council will.",
                r.subject
            ),
            subject_id: Some(r.id),
        }];
        for to in council::responsible(&txn, ContactArea::MentorshipAdministration).await? {
            notices.push(Notice {
                to,
                kind: NotificationKind::SupportRequestEscalated,
                title: "Unanswered request escalated".into(),
                body: r.subject.clone(),
                subject_id: Some(r.id),
            });
        }
        notifications::notify(&txn, now, &notices).await?;
        crate::live::notify_on_commit(&txn, &[LiveEvent::SupportRequest(r.id)]).await?;
        txn.commit().await?;
        escalated += 1;
    }
    Ok(escalated)
}
