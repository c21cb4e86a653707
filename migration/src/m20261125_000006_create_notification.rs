//! `notification`: each person's in-app inbox.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    PersonId,
    Kind,
    Title,
    Body,
    SubjectId,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(pk_uuid(Notification::Id))
                    .col(uuid(Notification::PersonId))
                    .col(string(Notification::Kind))
                    .col(string(Notification::Title))
                    .col(text(Notification::Body))
                    .col(uuid_null(Notification::SubjectId))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_person")
                            .from(Notification::Table, Notification::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The inbox reads one person's newest first, often unread only.
        manager
            .create_index(
                Index::create()
                    .name("ix_notification_person_read")
                    .table(Notification::Table)
                    .col(Notification::PersonId)
                    .col(Notification::ReadAt)
                    .col(Notification::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Notification::Table).to_owned())
            .await
    }
}
