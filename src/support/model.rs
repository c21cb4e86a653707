//! Support request types.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{auth::policy::SupportFacts, error::AppResult, stored::stored_enum};

/// Declares a GraphQL enum stored as text (the strict mapping of `crate::stored`).
macro_rules! support_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        stored_enum!($name { $($variant => $text),+ });
    };
}

support_enum!(
    /// Whom a request is for.
    SupportRecipient {
        /// The rep's current mentor.
        Mentor => "MENTOR",
        /// The council.
        Council => "COUNCIL",
    }
);

support_enum!(
    /// Where a request stands.
    SupportRequestStatus {
        /// Waiting for a first answer.
        Open => "OPEN",
        /// Answered at least once.
        Acknowledged => "ACKNOWLEDGED",
        /// Unanswered by the mentor in time; the council has it now.
        Escalated => "ESCALATED",
        /// Done: the need was met.
        Resolved => "RESOLVED",
        /// Done without resolution.
        Closed => "CLOSED",
    }
);

support_enum!(
    /// What a request is about.
    SupportCategory {
        /// Anything.
        General => "GENERAL",
        /// Planning or holding a touch-base meeting.
        CheckIn => "CHECK_IN",
        /// How the program works.
        Program => "PROGRAM",
        /// Asking for another mentor: always to the council, always confidential.
        MentorChange => "MENTOR_CHANGE",
        /// Something else.
        Other => "OTHER",
    }
);

/// A request.
#[derive(Clone, Debug)]
pub struct SupportRequest {
    pub id: Uuid,
    pub requester_id: Uuid,
    pub recipient: SupportRecipient,
    pub assigned_mentor_id: Option<Uuid>,
    pub category: SupportCategory,
    pub subject: String,
    pub confidential: bool,
    pub status: SupportRequestStatus,
    pub routing_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Last change; live subscriptions compare it.
    pub updated_at: DateTime<Utc>,
}

impl SupportRequest {
    /// What `policy::can_view_support_request` reads of it.
    pub fn facts(&self) -> SupportFacts {
        SupportFacts {
            requester: self.requester_id,
            assigned_mentor: self.assigned_mentor_id,
            confidential: self.confidential,
        }
    }

    /// Whether no more replies are taken.
    pub fn is_done(&self) -> bool {
        matches!(
            self.status,
            SupportRequestStatus::Resolved | SupportRequestStatus::Closed
        )
    }

    /// From a row.
    ///
    /// # Errors
    /// INTERNAL for an unknown stored recipient, category or status.
    pub fn from_row(row: entity::support_request::Model) -> AppResult<Self> {
        Ok(Self {
            id: row.id,
            requester_id: row.requester_id,
            recipient: SupportRecipient::from_db(&row.recipient)?,
            assigned_mentor_id: row.assigned_mentor_id,
            category: SupportCategory::from_db(&row.category)?,
            subject: row.subject,
            confidential: row.confidential,
            status: SupportRequestStatus::from_db(&row.status)?,
            routing_note: row.routing_note,
            created_at: row.created_at,
            first_response_at: row.first_response_at,
            escalated_at: row.escalated_at,
            resolved_at: row.resolved_at,
            updated_at: row.updated_at,
        })
    }
}

/// Longest subject.
pub const MAX_SUBJECT: usize = 200;
/// Longest message.
pub const MAX_MESSAGE: usize = 5_000;

/// One message of a support thread.
#[derive(Clone, Debug)]
pub struct SupportMessage {
    pub id: Uuid,
    pub request_id: Uuid,
    pub author_id: Uuid,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<entity::support_message::Model> for SupportMessage {
    type Error = crate::error::AppError;

    fn try_from(row: entity::support_message::Model) -> AppResult<Self> {
        Ok(Self {
            id: row.id,
            request_id: row.request_id,
            author_id: row.author_id,
            body: row.body,
            created_at: row.created_at,
        })
    }
}

impl crate::db::batch::Children for entity::support_message::Entity {
    fn parent_column() -> Self::Column {
        entity::support_message::Column::RequestId
    }

    fn parent_of(row: &Self::Model) -> uuid::Uuid {
        row.request_id
    }

    fn decode(row: &sea_orm::QueryResult) -> Result<Self::Model, sea_orm::DbErr> {
        // Threads are short: the derived (by-name) decoding is fine here.
        <Self::Model as sea_orm::FromQueryResult>::from_query_result(row, "")
    }
}
