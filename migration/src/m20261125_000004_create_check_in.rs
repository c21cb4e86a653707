//! `check_in`: touch-base meetings of a mentorship.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;
use super::m20261125_000003_create_mentorship::Mentorship;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CheckIn {
    Table,
    Id,
    MentorshipId,
    Status,
    ScheduledFor,
    HeldAt,
    Agenda,
    MenteePlans,
    SupportNeeds,
    Notes,
    CancelReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CheckIn::Table)
                    .col(pk_uuid(CheckIn::Id))
                    .col(uuid(CheckIn::MentorshipId))
                    .col(string(CheckIn::Status))
                    .col(timestamp_with_time_zone_null(CheckIn::ScheduledFor))
                    .col(timestamp_with_time_zone_null(CheckIn::HeldAt))
                    .col(text_null(CheckIn::Agenda))
                    .col(text_null(CheckIn::MenteePlans))
                    .col(text_null(CheckIn::SupportNeeds))
                    .col(text_null(CheckIn::Notes))
                    .col(text_null(CheckIn::CancelReason))
                    .col(uuid(CheckIn::CreatedBy))
                    .col(timestamp_with_time_zone(CheckIn::CreatedAt))
                    .col(timestamp_with_time_zone(CheckIn::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_check_in_mentorship")
                            .from(CheckIn::Table, CheckIn::MentorshipId)
                            .to(Mentorship::Table, Mentorship::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_check_in_created_by")
                            .from(CheckIn::Table, CheckIn::CreatedBy)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // Due dates read the latest held meeting per mentorship.
        manager
            .create_index(
                Index::create()
                    .name("ix_check_in_mentorship_status_held")
                    .table(CheckIn::Table)
                    .col(CheckIn::MentorshipId)
                    .col(CheckIn::Status)
                    .col(CheckIn::HeldAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CheckIn::Table).to_owned())
            .await
    }
}
