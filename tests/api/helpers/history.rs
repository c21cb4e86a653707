//! Rows with chosen dates, straight into the database: the stored history that metrics read,
//! for programs whose figures a test works out by hand.

use chrono::{DateTime, Utc};
use entity::*;
use sea_orm::{DatabaseConnection, EntityTrait, IntoActiveModel};
use serde_json::json;
use uuid::Uuid;

/// Inserts rows into one test database.
pub struct History(pub DatabaseConnection);

impl History {
    async fn put<A: sea_orm::ActiveModelTrait>(&self, row: A)
    where
        A::Entity: EntityTrait<ActiveModel = A>,
    {
        A::Entity::insert(row)
            .exec_without_returning(&self.0)
            .await
            .expect("history row");
    }

    /// A person with token roles (`mentee`, `mentor`, `council`), joined at `joined`.
    pub async fn person(&self, name: &str, roles: &[&str], joined: DateTime<Utc>) -> Uuid {
        let id = Uuid::now_v7();
        self.put(
            person::Model {
                id,
                issuer: "https://history.example".into(),
                subject: id.to_string(),
                display_name: name.into(),
                email: None,
                country: Some("DE".into()),
                languages: json!(["de", "en"]),
                timezone: None,
                locale: None,
                bio: None,
                token_roles: json!(roles),
                status: "ACTIVE".into(),
                joined_at: joined,
                last_active_at: None,
                updated_at: joined,
                email_preference: "IMMEDIATE".into(),
                calendar_feed_generation: 0,
            }
            .into_active_model(),
        )
        .await;
        id
    }

