//! `mentor_alert`: a mentor telling the council they are overwhelmed, need a break or step
//! down, or the system noticing a mentor's inactivity.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MentorAlert {
    Table,
    Id,
    MentorId,
    Kind,
    Message,
    ReturnOn,
    Status,
    CreatedAt,
    HandledBy,
    HandledAt,
    Resolution,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MentorAlert::Table)
                    .col(pk_uuid(MentorAlert::Id))
                    .col(uuid(MentorAlert::MentorId))
                    .col(string(MentorAlert::Kind))
                    .col(text_null(MentorAlert::Message))
                    .col(timestamp_with_time_zone_null(MentorAlert::ReturnOn))
                    .col(string(MentorAlert::Status))
                    .col(timestamp_with_time_zone(MentorAlert::CreatedAt))
                    .col(uuid_null(MentorAlert::HandledBy))
                    .col(timestamp_with_time_zone_null(MentorAlert::HandledAt))
                    .col(text_null(MentorAlert::Resolution))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mentor_alert_mentor")
                            .from(MentorAlert::Table, MentorAlert::MentorId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // One open alert per mentor and kind: an inactivity episode is reported once, also
        // when two instances run the detection at the same moment.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_mentor_alert_open ON mentor_alert (mentor_id, kind) \
                 WHERE status = 'OPEN'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MentorAlert::Table).to_owned())
            .await
    }
}
