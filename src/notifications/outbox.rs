//! The transactional outbox: which notifications go out by e-mail, written in the
//! transaction of their cause — a rolled-back change mails nothing, a committed one is never
//! forgotten. `crate::mail` sends what is written here; this module only decides.
//!
//! A person who wants mail at once gets one row per notification; one who wants a daily
//! digest gets the notification attached to the one digest row of their next 08:00 (local
//! time), found by its unique `digest_key` so concurrent causes share it.

use std::{collections::HashMap, str::FromStr};

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use entity::{mail_delivery, person};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::model::{EmailPreference, MailStatus, Notice};
use crate::{auth::principal::Role, error::AppResult};

/// The local hour of the daily digest.
pub const DIGEST_HOUR: u32 = 8;

#[derive(sea_orm::FromQueryResult)]
struct Recipient {
    id: Uuid,
    email: Option<String>,
    email_preference: String,
    timezone: Option<String>,
    token_roles: serde_json::Value,
    status: String,
}

impl Recipient {
    fn mailable(&self) -> Option<EmailPreference> {
        let preference = EmailPreference::from_db(&self.email_preference).ok()?;
        let erased = self.status == crate::people::model::PersonStatus::Erased.as_str();
        (self.email.is_some() && !erased && preference != EmailPreference::Off)
            .then_some(preference)
    }

    fn is_council(&self) -> bool {
        self.token_roles
            .as_array()
            .is_some_and(|roles| roles.iter().any(|r| r == Role::Council.as_str()))
    }
}

/// The mail that will carry each notice (`None`: not mailed), its rows written on `conn`.
///
/// # Errors
/// A database fault.
pub async fn plan(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    notices: &[super::model::Notice],
) -> AppResult<Vec<Option<Uuid>>> {
    let recipients = recipients(conn, notices).await?;
    let mut immediate = Vec::new();
    let mut digests: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut wanted: Vec<Option<Wanted>> = Vec::with_capacity(notices.len());
    for n in notices {
        let Some(r) = recipients.get(&n.to) else {
            wanted.push(None);
            continue;
        };
        let Some(preference) = r.mailable() else {
            wanted.push(None);
            continue;
        };
        let at_once = preference == EmailPreference::Immediate
            || (n.kind.is_council_critical() && r.is_council());
        if at_once {
            let id = Uuid::now_v7();
            immediate.push(row(id, n.to, None, at, at));
            wanted.push(Some(Wanted::Mail(id)));
        } else {
            let due = next_digest(at, r.timezone.as_deref());
            let key = format!("{}/{}", n.to, due.timestamp());
            digests.insert(key.clone(), due);
            wanted.push(Some(Wanted::Digest(key)));
        }
    }
    crate::db::insert_chunked(conn, immediate).await?;
    let digest_ids = digest_rows(conn, at, digests).await?;
    Ok(wanted
        .into_iter()
        .map(|w| match w? {
            Wanted::Mail(id) => Some(id),
            Wanted::Digest(key) => digest_ids.get(&key).copied(),
        })
        .collect())
}

enum Wanted {
    Mail(Uuid),
    Digest(String),
}

async fn recipients(
    conn: &impl ConnectionTrait,
    notices: &[Notice],
) -> AppResult<HashMap<Uuid, Recipient>> {
    let mut ids: Vec<Uuid> = notices.iter().map(|n| n.to).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::db::INSERT_CHUNK) {
        let rows = person::Entity::find()
            .select_only()
            .columns([
                person::Column::Id,
                person::Column::Email,
                person::Column::EmailPreference,
                person::Column::Timezone,
                person::Column::TokenRoles,
                person::Column::Status,
            ])
            .filter(person::Column::Id.is_in(chunk.iter().copied()))
            .into_model::<Recipient>()
            .all(conn)
            .await?;
        found.extend(rows.into_iter().map(|r| (r.id, r)));
    }
    Ok(found)
}

/// Creates the digests that do not exist yet and returns every key's row id.
async fn digest_rows(
    conn: &impl ConnectionTrait,
    at: DateTime<Utc>,
    digests: HashMap<String, DateTime<Utc>>,
) -> AppResult<HashMap<String, Uuid>> {
    if digests.is_empty() {
        return Ok(HashMap::new());
    }
    let keys: Vec<String> = digests.keys().cloned().collect();
    for chunk in keys.chunks(crate::db::INSERT_CHUNK) {
        let rows = chunk.iter().filter_map(|key| {
            let (person, _) = key.split_once('/')?;
            let person = Uuid::from_str(person).ok()?;
            Some(row(
                Uuid::now_v7(),
                person,
                Some(key.clone()),
                at,
                digests[key],
            ))
        });
        mail_delivery::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(mail_delivery::Column::DigestKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    let mut ids = HashMap::with_capacity(keys.len());
    for chunk in keys.chunks(crate::db::INSERT_CHUNK) {
        let rows: Vec<(Uuid, Option<String>)> = mail_delivery::Entity::find()
            .select_only()
            .columns([mail_delivery::Column::Id, mail_delivery::Column::DigestKey])
            .filter(mail_delivery::Column::DigestKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(conn)
            .await?;
        ids.extend(rows.into_iter().filter_map(|(id, key)| Some((key?, id))));
    }
    Ok(ids)
}

fn row(
    id: Uuid,
    person: Uuid,
    digest_key: Option<String>,
    at: DateTime<Utc>,
    due: DateTime<Utc>,
) -> mail_delivery::ActiveModel {
    mail_delivery::ActiveModel {
        id: Set(id),
        person_id: Set(person),
        digest: Set(digest_key.is_some()),
        digest_key: Set(digest_key),
        status: Set(MailStatus::Pending.as_str().into()),
        due_at: Set(due),
        attempts: Set(0),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
    }
}

/// The first 08:00 in `timezone` (an IANA name; UTC when unset or unknown) after `at`.
pub fn next_digest(at: DateTime<Utc>, timezone: Option<&str>) -> DateTime<Utc> {
    let tz = timezone
        .and_then(|name| chrono_tz::Tz::from_str(name).ok())
        .unwrap_or(chrono_tz::UTC);
    let local = at.with_timezone(&tz);
    let eight = NaiveTime::from_hms_opt(DIGEST_HOUR, 0, 0).unwrap_or_default();
    let mut day = local.date_naive();
    if local.time() >= eight {
        day += Duration::days(1);
    }
    // 08:00 exists every day in every zone in use; a gap would fall back to UTC's 08:00.
    tz.from_local_datetime(&day.and_time(eight))
        .earliest()
        .map_or_else(|| day.and_time(eight).and_utc(), |t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_digest_is_at_eight_local_time() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 13, 0, 0).unwrap();
        // Mexico City is UTC-6: 07:00 local, so today 08:00 = 14:00 UTC.
        let due = next_digest(at, Some("America/Mexico_City"));
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 12, 3, 14, 0, 0).unwrap());
        // Berlin is UTC+1: 14:00 local, so tomorrow 08:00 = 07:00 UTC.
        let due = next_digest(at, Some("Europe/Berlin"));
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 12, 4, 7, 0, 0).unwrap());
        // Exactly 08:00 is past: the next day's.
        let eight = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        assert_eq!(next_digest(eight, None), eight + Duration::days(1));
        assert_eq!(
            next_digest(eight, Some("Not/AZone")),
            eight + Duration::days(1)
        );
    }
}
