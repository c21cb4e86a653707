//! `erasePerson`: the right to be forgotten (GDPR Art. 17), irreversibly and in one
//! transaction. The person's row stays, so every count the program's metrics rest on stays
//! true (reps who joined, mentorships, check-ins held, requests answered), but what made it
//! theirs goes: personal fields cleared, the name a pseudonym ("Former rep #7"), private
//! notes, plans, support needs and message bodies deleted, the inbox emptied, and the
//! sign-in link removed — the same token signs in as a new, unknown person.

use chrono::{DateTime, Utc};
use entity::{
    announcement_relay, audit_log, check_in, council_contact, idempotency_record, mentor_alert,
    mentor_application, mentor_profile, mentorship, notification, person, support_message,
    support_request,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, sea_query::Expr,
};
use serde_json::json;
use uuid::Uuid;

use crate::{
    audit::{self, Entry},
    auth::policy,
    error::{AppError, AppResult},
    mentor::model::MentorStatus,
    mentorship::{
        end::{Ending, end_in},
        model::{MentorshipEndReason, MentorshipStatus},
        notices, repo as mentorships,
    },
    notifications,
    people::{
        self,
        model::{Person, PersonStatus},
    },
    request::RequestCtx,
    state::AppState,
};

/// Most characters of an erasure's reason.
pub const MAX_REASON: usize = 500;

/// Erase a person.
#[derive(Clone, Debug)]
pub struct ErasePerson {
    pub person_id: Uuid,
    /// Why (the request's reference, say): 1–500 characters, kept in the audit log.
    pub reason: String,
}

/// Erases a person and returns what remains of them.
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown person; CONFLICT when already
/// erased or while they mentor anyone (re-assign their mentees first).
#[tracing::instrument(skip_all, fields(person = %cmd.person_id))]
pub async fn erase_person(
    state: &AppState,
    rc: &RequestCtx,
    cmd: ErasePerson,
) -> AppResult<Person> {
    let council = policy::require_council(&rc.actor)?;
    let reason = cmd.reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(AppError::bad_input(
            "input.reason",
            format!("a reason of 1 to {MAX_REASON} characters is required"),
        ));
    }
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let id = cmd.person_id;
    let row = people::repo::lock(&txn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    if row.status == PersonStatus::Erased.as_str() {
        return Err(AppError::Conflict("this person is already erased".into()));
    }
    // Under the profile's lock, which every assignment to them as mentor takes: none can
    // start between this count and the retirement below.
    mentorships::lock_mentor_profile(&txn, id).await?;
    let mentoring = mentorship::Entity::find()
        .filter(mentorship::Column::MentorId.eq(id))
        .filter(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()))
        .count(&txn)
        .await?;
    if mentoring > 0 {
        return Err(AppError::Conflict(format!(
            "this person mentors {mentoring} mentee(s): re-assign them first"
        )));
    }
    let erased_before = person::Entity::find()
        .filter(person::Column::Status.eq(PersonStatus::Erased.as_str()))
        .count(&txn)
        .await?;
    pseudonymise(&txn, id, erased_before + 1, now).await?;
    // No mail goes to them any more, and their calendar feed URL stops working.
    crate::mail::repo::cancel_pending_of(&txn, id, "recipient erased").await?;
    crate::calendar::token::bump(&txn, id).await?;
    // A mentee who is forgotten has left: their mentorship ends as any other would, and the
    // mentor is told (by the pseudonym, which is all that is left to tell).
    if let Some(current) = mentorships::active_of_mentees(&txn, &[id]).await?.pop() {
        let ending = Ending {
            reason: MentorshipEndReason::MenteeLeft,
            note: None,
            by: council.id,
            at: now,
        };
        let ended = end_in(&txn, rc, &current, ending).await?;
        let notices: Vec<_> = notices::ended(&txn, &ended)
            .await?
            .into_iter()
            .filter(|n| n.to != id)
            .collect();
        notifications::notify(&txn, now, &notices).await?;
    }
    let cleared = clear_traces(&txn, id).await?;
    let entry = Entry {
        action: "erase_person",
        subject_type: "person",
        subject_id: Some(id),
        before: None,
        after: Some(json!({"reason": reason, "cleared": cleared})),
    };
    audit::record(&txn, rc, now, entry).await?;
    let person = people::repo::find_by_id(&txn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such person".into()))?;
    txn.commit().await?;
    // Their sign-in link is gone: no cached caller may still resolve to them.
    state.callers().forget_all();
    Ok(person)
}

