//! `reminder_sent`: which check-in reminders went out, so each goes out once per cycle.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReminderSent {
    Table,
    MentorshipId,
    Kind,
    DueAt,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReminderSent::Table)
                    .col(uuid(ReminderSent::MentorshipId))
                    .col(string(ReminderSent::Kind))
                    // The due date of the cycle the reminder is for.
                    .col(timestamp_with_time_zone(ReminderSent::DueAt))
                    .col(timestamp_with_time_zone(ReminderSent::SentAt))
                    .primary_key(
                        Index::create()
                            .col(ReminderSent::MentorshipId)
                            .col(ReminderSent::Kind)
                            .col(ReminderSent::DueAt),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReminderSent::Table).to_owned())
            .await
    }
}
