//! One record of an imported file, remembered by the old system's key.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "import_record")]
pub struct Model {
    /// `person`, `mentorProfile`, `mentorship`, `checkIn` or `councilContact`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// The record's key in the file (`externalId`, or what it belongs to).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The row it became.
    pub target_id: Uuid,
    /// SHA-256 (hex) of the record as last imported.
    pub digest: String,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
