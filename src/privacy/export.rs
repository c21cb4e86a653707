//! Everything stored about one person as one JSON document (GDPR Art. 15 and 20): for the
//! person themself (`GET /api/v1/me/export`), and for the council (`GET
//! /api/v1/people/{id}/export`) without what the council never reads — the private notes,
//! plans and support needs of check-ins, and requests hidden from the person. Which fields
//! each reader gets is the API's own rule ([`policy`]), so an export shows no more than the
//! API would.
//!
//! Rows are the stored rows with camelCase keys. Each section holds at most
//! [`MAX_ROWS`] rows; a longer one is cut and named in `truncated`.

use chrono::{DateTime, Utc};
use entity::*;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{
    audit::{self, Entry},
    auth::{
        PersonActor,
        policy::{self, Parties, SupportFacts},
    },
    error::{AppError, AppResult},
    request::RequestCtx,
    state::AppState,
};

/// Most rows of one section.
pub const MAX_ROWS: u64 = 50_000;

/// The caller's own export.
///
/// # Errors
/// FORBIDDEN for machine clients.
pub async fn my_export(state: &AppState, rc: &RequestCtx) -> AppResult<Value> {
    let me = policy::require_person(&rc.actor)?;
    export(state.db(), me, me.id, state.clock().now()).await
}

/// The council's export of a person, audited (who read whose data, and when).
///
/// # Errors
/// FORBIDDEN unless council; NOT_FOUND for an unknown person.
pub async fn person_export(state: &AppState, rc: &RequestCtx, id: Uuid) -> AppResult<Value> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let document = export(state.db(), council, id, now).await?;
    let entry = Entry {
        action: "export_person",
        subject_type: "person",
        subject_id: Some(id),
        before: None,
        after: None,
    };
    audit::record(state.db(), rc, now, entry).await?;
    Ok(document)
}

