//! `scheduleCheckIn`, `recordCheckIn`, `cancelCheckIn`, and reading check-ins.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    model::{CheckIn, CheckInOrder, CheckInStatus},
    repo,
};
use crate::{
    auth::{PersonActor, policy},
    error::{AppError, AppResult},
    mentorship::{self, model::Mentorship},
    paging::Page,
    request::RequestCtx,
    state::AppState,
};

/// Plan a meeting.
#[derive(Clone, Debug)]
pub struct ScheduleCheckIn {
    pub mentorship_id: Uuid,
    pub scheduled_for: DateTime<Utc>,
    pub agenda: Option<String>,
}

/// Which meeting was held: a planned one, or an unplanned one on a mentorship.
#[derive(Clone, Copy, Debug)]
pub enum HeldMeeting {
    Planned(Uuid),
    Unplanned(Uuid),
}

/// Record a held meeting.
#[derive(Clone, Debug)]
pub struct RecordCheckIn {
    pub meeting: HeldMeeting,
    pub held_at: DateTime<Utc>,
    pub mentee_plans: Option<String>,
    pub support_needs: Option<String>,
    pub notes: Option<String>,
}

/// Call a planned meeting off.
#[derive(Clone, Debug)]
pub struct CancelCheckIn {
    pub check_in_id: Uuid,
    pub reason: Option<String>,
}

