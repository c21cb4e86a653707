//! A mentor → mentee assignment; ended rows are kept as history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "mentorship")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mentor_id: Uuid,
    pub mentee_id: Uuid,
    /// `ACTIVE` or `ENDED`; at most one `ACTIVE` row per mentee (partial unique index).
    pub status: String,
    pub started_at: DateTimeUtc,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
    pub note: Option<String>,
    pub end_note: Option<String>,
    pub assigned_by: Option<Uuid>,
    pub ended_by: Option<Uuid>,
    /// Set when the assignment went over the mentor's capacity by explicit council override.
    pub over_capacity: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::MentorId",
        to = "super::person::Column::Id"
    )]
    Mentor,
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::MenteeId",
        to = "super::person::Column::Id"
    )]
    Mentee,
    #[sea_orm(has_many = "super::check_in::Entity")]
    CheckIn,
}

impl Related<super::check_in::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CheckIn.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
