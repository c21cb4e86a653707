//! A rep's application to become a mentor.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "mentor_application")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub applicant_id: Uuid,
    /// The round open when the rep applied, if any.
    pub round_id: Option<Uuid>,
    /// The council member following the application.
    pub contact_id: Option<Uuid>,
    /// `APPLIED`, `IN_REVIEW`, `ONBOARDING`, `COMPLETED`, `DECLINED`, `WITHDRAWN`.
    pub status: String,
    pub motivation: String,
    /// JSON array of BCP 47 tags.
    pub languages: Json,
    /// JSON array of areas of expertise.
    pub areas: Json,
    /// The note of the latest step (the reason of a decline, for instance).
    pub note: Option<String>,
    pub applied_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
    /// When it was completed, declined or withdrawn.
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
