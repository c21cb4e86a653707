//! Writing a planned import in its transaction: new rows in multi-row INSERTs (an import of
//! 60,000 records is a few hundred statements), changed rows one UPDATE each, then the
//! remembered records and one audit entry with the counts.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{check_in, import_record, mentor_profile, mentorship, person};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel,
    sea_query::OnConflict,
};
use serde_json::json;

use super::plan::Plan;
use crate::{
    audit::{self, Entry},
    check_in::model::CheckInStatus,
    db::{INSERT_CHUNK, insert_chunked},
    error::AppResult,
    mentorship::model::MentorshipStatus,
    people::{model::PersonStatus, provider_roles::roles_json},
};

/// Writes `plan` on `conn` (the import's transaction).
///
/// # Errors
/// A database fault (the caller rolls everything back).
pub async fn write(conn: &impl ConnectionTrait, plan: Plan, now: DateTime<Utc>) -> AppResult<()> {
    let mut new_people = Vec::new();
    for w in &plan.people {
        let p = &w.rec;
        let mut row = person::ActiveModel {
            id: Set(w.id),
            issuer: Set(p.issuer.clone()),
            subject: Set(p.subject.clone()),
            display_name: Set(p.display_name.clone()),
            email: Set(p.email.clone()),
            country: Set(p.country.clone()),
            languages: Set(json!(p.languages)),
            timezone: Set(p.timezone.clone()),
            locale: Set(p.locale.clone()),
            joined_at: Set(p.joined_at),
            updated_at: Set(now),
            ..Default::default()
        };
        if w.create {
            // Until they sign in, what the old system knew; their token's roles then.
            row.token_roles = Set(roles_json(&p.roles));
            row.bio = Set(None);
            row.email_preference = Set(crate::notifications::model::EmailPreference::Immediate
                .as_str()
                .into());
            row.calendar_feed_generation = Set(0);
            row.status = Set(PersonStatus::Active.as_str().into());
            // The inactivity clock starts at the switch-over, not at the last login of old.
            row.last_active_at = Set(Some(p.last_active_at.unwrap_or(now)));
            new_people.push(row);
        } else {
            row.update(conn).await?;
        }
    }
    insert_chunked(conn, new_people).await?;

    // By default a mentor counts from their first mentorship in the file (one pass).
    let mut first_start: HashMap<uuid::Uuid, DateTime<Utc>> = HashMap::new();
    for w in &plan.mentorships {
        let start = first_start
            .entry(w.rec.1.mentor_id)
            .or_insert(w.rec.0.started_at);
        *start = (*start).min(w.rec.0.started_at);
    }
    let mut new_profiles = Vec::new();
    for w in &plan.profiles {
        let p = &w.rec;
        let onboarded_at = p
            .onboarded_at
            .or_else(|| first_start.get(&w.id).copied())
            .unwrap_or(now);
        let mut row = mentor_profile::ActiveModel {
            person_id: Set(w.id),
            capacity: Set(p.capacity),
            status: Set(p.status.as_str().into()),
            accepting_mentees: Set(p.accepting_mentees),
            bio: Set(p.bio.clone()),
            expertise: Set(json!(p.expertise)),
            updated_at: Set(now),
            ..Default::default()
        };
        if w.create {
            row.onboarded_at = Set(onboarded_at);
            row.break_until = Set(None);
            new_profiles.push(row);
        } else {
            if let Some(at) = p.onboarded_at {
                row.onboarded_at = Set(at);
            }
            row.update(conn).await?;
        }
    }
    insert_chunked(conn, new_profiles).await?;

    let mut new_mentorships = Vec::new();
    for w in &plan.mentorships {
        let (m, ids) = &w.rec;
        let status = match m.ended_at {
            None => MentorshipStatus::Active,
            Some(_) => MentorshipStatus::Ended,
        };
        let row = mentorship::ActiveModel {
            id: Set(w.id),
            mentor_id: Set(ids.mentor_id),
            mentee_id: Set(ids.mentee_id),
            status: Set(status.as_str().into()),
            started_at: Set(m.started_at),
            ended_at: Set(m.ended_at),
            end_reason: Set(m.end_reason.map(|r| r.as_str().to_owned())),
            over_capacity: Set(ids.over_capacity),
            ..Default::default()
        };
        if w.create {
            new_mentorships.push(mentorship::ActiveModel {
                note: Set(None),
                end_note: Set(None),
                assigned_by: Set(None),
                ended_by: Set(None),
                ..row
            });
        } else {
            row.update(conn).await?;
        }
    }
    // Ended ones first: the one-active-mentorship-per-mentee index sees no transient pair.
    new_mentorships
        .sort_by_key(|m| matches!(&m.status, Set(s) if s == MentorshipStatus::Active.as_str()));
    insert_chunked(conn, new_mentorships).await?;

    let mut new_check_ins = Vec::new();
    for w in &plan.check_ins {
        let (c, mentorship_id, mentor) = &w.rec;
        let row = check_in::ActiveModel {
            id: Set(w.id),
            agenda: Set(c.agenda.clone()),
            notes: Set(c.notes.clone()),
            mentee_plans: Set(c.mentee_plans.clone()),
            support_needs: Set(c.support_needs.clone()),
            updated_at: Set(now),
            ..Default::default()
        };
        if w.create {
            new_check_ins.push(check_in::ActiveModel {
                mentorship_id: Set(*mentorship_id),
                status: Set(CheckInStatus::Held.as_str().into()),
                scheduled_for: Set(None),
                held_at: Set(Some(c.held_at)),
                cancel_reason: Set(None),
                // As if the mentor had recorded it when it was held.
                created_by: Set(*mentor),
                created_at: Set(c.held_at),
                ..row
            });
        } else {
            row.update(conn).await?;
        }
    }
    insert_chunked(conn, new_check_ins).await?;

    for (contact, person_id) in &plan.contacts {
        crate::council::repo::upsert(conn, contact.area.as_str(), *person_id, now, *person_id)
            .await?;
    }

    let links: Vec<import_record::ActiveModel> = plan
        .links
        .iter()
        .cloned()
        .map(IntoActiveModel::into_active_model)
        .collect();
    for chunk in links.chunks(INSERT_CHUNK) {
        import_record::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([import_record::Column::Kind, import_record::Column::Key])
                    .update_columns([
                        import_record::Column::TargetId,
                        import_record::Column::Digest,
                        import_record::Column::ImportedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    let entry = Entry {
        action: "import",
        subject_type: "import",
        subject_id: None,
        before: None,
        after: Some(json!({"counts": plan.counts, "overCapacity": plan.over_capacity})),
    };
    audit::record_system(conn, now, entry).await
}
