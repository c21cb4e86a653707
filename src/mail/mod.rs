//! E-mail delivery of notifications: the worker that sends what the outbox holds
//! ([`crate::notifications::outbox`] writes it in the cause's transaction), the templates
//! and Fluent texts of a mail, the SMTP transport, and each person's e-mail preference.
//!
//! Rules owned here: a mail says only what [`render::Content`] holds — the kinds of the
//! notifications, links to their objects, the reader's name — never a notification's stored
//! text, so no private note, plan, support need or confidential subject is ever mailed;
//! every mail can be unsubscribed from in one click without signing in; delivery is at least
//! once, each mail claimed by one worker at a time.

pub mod graphql;
pub mod i18n;
pub mod nodes;
pub mod preferences;
pub mod query;
pub mod render;
pub mod repo;
pub mod transport;
pub mod worker;

use tokio::{sync::broadcast::error::RecvError, task::JoinHandle};

use crate::{events::LiveEvent, state::AppState};

pub use worker::{Delivered, Mailer, deliver_due};

/// Sends due mails every `MENTORSHIP_MAIL_POLL`, and at once when a notification is
/// committed (on any instance: the inbox hint), until aborted.
pub fn spawn(state: AppState, mailer: Mailer) -> JoinHandle<()> {
    tokio::spawn(async move {
        let every = state.settings().mail_poll;
        let mut live = state.events().live();
        loop {
            match state.link_key().await {
                Ok(key) => {
                    let now = state.clock().now();
                    if let Err(err) = deliver_due(state.db(), &mailer, key, now).await {
                        err.log();
                    }
                }
                Err(err) => err.log(),
            }
            let wait = tokio::time::sleep(every);
            tokio::pin!(wait);
            loop {
                tokio::select! {
                    () = &mut wait => break,
                    hint = live.recv() => match hint {
                        Ok(LiveEvent::SupportRequest(_)) => {}
                        Err(RecvError::Closed) => {
                            (&mut wait).await;
                            break;
                        }
                        Ok(_) | Err(RecvError::Lagged(_)) => break,
                    },
                }
            }
            // Many hints at once (an announcement to everyone) make one round.
            while live.try_recv().is_ok() {}
        }
    })
}
