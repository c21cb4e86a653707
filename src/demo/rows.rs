//! Row builders of the synthetic program (`scale`): a fixed pseudo-random pattern, chunked
//! inserts, and the person and mentorship rows.

use chrono::{DateTime, Utc};
use entity::*;
use sea_orm::IntoActiveModel;
use serde_json::json;
use uuid::Uuid;

/// splitmix64: a fixed, well-spread sequence without a random-number crate.
pub(super) fn mix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A number in `0..n` for item `i` of stream `salt`.
pub(super) fn pick(salt: u64, i: usize, n: u64) -> u64 {
    mix(salt.wrapping_mul(1_000_003) ^ i as u64) % n.max(1)
}

pub(super) fn person(
    id: Uuid,
    issuer: &str,
    subject: String,
    roles: &[&str],
    joined: DateTime<Utc>,
) -> person::ActiveModel {
    person::Model {
        id,
        issuer: issuer.to_owned(),
        display_name: subject.clone(),
        subject,
        email: None,
        country: Some(["DE", "BR", "IN", "NG", "ES", "JP"][id.as_u128() as usize % 6].into()),
        languages: json!(["en"]),
        timezone: None,
        locale: None,
        bio: None,
        token_roles: json!(roles),
        status: "ACTIVE".into(),
        joined_at: joined,
        last_active_at: Some(joined),
        updated_at: joined,
        email_preference: crate::notifications::model::EmailPreference::Immediate
            .as_str()
            .into(),
        calendar_feed_generation: 0,
    }
    .into_active_model()
}

pub(super) fn mentorship_row(
    mentor: Uuid,
    mentee: Uuid,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
) -> (Uuid, DateTime<Utc>, mentorship::ActiveModel) {
    let id = Uuid::now_v7();
    let row = mentorship::Model {
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
    };
    (id, start, row.into_active_model())
}
