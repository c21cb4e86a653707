//! A rep reaching out to their mentor or to the council.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "support_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub requester_id: Uuid,
    /// `MENTOR` or `COUNCIL`: who the request went to after routing.
    pub recipient: String,
    /// The mentor addressed, when it went to the mentor.
    pub assigned_mentor_id: Option<Uuid>,
    pub category: String,
    pub subject: String,
    /// Hidden from the mentor.
    pub confidential: bool,
    /// `OPEN`, `ACKNOWLEDGED`, `ESCALATED`, `RESOLVED`, `CLOSED`.
    pub status: String,
    /// Why it went where it went, for the requester.
    pub routing_note: Option<String>,
    pub created_at: DateTimeUtc,
    pub first_response_at: Option<DateTimeUtc>,
    pub escalated_at: Option<DateTimeUtc>,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolved_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
