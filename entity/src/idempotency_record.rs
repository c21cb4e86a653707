//! The stored answer of a mutation sent with an `Idempotency-Key` (one per caller and key).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "idempotency_record")]
pub struct Model {
    /// `person:<uuid>` or `client:<client id>`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub caller: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// SHA-256 (hex) of the document, operation name and variables.
    pub fingerprint: String,
    /// The HTTP status of the stored answer.
    pub status: Option<i32>,
    pub content_type: Option<String>,
    /// The answer, byte for byte.
    pub body: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
