//! A council call with the mentors.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "mentor_call")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub scheduled_for: DateTimeUtc,
    pub agenda: String,
    pub link: Option<String>,
    /// `SCHEDULED` or `HELD`.
    pub status: String,
    pub minutes: Option<String>,
    /// JSON array of strings.
    pub action_items: Json,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
