//! One published version of the mentor role guide.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "role_guide")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// What mentors do, as a JSON array of strings.
    pub mentors_do: Json,
    /// What mentors don't do, as a JSON array of strings.
    pub mentors_dont: Json,
    pub published_at: DateTimeUtc,
    pub published_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
