//! `persisted_query`: documents registered by Apollo's automatic persisted queries, by their
//! SHA-256, shared by every instance.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PersistedQuery {
    Table,
    Hash,
    Document,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PersistedQuery::Table)
                    // Lowercase hex SHA-256 of the document, as clients send it.
                    .col(string(PersistedQuery::Hash).primary_key())
                    .col(text(PersistedQuery::Document))
                    .col(timestamp_with_time_zone(PersistedQuery::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PersistedQuery::Table).to_owned())
            .await
    }
}
