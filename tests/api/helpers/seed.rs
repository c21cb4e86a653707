//! Bulk rows straight into the database, for tests that need many of them (statement
//! counts); behaviour tests go through the API instead.

use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::json;
use uuid::Uuid;

/// Seeds `mentors` mentors with `mentees_each` active mentees, each mentorship with two
/// held check-ins. Returns the mentor ids.
pub async fn program(db: &DatabaseConnection, mentors: usize, mentees_each: usize) -> Vec<Uuid> {
    let now = Utc::now();
    let person = |id: Uuid, name: String, roles: serde_json::Value| entity::person::ActiveModel {
        id: Set(id),
        issuer: Set("https://seed.example".into()),
        subject: Set(id.to_string()),
        display_name: Set(name),
        email: Set(None),
        country: Set(Some("DE".into())),
        languages: Set(json!(["de"])),
        timezone: Set(Some("Europe/Berlin".into())),
        locale: Set(None),
        bio: Set(None),
        token_roles: Set(roles),
        status: Set("ACTIVE".into()),
        joined_at: Set(now),
        last_active_at: Set(None),
        updated_at: Set(now),
        email_preference: Set("IMMEDIATE".into()),
        calendar_feed_generation: Set(0),
    };
    let (mut people, mut profiles, mut mentorships, mut check_ins) =
        (vec![], vec![], vec![], vec![]);
    let mut mentor_ids = Vec::new();
    for m in 0..mentors {
        let mentor = Uuid::now_v7();
        mentor_ids.push(mentor);
        people.push(person(
            mentor,
            format!("Mentor {m}"),
            json!(["mentee", "mentor"]),
        ));
        profiles.push(entity::mentor_profile::ActiveModel {
            person_id: Set(mentor),
            capacity: Set(mentees_each as i32 + 1),
            status: Set("ACTIVE".into()),
            accepting_mentees: Set(true),
            bio: Set(None),
            expertise: Set(json!([])),
            onboarded_at: Set(now),
            break_until: Set(None),
            updated_at: Set(now),
        });
        for e in 0..mentees_each {
            let (mentee, mentorship) = (Uuid::now_v7(), Uuid::now_v7());
            people.push(person(mentee, format!("Mentee {m}.{e}"), json!(["mentee"])));
            mentorships.push(entity::mentorship::ActiveModel {
                id: Set(mentorship),
                mentor_id: Set(mentor),
                mentee_id: Set(mentee),
                status: Set("ACTIVE".into()),
                started_at: Set(now - Duration::days(400)),
                ended_at: Set(None),
                end_reason: Set(None),
                note: Set(None),
                end_note: Set(None),
                assigned_by: Set(None),
                ended_by: Set(None),
                over_capacity: Set(false),
            });
            for days in [300, 100] {
                check_ins.push(entity::check_in::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    mentorship_id: Set(mentorship),
                    status: Set("HELD".into()),
                    scheduled_for: Set(None),
                    held_at: Set(Some(now - Duration::days(days))),
                    agenda: Set(None),
                    mentee_plans: Set(None),
                    support_needs: Set(None),
                    notes: Set(None),
                    cancel_reason: Set(None),
                    created_by: Set(mentor),
                    created_at: Set(now),
                    updated_at: Set(now),
                });
            }
        }
    }
    for chunk in people.chunks(500) {
        entity::person::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    entity::mentor_profile::Entity::insert_many(profiles)
        .exec_without_returning(db)
        .await
        .unwrap();
    for chunk in mentorships.chunks(500) {
        entity::mentorship::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    for chunk in check_ins.chunks(500) {
        entity::check_in::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    mentor_ids
}
