//! Applying, moving an application through its steps, its checklist and contact.

use entity::{mentor_application as app, mentor_profile};
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{ApplicationStatus, Stepper},
    repo::{self, ApplicationFilter},
    rounds,
};
use crate::{
    audit::{self, Entry},
    auth::{Role, actor::PersonActor, policy},
    council::{self, ContactArea},
    db,
    error::{AppError, AppResult},
    mentor::model::{Capacity, Expertise, MentorProfile, MentorStatus},
    notifications::{self, Notice, NotificationKind},
    paging::{Order, Page, TotalCount, page_of},
    people::{self, model::Languages},
    request::RequestCtx,
    state::AppState,
};

/// The capacity a new mentor starts with unless the council says otherwise.
pub const NEW_MENTOR_CAPACITY: i32 = 3;

/// A rep's application.
#[derive(Clone, Debug)]
pub struct Apply {
    pub motivation: String,
    pub languages: Languages,
    pub areas: Expertise,
}

/// A step of an application.
#[derive(Clone, Debug)]
pub struct Step {
    pub application_id: Uuid,
    pub status: ApplicationStatus,
    pub note: Option<String>,
    /// The new mentor's capacity, on completion ([`NEW_MENTOR_CAPACITY`] when `None`).
    pub capacity: Option<Capacity>,
}

pub(super) fn status_of(row: &app::Model) -> AppResult<ApplicationStatus> {
    ApplicationStatus::from_db(&row.status).ok_or_else(|| {
        AppError::internal(std::io::Error::other(format!(
            "unknown application status {}",
            row.status
        )))
    })
}

pub(super) fn not_found() -> AppError {
    AppError::NotFound("no such mentor application".into())
}

/// The applicant and the council see an application; nobody else knows it exists.
fn visible_to(viewer: &PersonActor, row: &app::Model) -> bool {
    viewer.has(Role::Council) || row.applicant_id == viewer.id
}

/// Tells the applicant and the point of contact (every council member when there is none)
/// about a step, except whoever took it.
async fn tell(
    conn: &impl sea_orm::ConnectionTrait,
    row: &app::Model,
    actor: Uuid,
    kind: NotificationKind,
    title: String,
    body: String,
) -> AppResult<()> {
    let mut to = vec![row.applicant_id];
    match row.contact_id {
        Some(contact) => to.push(contact),
        None => to.extend(council::responsible(conn, ContactArea::Onboarding).await?),
    }
    to.sort();
    to.dedup();
    let notices: Vec<Notice> = to
        .into_iter()
        .filter(|id| *id != actor)
        .map(|to| Notice {
            to,
            kind,
            title: title.clone(),
            body: body.clone(),
            subject_id: Some(row.id),
        })
        .collect();
    notifications::notify(conn, row.updated_at, &notices).await
}

