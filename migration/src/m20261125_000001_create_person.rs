//! `person`: one row per (issuer, subject) pair.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Person {
    Table,
    Id,
    Issuer,
    Subject,
    DisplayName,
    Email,
    Country,
    Languages,
    Timezone,
    Locale,
    Bio,
    TokenRoles,
    Status,
    JoinedAt,
    LastActiveAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Person::Table)
                    .col(pk_uuid(Person::Id))
                    .col(string(Person::Issuer))
                    .col(string(Person::Subject))
                    .col(string(Person::DisplayName))
                    .col(string_null(Person::Email))
                    .col(string_null(Person::Country))
                    .col(json(Person::Languages))
                    .col(string_null(Person::Timezone))
                    .col(string_null(Person::Locale))
                    .col(text_null(Person::Bio))
                    .col(json(Person::TokenRoles))
                    .col(string(Person::Status))
                    .col(timestamp_with_time_zone(Person::JoinedAt))
                    .col(timestamp_with_time_zone_null(Person::LastActiveAt))
                    .col(timestamp_with_time_zone(Person::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // The identity of a person: one row per subject of one issuer, also under a burst of
        // concurrent first sign-ins.
        manager
            .create_index(
                Index::create()
                    .name("ux_person_issuer_subject")
                    .table(Person::Table)
                    .col(Person::Issuer)
                    .col(Person::Subject)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Person::Table).to_owned())
            .await
    }
}
