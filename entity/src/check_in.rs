//! A touch-base meeting between a mentor and a mentee: planned, held or cancelled.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "check_in")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mentorship_id: Uuid,
    /// `PLANNED`, `HELD` or `CANCELLED`.
    pub status: String,
    pub scheduled_for: Option<DateTimeUtc>,
    pub held_at: Option<DateTimeUtc>,
    pub agenda: Option<String>,
    /// Private to the two participants.
    pub mentee_plans: Option<String>,
    /// Private to the two participants.
    pub support_needs: Option<String>,
    /// Private to the two participants.
    pub notes: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::mentorship::Entity",
        from = "Column::MentorshipId",
        to = "super::mentorship::Column::Id"
    )]
    Mentorship,
}

impl Related<super::mentorship::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mentorship.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