/// A rep applies to become a mentor; the application joins the current round and gets the
/// onboarding contact.
///
/// # Errors
/// FORBIDDEN for machine clients; BAD_USER_INPUT without a language or an area; CONFLICT
/// for a mentor or a rep with an application in progress.
#[tracing::instrument(skip_all)]
pub async fn apply_to_become_mentor(
    state: &AppState,
    rc: &RequestCtx,
    cmd: Apply,
) -> AppResult<app::Model> {
    let me = policy::require_person(&rc.actor)?;
    if cmd.languages.is_empty() {
        return Err(AppError::bad_input("input.languages", "name at least one"));
    }
    if cmd.areas.is_empty() {
        return Err(AppError::bad_input("input.areas", "name at least one"));
    }
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    let is_mentor = crate::mentor::repo::find(&txn, me.id)
        .await?
        .map(MentorProfile::from)
        .is_some_and(|p| p.is_live());
    if is_mentor {
        return Err(AppError::Conflict("you are a mentor already".into()));
    }
    let row = app::Model {
        id: Uuid::now_v7(),
        applicant_id: me.id,
        round_id: rounds::current(&txn, now).await?.map(|r| r.id),
        contact_id: council::contact(&txn, ContactArea::Onboarding).await?,
        status: ApplicationStatus::Applied.as_str().into(),
        motivation: cmd.motivation,
        languages: json!(cmd.languages.into_vec()),
        areas: json!(cmd.areas.into_vec()),
        note: None,
        applied_at: now,
        updated_at: now,
        completed_at: None,
        closed_at: None,
    };
    repo::insert(&txn, row.clone()).await?;
    // Someone who already read the current guide need not read it again to tick the step.
    if let Some(guide) = crate::role_guide::repo::current(&txn).await?
        && crate::role_guide::repo::acknowledged_by(&txn, me.id, guide.version).await?
    {
        repo::tick_automatic(&txn, me.id, now).await?;
    }
    let entry = Entry {
        action: "apply_to_become_mentor",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: None,
        after: Some(json!({"roundId": row.round_id, "contactId": row.contact_id})),
    };
    audit::record(&txn, rc, now, entry).await?;
    let applicant = people::repo::find_by_id(&txn, me.id)
        .await?
        .map_or_else(String::new, |p| p.display_name);
    tell(
        &txn,
        &row,
        me.id,
        NotificationKind::MentorApplicationReceived,
        "New mentor application".into(),
        format!("{applicant} applied to become a mentor."),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Moves an application one step: the council reviews, accepts into onboarding, completes
/// or declines; the applicant withdraws. Completion grants the mentor profile.
///
/// # Errors
/// NOT_FOUND unless council or applicant; FORBIDDEN for a step that is not the caller's to
/// take; CONFLICT for a move the process does not allow or a completion with steps left.
#[tracing::instrument(skip_all, fields(application = %cmd.application_id, status = ?cmd.status))]
pub async fn set_status(state: &AppState, rc: &RequestCtx, cmd: Step) -> AppResult<app::Model> {
    let me = policy::require_person(&rc.actor)?;
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    let before = repo::find_for_update(&txn, cmd.application_id)
        .await?
        .filter(|row| visible_to(me, row))
        .ok_or_else(not_found)?;
    let current = status_of(&before)?;
    match cmd.status.stepper() {
        Some(Stepper::Council) if !me.has(Role::Council) => {
            return Err(AppError::Forbidden(
                "only the council moves an application forward or declines it".into(),
            ));
        }
        Some(Stepper::Applicant) if before.applicant_id != me.id => {
            return Err(AppError::Forbidden(
                "only the applicant withdraws an application".into(),
            ));
        }
        _ => {}
    }
    if !current.can_become(cmd.status) {
        return Err(AppError::Conflict(format!(
            "an application that is {} cannot become {}",
            current.as_str(),
            cmd.status.as_str()
        )));
    }
    let mut row = app::Model {
        status: cmd.status.as_str().into(),
        note: cmd.note,
        updated_at: now,
        ..before.clone()
    };
    if !cmd.status.is_open() {
        row.closed_at = Some(now);
    }
    if cmd.status == ApplicationStatus::Completed {
        let left: Vec<String> = repo::items(&txn, row.id)
            .await?
            .into_iter()
            .filter(|i| i.done_at.is_none())
            .map(|i| i.label)
            .collect();
        if !left.is_empty() {
            return Err(AppError::Conflict(format!(
                "the checklist is not complete: {}",
                left.join("; ")
            )));
        }
        row.completed_at = Some(now);
        make_mentor(&txn, &row, cmd.capacity, now).await?;
    }
    repo::save_step(&txn, &row).await?;
    let entry = Entry {
        action: "set_mentor_application_status",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: Some(json!({"status": before.status})),
        after: Some(json!({"status": row.status, "note": row.note})),
    };
    audit::record(&txn, rc, now, entry).await?;
    let body = match &row.note {
        Some(note) => format!("The application is now {}: {note}", row.status),
        None => format!("The application is now {}.", row.status),
    };
    tell(
        &txn,
        &row,
        me.id,
        NotificationKind::MentorApplicationUpdated,
        "Mentor application updated".into(),
        body,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Creates the mentor profile of a completed application (or revives a retired one); a
/// profile granted meanwhile by other means is left as it is.
async fn make_mentor(
    conn: &impl sea_orm::ConnectionTrait,
    row: &app::Model,
    capacity: Option<Capacity>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let existing = crate::mentor::repo::find(conn, row.applicant_id).await?;
    if existing
        .as_ref()
        .is_some_and(|p| p.status != MentorStatus::Retired.as_str())
    {
        return Ok(());
    }
    let profile = mentor_profile::Model {
        person_id: row.applicant_id,
        capacity: capacity.map_or(NEW_MENTOR_CAPACITY, Capacity::get),
        status: MentorStatus::Active.as_str().into(),
        accepting_mentees: true,
        bio: existing.as_ref().and_then(|p| p.bio.clone()),
        expertise: row.areas.clone(),
        onboarded_at: now,
        break_until: None,
        updated_at: now,
    };
    crate::mentor::repo::save(conn, profile, existing.is_some()).await
}

/// Makes a council member the application's point of contact.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown application or person;
/// BAD_USER_INPUT when the person is not on the council; CONFLICT once the application is
/// closed.
pub async fn set_contact(
    state: &AppState,
    rc: &RequestCtx,
    application_id: Uuid,
    person_id: Uuid,
) -> AppResult<app::Model> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = db::begin_write(state.db()).await?;
    let before = repo::find_for_update(&txn, application_id)
        .await?
        .ok_or_else(not_found)?;
    let person = people::repo::find_by_id(&txn, person_id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    if !person.roles.contains(&Role::Council) {
        return Err(AppError::bad_input(
            "input.personId",
            "only a council member can be a point of contact",
        ));
    }
    if !status_of(&before)?.is_open() {
        return Err(AppError::Conflict("this application is closed".into()));
    }
    let row = app::Model {
        contact_id: Some(person_id),
        updated_at: now,
        ..before.clone()
    };
    repo::save_step(&txn, &row).await?;
    let entry = Entry {
        action: "set_mentor_application_contact",
        subject_type: "mentor_application",
        subject_id: Some(row.id),
        before: Some(json!({"contactId": before.contact_id})),
        after: Some(json!({"contactId": person_id})),
    };
    audit::record(&txn, rc, now, entry).await?;
    tell(
        &txn,
        &row,
        council.id,
        NotificationKind::MentorApplicationUpdated,
        "Mentor application: point of contact".into(),
        format!("{} is now the point of contact.", person.display_name),
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// One application: for the council and the applicant.
///
/// # Errors
/// FORBIDDEN for machine clients; NOT_FOUND otherwise.
pub async fn application(state: &AppState, rc: &RequestCtx, id: Uuid) -> AppResult<app::Model> {
    let me = policy::require_person(&rc.actor)?;
    repo::find(state.db(), id)
        .await?
        .filter(|row| visible_to(me, row))
        .ok_or_else(not_found)
}

/// Applications: all for the council, the caller's own for anyone else.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn applications(
    state: &AppState,
    rc: &RequestCtx,
    mut filter: ApplicationFilter,
    page: Page,
) -> AppResult<(Vec<app::Model>, TotalCount)> {
    let me = policy::require_person(&rc.actor)?;
    if !me.has(Role::Council) {
        filter.applicant = Some(me.id);
    }
    let select = repo::filtered(&filter);
    page_of(
        state.db(),
        select,
        app::Column::Id,
        Order::OldestFirst,
        &page,
    )
    .await
}
