//! One mail to send (the transactional outbox): written with the notification it carries,
//! claimed, sent and marked by the mail worker.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "mail_delivery")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The recipient.
    pub person_id: Uuid,
    /// The day's digest of several notifications, rather than one.
    pub digest: bool,
    /// `person/due` for a digest (unique), so concurrent notifications share one row.
    pub digest_key: Option<String>,
    /// PENDING, SENT, FAILED or CANCELLED.
    pub status: String,
    /// When it may be tried (again).
    pub due_at: DateTimeUtc,
    pub attempts: i32,
    /// Claimed by a worker until then.
    pub lease_until: Option<DateTimeUtc>,
    /// The transport's last refusal (never the mail's content).
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
