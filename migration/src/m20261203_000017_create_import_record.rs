//! `import_record`: what `mentorship-api import` brought in, keyed by the old system's ids,
//! so a re-run changes nothing and a later file updates only the records that changed.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportRecord {
    Table,
    Kind,
    Key,
    TargetId,
    Digest,
    ImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportRecord::Table)
                    // `person`, `mentorProfile`, `mentorship`, `checkIn`, `councilContact`.
                    .col(string(ImportRecord::Kind))
                    // The record's key in the file: its `externalId`, or for records without
                    // one the keys of what it belongs to (`m1@2025-11-02T17:00:00Z`).
                    .col(string(ImportRecord::Key))
                    // The row it became (a person, mentorship or check-in id).
                    .col(uuid(ImportRecord::TargetId))
                    // SHA-256 of the record as last imported: unchanged records are skipped.
                    .col(string(ImportRecord::Digest))
                    .col(timestamp_with_time_zone(ImportRecord::ImportedAt))
                    .primary_key(
                        Index::create()
                            .col(ImportRecord::Kind)
                            .col(ImportRecord::Key),
                    )
                    .to_owned(),
            )
            .await?;
        // Erasure finds a person's records by their rows.
        manager
            .create_index(
                Index::create()
                    .name("idx_import_record_target")
                    .table(ImportRecord::Table)
                    .col(ImportRecord::TargetId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportRecord::Table).to_owned())
            .await
    }
}
