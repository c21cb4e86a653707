//! `role_guide` (versions of the mentor role guide) and `role_guide_ack` (who acknowledged
//! which version).

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RoleGuide {
    Table,
    Version,
    Title,
    Body,
    MentorsDo,
    MentorsDont,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum RoleGuideAck {
    Table,
    PersonId,
    Version,
    AcknowledgedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoleGuide::Table)
                    // The version number is the key: two concurrent publications cannot both
                    // become version N.
                    .col(integer(RoleGuide::Version).primary_key())
                    .col(string(RoleGuide::Title))
                    .col(text(RoleGuide::Body))
                    .col(json(RoleGuide::MentorsDo))
                    .col(json(RoleGuide::MentorsDont))
                    .col(timestamp_with_time_zone(RoleGuide::PublishedAt))
                    .col(uuid(RoleGuide::PublishedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_guide_published_by")
                            .from(RoleGuide::Table, RoleGuide::PublishedBy)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoleGuideAck::Table)
                    .col(uuid(RoleGuideAck::PersonId))
                    .col(integer(RoleGuideAck::Version))
                    .col(timestamp_with_time_zone(RoleGuideAck::AcknowledgedAt))
                    .primary_key(
                        Index::create()
                            .col(RoleGuideAck::PersonId)
                            .col(RoleGuideAck::Version),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_guide_ack_person")
                            .from(RoleGuideAck::Table, RoleGuideAck::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_guide_ack_version")
                            .from(RoleGuideAck::Table, RoleGuideAck::Version)
                            .to(RoleGuide::Table, RoleGuide::Version)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoleGuideAck::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RoleGuide::Table).to_owned())
            .await
    }
}
