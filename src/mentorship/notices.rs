//! What the people involved are told about a mentorship change (written in its transaction).

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::model::Mentorship;
use crate::{
    error::AppResult,
    notifications::{Notice, NotificationKind},
    people,
};

/// Display names of these people (one statement).
async fn names(conn: &impl ConnectionTrait, ids: &[Uuid]) -> AppResult<HashMap<Uuid, String>> {
    Ok(people::repo::find_by_ids(conn, ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.display_name))
        .collect())
}

fn name(names: &HashMap<Uuid, String>, id: Uuid) -> String {
    names.get(&id).cloned().unwrap_or_else(|| "someone".into())
}

fn notice(to: Uuid, kind: NotificationKind, title: &str, body: String, m: &Mentorship) -> Notice {
    Notice {
        to,
        kind,
        title: title.into(),
        body,
        subject_id: Some(m.id),
    }
}

/// A new mentorship: the mentee and the mentor.
///
/// # Errors
/// A database fault.
pub async fn started(conn: &impl ConnectionTrait, m: &Mentorship) -> AppResult<Vec<Notice>> {
    let names = names(conn, &[m.mentor_id, m.mentee_id]).await?;
    Ok(vec![
        notice(
            m.mentee_id,
            NotificationKind::MentorshipStarted,
            "You have a mentor",
            format!(
                "{} is now your mentor. Reach out to plan your first meeting.",
                name(&names, m.mentor_id)
            ),
            m,
        ),
        notice(
            m.mentor_id,
            NotificationKind::MentorshipStarted,
            "New mentee",
            format!(
                "{} is now your mentee. Plan a first meeting soon.",
                name(&names, m.mentee_id)
            ),
            m,
        ),
    ])
}

/// A re-assignment: the mentee, the old and the new mentor.
///
/// # Errors
/// A database fault.
pub async fn reassigned(
    conn: &impl ConnectionTrait,
    old: &Mentorship,
    new: &Mentorship,
) -> AppResult<Vec<Notice>> {
    let names = names(conn, &[old.mentor_id, new.mentor_id, new.mentee_id]).await?;
    Ok(vec![
        notice(
            new.mentee_id,
            NotificationKind::MentorReassigned,
            "Your mentor changed",
            format!(
                "{} is now your mentor, taking over from {}.",
                name(&names, new.mentor_id),
                name(&names, old.mentor_id)
            ),
            new,
        ),
        notice(
            old.mentor_id,
            NotificationKind::MentorReassigned,
            "A mentee moved",
            format!(
                "{} now has another mentor. Thank you for your support.",
                name(&names, new.mentee_id)
            ),
            old,
        ),
        notice(
            new.mentor_id,
            NotificationKind::MentorshipStarted,
            "New mentee",
            format!(
                "{} is now your mentee. Plan a first meeting soon.",
                name(&names, new.mentee_id)
            ),
            new,
        ),
    ])
}

/// An ended mentorship: both parties.
///
/// # Errors
/// A database fault.
pub async fn ended(conn: &impl ConnectionTrait, m: &Mentorship) -> AppResult<Vec<Notice>> {
    let names = names(conn, &[m.mentor_id, m.mentee_id]).await?;
    let body = |other: Uuid| format!("Your mentorship with {} has ended.", name(&names, other));
    Ok(vec![
        notice(
            m.mentee_id,
            NotificationKind::MentorshipEnded,
            "Mentorship ended",
            body(m.mentor_id),
            m,
        ),
        notice(
            m.mentor_id,
            NotificationKind::MentorshipEnded,
            "Mentorship ended",
            body(m.mentee_id),
            m,
        ),
    ])
}