/// The mentorship, if the caller is one of its two participants and it is still running.
async fn participant_of_active(
    viewer: &PersonActor,
    conn: &impl sea_orm::ConnectionTrait,
    mentorship_id: Uuid,
) -> AppResult<Mentorship> {
    let m = mentorship::repo::find_for_update(conn, mentorship_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such mentorship".into()))?;
    let current = if m.is_active() {
        Some(m.mentor_id)
    } else {
        // Ended: the mentee's current mentor (if any) may see it, so they learn FORBIDDEN.
        mentorship::repo::active_of_mentees(conn, &[m.mentee_id])
            .await?
            .pop()
            .map(|c| c.mentor_id)
    };
    policy::require_check_in_participant(viewer, m.parties(current))?;
    if !m.is_active() {
        return Err(AppError::Conflict(
            "this mentorship has ended; its meetings can no longer change".into(),
        ));
    }
    Ok(m)
}

/// Plans a meeting within the next year.
///
/// # Errors
/// NOT_FOUND/FORBIDDEN for non-participants; CONFLICT for an ended mentorship;
/// BAD_USER_INPUT for a time not in the coming year.
#[tracing::instrument(skip_all, fields(mentorship = %cmd.mentorship_id))]
pub async fn schedule_check_in(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ScheduleCheckIn,
) -> AppResult<(CheckIn, Mentorship)> {
    let viewer = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    if !crate::clock::within_next_year(now, cmd.scheduled_for) {
        return Err(AppError::bad_input(
            "input.scheduledFor",
            "must be within the next year",
        ));
    }
    let txn = rc.begin_write(state.db()).await?;
    let m = participant_of_active(viewer, &txn, cmd.mentorship_id).await?;
    let check_in = CheckIn {
        id: Uuid::now_v7(),
        mentorship_id: cmd.mentorship_id,
        status: CheckInStatus::Planned,
        scheduled_for: Some(cmd.scheduled_for),
        held_at: None,
        agenda: cmd.agenda,
        mentee_plans: None,
        support_needs: None,
        notes: None,
        cancel_reason: None,
        created_by: viewer.id,
        created_at: now,
    };
    repo::insert(&txn, &check_in).await?;
    txn.commit().await?;
    Ok((check_in, m))
}

/// Records a held meeting: a planned one becomes HELD, or an unplanned one is added.
///
/// # Errors
/// NOT_FOUND/FORBIDDEN for non-participants; CONFLICT for an ended mentorship or a meeting
/// that is not PLANNED; BAD_USER_INPUT for a time in the future or before the mentorship.
#[tracing::instrument(skip_all)]
pub async fn record_check_in(
    state: &AppState,
    rc: &RequestCtx,
    cmd: RecordCheckIn,
) -> AppResult<(CheckIn, Mentorship)> {
    let viewer = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    if cmd.held_at > now {
        return Err(AppError::bad_input(
            "input.heldAt",
            "a meeting cannot be held in the future",
        ));
    }
    let txn = rc.begin_write(state.db()).await?;
    let (planned, mentorship_id) = match cmd.meeting {
        HeldMeeting::Planned(id) => {
            let c = repo::find(&txn, id)
                .await?
                .ok_or_else(|| AppError::NotFound("no such check-in".into()))?;
            let mentorship_id = c.mentorship_id;
            (Some(c), mentorship_id)
        }
        HeldMeeting::Unplanned(mentorship_id) => (None, mentorship_id),
    };
    let m = participant_of_active(viewer, &txn, mentorship_id).await?;
    if cmd.held_at < m.started_at {
        return Err(AppError::bad_input(
            "input.heldAt",
            "the mentorship had not started yet",
        ));
    }
    let held = match planned {
        Some(c) => {
            let held = CheckIn {
                status: CheckInStatus::Held,
                held_at: Some(cmd.held_at),
                mentee_plans: cmd.mentee_plans,
                support_needs: cmd.support_needs,
                notes: cmd.notes,
                ..c
            };
            if !repo::update_planned(&txn, &held, now).await? {
                return Err(AppError::Conflict(
                    "only a planned meeting can be recorded as held".into(),
                ));
            }
            held
        }
        None => {
            let held = CheckIn {
                id: Uuid::now_v7(),
                mentorship_id,
                status: CheckInStatus::Held,
                scheduled_for: None,
                held_at: Some(cmd.held_at),
                agenda: None,
                mentee_plans: cmd.mentee_plans,
                support_needs: cmd.support_needs,
                notes: cmd.notes,
                cancel_reason: None,
                created_by: viewer.id,
                created_at: now,
            };
            repo::insert(&txn, &held).await?;
            held
        }
    };
    txn.commit().await?;
    Ok((held, m))
}

/// Cancels a planned meeting.
///
/// # Errors
/// NOT_FOUND/FORBIDDEN for non-participants; CONFLICT when it is not PLANNED or the
/// mentorship ended.
#[tracing::instrument(skip_all, fields(check_in = %cmd.check_in_id))]
pub async fn cancel_check_in(
    state: &AppState,
    rc: &RequestCtx,
    cmd: CancelCheckIn,
) -> AppResult<(CheckIn, Mentorship)> {
    let viewer = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let c = repo::find(&txn, cmd.check_in_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such check-in".into()))?;
    let m = participant_of_active(viewer, &txn, c.mentorship_id).await?;
    let cancelled = CheckIn {
        status: CheckInStatus::Cancelled,
        cancel_reason: cmd.reason,
        ..c
    };
    if !repo::update_planned(&txn, &cancelled, now).await? {
        return Err(AppError::Conflict(
            "only a planned meeting can be cancelled".into(),
        ));
    }
    txn.commit().await?;
    Ok((cancelled, m))
}

/// One check-in with its mentorship, if the caller may see the mentorship.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND when unknown or invisible.
pub async fn check_in(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<(CheckIn, Mentorship)> {
    let viewer = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such check-in".into());
    let c = repo::find(state.db(), id).await?.ok_or_else(not_found)?;
    let m = mentorship::repo::find(state.db(), c.mentorship_id)
        .await?
        .ok_or_else(not_found)?;
    if mentorship::query::visible_to(state, viewer, &m).await? {
        Ok((c, m))
    } else {
        Err(not_found())
    }
}

/// A page of a mentorship's check-ins after a cursor (first pages come batched from the
/// request's `FirstChildren` loader), for whoever may see the mentorship.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND for a mentorship the caller cannot see.
pub async fn of_mentorship(
    state: &AppState,
    rc: &RequestCtx,
    m: &Mentorship,
    (page, order): (Page, CheckInOrder),
) -> AppResult<Vec<CheckIn>> {
    let viewer = policy::require_person(&rc.actor)?;
    if !mentorship::query::visible_to(state, viewer, m).await? {
        return Err(AppError::NotFound("no such mentorship".into()));
    }
    repo::list(state.db(), m.id, &page, order).await
}
