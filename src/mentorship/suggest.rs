//! `mentorSuggestions`: mentors ranked for a mentee by shared language, same country, time
//! zone distance and free capacity; each with its score and the reasons behind it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::repo;
use crate::{
    auth::policy,
    error::{AppError, AppResult},
    mentor,
    people::model::{Person, Timezone},
    request::RequestCtx,
    state::AppState,
};

/// One ranked mentor.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub mentor: Person,
    pub score: f64,
    pub reasons: Vec<String>,
    pub free_slots: usize,
}

/// Most suggestions returned.
pub const MAX_SUGGESTIONS: i32 = 50;

/// Ranks ACTIVE, accepting mentors with a free slot for `mentee_id`; the current mentor is
/// left out.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown mentee; BAD_USER_INPUT for `first`
/// outside 1–50.
pub async fn mentor_suggestions(
    state: &AppState,
    rc: &RequestCtx,
    mentee_id: Uuid,
    first: i32,
) -> AppResult<Vec<Suggestion>> {
    policy::require_council(&rc.actor)?;
    if !(1..=MAX_SUGGESTIONS).contains(&first) {
        return Err(AppError::bad_input(
            "first",
            format!("first must be 1 to {MAX_SUGGESTIONS}"),
        ));
    }
    let db = state.db();
    let mentee = crate::people::repo::find_by_id(db, mentee_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such mentee".into()))?;
    let current = repo::active_of_mentees(db, &[mentee_id])
        .await?
        .pop()
        .map(|m| m.mentor_id);
    let counts = repo::active_counts(db).await?;
    let candidates = mentor::repo::accepting_mentors(db).await?;
    let now = state.clock().now();
    let mut ranked: Vec<Suggestion> = candidates
        .into_iter()
        .filter(|m| m.id != mentee_id && Some(m.id) != current)
        .filter_map(|m| {
            let active = counts.get(&m.id).copied().unwrap_or(0);
            let profile = m.mentor_profile.as_ref()?;
            let free = (profile.capacity as usize).saturating_sub(active);
            profile.accepts(active).then(|| rank(&mentee, m, free, now))
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.mentor.id.cmp(&b.mentor.id))
    });
    ranked.truncate(first as usize);
    Ok(ranked)
}

fn rank(mentee: &Person, mentor: Person, free_slots: usize, now: DateTime<Utc>) -> Suggestion {
    let mut score = 0.0;
    let mut reasons = Vec::new();
    let shared: Vec<&String> = mentor
        .languages
        .iter()
        .filter(|l| mentee.languages.iter().any(|m| primary(m) == primary(l)))
        .collect();
    for language in shared.iter().take(2) {
        score += 3.0;
        reasons.push(format!("speaks {language}"));
    }
    if mentee.country.is_some() && mentee.country == mentor.country {
        score += 2.0;
        reasons.push("same country".into());
    }
    if let Some(hours) = hours_apart(mentee, &mentor, now) {
        score += 2.0 * (1.0 - f64::from(hours) / 12.0);
        reasons.push(match hours {
            0 => "same time zone".into(),
            h => format!("{h} h apart"),
        });
    }
    score += 0.4 * free_slots.min(5) as f64;
    reasons.push(match free_slots {
        1 => "1 free slot".into(),
        n => format!("{n} free slots"),
    });
    Suggestion {
        mentor,
        score: (score * 100.0).round() / 100.0,
        reasons,
        free_slots,
    }
}

/// `es-MX` and `es` are the same language for matching.
fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// Whole hours between the two people's UTC offsets now, at most 12 (around the globe).
fn hours_apart(a: &Person, b: &Person, now: DateTime<Utc>) -> Option<i32> {
    let offset = |p: &Person| {
        let tz = p.timezone.as_deref()?;
        Timezone::parse("timezone", tz)
            .ok()
            .map(|t| t.offset_minutes(now))
    };
    let diff = (offset(a)? - offset(b)?).abs() / 60;
    Some(diff.min(24 - diff))
}
