//! The iCalendar document (RFC 5545) of one person's feed. Times are UTC (`…Z`), which every
//! calendar shows in its reader's zone; due dates are all-day in the person's own zone.
//! UIDs are stable per object, so a moved check-in or due date updates one event.

use std::{collections::HashMap, str::FromStr};

use chrono::{DateTime, Duration, Utc};
use entity::{check_in, mentor_call, mentorship, person};
use icalendar::{Calendar, Component, Event, EventLike};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::ExprTrait,
};
use uuid::Uuid;

use crate::{
    auth::policy::Scope,
    check_in::model::CheckInStatus,
    config::Settings,
    error::AppResult,
    mail::i18n::{self, args},
    mentorship::{
        due,
        model::{Mentorship, MentorshipStatus},
    },
};

/// Past events kept in a feed (so a meeting of last week is still there).
const PAST: Duration = Duration::days(30);
/// Most events of each kind in a feed.
const MAX_EACH: u64 = 500;
/// Length given to a check-in or a call, which have a start only.
const MEETING: Duration = Duration::hours(1);
/// The UID domain.
const UID_DOMAIN: &str = "mentorship-api";

/// The feed of `owner` at `now`.
///
/// # Errors
/// A database fault.
pub async fn render(
    conn: &impl ConnectionTrait,
    settings: &Settings,
    owner: &person::Model,
    now: DateTime<Utc>,
) -> AppResult<String> {
    let lang = i18n::language(owner.locale.as_deref());
    let public = settings.public_base();
    let mentorships = active_mentorships(conn, owner.id).await?;
    let ids: Vec<Uuid> = mentorships.iter().map(|m| m.id).collect();
    let names = names(conn, &mentorships).await?;
    let pair = |m: &Mentorship| {
        let name = |id: Uuid| names.get(&id).cloned().unwrap_or_default();
        args([
            ("mentor", name(m.mentor_id).into()),
            ("mentee", name(m.mentee_id).into()),
        ])
    };
    let by_id: HashMap<Uuid, &Mentorship> = mentorships.iter().map(|m| (m.id, m)).collect();
    let mut cal = Calendar::new();
    cal.name(&i18n::text(&lang, "calendar-name", &i18n::Args::new()));

    for c in planned_check_ins(conn, &ids, now - PAST).await? {
        let (Some(m), Some(at)) = (by_id.get(&c.mentorship_id), c.scheduled_for) else {
            continue;
        };
        cal.push(
            Event::new()
                .uid(&format!("check-in-{}@{UID_DOMAIN}", c.id))
                .timestamp(now)
                .summary(&i18n::text(&lang, "calendar-check-in", &pair(m)))
                .starts(at)
                .ends(at + MEETING)
                .url(&format!("{public}/mentorships/{}", m.id))
                .done(),
        );
    }

    let zone = owner
        .timezone
        .as_deref()
        .and_then(|z| chrono_tz::Tz::from_str(z).ok())
        .unwrap_or(chrono_tz::UTC);
    let last_held = crate::mentorship::repo::last_held(conn, &ids).await?;
    for m in &mentorships {
        let Some(due) = due::next_due(m, last_held.get(&m.id).copied(), settings) else {
            continue;
        };
        let day = due.with_timezone(&zone).date_naive();
        cal.push(
            Event::new()
                // One per mentorship: when the due date moves, the event moves.
                .uid(&format!("check-in-due-{}@{UID_DOMAIN}", m.id))
                .timestamp(now)
                .summary(&i18n::text(&lang, "calendar-check-in-due", &pair(m)))
                .starts(day)
                .ends(day.succ_opt().unwrap_or(day))
                .url(&format!("{public}/mentorships/{}", m.id))
                .done(),
        );
    }

    for call in invited_calls(conn, owner.id, now - PAST).await? {
        let mut event = Event::new();
        event
            .uid(&format!("mentor-call-{}@{UID_DOMAIN}", call.id))
            .timestamp(now)
            .summary(&i18n::text(
                &lang,
                "calendar-mentor-call",
                &i18n::Args::new(),
            ))
            .description(&call.agenda)
            .starts(call.scheduled_for)
            .ends(call.scheduled_for + MEETING)
            .url(&format!("{public}/mentor-calls/{}", call.id));
        if let Some(link) = &call.link {
            event.location(link);
        }
        cal.push(event.done());
    }
    Ok(cal.done().to_string())
}

async fn active_mentorships(
    conn: &impl ConnectionTrait,
    person: Uuid,
) -> AppResult<Vec<Mentorship>> {
    let rows = mentorship::Entity::find()
        .filter(
            mentorship::Column::MentorId
                .eq(person)
                .or(mentorship::Column::MenteeId.eq(person)),
        )
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .order_by_asc(mentorship::Column::Id)
        .limit(MAX_EACH)
        .all(conn)
        .await?;
    crate::stored::read_all(rows)
}

async fn names(conn: &impl ConnectionTrait, ms: &[Mentorship]) -> AppResult<HashMap<Uuid, String>> {
    let mut ids: Vec<Uuid> = ms.iter().flat_map(|m| [m.mentor_id, m.mentee_id]).collect();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(Uuid, String)> = person::Entity::find()
        .select_only()
        .columns([person::Column::Id, person::Column::DisplayName])
        .filter(person::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn planned_check_ins(
    conn: &impl ConnectionTrait,
    mentorships: &[Uuid],
    since: DateTime<Utc>,
) -> AppResult<Vec<check_in::Model>> {
    if mentorships.is_empty() {
        return Ok(Vec::new());
    }
    Ok(check_in::Entity::find()
        .filter(check_in::Column::MentorshipId.is_in(mentorships.iter().copied()))
        .filter(check_in::Column::Status.eq(CheckInStatus::Planned.as_str()))
        .filter(check_in::Column::ScheduledFor.gte(since))
        .order_by_asc(check_in::Column::ScheduledFor)
        .limit(MAX_EACH)
        .all(conn)
        .await?)
}

async fn invited_calls(
    conn: &impl ConnectionTrait,
    person: Uuid,
    since: DateTime<Utc>,
) -> AppResult<Vec<mentor_call::Model>> {
    Ok(crate::calls::repo::visible(Scope::Own(person))
        .filter(mentor_call::Column::ScheduledFor.gte(since))
        .order_by_asc(mentor_call::Column::ScheduledFor)
        .limit(MAX_EACH)
        .all(conn)
        .await?)
}
