//! Mail delivery (a transactional outbox), notification preferences, calendar feed tokens
//! and the key that signs the links in mails and feeds.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MailDelivery {
    Table,
    Id,
    PersonId,
    Digest,
    DigestKey,
    Status,
    DueAt,
    Attempts,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    MailId,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    EmailPreference,
    CalendarFeedGeneration,
}

#[derive(DeriveIden)]
enum LinkKey {
    Table,
    Purpose,
    Secret,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MailDelivery::Table)
                    .col(uuid(MailDelivery::Id).primary_key())
                    .col(uuid(MailDelivery::PersonId))
                    // One mail for one notification, or the day's digest of several.
                    .col(boolean(MailDelivery::Digest))
                    // `person/due` of a digest, so concurrent notifications find one row.
                    .col(string_null(MailDelivery::DigestKey).unique_key())
                    // PENDING, SENT, FAILED, CANCELLED.
                    .col(string(MailDelivery::Status))
                    // When it may be (re)tried.
                    .col(timestamp_with_time_zone(MailDelivery::DueAt))
                    .col(integer(MailDelivery::Attempts))
                    // A worker claimed it until then; past it, another may (at-least-once).
                    .col(timestamp_with_time_zone_null(MailDelivery::LeaseUntil))
                    // The transport's last refusal, never the mail's content.
                    .col(string_null(MailDelivery::LastError))
                    .col(timestamp_with_time_zone(MailDelivery::CreatedAt))
                    .col(timestamp_with_time_zone_null(MailDelivery::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_delivery_due")
                    .table(MailDelivery::Table)
                    .col(MailDelivery::Status)
                    .col(MailDelivery::DueAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_delivery_person")
                    .table(MailDelivery::Table)
                    .col(MailDelivery::PersonId)
                    .to_owned(),
            )
            .await?;
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Notification::Table)
                    .add_column(uuid_null(Notification::MailId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_mail")
                    .table(Notification::Table)
                    .col(Notification::MailId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Person::Table)
                    .add_column(string(Person::EmailPreference).default("IMMEDIATE"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Person::Table)
                    .add_column(integer(Person::CalendarFeedGeneration).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LinkKey::Table)
                    .col(string(LinkKey::Purpose).primary_key())
                    .col(string(LinkKey::Secret))
                    .col(timestamp_with_time_zone(LinkKey::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LinkKey::Table).to_owned())
            .await?;
        for column in [Person::EmailPreference, Person::CalendarFeedGeneration] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Person::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_notification_mail")
                    .table(Notification::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notification::Table)
                    .drop_column(Notification::MailId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(MailDelivery::Table).to_owned())
            .await
    }
}
