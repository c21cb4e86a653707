//! A person known to the program, created from their first signed-in request.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "person")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The token issuer (`iss`) that vouches for `subject`.
    pub issuer: String,
    /// The token subject (`sub`); unique together with `issuer`.
    pub subject: String,
    pub display_name: String,
    pub email: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// BCP 47 language tags, as a JSON array of strings.
    pub languages: Json,
    /// IANA time zone name.
    pub timezone: Option<String>,
    pub locale: Option<String>,
    /// Free text about the person, at most 2,000 characters.
    pub bio: Option<String>,
    /// Program roles last seen in the person's token, as a JSON array of role names.
    pub token_roles: Json,
    pub status: String,
    pub joined_at: DateTimeUtc,
    pub last_active_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    /// IMMEDIATE, DAILY_DIGEST or OFF: how notifications reach the person by e-mail.
    pub email_preference: String,
    /// Bumped by `rotateCalendarFeedUrl`: feed URLs of an older generation are refused.
    pub calendar_feed_generation: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_one = "super::mentor_profile::Entity")]
    MentorProfile,
}

impl Related<super::mentor_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::MentorProfile.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
