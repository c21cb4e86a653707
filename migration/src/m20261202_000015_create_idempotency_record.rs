//! `idempotency_record`: the stored answer of a mutation sent with an `Idempotency-Key`,
//! written in the mutation's own transaction, so a retry gets it instead of a second run.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyRecord {
    Table,
    Caller,
    Key,
    Fingerprint,
    Status,
    ContentType,
    Body,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyRecord::Table)
                    // `person:<uuid>` or `client:<client id>`: keys are scoped to their caller.
                    .col(string(IdempotencyRecord::Caller))
                    .col(string(IdempotencyRecord::Key))
                    // SHA-256 of the document, operation name and variables (hex).
                    .col(string(IdempotencyRecord::Fingerprint))
                    // NULL until the answer is stored, which happens before the commit: a
                    // committed record always has one.
                    .col(integer_null(IdempotencyRecord::Status))
                    .col(string_null(IdempotencyRecord::ContentType))
                    .col(blob_null(IdempotencyRecord::Body))
                    .col(timestamp_with_time_zone(IdempotencyRecord::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyRecord::Caller)
                            .col(IdempotencyRecord::Key),
                    )
                    .to_owned(),
            )
            .await?;
        // The periodic purge of expired records.
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_record_created_at")
                    .table(IdempotencyRecord::Table)
                    .col(IdempotencyRecord::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyRecord::Table).to_owned())
            .await
    }
}
