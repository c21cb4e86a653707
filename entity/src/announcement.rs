//! A council announcement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "announcement")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub body: String,
    /// `MENTORS` or `ALL_REPS`.
    pub audience: String,
    pub country: Option<String>,
    pub language: Option<String>,
    /// Mentors must pass it on to their mentees.
    pub relay_required: bool,
    pub published_at: DateTimeUtc,
    pub published_by: Uuid,
    /// The mentor call whose outcome it carries, if any.
    pub call_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
