//! `mentor_profile`: the mentor side of a person (one-to-one).

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MentorProfile {
    Table,
    PersonId,
    Capacity,
    Status,
    AcceptingMentees,
    Bio,
    Expertise,
    OnboardedAt,
    BreakUntil,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MentorProfile::Table)
                    .col(pk_uuid(MentorProfile::PersonId))
                    .col(integer(MentorProfile::Capacity))
                    .col(string(MentorProfile::Status))
                    .col(boolean(MentorProfile::AcceptingMentees))
                    .col(text_null(MentorProfile::Bio))
                    .col(json(MentorProfile::Expertise))
                    .col(timestamp_with_time_zone(MentorProfile::OnboardedAt))
                    .col(timestamp_with_time_zone_null(MentorProfile::BreakUntil))
                    .col(timestamp_with_time_zone(MentorProfile::UpdatedAt))
                    .check(Expr::col(MentorProfile::Capacity).between(0, 50))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mentor_profile_person")
                            .from(MentorProfile::Table, MentorProfile::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MentorProfile::Table).to_owned())
            .await
    }
}