    /// Marks a person INACTIVE.
    pub async fn deactivate(&self, id: Uuid) {
        person::Entity::update(person::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id),
            status: sea_orm::ActiveValue::Set("INACTIVE".into()),
            ..Default::default()
        })
        .exec(&self.0)
        .await
        .expect("deactivate");
    }

    /// A mentor: the person and their profile.
    pub async fn mentor(
        &self,
        name: &str,
        status: &str,
        capacity: i32,
        onboarded: DateTime<Utc>,
    ) -> Uuid {
        let id = self.person(name, &["mentee", "mentor"], onboarded).await;
        self.put(
            mentor_profile::Model {
                person_id: id,
                capacity,
                status: status.into(),
                accepting_mentees: true,
                bio: None,
                expertise: json!([]),
                onboarded_at: onboarded,
                break_until: None,
                updated_at: onboarded,
            }
            .into_active_model(),
        )
        .await;
        id
    }

    /// A mentorship from `start`, ended at `end` if given.
    pub async fn mentorship(
        &self,
        mentor: Uuid,
        mentee: Uuid,
        start: DateTime<Utc>,
        end: Option<DateTime<Utc>>,
    ) -> Uuid {
        let id = Uuid::now_v7();
        self.put(
            mentorship::Model {
                id,
                mentor_id: mentor,
                mentee_id: mentee,
                status: if end.is_some() { "ENDED" } else { "ACTIVE" }.into(),
                started_at: start,
                ended_at: end,
                end_reason: end.map(|_| "OTHER".into()),
                note: None,
                end_note: None,
                assigned_by: None,
                ended_by: None,
                over_capacity: false,
            }
            .into_active_model(),
        )
        .await;
        id
    }

    /// A check-in held at `held`, recorded by `by`.
    pub async fn held_check_in(&self, mentorship: Uuid, by: Uuid, held: DateTime<Utc>) {
        self.put(
            check_in::Model {
                id: Uuid::now_v7(),
                mentorship_id: mentorship,
                status: "HELD".into(),
                scheduled_for: None,
                held_at: Some(held),
                agenda: None,
                mentee_plans: None,
                support_needs: None,
                notes: None,
                cancel_reason: None,
                created_by: by,
                created_at: held,
                updated_at: held,
            }
            .into_active_model(),
        )
        .await;
    }

    /// A support request to the council with its dates.
    pub async fn support_request(
        &self,
        requester: Uuid,
        created: DateTime<Utc>,
        first_response: Option<DateTime<Utc>>,
        escalated: Option<DateTime<Utc>>,
        resolved: Option<DateTime<Utc>>,
    ) {
        self.put(
            support_request::Model {
                id: Uuid::now_v7(),
                requester_id: requester,
                recipient: "COUNCIL".into(),
                assigned_mentor_id: None,
                category: "OTHER".into(),
                subject: "Help".into(),
                confidential: false,
                status: if resolved.is_some() {
                    "RESOLVED"
                } else {
                    "OPEN"
                }
                .into(),
                routing_note: None,
                created_at: created,
                first_response_at: first_response,
                escalated_at: escalated,
                resolved_at: resolved,
                resolved_by: None,
                updated_at: created,
            }
            .into_active_model(),
        )
        .await;
    }

    /// A mentor alert, resolved at `handled` if given.
    pub async fn alert(
        &self,
        mentor: Uuid,
        kind: &str,
        created: DateTime<Utc>,
        handled: Option<DateTime<Utc>>,
    ) {
        self.put(
            mentor_alert::Model {
                id: Uuid::now_v7(),
                mentor_id: mentor,
                kind: kind.into(),
                message: None,
                return_on: None,
                status: if handled.is_some() {
                    "RESOLVED"
                } else {
                    "OPEN"
                }
                .into(),
                created_at: created,
                handled_by: None,
                handled_at: handled,
                resolution: None,
            }
            .into_active_model(),
        )
        .await;
    }

    /// A mentor application with its dates.
    pub async fn application(
        &self,
        applicant: Uuid,
        status: &str,
        applied: DateTime<Utc>,
        completed: Option<DateTime<Utc>>,
    ) {
        self.put(
            mentor_application::Model {
                id: Uuid::now_v7(),
                applicant_id: applicant,
                round_id: None,
                contact_id: None,
                status: status.into(),
                motivation: "m".into(),
                languages: json!(["en"]),
                areas: json!(["events"]),
                note: None,
                applied_at: applied,
                updated_at: completed.unwrap_or(applied),
                completed_at: completed,
                closed_at: completed,
            }
            .into_active_model(),
        )
        .await;
    }

    /// An announcement; `audience` is (person, recipient, acknowledged at); every person in
    /// it is a target.
    pub async fn announcement(
        &self,
        by: Uuid,
        title: &str,
        relay_required: bool,
        published: DateTime<Utc>,
        audience: &[(Uuid, bool, Option<DateTime<Utc>>)],
    ) -> Uuid {
        let id = Uuid::now_v7();
        self.put(
            announcement::Model {
                id,
                title: title.into(),
                body: "b".into(),
                audience: "MENTORS".into(),
                country: None,
                language: None,
                relay_required,
                published_at: published,
                published_by: by,
                call_id: None,
            }
            .into_active_model(),
        )
        .await;
        for (person, recipient, acknowledged) in audience {
            self.put(
                announcement_audience::Model {
                    announcement_id: id,
                    person_id: *person,
                    recipient: *recipient,
                    target: true,
                    acknowledged_at: *acknowledged,
                    relay_reminded_at: None,
                }
                .into_active_model(),
            )
            .await;
        }
        id
    }

    /// A relay of an announcement by a mentor to a mentee.
    pub async fn relay(&self, announcement: Uuid, mentor: Uuid, mentee: Uuid, at: DateTime<Utc>) {
        self.put(
            announcement_relay::Model {
                announcement_id: announcement,
                mentee_id: mentee,
                mentor_id: mentor,
                channel: "call".into(),
                note: None,
                relayed_at: at,
            }
            .into_active_model(),
        )
        .await;
    }

    /// A published role-guide version.
    pub async fn role_guide(&self, version: i32, by: Uuid, published: DateTime<Utc>) {
        self.put(
            role_guide::Model {
                version,
                title: "Guide".into(),
                body: "b".into(),
                mentors_do: json!([]),
                mentors_dont: json!([]),
                published_at: published,
                published_by: by,
            }
            .into_active_model(),
        )
        .await;
    }

    /// An acknowledgement of a role-guide version.
    pub async fn ack(&self, person: Uuid, version: i32, at: DateTime<Utc>) {
        self.put(
            role_guide_ack::Model {
                person_id: person,
                version,
                acknowledged_at: at,
            }
            .into_active_model(),
        )
        .await;
    }

    /// A mentor call; `attendance` is (mentor, attended), recorded when `held`.
    pub async fn call(&self, by: Uuid, at: DateTime<Utc>, held: bool, attendance: &[(Uuid, bool)]) {
        let id = Uuid::now_v7();
        self.put(
            mentor_call::Model {
                id,
                scheduled_for: at,
                agenda: "a".into(),
                link: None,
                status: if held { "HELD" } else { "SCHEDULED" }.into(),
                minutes: None,
                action_items: json!([]),
                created_by: by,
                created_at: at,
                recorded_at: held.then_some(at),
            }
            .into_active_model(),
        )
        .await;
        for (mentor, attended) in attendance {
            self.put(
                mentor_call_attendance::Model {
                    call_id: id,
                    mentor_id: *mentor,
                    rsvp: None,
                    attended: held.then_some(*attended),
                }
                .into_active_model(),
            )
            .await;
        }
    }
}
