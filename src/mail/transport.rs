//! Where mails go: an SMTP relay (`MENTORSHIP_SMTP_URL`: `smtp://` plain, `smtps://` TLS,
//! `smtp://…?tls=required` STARTTLS; rustls), or — in `dev` without one — a bounded list
//! in memory shown at `/dev/mail` and logged one line per mail.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        header::{HeaderName, HeaderValue},
    },
};
use serde::Serialize;

use super::render::Rendered;
use crate::secret::Secret;

/// Mails `/dev/mail` keeps (the oldest go first).
pub const DEV_KEEP: usize = 200;
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A mail kept by `dev`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub list_unsubscribe: String,
    pub kept_at: DateTime<Utc>,
}

/// `dev`'s mailbox.
#[derive(Clone, Debug, Default)]
pub struct DevMailbox(Arc<Mutex<VecDeque<KeptMail>>>);

impl DevMailbox {
    /// The kept mails, newest first.
    pub fn list(&self) -> Vec<KeptMail> {
        self.0
            .lock()
            .map(|m| m.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    fn keep(&self, mail: KeptMail) {
        if let Ok(mut kept) = self.0.lock() {
            if kept.len() == DEV_KEEP {
                kept.pop_front();
            }
            kept.push_back(mail);
        }
    }
}

/// A refusal, by whether trying again may help.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The relay is down, slow, or said "later" (4xx).
    #[error("{0}")]
    Transient(String),
    /// The relay refused this mail for good (5xx), or the mail cannot be built.
    #[error("{0}")]
    Permanent(String),
}

/// The mail transport of this instance.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Dev(DevMailbox),
}

/// A mail ready to go.
pub struct Outgoing<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub rendered: &'a Rendered,
    /// The one-click unsubscribe URL (RFC 8058).
    pub unsubscribe_url: &'a str,
}

impl Transport {
    /// An SMTP transport for `url`.
    ///
    /// # Errors
    /// The URL's scheme or parameters are not one lettre knows (the message names no
    /// credentials).
    pub fn smtp(url: &Secret) -> Result<Self, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
            .map(|b| Self::Smtp(b.timeout(Some(SMTP_TIMEOUT)).build()))
            .map_err(|e| format!("MENTORSHIP_SMTP_URL: {e}"))
    }

    /// Sends one mail.
    ///
    /// # Errors
    /// What the relay or the builder said; never the mail's content.
    pub async fn send(&self, mail: Outgoing<'_>, now: DateTime<Utc>) -> Result<(), SendError> {
        match self {
            Self::Smtp(smtp) => {
                let message = build(&mail)?;
                smtp.send(message).await.map(drop).map_err(|e| {
                    if e.is_permanent() {
                        SendError::Permanent(e.to_string())
                    } else {
                        SendError::Transient(e.to_string())
                    }
                })
            }
            Self::Dev(kept) => {
                tracing::info!(to = mail.to, subject = %mail.rendered.subject, "dev mail kept at /dev/mail");
                kept.keep(KeptMail {
                    to: mail.to.to_owned(),
                    subject: mail.rendered.subject.clone(),
                    text: mail.rendered.text.clone(),
                    html: mail.rendered.html.clone(),
                    list_unsubscribe: format!("<{}>", mail.unsubscribe_url),
                    kept_at: now,
                });
                Ok(())
            }
        }
    }
}

/// The MIME message: text and HTML alternatives, and the RFC 8058 one-click headers.
fn build(mail: &Outgoing<'_>) -> Result<Message, SendError> {
    let bad = |what: &str| SendError::Permanent(format!("{what} is not a valid mailbox"));
    let from: Mailbox = mail.from.parse().map_err(|_| bad("MENTORSHIP_MAIL_FROM"))?;
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| bad("the recipient's address"))?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.rendered.subject.clone())
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{}>", mail.unsubscribe_url),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        ))
        // Auto-replies ("out of office") are not wanted for notifications.
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ))
        .multipart(MultiPart::alternative_plain_html(
            mail.rendered.text.clone(),
            mail.rendered.html.clone(),
        ))
        .map_err(|e| SendError::Permanent(format!("building the message: {e}")))
}

/// What an operator may read about the relay: scheme, host and port, never credentials.
pub fn describe(url: &Secret) -> String {
    match url::Url::parse(url.expose()) {
        Ok(u) => format!(
            "{}://{}:{}{}",
            u.scheme(),
            u.host_str().unwrap_or("?"),
            u.port()
                .map_or_else(|| "default".to_owned(), |p| p.to_string()),
            u.query_pairs()
                .find(|(k, _)| k == "tls")
                .map_or_else(String::new, |(_, v)| format!(" (tls={v})"))
        ),
        Err(_) => "an unparsable URL".to_owned(),
    }
}
