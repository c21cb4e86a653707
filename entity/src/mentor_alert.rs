//! A mentor's load or availability, brought to the council's attention.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "mentor_alert")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub mentor_id: Uuid,
    /// `OVERWHELMED`, `NEEDS_BREAK`, `STEPPING_DOWN`, `INACTIVITY_DETECTED`.
    pub kind: String,
    pub message: Option<String>,
    /// For a break: when the mentor expects to be back.
    pub return_on: Option<DateTimeUtc>,
    /// `OPEN` or `RESOLVED`; one OPEN per mentor and kind.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub handled_by: Option<Uuid>,
    pub handled_at: Option<DateTimeUtc>,
    pub resolution: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
