//! The role guide as the API shows it: a published version and its lists.

use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// One published version of the mentor role guide.
#[derive(Clone, Debug)]
pub struct RoleGuide {
    pub version: i32,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// What mentors do.
    pub mentors_do: Vec<String>,
    /// What mentors don't do.
    pub mentors_dont: Vec<String>,
    pub published_at: DateTime<Utc>,
    pub published_by: Uuid,
}

impl TryFrom<entity::role_guide::Model> for RoleGuide {
    type Error = AppError;

    fn try_from(row: entity::role_guide::Model) -> AppResult<Self> {
        let list = |v: serde_json::Value| serde_json::from_value(v).map_err(AppError::internal);
        Ok(Self {
            version: row.version,
            title: row.title,
            body: row.body,
            mentors_do: list(row.mentors_do)?,
            mentors_dont: list(row.mentors_dont)?,
            published_at: row.published_at,
            published_by: row.published_by,
        })
    }
}

impl RoleGuide {
    /// The row that stores it.
    pub fn to_row(&self) -> entity::role_guide::Model {
        entity::role_guide::Model {
            version: self.version,
            title: self.title.clone(),
            body: self.body.clone(),
            mentors_do: json!(self.mentors_do),
            mentors_dont: json!(self.mentors_dont),
            published_at: self.published_at,
            published_by: self.published_by,
        }
    }
}
