//! The mentor side of a person: capacity, availability and profile text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "mentor_profile")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub person_id: Uuid,
    pub capacity: i32,
    pub status: String,
    pub accepting_mentees: bool,
    pub bio: Option<String>,
    /// Areas of expertise, as a JSON array of strings.
    pub expertise: Json,
    pub onboarded_at: DateTimeUtc,
    /// While PAUSED for a break: when the mentor returns to ACTIVE.
    pub break_until: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::person::Entity",
        from = "Column::PersonId",
        to = "super::person::Column::Id"
    )]
    Person,
}

impl Related<super::person::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Person.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
