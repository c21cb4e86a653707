//! `announcement`, its audience (who got it, whose reach counts) and its relays.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Announcement {
    Table,
    Id,
    Title,
    Body,
    Audience,
    Country,
    Language,
    RelayRequired,
    PublishedAt,
    PublishedBy,
    CallId,
}

#[derive(DeriveIden)]
enum AnnouncementAudience {
    Table,
    AnnouncementId,
    PersonId,
    Recipient,
    Target,
    AcknowledgedAt,
    RelayRemindedAt,
}

#[derive(DeriveIden)]
enum AnnouncementRelay {
    Table,
    AnnouncementId,
    MenteeId,
    MentorId,
    Channel,
    Note,
    RelayedAt,
}

fn fk(name: &str, from: (AnnouncementAudience, AnnouncementAudience)) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Person::Table, Person::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Announcement::Table)
                    .col(pk_uuid(Announcement::Id))
                    .col(string(Announcement::Title))
                    .col(text(Announcement::Body))
                    .col(string(Announcement::Audience))
                    .col(string_null(Announcement::Country))
                    .col(string_null(Announcement::Language))
                    .col(boolean(Announcement::RelayRequired))
                    .col(timestamp_with_time_zone(Announcement::PublishedAt))
                    .col(uuid(Announcement::PublishedBy))
                    // The mentor call whose outcome it carries, if any.
                    .col(uuid_null(Announcement::CallId))
                    .to_owned(),
            )
            .await?;
        // The audience is fixed when the announcement is published, so reach stays exact.
        manager
            .create_table(
                Table::create()
                    .table(AnnouncementAudience::Table)
                    .col(uuid(AnnouncementAudience::AnnouncementId))
                    .col(uuid(AnnouncementAudience::PersonId))
                    .col(boolean(AnnouncementAudience::Recipient))
                    .col(boolean(AnnouncementAudience::Target))
                    .col(timestamp_with_time_zone_null(
                        AnnouncementAudience::AcknowledgedAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        AnnouncementAudience::RelayRemindedAt,
                    ))
                    .primary_key(
                        Index::create()
                            .col(AnnouncementAudience::AnnouncementId)
                            .col(AnnouncementAudience::PersonId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_announcement_audience_announcement")
                            .from(
                                AnnouncementAudience::Table,
                                AnnouncementAudience::AnnouncementId,
                            )
                            .to(Announcement::Table, Announcement::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut fk(
                        "fk_announcement_audience_person",
                        (AnnouncementAudience::Table, AnnouncementAudience::PersonId),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnouncementRelay::Table)
                    .col(uuid(AnnouncementRelay::AnnouncementId))
                    .col(uuid(AnnouncementRelay::MenteeId))
                    .col(uuid(AnnouncementRelay::MentorId))
                    .col(string(AnnouncementRelay::Channel))
                    .col(text_null(AnnouncementRelay::Note))
                    .col(timestamp_with_time_zone(AnnouncementRelay::RelayedAt))
                    .primary_key(
                        Index::create()
                            .col(AnnouncementRelay::AnnouncementId)
                            .col(AnnouncementRelay::MenteeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_announcement_relay_announcement")
                            .from(AnnouncementRelay::Table, AnnouncementRelay::AnnouncementId)
                            .to(Announcement::Table, Announcement::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AnnouncementRelay::Table.into_iden(),
            AnnouncementAudience::Table.into_iden(),
            Announcement::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
