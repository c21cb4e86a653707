//! Inactivity: mentors with no authenticated activity for `MENTORSHIP_MENTOR_INACTIVITY`,
//! with an escalated request, or with most of their mentees' check-ins overdue are reported
//! to the council — one INACTIVITY_DETECTED alert per episode (an episode ends with the
//! mentor's next activity) — and their mentees are told whom on the council to contact.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{mentor_alert, mentor_profile, person, support_request};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{
    model::{MentorAlert, MentorAlertKind},
    raise::{alert_council, set_mentor_status},
    repo,
};
use crate::{
    config::Settings,
    council::{self, ContactArea},
    db,
    error::{AppError, AppResult},
    mentor::model::MentorStatus,
    mentorship::repo::{self as mentorships, OverdueAt},
    notifications::{self, Notice, NotificationKind},
    people,
};

/// Why a mentor looks inactive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signal {
    NoActivity,
    EscalatedRequest,
    MostCheckInsOverdue,
}

impl Signal {
    fn describe(self) -> &'static str {
        match self {
            Self::NoActivity => "no activity for a long time",
            Self::EscalatedRequest => "a mentee's request went unanswered",
            Self::MostCheckInsOverdue => "most mentees' check-ins are overdue",
        }
    }
}

/// Reports newly inactive mentors; returns how many alerts were opened.
///
/// # Errors
/// A database fault.
pub async fn detect(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let watched = [
        MentorStatus::Active.as_str(),
        MentorStatus::Overwhelmed.as_str(),
    ];
    let mentors: Vec<(person::Model, Option<mentor_profile::Model>)> = person::Entity::find()
        .find_also_related(mentor_profile::Entity)
        .filter(mentor_profile::Column::Status.is_in(watched))
        .limit(5_000)
        .all(db)
        .await?;
    let quiet_since = now - settings.mentor_inactivity;
    let escalated: Vec<Uuid> = support_request::Entity::find()
        .select_only()
        .column(support_request::Column::AssignedMentorId)
        .filter(
            support_request::Column::Status
                .eq(crate::support::model::SupportRequestStatus::Escalated.as_str()),
        )
        .into_tuple::<Option<Uuid>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let overdue = mentorships::overdue_counts(
        db,
        OverdueAt {
            overdue: true,
            started_before: now - settings.first_check_in_within,
            held_before: now - settings.check_in_interval,
        },
    )
    .await?;
    let active = mentorships::active_counts(db).await?;
    let mut signals: BTreeMap<Uuid, (Signal, DateTime<Utc>)> = BTreeMap::new();
    for (p, profile) in &mentors {
        let Some(profile) = profile else { continue };
        let last_seen = p.last_active_at.unwrap_or(profile.onboarded_at);
        let most_overdue = active
            .get(&p.id)
            .is_some_and(|n| overdue.get(&p.id).copied().unwrap_or(0) * 2 > *n);
        let signal = if last_seen < quiet_since {
            Some(Signal::NoActivity)
        } else if escalated.contains(&p.id) {
            Some(Signal::EscalatedRequest)
        } else if most_overdue {
            Some(Signal::MostCheckInsOverdue)
        } else {
            None
        };
        if let Some(signal) = signal {
            signals.insert(p.id, (signal, last_seen));
        }
    }
    let mut opened = 0;
    for (mentor, (signal, last_seen)) in signals {
        if report(db, mentor, signal, last_seen, now).await? {
            opened += 1;
        }
    }
    Ok(opened)
}

/// Opens the alert unless this episode was reported already; tells council and mentees.
async fn report(
    db: &DatabaseConnection,
    mentor: Uuid,
    signal: Signal,
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let reported = mentor_alert::Entity::find()
        .filter(mentor_alert::Column::MentorId.eq(mentor))
        .filter(mentor_alert::Column::Kind.eq(MentorAlertKind::InactivityDetected.as_str()))
        .filter(mentor_alert::Column::CreatedAt.gt(last_seen))
        .one(db)
        .await?;
    if reported.is_some() {
        return Ok(false);
    }
    let message = format!("Detected: {}.", signal.describe());
    let alert = MentorAlert::open(
        mentor,
        MentorAlertKind::InactivityDetected,
        Some(message),
        now,
    );
    let txn = db::begin_write(db).await?;
    match repo::insert(&txn, &alert).await {
        Err(AppError::Conflict(_)) => return Ok(false),
        other => other?,
    }
    if signal == Signal::NoActivity {
        set_mentor_status(&txn, mentor, MentorStatus::Inactive, None, now).await?;
    }
    alert_council(&txn, &alert, now).await?;
    let contacts = council::responsible(&txn, ContactArea::MentorshipAdministration).await?;
    let names: Vec<String> = people::repo::find_by_ids(&txn, &contacts)
        .await?
        .into_iter()
        .map(|p| p.display_name)
        .collect();
    let body = format!(
        "Your mentor may be unavailable at the moment. For anything you need, contact {} on the council, or reach out to the council in the app.",
        if names.is_empty() {
            "the council".to_owned()
        } else {
            names.join(" or ")
        }
    );
    let notices: Vec<Notice> = mentorships::active_of_mentors(&txn, &[mentor])
        .await?
        .into_iter()
        .map(|m| Notice {
            to: m.mentee_id,
            kind: NotificationKind::MentorUnavailable,
            title: "Whom to contact".into(),
            body: body.clone(),
            subject_id: Some(m.id),
        })
        .collect();
    notifications::notify(&txn, now, &notices).await?;
    txn.commit().await?;
    Ok(true)
}
