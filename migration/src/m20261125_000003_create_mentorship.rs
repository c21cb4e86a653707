//! `mentorship`: assignments with their full history.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Mentorship {
    Table,
    Id,
    MentorId,
    MenteeId,
    Status,
    StartedAt,
    EndedAt,
    EndReason,
    Note,
    EndNote,
    AssignedBy,
    EndedBy,
    OverCapacity,
}

fn person_fk(name: &str, column: Mentorship) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(Mentorship::Table, column)
        .to(Person::Table, Person::Id)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Mentorship::Table)
                    .col(pk_uuid(Mentorship::Id))
                    .col(uuid(Mentorship::MentorId))
                    .col(uuid(Mentorship::MenteeId))
                    .col(string(Mentorship::Status))
                    .col(timestamp_with_time_zone(Mentorship::StartedAt))
                    .col(timestamp_with_time_zone_null(Mentorship::EndedAt))
                    .col(string_null(Mentorship::EndReason))
                    .col(text_null(Mentorship::Note))
                    .col(text_null(Mentorship::EndNote))
                    .col(uuid_null(Mentorship::AssignedBy))
                    .col(uuid_null(Mentorship::EndedBy))
                    .col(boolean(Mentorship::OverCapacity).default(false))
                    // No self-mentoring, whatever code path writes the row.
                    .check(Expr::col(Mentorship::MentorId).ne(Expr::col(Mentorship::MenteeId)))
                    .foreign_key(&mut person_fk("fk_mentorship_mentor", Mentorship::MentorId))
                    .foreign_key(&mut person_fk("fk_mentorship_mentee", Mentorship::MenteeId))
                    .foreign_key(&mut person_fk(
                        "fk_mentorship_assigned_by",
                        Mentorship::AssignedBy,
                    ))
                    .foreign_key(&mut person_fk(
                        "fk_mentorship_ended_by",
                        Mentorship::EndedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        // The rule "a mentee has at most one active mentor", as the last line of defence under
        // concurrent assignments. Same syntax on SQLite and PostgreSQL.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_mentorship_active_mentee \
                 ON mentorship (mentee_id) WHERE status = 'ACTIVE'",
            )
            .await?;
        for (name, column) in [
            ("ix_mentorship_mentor", Mentorship::MentorId),
            ("ix_mentorship_mentee", Mentorship::MenteeId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Mentorship::Table)
                        .col(column)
                        .col(Mentorship::Status)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Mentorship::Table).to_owned())
            .await
    }
}
