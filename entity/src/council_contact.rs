//! The council member who is the point of contact for one area.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "council_contact")]
pub struct Model {
    /// `MENTORSHIP_ADMINISTRATION`, `ONBOARDING` or `COMMUNICATIONS`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub area: String,
    pub person_id: Uuid,
    pub updated_at: DateTimeUtc,
    pub updated_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
