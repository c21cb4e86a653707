//! The mail worker: claims due mails, renders and sends each, marks the outcome. Runs in
//! `serve` and `dev` (every `MENTORSHIP_MAIL_POLL`) and in `jobs run-once`; any number of
//! instances may run it at once (claims never overlap).
//!
//! Delivery is **at least once**: a claim is a lease of [`LEASE`]; a worker that dies
//! between handing a mail to the relay and marking it leaves the lease to run out, and the
//! mail goes again — once per lease, and at most [`MAX_ATTEMPTS`] times in all, so a crash
//! loop cannot become a storm. Refusals are retried after 1, 2, 4 … 60 minutes; a permanent
//! one (5xx) fails the mail at once.

use chrono::{DateTime, Duration, Utc};
use entity::person;
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{
    i18n,
    render::{self, Content, DIGEST_MAX_ITEMS, Item},
    repo::{self, Claimed, Outcome},
    transport::{Outgoing, SendError, Transport},
};
use crate::{
    error::AppResult,
    links::{LinkKey, Purpose},
    notifications::model::EmailPreference,
    people::model::PersonStatus,
};

/// How long a claim holds before another worker may take the mail.
pub const LEASE: Duration = Duration::minutes(2);
/// Tries before a mail is failed.
pub const MAX_ATTEMPTS: i32 = 8;
/// Mails claimed at once.
const BATCH: u64 = 20;

/// What the worker needs besides the database.
#[derive(Clone)]
pub struct Mailer {
    pub transport: Transport,
    /// `MENTORSHIP_MAIL_FROM`.
    pub from: String,
    /// `MENTORSHIP_PUBLIC_URL`, without a trailing slash.
    pub public_url: String,
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivered {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub cancelled: usize,
}

impl Delivered {
    fn total(&self) -> usize {
        self.sent + self.retried + self.failed + self.cancelled
    }
}

/// Sends every mail due at `now`, a batch at a time, until none is left.
///
/// # Errors
/// A database fault (mails already sent stay marked).
pub async fn deliver_due(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    key: &LinkKey,
    now: DateTime<Utc>,
) -> AppResult<Delivered> {
    let mut done = Delivered {
        failed: usize::try_from(repo::fail_abandoned(conn, now, MAX_ATTEMPTS).await?)
            .unwrap_or(usize::MAX),
        ..Delivered::default()
    };
    loop {
        let claimed = repo::claim(conn, now, now + LEASE, MAX_ATTEMPTS, BATCH).await?;
        let full = claimed.len() as u64 == BATCH;
        // The recipients as they are now, in one statement for the batch.
        let ids = claimed.iter().map(|m| m.person_id);
        let people: HashMap<Uuid, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        for mail in claimed {
            let recipient = people.get(&mail.person_id);
            let outcome = send_to(conn, mailer, key, &mail, recipient, now).await?;
            match &outcome {
                Outcome::Sent => done.sent += 1,
                Outcome::Retry(..) => done.retried += 1,
                Outcome::Failed(_) => done.failed += 1,
                Outcome::Cancelled(_) => done.cancelled += 1,
            }
            repo::mark(conn, mail.id, mail.attempts, now, outcome).await?;
        }
        if !full {
            break;
        }
    }
    if done.total() > 0 {
        tracing::info!(?done, "mail delivered");
    }
    Ok(done)
}

/// One try of one claimed mail, without marking it: what [`deliver_due`] does per mail
/// (public for the test that stops a worker between sending and marking).
///
/// # Errors
/// A database fault.
pub async fn send_one(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    key: &LinkKey,
    mail: &Claimed,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    let person = person::Entity::find_by_id(mail.person_id).one(conn).await?;
    send_to(conn, mailer, key, mail, person.as_ref(), now).await
}

async fn send_to(
    conn: &impl ConnectionTrait,
    mailer: &Mailer,
    key: &LinkKey,
    mail: &Claimed,
    person: Option<&person::Model>,
    now: DateTime<Utc>,
) -> AppResult<Outcome> {
    // The person as they are now: turned off or erased since the cause means no mail.
    let Some(person) = person else {
        return Ok(Outcome::Cancelled("recipient unknown"));
    };
    if person.status == PersonStatus::Erased.as_str() {
        return Ok(Outcome::Cancelled("recipient erased"));
    }
    if EmailPreference::from_db(&person.email_preference)? == EmailPreference::Off {
        return Ok(Outcome::Cancelled("mail turned off"));
    }
    let Some(to) = person.email.as_deref() else {
        return Ok(Outcome::Cancelled("no e-mail address"));
    };
    let (rows, total) = repo::items(conn, mail.id, DIGEST_MAX_ITEMS as u64).await?;
    if rows.is_empty() {
        return Ok(Outcome::Cancelled("nothing left to send"));
    }
    let items = rows
        .iter()
        .map(Item::from_row)
        .collect::<AppResult<Vec<_>>>()?;
    let unsubscribe_url = unsubscribe_url(&mailer.public_url, key, person.id);
    let rendered = render::render(&Content {
        lang: i18n::language(person.locale.as_deref()),
        name: person.display_name.clone(),
        more: usize::try_from(total)
            .unwrap_or(usize::MAX)
            .saturating_sub(items.len()),
        items,
        digest: mail.digest,
        public_url: mailer.public_url.clone(),
        unsubscribe_url: unsubscribe_url.clone(),
    })?;
    let outgoing = Outgoing {
        from: &mailer.from,
        to,
        rendered: &rendered,
        unsubscribe_url: &unsubscribe_url,
    };
    Ok(match mailer.transport.send(outgoing, now).await {
        Ok(()) => Outcome::Sent,
        Err(SendError::Permanent(e)) => Outcome::Failed(e),
        Err(SendError::Transient(e)) if mail.attempts >= MAX_ATTEMPTS => Outcome::Failed(e),
        Err(SendError::Transient(e)) => {
            tracing::warn!(mail = %mail.id, attempt = mail.attempts, error = %e, "mail refused; will retry");
            Outcome::Retry(now + backoff(mail.attempts), e)
        }
    })
}

/// The wait after try `attempt`: 1, 2, 4 … minutes, at most an hour.
pub fn backoff(attempt: i32) -> Duration {
    let exponent = u32::try_from(attempt.clamp(1, 7) - 1).unwrap_or(0);
    Duration::minutes((1i64 << exponent).min(60))
}

/// The one-click unsubscribe link of `person` (RFC 8058; it needs no sign-in).
pub fn unsubscribe_url(public_url: &str, key: &LinkKey, person: uuid::Uuid) -> String {
    let token = key.sign(Purpose::Unsubscribe, person.as_bytes());
    format!("{public_url}/api/v1/mail/unsubscribe/{token}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (1..=9).map(|a| super::backoff(a).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
