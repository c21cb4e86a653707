//! `scheduleMentorCall`, `rsvpMentorCall`, `recordMentorCall`, reading calls.

use chrono::{DateTime, Duration, Utc};
use entity::{announcement, mentor_call, mentor_call_attendance, mentor_profile};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    alerts::{
        model::{MentorAlert, MentorAlertKind, MentorAlertStatus},
        repo as alerts,
        service::alert_council,
    },
    audit::{self, Entry},
    auth::{Role, policy},
    db,
    error::{AppError, AppResult},
    notifications::{self, Notice, NotificationKind},
    paging::{Order, Page, TotalCount, page_of},
    request::RequestCtx,
    state::AppState,
};

/// A mentor's answer to an invitation.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum Rsvp {
    Yes,
    No,
    Maybe,
}

impl Rsvp {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "YES",
            Self::No => "NO",
            Self::Maybe => "MAYBE",
        }
    }

    /// Reads the stored spelling.
    pub fn from_db(raw: &str) -> Option<Self> {
        [Self::Yes, Self::No, Self::Maybe]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// A new call.
#[derive(Clone, Debug)]
pub struct ScheduleMentorCall {
    pub scheduled_for: DateTime<Utc>,
    pub agenda: String,
    pub link: Option<String>,
}

/// What happened in a call.
#[derive(Clone, Debug)]
pub struct RecordMentorCall {
    pub call_id: Uuid,
    pub attended: Vec<Uuid>,
    pub minutes: Option<String>,
    pub action_items: Vec<String>,
    pub announcement_ids: Vec<Uuid>,
}

/// Schedules a call and invites every mentor.
///
/// # Errors
/// FORBIDDEN unless council; BAD_USER_INPUT for a time not within the next year.
pub async fn schedule_mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ScheduleMentorCall,
) -> AppResult<mentor_call::Model> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    if cmd.scheduled_for <= now || cmd.scheduled_for > now + Duration::days(365) {
        return Err(AppError::bad_input(
            "input.scheduledFor",
            "must be within the next year",
        ));
    }
    let txn = db::begin_write(state.db()).await?;
    let call = mentor_call::Model {
        id: Uuid::now_v7(),
        scheduled_for: cmd.scheduled_for,
        agenda: cmd.agenda,
        link: cmd.link,
        status: "SCHEDULED".into(),
        minutes: None,
        action_items: json!([]),
        created_by: council.id,
        created_at: now,
        recorded_at: None,
    };
    mentor_call::Entity::insert(mentor_call::ActiveModel {
        id: Set(call.id),
        scheduled_for: Set(call.scheduled_for),
        agenda: Set(call.agenda.clone()),
        link: Set(call.link.clone()),
        status: Set(call.status.clone()),
        minutes: Set(None),
        action_items: Set(json!([])),
        created_by: Set(council.id),
        created_at: Set(now),
        recorded_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    let mentors = crate::role_guide::repo::live_mentor_ids(&txn).await?;
    let rows: Vec<mentor_call_attendance::ActiveModel> = mentors
        .iter()
        .map(|m| mentor_call_attendance::ActiveModel {
            call_id: Set(call.id),
            mentor_id: Set(*m),
            rsvp: Set(None),
            attended: Set(None),
        })
        .collect();
    for chunk in rows.chunks(500) {
        mentor_call_attendance::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    let notices: Vec<Notice> = mentors
        .iter()
        .map(|to| Notice {
            to: *to,
            kind: NotificationKind::MentorCallScheduled,
            title: "Mentor call".into(),
            body: format!(
                "A mentor call is planned for {}. Please RSVP.",
                call.scheduled_for.format("%Y-%m-%d %H:%M UTC")
            ),
            subject_id: Some(call.id),
        })
        .collect();
    notifications::notify(&txn, now, &notices).await?;
    let entry = Entry {
        action: "schedule_mentor_call",
        subject_type: "mentor_call",
        subject_id: Some(call.id),
        before: None,
        after: Some(json!({"scheduledFor": call.scheduled_for, "invited": mentors.len()})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(call)
}

async fn invitation(
    conn: &impl ConnectionTrait,
    call: Uuid,
    mentor: Uuid,
) -> AppResult<Option<mentor_call_attendance::Model>> {
    Ok(mentor_call_attendance::Entity::find_by_id((call, mentor))
        .one(conn)
        .await?)
}

/// A call, for the council and the mentors invited to it.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND otherwise.
pub async fn mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    id: Uuid,
) -> AppResult<mentor_call::Model> {
    let me = policy::require_person(&rc.actor)?;
    let not_found = || AppError::NotFound("no such mentor call".into());
    let call = mentor_call::Entity::find_by_id(id)
        .one(state.db())
        .await?
        .ok_or_else(not_found)?;
    if me.has(Role::Council) || invitation(state.db(), id, me.id).await?.is_some() {
        Ok(call)
    } else {
        Err(not_found())
    }
}

/// Calls visible to a viewer: all for the council, else those they were invited to.
fn visible(viewer: Uuid, council: bool) -> sea_orm::Select<mentor_call::Entity> {
    let select = mentor_call::Entity::find();
    if council {
        return select;
    }
    let invited = sea_orm::sea_query::Query::select()
        .column(mentor_call_attendance::Column::CallId)
        .from(mentor_call_attendance::Entity)
        .and_where(mentor_call_attendance::Column::MentorId.eq(viewer))
        .to_owned();
    select.filter(mentor_call::Column::Id.in_subquery(invited))
}

/// Calls the caller was invited to (all, for the council), in scheduling order.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn mentor_calls(
    state: &AppState,
    rc: &RequestCtx,
    page: Page,
) -> AppResult<(Vec<mentor_call::Model>, TotalCount)> {
    let me = policy::require_person(&rc.actor)?;
    let select = visible(me.id, me.has(Role::Council));
    page_of(
        state.db(),
        select,
        mentor_call::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await
}

/// Every invitation of a call, with RSVPs and attendance (council).
///
/// # Errors
/// A database fault.
pub async fn attendance(
    conn: &impl ConnectionTrait,
    call: Uuid,
) -> AppResult<Vec<mentor_call_attendance::Model>> {
    Ok(mentor_call_attendance::Entity::find()
        .filter(mentor_call_attendance::Column::CallId.eq(call))
        .order_by_asc(mentor_call_attendance::Column::MentorId)
        .limit(5_000)
        .all(conn)
        .await?)
}

/// Answers an invitation.
///
/// # Errors
/// NOT_FOUND unless invited; CONFLICT once the call is recorded.
pub async fn rsvp_mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    call_id: Uuid,
    rsvp: Rsvp,
) -> AppResult<mentor_call::Model> {
    let me = policy::require_person(&rc.actor)?;
    let txn = db::begin_write(state.db()).await?;
    let call = mentor_call::Entity::find_by_id(call_id).one(&txn).await?;
    let (Some(call), Some(_)) = (call, invitation(&txn, call_id, me.id).await?) else {
        return Err(AppError::NotFound("no such mentor call".into()));
    };
    if call.status != "SCHEDULED" {
        return Err(AppError::Conflict(
            "this call has already taken place".into(),
        ));
    }
    mentor_call_attendance::Entity::update_many()
        .set(mentor_call_attendance::ActiveModel {
            rsvp: Set(Some(rsvp.as_str().into())),
            ..Default::default()
        })
        .filter(mentor_call_attendance::Column::CallId.eq(call_id))
        .filter(mentor_call_attendance::Column::MentorId.eq(me.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(call)
}

/// Records attendance, minutes, action items and announcements to relay; raises the
/// missed-calls alerts.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown call; CONFLICT when already recorded or
/// not yet held; BAD_USER_INPUT for attendees who were not invited or announcements that need
/// no relaying.
pub async fn record_mentor_call(
    state: &AppState,
    rc: &RequestCtx,
    cmd: RecordMentorCall,
) -> AppResult<mentor_call::Model> {
    policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    // Locked: two recordings at once must not both find it SCHEDULED.
    let call = db::for_update(
        txn.get_database_backend(),
        mentor_call::Entity::find_by_id(cmd.call_id),
    )
    .one(&txn)
    .await?
    .ok_or_else(|| AppError::NotFound("no such mentor call".into()))?;
    if call.status != "SCHEDULED" {
        return Err(AppError::Conflict("this call is already recorded".into()));
    }
    if call.scheduled_for > now {
        return Err(AppError::Conflict(
            "this call has not taken place yet".into(),
        ));
    }
    let invited: Vec<Uuid> = attendance(&txn, call.id)
        .await?
        .into_iter()
        .map(|a| a.mentor_id)
        .collect();
    if let Some(stranger) = cmd.attended.iter().find(|id| !invited.contains(id)) {
        return Err(AppError::bad_input(
            "input.attendedMentorIds",
            format!("{stranger} was not invited"),
        ));
    }
    for id in &cmd.announcement_ids {
        let relayable = announcement::Entity::find_by_id(*id)
            .one(&txn)
            .await?
            .is_some_and(|a| a.relay_required);
        if !relayable {
            return Err(AppError::bad_input(
                "input.announcementIds",
                format!("{id} is not an announcement to relay"),
            ));
        }
    }
    // Two statements, whatever the number of mentors: those who came, those who did not.
    for (attended, filter) in [
        (
            true,
            mentor_call_attendance::Column::MentorId.is_in(cmd.attended.clone()),
        ),
        (
            false,
            mentor_call_attendance::Column::MentorId.is_not_in(cmd.attended.clone()),
        ),
    ] {
        mentor_call_attendance::Entity::update_many()
            .set(mentor_call_attendance::ActiveModel {
                attended: Set(Some(attended)),
                ..Default::default()
            })
            .filter(mentor_call_attendance::Column::CallId.eq(call.id))
            .filter(filter)
            .exec(&txn)
            .await?;
    }
    let recorded = mentor_call::Model {
        status: "HELD".into(),
        minutes: cmd.minutes,
        action_items: json!(cmd.action_items),
        recorded_at: Some(now),
        ..call
    };
    mentor_call::Entity::update(mentor_call::ActiveModel {
        id: Set(recorded.id),
        status: Set(recorded.status.clone()),
        minutes: Set(recorded.minutes.clone()),
        action_items: Set(recorded.action_items.clone()),
        recorded_at: Set(recorded.recorded_at),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    if !cmd.announcement_ids.is_empty() {
        announcement::Entity::update_many()
            .set(announcement::ActiveModel {
                call_id: Set(Some(recorded.id)),
                ..Default::default()
            })
            .filter(announcement::Column::Id.is_in(cmd.announcement_ids.clone()))
            .exec(&txn)
            .await?;
    }
    let threshold = state.settings().missed_calls_alert.max(1) as usize;
    let absent: Vec<Uuid> = invited
        .iter()
        .filter(|m| !cmd.attended.contains(m))
        .copied()
        .collect();
    for mentor in streaks_reaching(&txn, &absent, threshold).await? {
        raise_missed_calls(&txn, mentor, threshold, now).await?;
    }
    let entry = Entry {
        action: "record_mentor_call",
        subject_type: "mentor_call",
        subject_id: Some(recorded.id),
        before: None,
        after: Some(json!({"attended": cmd.attended.len(), "invited": invited.len()})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(recorded)
}

/// The mentors among `absent` whose missed recorded calls in a row number exactly
/// `threshold` now — one statement for all of them: each one's last `threshold + 1` recorded
/// invitations, newest first, by a window function.
async fn streaks_reaching(
    conn: &impl ConnectionTrait,
    absent: &[Uuid],
    threshold: usize,
) -> AppResult<Vec<Uuid>> {
    if absent.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (2..absent.len() + 2).map(|n| format!("${n}")).collect();
    let q = format!(
        "SELECT mentor_id, attended FROM (SELECT a.mentor_id, a.attended, ROW_NUMBER() OVER \
         (PARTITION BY a.mentor_id ORDER BY c.scheduled_for DESC) AS rn \
         FROM mentor_call_attendance a JOIN mentor_call c ON c.id = a.call_id \
         WHERE a.attended IS NOT NULL AND a.mentor_id IN ({})) t \
         WHERE rn <= $1 ORDER BY mentor_id, rn",
        list.join(", ")
    );
    let mut values: Vec<sea_orm::Value> = vec![(threshold as i64 + 1).into()];
    values.extend(absent.iter().map(|id| sea_orm::Value::from(*id)));
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(db::statement(backend, &q, values))
        .await?;
    let mut recent: Vec<(Uuid, bool)> = Vec::with_capacity(rows.len());
    for row in rows {
        recent.push((row.try_get_by_index(0)?, row.try_get_by_index(1)?));
    }
    Ok(absent
        .iter()
        .copied()
        .filter(|mentor| {
            let streak = recent
                .iter()
                .filter(|(m, _)| m == mentor)
                .take_while(|(_, attended)| !attended)
                .count();
            streak == threshold
        })
        .collect())
}

async fn raise_missed_calls(
    conn: &impl ConnectionTrait,
    mentor: Uuid,
    count: usize,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let live = mentor_profile::Entity::find_by_id(mentor)
        .one(conn)
        .await?
        .is_some_and(|p| p.status != "RETIRED");
    if !live {
        return Ok(());
    }
    let alert = MentorAlert {
        id: Uuid::now_v7(),
        mentor_id: mentor,
        kind: MentorAlertKind::MissedCalls,
        message: Some(format!("Missed the last {count} mentor calls.")),
        return_on: None,
        status: MentorAlertStatus::Open,
        created_at: now,
        handled_by: None,
        handled_at: None,
        resolution: None,
    };
    match alerts::insert(conn, &alert).await {
        Err(AppError::Conflict(_)) => Ok(()),
        other => {
            other?;
            alert_council(conn, &alert, now).await
        }
    }
}