/// `subject`'s data as `viewer` may read it.
async fn export(
    conn: &impl ConnectionTrait,
    viewer: &PersonActor,
    subject: Uuid,
    now: DateTime<Utc>,
) -> AppResult<Value> {
    let mut doc = Document::default();
    let person = rows::<person::Entity>(
        conn,
        person::Column::Id.eq(subject),
        person::Column::Id,
        "person",
        &mut doc,
    )
    .await?;
    let Some(person) = person.into_iter().next() else {
        return Err(AppError::NotFound("no such person".into()));
    };
    let profile = rows::<mentor_profile::Entity>(
        conn,
        mentor_profile::Column::PersonId.eq(subject),
        mentor_profile::Column::PersonId,
        "mentorProfile",
        &mut doc,
    )
    .await?;
    let theirs = Condition::any()
        .add(mentorship::Column::MentorId.eq(subject))
        .add(mentorship::Column::MenteeId.eq(subject));
    let mentorships = rows::<mentorship::Entity>(
        conn,
        theirs,
        mentorship::Column::Id,
        "mentorships",
        &mut doc,
    )
    .await?;
    let parties: Vec<(Uuid, Parties)> = mentorships
        .iter()
        .filter_map(|m| {
            Some((
                uuid(m, "id")?,
                Parties {
                    mentor: uuid(m, "mentorId")?,
                    mentee: uuid(m, "menteeId")?,
                    mentee_current_mentor: None,
                },
            ))
        })
        .collect();
    let ids: Vec<Uuid> = parties.iter().map(|(id, _)| *id).collect();
    let mut check_ins = rows::<check_in::Entity>(
        conn,
        check_in::Column::MentorshipId.is_in(ids),
        check_in::Column::Id,
        "checkIns",
        &mut doc,
    )
    .await?;
    for c in &mut check_ins {
        let readable = uuid(c, "mentorshipId")
            .and_then(|m| parties.iter().find(|(id, _)| *id == m))
            .is_some_and(|(_, p)| policy::can_read_check_in_notes(viewer, *p));
        if !readable {
            for private in ["notes", "menteePlans", "supportNeeds"] {
                c.remove(private);
            }
        }
    }
    let mentorships = mentorships.into_iter().map(|mut m| {
        let (mentor, mentee) = (
            uuid(&m, "mentorId").unwrap_or_default(),
            uuid(&m, "menteeId").unwrap_or_default(),
        );
        if !policy::can_read_mentorship_notes(viewer, mentor, mentee) {
            m.remove("note");
            m.remove("endNote");
        }
        m
    });
    let concerning = Condition::any()
        .add(support_request::Column::RequesterId.eq(subject))
        .add(support_request::Column::AssignedMentorId.eq(subject));
    let requests: Vec<Map<String, Value>> = rows::<support_request::Entity>(
        conn,
        concerning,
        support_request::Column::Id,
        "supportRequests",
        &mut doc,
    )
    .await?
    .into_iter()
    .filter(|r| {
        let facts = SupportFacts {
            requester: uuid(r, "requesterId").unwrap_or_default(),
            assigned_mentor: uuid(r, "assignedMentorId"),
            confidential: r
                .get("confidential")
                .and_then(Value::as_bool)
                .unwrap_or(true),
        };
        policy::can_view_support_request(viewer, facts)
            && (facts.requester == subject || !facts.confidential)
    })
    .collect();
    let request_ids: Vec<Uuid> = requests.iter().filter_map(|r| uuid(r, "id")).collect();
    let messages = rows::<support_message::Entity>(
        conn,
        support_message::Column::RequestId.is_in(request_ids),
        support_message::Column::Id,
        "supportMessages",
        &mut doc,
    )
    .await?;
    let notifications = rows::<notification::Entity>(
        conn,
        notification::Column::PersonId.eq(subject),
        notification::Column::Id,
        "notifications",
        &mut doc,
    )
    .await?;
    let acks = rows::<role_guide_ack::Entity>(
        conn,
        role_guide_ack::Column::PersonId.eq(subject),
        role_guide_ack::Column::Version,
        "roleGuideAcknowledgements",
        &mut doc,
    )
    .await?;
    let received = rows::<announcement_audience::Entity>(
        conn,
        announcement_audience::Column::PersonId.eq(subject),
        announcement_audience::Column::AnnouncementId,
        "announcementsReceived",
        &mut doc,
    )
    .await?;
    let relays_cond = Condition::any()
        .add(announcement_relay::Column::MenteeId.eq(subject))
        .add(announcement_relay::Column::MentorId.eq(subject));
    let relays = rows::<announcement_relay::Entity>(
        conn,
        relays_cond,
        announcement_relay::Column::AnnouncementId,
        "announcementRelays",
        &mut doc,
    )
    .await?;
    let applications = rows::<mentor_application::Entity>(
        conn,
        mentor_application::Column::ApplicantId.eq(subject),
        mentor_application::Column::Id,
        "mentorApplications",
        &mut doc,
    )
    .await?;
    let alerts = rows::<mentor_alert::Entity>(
        conn,
        mentor_alert::Column::MentorId.eq(subject),
        mentor_alert::Column::Id,
        "mentorAlerts",
        &mut doc,
    )
    .await?;
    let calls = rows::<mentor_call_attendance::Entity>(
        conn,
        mentor_call_attendance::Column::MentorId.eq(subject),
        mentor_call_attendance::Column::CallId,
        "mentorCallAttendance",
        &mut doc,
    )
    .await?;
    let contacts = rows::<council_contact::Entity>(
        conn,
        council_contact::Column::PersonId.eq(subject),
        council_contact::Column::Area,
        "councilContacts",
        &mut doc,
    )
    .await?;
    let about = Condition::any()
        .add(audit_log::Column::ActorId.eq(subject))
        .add(audit_log::Column::SubjectId.eq(subject));
    let audit =
        rows::<audit_log::Entity>(conn, about, audit_log::Column::Id, "auditEntries", &mut doc)
            .await?;
    let list =
        |rows: Vec<Map<String, Value>>| Value::Array(rows.into_iter().map(Value::Object).collect());
    Ok(json!({
        "exportedAt": crate::timestamp::Timestamp::from(now),
        "scope": if viewer.id == subject { "self" } else { "council" },
        "person": person,
        "mentorProfile": profile.into_iter().next(),
        "mentorships": list(mentorships.collect()),
        "checkIns": list(check_ins),
        "supportRequests": list(requests),
        "supportMessages": list(messages),
        "notifications": list(notifications),
        "roleGuideAcknowledgements": list(acks),
        "announcementsReceived": list(received),
        "announcementRelays": list(relays),
        "mentorApplications": list(applications),
        "mentorAlerts": list(alerts),
        "mentorCallAttendance": list(calls),
        "councilContacts": list(contacts),
        "auditEntries": list(audit),
        "truncated": doc.truncated,
    }))
}

#[derive(Default)]
struct Document {
    truncated: Vec<&'static str>,
}

/// The rows of `E` matching `filter`, oldest first, as JSON objects with camelCase keys
/// (typed rows, so both databases write every value alike).
async fn rows<E>(
    conn: &impl ConnectionTrait,
    filter: impl sea_orm::sea_query::IntoCondition,
    order: E::Column,
    section: &'static str,
    doc: &mut Document,
) -> AppResult<Vec<Map<String, Value>>>
where
    E: EntityTrait,
    E::Model: serde::Serialize,
{
    let found = E::find()
        .filter(filter)
        .order_by_asc(order)
        .limit(MAX_ROWS + 1)
        .all(conn)
        .await?;
    if found.len() as u64 > MAX_ROWS {
        doc.truncated.push(section);
    }
    found
        .into_iter()
        .take(MAX_ROWS as usize)
        .map(|row| match serde_json::to_value(row) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(AppError::internal(std::io::Error::other(
                "a row that is not an object",
            ))),
            Err(e) => Err(AppError::internal(e)),
        })
        .collect()
}

fn uuid(row: &Map<String, Value>, key: &str) -> Option<Uuid> {
    row.get(key)?.as_str()?.parse().ok()
}