/// The person's own row and mentor profile: a pseudonym, no personal field, no sign-in.
async fn pseudonymise(
    txn: &DatabaseTransaction,
    id: Uuid,
    number: u64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    person::Entity::update(person::ActiveModel {
        id: Set(id),
        // Unique with `issuer` like every identity, and no issuer will ever vouch for it.
        issuer: Set("erased".into()),
        subject: Set(id.to_string()),
        display_name: Set(format!("Former rep #{number}")),
        email: Set(None),
        email_preference: Set(crate::notifications::model::EmailPreference::Off
            .as_str()
            .into()),
        country: Set(None),
        languages: Set(json!([])),
        timezone: Set(None),
        locale: Set(None),
        bio: Set(None),
        status: Set(PersonStatus::Erased.as_str().into()),
        last_active_at: Set(None),
        updated_at: Set(now),
        // `token_roles` and `joined_at` stay: the reps and mentors counted over time.
        ..Default::default()
    })
    .exec(txn)
    .await?;
    mentor_profile::Entity::update_many()
        .set(mentor_profile::ActiveModel {
            status: Set(MentorStatus::Retired.as_str().into()),
            accepting_mentees: Set(false),
            bio: Set(None),
            expertise: Set(json!([])),
            break_until: Set(None),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(mentor_profile::Column::PersonId.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Everything else that holds the person's words or reaches them; returns how many rows of
/// each kind were cleared (for the audit entry, without their content).
async fn clear_traces(txn: &DatabaseTransaction, id: Uuid) -> AppResult<serde_json::Value> {
    let theirs = Condition::any()
        .add(mentorship::Column::MentorId.eq(id))
        .add(mentorship::Column::MenteeId.eq(id));
    let their_mentorships = mentorship::Entity::find()
        .select_only()
        .column(mentorship::Column::Id)
        .filter(theirs.clone());
    let check_ins = check_in::Entity::update_many()
        .col_expr(
            check_in::Column::Agenda,
            Expr::value(Option::<String>::None),
        )
        .col_expr(check_in::Column::Notes, Expr::value(Option::<String>::None))
        .col_expr(
            check_in::Column::MenteePlans,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            check_in::Column::SupportNeeds,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            check_in::Column::CancelReason,
            Expr::value(Option::<String>::None),
        )
        .filter(
            check_in::Column::MentorshipId
                .in_subquery(sea_orm::QueryTrait::into_query(their_mentorships)),
        )
        .exec(txn)
        .await?
        .rows_affected;
    let mentorship_notes = mentorship::Entity::update_many()
        .col_expr(
            mentorship::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mentorship::Column::EndNote,
            Expr::value(Option::<String>::None),
        )
        .filter(theirs)
        .exec(txn)
        .await?
        .rows_affected;
    let requests = support_request::Entity::update_many()
        .col_expr(support_request::Column::Subject, Expr::value("(erased)"))
        .col_expr(
            support_request::Column::RoutingNote,
            Expr::value(Option::<String>::None),
        )
        .filter(support_request::Column::RequesterId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    let their_requests = support_request::Entity::find()
        .select_only()
        .column(support_request::Column::Id)
        .filter(support_request::Column::RequesterId.eq(id));
    let messages = support_message::Entity::update_many()
        .col_expr(support_message::Column::Body, Expr::value(""))
        .filter(
            Condition::any()
                .add(support_message::Column::AuthorId.eq(id))
                .add(
                    support_message::Column::RequestId
                        .in_subquery(sea_orm::QueryTrait::into_query(their_requests)),
                ),
        )
        .exec(txn)
        .await?
        .rows_affected;
    let inbox = notification::Entity::delete_many()
        .filter(notification::Column::PersonId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    let alerts = mentor_alert::Entity::update_many()
        .col_expr(
            mentor_alert::Column::Message,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            mentor_alert::Column::Resolution,
            Expr::value(Option::<String>::None),
        )
        .filter(mentor_alert::Column::MentorId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    let applications = mentor_application::Entity::update_many()
        .col_expr(mentor_application::Column::Motivation, Expr::value(""))
        .col_expr(
            mentor_application::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .filter(mentor_application::Column::ApplicantId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    let relays = announcement_relay::Entity::update_many()
        .col_expr(
            announcement_relay::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .filter(
            Condition::any()
                .add(announcement_relay::Column::MenteeId.eq(id))
                .add(announcement_relay::Column::MentorId.eq(id)),
        )
        .exec(txn)
        .await?
        .rows_affected;
    council_contact::Entity::delete_many()
        .filter(council_contact::Column::PersonId.eq(id))
        .exec(txn)
        .await?;
    // Stored answers to their retried mutations hold whatever those answered.
    idempotency_record::Entity::delete_many()
        .filter(idempotency_record::Column::Caller.eq(crate::idempotency::person_scope(id)))
        .exec(txn)
        .await?;
    // Audit entries about them keep who did what and when, not the values they held.
    let audit = audit_log::Entity::update_many()
        .col_expr(
            audit_log::Column::Before,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .col_expr(
            audit_log::Column::After,
            Expr::value(Option::<serde_json::Value>::None),
        )
        .filter(audit_log::Column::SubjectId.eq(id))
        .exec(txn)
        .await?
        .rows_affected;
    Ok(json!({
        "checkIns": check_ins, "mentorshipNotes": mentorship_notes, "supportRequests": requests,
        "supportMessages": messages, "notifications": inbox, "mentorAlerts": alerts,
        "mentorApplications": applications, "announcementRelays": relays, "auditEntries": audit,
    }))
}
