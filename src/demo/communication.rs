//! Demo data of the council's side: the role guide, an announcement half relayed, a past
//! mentor call with attendance and an upcoming one, an onboarding round with applications
//! in progress, support requests and a mentor alert.

use chrono::{DateTime, Duration, Utc};
use entity::{
    announcement, announcement_audience, announcement_relay, council_contact, mentor_alert,
    mentor_application, mentor_application_item, mentor_call, mentor_call_attendance,
    onboarding_checklist_default, onboarding_round, role_guide, role_guide_ack, support_message,
    support_request,
};
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

/// The people of the demo program, by kind, in creation order.
pub struct Cast<'a> {
    pub council: &'a [Uuid],
    pub mentors: &'a [Uuid],
    pub mentees: &'a [Uuid],
}

/// Seeds the council's side of the demo program.
///
/// # Errors
/// A database fault.
pub async fn seed(
    db: &DatabaseConnection,
    cast: &Cast<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    role_guide_read_by_most(db, cast, now).await?;
    let call = calls(db, cast, now).await?;
    announcement_mid_relay(db, cast, call, now).await?;
    onboarding(db, cast, now).await?;
    reaching_out(db, cast, now).await
}

/// Mentee 3 asked their mentor about a check-in (answered); mentee 14, who has no mentor,
/// asked the council (not answered yet); mentor 5 — over capacity — reported
/// being overwhelmed.
async fn reaching_out(
    db: &DatabaseConnection,
    cast: &Cast<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (to_mentor, to_council) = (Uuid::now_v7(), Uuid::now_v7());
    let request = |id, requester, recipient: &str, mentor, category: &str, subject: &str, days| {
        let created = now - Duration::days(days);
        support_request::Model {
            id,
            requester_id: requester,
            recipient: recipient.into(),
            assigned_mentor_id: mentor,
            category: category.into(),
            subject: subject.into(),
            confidential: false,
            status: if mentor.is_some() {
                "ACKNOWLEDGED"
            } else {
                "OPEN"
            }
            .into(),
            routing_note: None,
            created_at: created,
            first_response_at: mentor.map(|_| created + Duration::hours(5)),
            escalated_at: None,
            resolved_at: None,
            resolved_by: None,
            updated_at: created,
        }
        .into_active_model()
    };
    support_request::Entity::insert_many([
        request(
            to_mentor,
            cast.mentees[2],
            "MENTOR",
            Some(cast.mentors[2]),
            "CHECK_IN",
            "Moving our check-in",
            4,
        ),
        request(
            to_council,
            cast.mentees[13],
            "COUNCIL",
            None,
            "PROGRAM",
            "How do I find a mentor?",
            6,
        ),
    ])
    .exec_without_returning(db)
    .await?;
    let message = |request, author, body: &str, at| {
        support_message::Model {
            id: Uuid::now_v7(),
            request_id: request,
            author_id: author,
            body: body.into(),
            created_at: at,
        }
        .into_active_model()
    };
    support_message::Entity::insert_many([
        message(
            to_mentor,
            cast.mentees[2],
            "Could we meet next week instead?",
            now - Duration::days(4),
        ),
        message(
            to_mentor,
            cast.mentors[2],
            "Sure, Tuesday works.",
            now - Duration::days(4) + Duration::hours(5),
        ),
        message(
            to_council,
            cast.mentees[13],
            "I joined recently and have no mentor yet.",
            now - Duration::days(6),
        ),
    ])
    .exec_without_returning(db)
    .await?;
    mentor_alert::Entity::insert(
        mentor_alert::Model {
            id: Uuid::now_v7(),
            mentor_id: cast.mentors[super::OVERWHELMED_MENTOR],
            kind: "OVERWHELMED".into(),
            message: Some("Two mentees on a capacity of one.".into()),
            return_on: None,
            status: "OPEN".into(),
            created_at: now - Duration::days(2),
            handled_by: None,
            handled_at: None,
            resolution: None,
        }
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn role_guide_read_by_most(
    db: &DatabaseConnection,
    cast: &Cast<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    role_guide::Entity::insert(
        role_guide::Model {
            version: 1,
            title: "Being a Reps mentor".into(),
            body: "Mentors **support** reps: they meet each mentee at least once a year, \
                   pass on news from the council and point to the right people."
                .into(),
            mentors_do: json!([
                "Meet each mentee at least once a year",
                "Relay council news"
            ]),
            mentors_dont: json!(["Approve budgets", "Police reps"]),
            published_at: now - Duration::days(60),
            published_by: cast.council[0],
        }
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    // Mentors 1–4 read it, 5–6 have not; applicant mentee 13 read it too.
    let readers = cast.mentors.iter().take(4).chain(cast.mentees.get(12));
    let acks = readers.map(|id| role_guide_ack::ActiveModel {
        person_id: Set(*id),
        version: Set(1),
        acknowledged_at: Set(now - Duration::days(50)),
    });
    role_guide_ack::Entity::insert_many(acks)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A call two weeks ago (mentors 5–6 missed it) and one next week; returns the past one.
async fn calls(
    db: &DatabaseConnection,
    cast: &Cast<'_>,
    now: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    let (past, next) = (Uuid::now_v7(), Uuid::now_v7());
    let rows = [
        mentor_call::Model {
            id: past,
            scheduled_for: now - Duration::days(14),
            agenda: "Q4 budget requests; onboarding round".into(),
            link: Some("https://meet.example.org/reps-mentors".into()),
            status: "HELD".into(),
            minutes: Some("Budget requests open until month end. Two new applicants.".into()),
            action_items: json!(["Relay the budget announcement to every mentee"]),
            created_by: cast.council[0],
            created_at: now - Duration::days(30),
            recorded_at: Some(now - Duration::days(13)),
        },
        mentor_call::Model {
            id: next,
            scheduled_for: now + Duration::days(7),
            agenda: "Year-end check-ins".into(),
            link: Some("https://meet.example.org/reps-mentors".into()),
            status: "SCHEDULED".into(),
            minutes: None,
            action_items: json!([]),
            created_by: cast.council[0],
            created_at: now - Duration::days(3),
            recorded_at: None,
        },
    ];
    mentor_call::Entity::insert_many(rows.map(IntoActiveModel::into_active_model))
        .exec_without_returning(db)
        .await?;
    let mut invitations = Vec::new();
    for (i, mentor) in cast.mentors.iter().enumerate() {
        let came = i < 4;
        invitations.push(mentor_call_attendance::Model {
            call_id: past,
            mentor_id: *mentor,
            rsvp: Some(if came { "YES" } else { "NO" }.into()),
            attended: Some(came),
        });
        invitations.push(mentor_call_attendance::Model {
            call_id: next,
            mentor_id: *mentor,
            rsvp: [Some("YES"), Some("YES"), Some("MAYBE")]
                .get(i)
                .copied()
                .flatten()
                .map(Into::into),
            attended: None,
        });
    }
    mentor_call_attendance::Entity::insert_many(
        invitations
            .into_iter()
            .map(IntoActiveModel::into_active_model),
    )
    .exec_without_returning(db)
    .await?;
    Ok(past)
}

/// A relay-required announcement to mentors: mentor 1 relayed it to both mentees, mentor 2
/// to one of two, the others not yet; reps without a mentor are not reachable.
async fn announcement_mid_relay(
    db: &DatabaseConnection,
    cast: &Cast<'_>,
    call: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let id = Uuid::now_v7();
    announcement::Entity::insert(
        announcement::Model {
            id,
            title: "Q4 budget requests are open".into(),
            body: "Budget requests for Q4 events are open until the end of the month.".into(),
            audience: "MENTORS".into(),
            country: None,
            language: None,
            relay_required: true,
            published_at: now - Duration::days(10),
            published_by: cast.council[0],
            call_id: Some(call),
        }
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    // Recipients: the mentors; targets: every rep (mentors are reps too), as publishing does.
    let audience = cast
        .mentors
        .iter()
        .map(|m| (*m, true))
        .chain(cast.mentees.iter().map(|e| (*e, false)));
    // Mentor 1 acknowledged it.
    let rows = audience.map(|(person, recipient)| announcement_audience::ActiveModel {
        announcement_id: Set(id),
        person_id: Set(person),
        recipient: Set(recipient),
        target: Set(true),
        acknowledged_at: Set((person == cast.mentors[0]).then(|| now - Duration::days(9))),
        relay_reminded_at: Set(None),
    });
    announcement_audience::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    // Mentee i has mentor i % 6 (see `mentorships_and_meetings`).
    let relays =
        [(0, 0, "call"), (6, 0, "call"), (1, 1, "email")].map(|(mentee, mentor, channel)| {
            announcement_relay::ActiveModel {
                announcement_id: Set(id),
                mentee_id: Set(cast.mentees[mentee]),
                mentor_id: Set(cast.mentors[mentor]),
                channel: Set(channel.into()),
                note: Set(None),
                relayed_at: Set(now - Duration::days(8)),
            }
        });
    announcement_relay::Entity::insert_many(relays)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A current round; council member 2 handles onboarding; mentee 13 is onboarding (two of
/// four steps done), mentee 14 just applied.
async fn onboarding(
    db: &DatabaseConnection,
    cast: &Cast<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    council_contact::Entity::insert(
        council_contact::Model {
            area: "ONBOARDING".into(),
            person_id: cast.council[1],
            updated_at: now - Duration::days(90),
            updated_by: cast.council[0],
        }
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    let round = Uuid::now_v7();
    onboarding_round::Entity::insert(
        onboarding_round::Model {
            id: round,
            name: "Autumn 2026".into(),
            opens_at: now - Duration::days(20),
            closes_at: now + Duration::days(40),
            created_at: now - Duration::days(25),
            created_by: cast.council[0],
        }
        .into_active_model(),
    )
    .exec_without_returning(db)
    .await?;
    let steps = onboarding_checklist_default::Entity::find()
        .order_by_asc(onboarding_checklist_default::Column::Position)
        .all(db)
        .await?;
    let people = [
        (cast.mentees[12], "ONBOARDING", 15, 2),
        (cast.mentees[13], "APPLIED", 2, 0),
    ];
    for (applicant, status, days_ago, done) in people {
        let id = Uuid::now_v7();
        let applied = now - Duration::days(days_ago);
        mentor_application::Entity::insert(
            mentor_application::Model {
                id,
                applicant_id: applicant,
                round_id: Some(round),
                contact_id: Some(cast.council[1]),
                status: status.into(),
                motivation: "My mentor helped me a lot; I want to do the same for new reps.".into(),
                languages: json!(["en"]),
                areas: json!(["events", "campus clubs"]),
                note: None,
                applied_at: applied,
                updated_at: applied + Duration::days(days_ago / 2),
                completed_at: None,
                closed_at: None,
            }
            .into_active_model(),
        )
        .exec_without_returning(db)
        .await?;
        let items = steps.iter().enumerate().map(|(i, s)| {
            let ticked = i < done;
            let by = if s.automatic {
                applicant
            } else {
                cast.council[1]
            };
            mentor_application_item::ActiveModel {
                application_id: Set(id),
                key: Set(s.key.clone()),
                position: Set(s.position),
                label: Set(s.label.clone()),
                automatic: Set(s.automatic),
                done_at: Set(ticked.then(|| now - Duration::days(5))),
                done_by: Set(ticked.then_some(by)),
            }
        });
        mentor_application_item::Entity::insert_many(items)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
