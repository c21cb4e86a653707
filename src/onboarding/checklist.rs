//! The onboarding checklist: the council's default steps and ticking an application's.

use entity::onboarding_checklist_default;
use serde_json::json;
use uuid::Uuid;

use super::model::MentorApplication;
use super::{
    repo,
    service::{not_found, status_of},
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    db,
    error::{AppError, AppResult},
    people::model::bounded_text,
    request::RequestCtx,
    state::AppState,
};

/// The checklist step that ticks itself when the applicant acknowledges the role guide.
pub const ROLE_GUIDE_STEP: &str = "acknowledge-role-guide";

/// The advisory lock key that serializes edits of the default checklist.
const CHECKLIST_LOCK: i64 = 0x6368_6563_6b6c_6973; // "checklis"

/// Longest step key.
const MAX_KEY: usize = 40;
/// Longest step label.
const MAX_LABEL: usize = 200;

/// One step of the default checklist, as the council sets it.
#[derive(Clone, Debug)]
pub struct DefaultStep {
    pub key: String,
    pub label: String,
}

/// Ticks or unticks a step of an open application's checklist (council).
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown application; BAD_USER_INPUT for a
/// step the checklist does not have; CONFLICT once the application is closed.
#[tracing::instrument(skip_all, fields(application = %application_id))]
pub async fn set_onboarding_checklist_item(
    state: &AppState,
    rc: &RequestCtx,
    application_id: Uuid,
    key: &str,
    done: bool,
) -> AppResult<MentorApplication> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let row = repo::find_for_update(&txn, application_id)
        .await?
        .ok_or_else(not_found)?;
    if !status_of(&row)?.is_open() {
        return Err(AppError::Conflict("this application is closed".into()));
    }
    let mark = done.then_some((now, council.id));
    if repo::set_item(&txn, row.id, key, mark).await? == 0 {
        return Err(AppError::bad_input(
            "input.key",
            "the checklist has no such step",
        ));
    }
    let entry = Entry {
        action: "set_onboarding_checklist_item",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: None,
        after: Some(json!({"key": key, "done": done})),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    MentorApplication::try_from(row)
}

/// Replaces the checklist new applications start with (council); applications already
/// made keep theirs.
///
/// # Errors
/// FORBIDDEN unless council; BAD_USER_INPUT for no steps or more than 20, a key that is not
/// 1–40 lower-case letters, digits and dashes or appears twice, an empty label.
#[tracing::instrument(skip_all)]
pub async fn set_onboarding_checklist(
    state: &AppState,
    rc: &RequestCtx,
    steps: Vec<DefaultStep>,
) -> AppResult<Vec<onboarding_checklist_default::Model>> {
    policy::require_council(&rc.actor)?;
    let steps = valid_steps(steps)?;
    let now = state.clock().now();
    let rows: Vec<onboarding_checklist_default::Model> = steps
        .into_iter()
        .enumerate()
        .map(|(position, s)| onboarding_checklist_default::Model {
            automatic: s.key == ROLE_GUIDE_STEP,
            key: s.key,
            position: position as i32,
            label: s.label,
        })
        .collect();
    let txn = rc.begin_write(state.db()).await?;
    // Replacing is delete-then-insert: two at once would collide on the keys.
    db::lock_topic(&txn, CHECKLIST_LOCK).await?;
    let before = repo::defaults(&txn).await?;
    repo::replace_defaults(&txn, rows.clone()).await?;
    let keys = |rows: &[onboarding_checklist_default::Model]| -> Vec<String> {
        rows.iter().map(|r| r.key.clone()).collect()
    };
    let entry = Entry {
        action: "set_onboarding_checklist",
        subject_type: "onboarding_checklist",
        subject_id: None,
        before: Some(json!(keys(&before))),
        after: Some(json!(keys(&rows))),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(rows)
}

/// The checklist new applications start with (every signed-in person).
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn default_checklist(
    state: &AppState,
    rc: &RequestCtx,
) -> AppResult<Vec<onboarding_checklist_default::Model>> {
    policy::require_person(&rc.actor)?;
    repo::defaults(state.db()).await
}

/// Steps with trimmed, well-formed, distinct keys and non-empty labels.
fn valid_steps(raw: Vec<DefaultStep>) -> AppResult<Vec<DefaultStep>> {
    if raw.is_empty() || raw.len() > repo::MAX_ITEMS {
        return Err(AppError::bad_input(
            "input.items",
            format!("1 to {} steps", repo::MAX_ITEMS),
        ));
    }
    let mut steps: Vec<DefaultStep> = Vec::new();
    for step in raw {
        let key = step.key.trim().to_owned();
        let slug = key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if key.is_empty() || key.len() > MAX_KEY || !slug {
            return Err(AppError::bad_input(
                "input.items.key",
                "1–40 lower-case letters, digits and dashes",
            ));
        }
        if steps.iter().any(|s| s.key == key) {
            return Err(AppError::bad_input(
                "input.items.key",
                format!("{key} appears twice"),
            ));
        }
        let label = bounded_text("input.items.label", Some(&step.label), MAX_LABEL)?
            .ok_or_else(|| AppError::bad_input("input.items.label", "must not be empty"))?;
        steps.push(DefaultStep { key, label });
    }
    Ok(steps)
}
