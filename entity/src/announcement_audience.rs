//! Who an announcement went to (recipient) and whose reach counts (target), fixed at
//! publication.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "announcement_audience")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub announcement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    /// Got it in their inbox and may acknowledge it.
    pub recipient: bool,
    /// A rep the news must reach.
    pub target: bool,
    pub acknowledged_at: Option<DateTimeUtc>,
    /// For a mentor of a relay-required announcement: when they were reminded to relay.
    pub relay_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
