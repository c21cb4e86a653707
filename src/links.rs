//! Links that work without signing in — one-click unsubscribe, calendar feeds — carry a
//! token signed with HMAC-SHA256 under a key made once and kept in the database (`link_key`),
//! so every instance accepts every other's links and no operator has a secret to manage.
//! A token is `base64url(payload).base64url(tag)`; the purpose is part of what is signed, so
//! an unsubscribe token is not a feed token.

use aws_lc_rs::{hmac, rand::SecureRandom};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use chrono::{DateTime, Utc};
use entity::link_key;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};

use crate::error::{AppError, AppResult};

/// The one key's row.
const PURPOSE: &str = "links";

/// What a token is for.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    Unsubscribe,
    CalendarFeed,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::Unsubscribe => b"unsubscribe\0",
            Self::CalendarFeed => b"calendar-feed\0",
        }
    }
}

/// The signing key.
pub struct LinkKey(hmac::Key);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(***)")
    }
}

impl LinkKey {
    /// The database's key, made on first use (concurrent first uses agree on one).
    ///
    /// # Errors
    /// A database fault, or a stored key that is not base64 (INTERNAL).
    pub async fn load_or_create(
        conn: &impl ConnectionTrait,
        now: DateTime<Utc>,
    ) -> AppResult<Self> {
        let mut fresh = [0u8; 32];
        aws_lc_rs::rand::SystemRandom::new()
            .fill(&mut fresh)
            .map_err(|_| AppError::internal(std::io::Error::other("no randomness")))?;
        link_key::Entity::insert(link_key::ActiveModel {
            purpose: Set(PURPOSE.into()),
            secret: Set(B64.encode(fresh)),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(link_key::Column::Purpose)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
        let row = link_key::Entity::find_by_id(PURPOSE.to_owned())
            .one(conn)
            .await?
            .ok_or_else(|| AppError::internal(std::io::Error::other("link key vanished")))?;
        let secret = B64.decode(row.secret).map_err(AppError::internal)?;
        Ok(Self::from_secret(&secret))
    }

    /// A key from its bytes.
    pub fn from_secret(secret: &[u8]) -> Self {
        Self(hmac::Key::new(hmac::HMAC_SHA256, secret))
    }

    fn tag(&self, purpose: Purpose, payload: &[u8]) -> hmac::Tag {
        let mut ctx = hmac::Context::with_key(&self.0);
        ctx.update(purpose.label());
        ctx.update(payload);
        ctx.sign()
    }

    /// A token carrying `payload`.
    pub fn sign(&self, purpose: Purpose, payload: &[u8]) -> String {
        let tag = self.tag(purpose, payload);
        format!("{}.{}", B64.encode(payload), B64.encode(tag.as_ref()))
    }

    /// The payload of a token this key signed for `purpose`; `None` for anything else.
    pub fn open(&self, purpose: Purpose, token: &str) -> Option<Vec<u8>> {
        let (payload, tag) = token.split_once('.')?;
        let payload = B64.decode(payload).ok()?;
        let tag = B64.decode(tag).ok()?;
        let mut signed = purpose.label().to_vec();
        signed.extend_from_slice(&payload);
        hmac::verify(&self.0, &signed, &tag).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_only_with_its_key_and_purpose() {
        let key = LinkKey::from_secret(b"k1");
        let token = key.sign(Purpose::Unsubscribe, b"person");
        assert_eq!(
            key.open(Purpose::Unsubscribe, &token).as_deref(),
            Some(&b"person"[..])
        );
        assert_eq!(key.open(Purpose::CalendarFeed, &token), None);
        assert_eq!(
            LinkKey::from_secret(b"k2").open(Purpose::Unsubscribe, &token),
            None
        );
        let (payload, tag) = token.split_once('.').unwrap();
        let other = format!("{}.{tag}", B64.encode(b"persoN"));
        assert_eq!(key.open(Purpose::Unsubscribe, &other), None, "{payload}");
        assert_eq!(key.open(Purpose::Unsubscribe, "x"), None);
    }
}
