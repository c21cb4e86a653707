//! `council_contact`: which council member handles which area, one row per area.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CouncilContact {
    Table,
    Area,
    PersonId,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CouncilContact::Table)
                    .col(string(CouncilContact::Area).primary_key())
                    .col(uuid(CouncilContact::PersonId))
                    .col(timestamp_with_time_zone(CouncilContact::UpdatedAt))
                    .col(uuid(CouncilContact::UpdatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_council_contact_person")
                            .from(CouncilContact::Table, CouncilContact::PersonId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CouncilContact::Table).to_owned())
            .await
    }
}
