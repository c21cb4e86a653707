//! `publishAnnouncement`: the council publishes; recipients are told, and the audience whose
//! reach is measured is fixed at that moment.

use serde_json::json;
use uuid::Uuid;

use super::{
    model::{self, Announcement, AnnouncementAudience},
    repo,
};
use crate::{
    audit::{self, Entry},
    auth::policy,
    error::AppResult,
    notifications::{self, Notice, NotificationKind},
    request::RequestCtx,
    state::AppState,
};

/// A new announcement.
#[derive(Clone, Debug)]
pub struct PublishAnnouncement {
    pub title: String,
    pub body: String,
    pub audience: AnnouncementAudience,
    pub country: Option<String>,
    pub language: Option<String>,
    pub relay_required: bool,
}

/// Publishes and delivers an announcement (council).
///
/// # Errors
/// FORBIDDEN unless council.
#[tracing::instrument(skip_all)]
pub async fn publish_announcement(
    state: &AppState,
    rc: &RequestCtx,
    cmd: PublishAnnouncement,
) -> AppResult<Announcement> {
    let council = policy::require_council(&rc.actor)?;
    let now = state.clock().now();
    let txn = rc.begin_write(state.db()).await?;
    let row = Announcement {
        id: Uuid::now_v7(),
        title: cmd.title,
        body: cmd.body,
        audience: cmd.audience,
        country: cmd.country,
        language: cmd.language,
        relay_required: cmd.relay_required,
        published_at: now,
        published_by: council.id,
        call_id: None,
    };
    repo::insert(&txn, &row).await?;
    let (country, language) = (row.country.as_deref(), row.language.as_deref());
    let reps = repo::people(&txn, false, country, language).await?;
    let mentors = repo::people(&txn, true, country, language).await?;
    let audience = model::audience(cmd.audience, cmd.relay_required, &reps, &mentors);
    repo::insert_audience(&txn, row.id, &audience).await?;
    let recipients = match cmd.audience {
        AnnouncementAudience::Mentors => &mentors,
        AnnouncementAudience::AllReps => &reps,
    };
    let targets = audience.values().filter(|(_, target)| *target).count();
    let notices: Vec<Notice> = recipients
        .iter()
        .map(|to| Notice {
            to: *to,
            kind: NotificationKind::AnnouncementPublished,
            title: row.title.clone(),
            body: if row.relay_required && mentors.contains(to) {
                "Please pass this on to your mentees and record it in the app.".into()
            } else {
                "A new announcement from the council.".into()
            },
            subject_id: Some(row.id),
        })
        .collect();
    for chunk in notices.chunks(500) {
        notifications::notify(&txn, now, chunk).await?;
    }
    let entry = Entry {
        action: "publish_announcement",
        subject_type: "announcement",
        subject_id: Some(row.id),
        before: None,
        after: Some(
            json!({"audience": row.audience.as_str(), "relayRequired": row.relay_required, "recipients": recipients.len(), "targets": targets}),
        ),
    };
    audit::record(&txn, rc, now, entry).await?;
    txn.commit().await?;
    Ok(row)
}
