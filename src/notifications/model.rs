//! Notification types.

use crate::stored::stored_enum;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What a notification reports.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    /// A mentee got a mentor (sent to both).
    MentorshipStarted,
    /// A mentorship ended (sent to both).
    MentorshipEnded,
    /// A mentee moved to another mentor (sent to the mentee and both mentors).
    MentorReassigned,
    /// A support request arrived (to its addressees).
    SupportRequestOpened,
    /// A request to the mentor went to the council instead (to the requester).
    SupportRequestRouted,
    /// A reply in a support thread (to the other side).
    SupportRequestReplied,
    /// A request to the mentor went unanswered and went to the council (requester, council).
    SupportRequestEscalated,
    /// A support request was resolved or closed (to the other side).
    SupportRequestResolved,
    /// A mentor reported their load, or inactivity was detected (to the council).
    MentorAlertOpened,
    /// The council handled a mentor's alert (to the mentor).
    MentorAlertResolved,
    /// A mentor's break ended; they take mentees again (to the mentor).
    MentorBackFromBreak,
    /// A check-in is due soon (to mentor and mentee).
    CheckInDueSoon,
    /// A check-in is overdue (to mentor and mentee).
    CheckInOverdue,
    /// The mentor seems unavailable; whom on the council to contact (to the mentees).
    MentorUnavailable,
    /// A new version of the mentor role guide (to every mentor).
    RoleGuidePublished,
    /// A council announcement (to its recipients).
    AnnouncementPublished,
    /// An announcement still needs relaying (to the mentor, once).
    RelayReminder,
    /// A mentor call was planned (to every invited mentor).
    MentorCallScheduled,
    /// A rep applied to become a mentor (to the onboarding contact, or the council).
    MentorApplicationReceived,
    /// A mentor application moved a step (to the applicant and the point of contact).
    MentorApplicationUpdated,
}

stored_enum!(NotificationKind {
    MentorshipStarted => "MENTORSHIP_STARTED",
    MentorshipEnded => "MENTORSHIP_ENDED",
    MentorReassigned => "MENTOR_REASSIGNED",
    SupportRequestOpened => "SUPPORT_REQUEST_OPENED",
    SupportRequestRouted => "SUPPORT_REQUEST_ROUTED",
    SupportRequestReplied => "SUPPORT_REQUEST_REPLIED",
    SupportRequestEscalated => "SUPPORT_REQUEST_ESCALATED",
    SupportRequestResolved => "SUPPORT_REQUEST_RESOLVED",
    MentorAlertOpened => "MENTOR_ALERT_OPENED",
    MentorAlertResolved => "MENTOR_ALERT_RESOLVED",
    MentorBackFromBreak => "MENTOR_BACK_FROM_BREAK",
    CheckInDueSoon => "CHECK_IN_DUE_SOON",
    CheckInOverdue => "CHECK_IN_OVERDUE",
    MentorUnavailable => "MENTOR_UNAVAILABLE",
    RoleGuidePublished => "ROLE_GUIDE_PUBLISHED",
    AnnouncementPublished => "ANNOUNCEMENT_PUBLISHED",
    RelayReminder => "RELAY_REMINDER",
    MentorCallScheduled => "MENTOR_CALL_SCHEDULED",
    MentorApplicationReceived => "MENTOR_APPLICATION_RECEIVED",
    MentorApplicationUpdated => "MENTOR_APPLICATION_UPDATED",
});

/// A notification to send.
#[derive(Clone, Debug)]
pub struct Notice {
    pub to: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub subject_id: Option<Uuid>,
}

/// A notification in an inbox.
#[derive(Clone, Debug)]
pub struct Notification {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub subject_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    /// From a row.
    ///
    /// # Errors
    /// INTERNAL for a kind this version does not know.
    pub fn from_row(row: entity::notification::Model) -> crate::error::AppResult<Self> {
        Ok(Self {
            id: row.id,
            kind: NotificationKind::from_db(&row.kind)?,
            title: row.title,
            body: row.body,
            subject_id: row.subject_id,
            created_at: row.created_at,
            read_at: row.read_at,
        })
    }
}

/// How notifications reach a person by e-mail.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum EmailPreference {
    /// One mail per notification, as it happens (the default).
    Immediate,
    /// One mail a day at 08:00 in the person's time zone with the day's notifications
    /// (council members still get escalations and alerts at once).
    DailyDigest,
    /// No mail; the in-app inbox only.
    Off,
}

stored_enum!(EmailPreference {
    Immediate => "IMMEDIATE",
    DailyDigest => "DAILY_DIGEST",
    Off => "OFF",
});

/// Where a mail stands.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting to be sent, or to be tried again.
    Pending,
    /// Handed to the SMTP relay.
    Sent,
    /// Given up on after the last try; `lastError` says why.
    Failed,
    /// Not sent: mail turned off, no address, or the person erased, before it went.
    Cancelled,
}

stored_enum!(MailStatus {
    Pending => "PENDING",
    Sent => "SENT",
    Failed => "FAILED",
    Cancelled => "CANCELLED",
});

impl NotificationKind {
    /// Kinds the council must act on: never held back for a council member's digest.
    pub fn is_council_critical(self) -> bool {
        matches!(
            self,
            Self::SupportRequestEscalated | Self::MentorAlertOpened
        )
    }
}
