//! `mentor_call` and `mentor_call_attendance`: council calls with mentors, RSVPs and who
//! attended.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MentorCall {
    Table,
    Id,
    ScheduledFor,
    Agenda,
    Link,
    Status,
    Minutes,
    ActionItems,
    CreatedBy,
    CreatedAt,
    RecordedAt,
}

#[derive(DeriveIden)]
enum MentorCallAttendance {
    Table,
    CallId,
    MentorId,
    Rsvp,
    Attended,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MentorCall::Table)
                    .col(pk_uuid(MentorCall::Id))
                    .col(timestamp_with_time_zone(MentorCall::ScheduledFor))
                    .col(text(MentorCall::Agenda))
                    .col(string_null(MentorCall::Link))
                    .col(string(MentorCall::Status))
                    .col(text_null(MentorCall::Minutes))
                    .col(json(MentorCall::ActionItems))
                    .col(uuid(MentorCall::CreatedBy))
                    .col(timestamp_with_time_zone(MentorCall::CreatedAt))
                    .col(timestamp_with_time_zone_null(MentorCall::RecordedAt))
                    .to_owned(),
            )
            .await?;
        // Invitations are fixed when the call is scheduled: every mentor of that moment.
        manager
            .create_table(
                Table::create()
                    .table(MentorCallAttendance::Table)
                    .col(uuid(MentorCallAttendance::CallId))
                    .col(uuid(MentorCallAttendance::MentorId))
                    .col(string_null(MentorCallAttendance::Rsvp))
                    .col(boolean_null(MentorCallAttendance::Attended))
                    .primary_key(
                        Index::create()
                            .col(MentorCallAttendance::CallId)
                            .col(MentorCallAttendance::MentorId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_call_attendance_call")
                            .from(MentorCallAttendance::Table, MentorCallAttendance::CallId)
                            .to(MentorCall::Table, MentorCall::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_call_attendance_mentor")
                            .from(MentorCallAttendance::Table, MentorCallAttendance::MentorId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MentorCallAttendance::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(MentorCall::Table).to_owned())
            .await
    }
}
