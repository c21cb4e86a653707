//! `seed --scale N`: a synthetic program for benchmarks — per unit of scale 10,000 reps,
//! 500 mentors, 50,000 held check-ins, and support requests, alerts, applications,
//! announcements with relays, role-guide acknowledgements and calls — spread over the past
//! three years with a fixed pseudo-random pattern (the same rows every run).

use chrono::{DateTime, Duration, Utc};
use entity::*;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use super::rows::{mentorship_row, person, pick};
use crate::db::insert_chunked as insert;

/// What was written.
#[derive(Debug, Default, serde::Serialize)]
pub struct Seeded {
    pub reps: usize,
    pub mentors: usize,
    pub mentorships: usize,
    pub check_ins: usize,
    pub support_requests: usize,
    pub announcement_audience: usize,
}

/// Seeds `scale` units into `db` (one transaction).
///
/// # Errors
/// A database fault; nothing is written then.
pub async fn seed(
    db: &DatabaseConnection,
    issuer: &str,
    scale: usize,
    now: DateTime<Utc>,
) -> Result<Seeded, DbErr> {
    let taken = person::Entity::find()
        .filter(person::Column::Subject.eq("scale-council"))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(DbErr::Custom("this database is already seeded".into()));
    }
    let txn = db.begin().await?;
    let day = Duration::days;
    let ago = |salt: u64, i: usize, days: u64| now - day(pick(salt, i, days) as i64 + 1);
    let (n_mentors, n_reps) = (500 * scale, 10_000 * scale);
    let council = Uuid::now_v7();
    let mentors: Vec<Uuid> = (0..n_mentors).map(|_| Uuid::now_v7()).collect();
    let reps: Vec<Uuid> = (0..n_reps).map(|_| Uuid::now_v7()).collect();
    let mut people = vec![person(
        council,
        issuer,
        "scale-council".into(),
        &["mentee", "council"],
        now - day(1200),
    )];
    people.extend(mentors.iter().enumerate().map(|(i, id)| {
        person(
            *id,
            issuer,
            format!("scale-mentor-{i}"),
            &["mentee", "mentor"],
            ago(1, i, 1100),
        )
    }));
    people.extend(reps.iter().enumerate().map(|(i, id)| {
        person(
            *id,
            issuer,
            format!("scale-rep-{i}"),
            &["mentee"],
            ago(2, i, 1000),
        )
    }));
    insert(&txn, people).await?;
    let statuses = [
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "ACTIVE",
        "PAUSED",
        "OVERWHELMED",
        "RETIRED",
    ];
    let profiles = mentors.iter().enumerate().map(|(i, id)| {
        mentor_profile::Model {
            person_id: *id,
            capacity: 1 + pick(3, i, 8) as i32,
            status: statuses[pick(4, i, 10) as usize].into(),
            accepting_mentees: true,
            bio: None,
            expertise: json!(["events"]),
            onboarded_at: ago(1, i, 1100),
            break_until: None,
            updated_at: now,
        }
        .into_active_model()
    });
    insert(&txn, profiles.collect()).await?;
    // 80 % of reps have a current mentor; every fifth had an earlier one.
    let mut mentorships = Vec::new();
    let mut active = Vec::new();
    for (i, rep) in reps.iter().enumerate() {
        let mentor = mentors[pick(5, i, n_mentors as u64) as usize];
        if i % 5 == 0 {
            let start = ago(6, i, 900) - day(200);
            mentorships.push(mentorship_row(mentor, *rep, start, Some(start + day(150))));
        }
        if pick(7, i, 10) < 8 {
            let row = mentorship_row(mentor, *rep, ago(8, i, 700), None);
            active.push((row.0, mentor, *rep, row.1));
            mentorships.push(row);
        }
    }
    let seeded_mentorships = insert(&txn, mentorships.into_iter().map(|r| r.2).collect()).await?;
    // 50,000 held check-ins over the active mentorships, after each start.
    let check_ins = (0..50_000 * scale).map(|i| {
        let (id, mentor, _, start) = active[i % active.len()];
        let span = (now - start).num_days().max(1) as u64;
        check_in::Model {
            id: Uuid::now_v7(),
            mentorship_id: id,
            status: "HELD".into(),
            scheduled_for: None,
            held_at: Some(start + day(pick(9, i, span) as i64)),
            agenda: None,
            mentee_plans: None,
            support_needs: None,
            notes: None,
            cancel_reason: None,
            created_by: mentor,
            created_at: start,
            updated_at: start,
        }
        .into_active_model()
    });
    let seeded_check_ins = insert(&txn, check_ins.collect()).await?;
    let requests = (0..2_000 * scale).map(|i| {
        let created = ago(10, i, 365);
        let answered = pick(11, i, 10) < 8;
        let resolved = pick(12, i, 10) < 6;
        support_request::Model {
            id: Uuid::now_v7(),
            requester_id: reps[i % n_reps],
            recipient: "COUNCIL".into(),
            assigned_mentor_id: None,
            category: "OTHER".into(),
            subject: "Help".into(),
            confidential: false,
            status: if resolved { "RESOLVED" } else { "OPEN" }.into(),
            routing_note: None,
            created_at: created,
            first_response_at: answered
                .then(|| created + Duration::hours(1 + pick(13, i, 96) as i64)),
            escalated_at: (pick(14, i, 20) == 0).then(|| created + day(3)),
            resolved_at: resolved.then(|| created + day(5)),
            resolved_by: None,
            updated_at: created,
        }
        .into_active_model()
    });
    let seeded_requests = insert(&txn, requests.collect()).await?;
    let alerts = (0..300 * scale).map(|i| {
        let created = ago(15, i, 365);
        let handled = pick(16, i, 3) > 0;
        mentor_alert::Model {
            id: Uuid::now_v7(),
            mentor_id: mentors[i % n_mentors],
            kind: ["OVERWHELMED", "NEEDS_BREAK", "INACTIVITY_DETECTED"][i % 3].into(),
            message: None,
            return_on: None,
            status: if handled { "RESOLVED" } else { "OPEN" }.into(),
            created_at: created,
            handled_by: None,
            handled_at: handled.then(|| created + day(2)),
            resolution: None,
        }
        .into_active_model()
    });
    // Alert i goes to mentor i (300 per 500 mentors): no two open for one mentor and kind.
    let alerts: Vec<_> = alerts.collect();
    insert(&txn, alerts).await?;
    let applications = (0..200 * scale).map(|i| {
        let applied = ago(17, i, 365);
        let done = i % 2 == 0;
        mentor_application::Model {
            id: Uuid::now_v7(),
            applicant_id: if done {
                mentors[i % n_mentors]
            } else {
                reps[(i * 7) % n_reps]
            },
            round_id: None,
            contact_id: None,
            status: if done { "COMPLETED" } else { "DECLINED" }.into(),
            motivation: "m".into(),
            languages: json!(["en"]),
            areas: json!(["events"]),
            note: None,
            applied_at: applied,
            updated_at: applied,
            completed_at: done.then(|| applied + day(20 + pick(18, i, 40) as i64)),
            closed_at: Some(applied + day(30)),
        }
        .into_active_model()
    });
    insert(&txn, applications.collect()).await?;
    let mut audience_rows = 0;
    for a in 0..6 {
        let id = Uuid::now_v7();
        let published = now - day(5 + 20 * a as i64);
        insert(
            &txn,
            vec![
                announcement::Model {
                    id,
                    title: format!("Update {a}"),
                    body: "b".into(),
                    audience: "MENTORS".into(),
                    country: None,
                    language: None,
                    relay_required: true,
                    published_at: published,
                    published_by: council,
                    call_id: None,
                }
                .into_active_model(),
            ],
        )
        .await?;
        let audience = mentors
            .iter()
            .map(|m| (*m, true))
            .chain(reps.iter().map(|r| (*r, false)));
        let rows = audience.enumerate().map(|(i, (person, recipient))| {
            announcement_audience::Model {
                announcement_id: id,
                person_id: person,
                recipient,
                target: true,
                acknowledged_at: (pick(19 + a, i, 4) == 0).then(|| published + day(1)),
                relay_reminded_at: None,
            }
            .into_active_model()
        });
        audience_rows += insert(&txn, rows.collect()).await?;
        // Half the mentees heard of it from their mentor.
        let relays: Vec<_> = active
            .iter()
            .enumerate()
            .filter(|(i, _)| pick(30 + a, *i, 2) == 0)
            .map(|(_, (_, mentor, mentee, _))| {
                announcement_relay::Model {
                    announcement_id: id,
                    mentee_id: *mentee,
                    mentor_id: *mentor,
                    channel: "call".into(),
                    note: None,
                    relayed_at: published + day(2),
                }
                .into_active_model()
            })
            .collect();
        insert(&txn, relays).await?;
    }
    for (version, published) in [(1, now - day(400)), (2, now - day(60))] {
        insert(
            &txn,
            vec![
                role_guide::Model {
                    version,
                    title: "Being a mentor".into(),
                    body: "b".into(),
                    mentors_do: json!([]),
                    mentors_dont: json!([]),
                    published_at: published,
                    published_by: council,
                }
                .into_active_model(),
            ],
        )
        .await?;
    }
    let acks = mentors
        .iter()
        .enumerate()
        .filter(|(i, _)| pick(40, *i, 10) < 7)
        .map(|(i, m)| {
            role_guide_ack::Model {
                person_id: *m,
                version: 2,
                acknowledged_at: now - day(pick(41, i, 59) as i64),
            }
            .into_active_model()
        });
    insert(&txn, acks.collect()).await?;
    for c in 0..12 {
        let id = Uuid::now_v7();
        let at = now - day(15 + 30 * c);
        insert(
            &txn,
            vec![
                mentor_call::Model {
                    id,
                    scheduled_for: at,
                    agenda: "Monthly call".into(),
                    link: None,
                    status: "HELD".into(),
                    minutes: None,
                    action_items: json!([]),
                    created_by: council,
                    created_at: at - day(14),
                    recorded_at: Some(at),
                }
                .into_active_model(),
            ],
        )
        .await?;
        let invitations = mentors.iter().enumerate().map(|(i, m)| {
            mentor_call_attendance::Model {
                call_id: id,
                mentor_id: *m,
                rsvp: None,
                attended: Some(pick(50 + c as u64, i, 4) > 0),
            }
            .into_active_model()
        });
        insert(&txn, invitations.collect()).await?;
    }
    txn.commit().await?;
    Ok(Seeded {
        reps: n_reps,
        mentors: n_mentors,
        mentorships: seeded_mentorships,
        check_ins: seeded_check_ins,
        support_requests: seeded_requests,
        announcement_audience: audience_rows,
    })
}
