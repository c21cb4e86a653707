//! `support_request` and `support_message`: a rep reaching out, and the thread.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SupportRequest {
    Table,
    Id,
    RequesterId,
    Recipient,
    AssignedMentorId,
    Category,
    Subject,
    Confidential,
    Status,
    RoutingNote,
    CreatedAt,
    FirstResponseAt,
    EscalatedAt,
    ResolvedAt,
    ResolvedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SupportMessage {
    Table,
    Id,
    RequestId,
    AuthorId,
    Body,
    CreatedAt,
}

fn person_fk(name: &str, column: SupportRequest) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(SupportRequest::Table, column)
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
                    .table(SupportRequest::Table)
                    .col(pk_uuid(SupportRequest::Id))
                    .col(uuid(SupportRequest::RequesterId))
                    .col(string(SupportRequest::Recipient))
                    .col(uuid_null(SupportRequest::AssignedMentorId))
                    .col(string(SupportRequest::Category))
                    .col(string(SupportRequest::Subject))
                    .col(boolean(SupportRequest::Confidential))
                    .col(string(SupportRequest::Status))
                    .col(string_null(SupportRequest::RoutingNote))
                    .col(timestamp_with_time_zone(SupportRequest::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        SupportRequest::FirstResponseAt,
                    ))
                    .col(timestamp_with_time_zone_null(SupportRequest::EscalatedAt))
                    .col(timestamp_with_time_zone_null(SupportRequest::ResolvedAt))
                    .col(uuid_null(SupportRequest::ResolvedBy))
                    .col(timestamp_with_time_zone(SupportRequest::UpdatedAt))
                    .foreign_key(&mut person_fk(
                        "fk_support_request_requester",
                        SupportRequest::RequesterId,
                    ))
                    .foreign_key(&mut person_fk(
                        "fk_support_request_mentor",
                        SupportRequest::AssignedMentorId,
                    ))
                    .foreign_key(&mut person_fk(
                        "fk_support_request_resolved_by",
                        SupportRequest::ResolvedBy,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_support_request_requester", SupportRequest::RequesterId),
            (
                "ix_support_request_mentor",
                SupportRequest::AssignedMentorId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(SupportRequest::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        // The escalation job scans unanswered open requests by age.
        manager
            .create_index(
                Index::create()
                    .name("ix_support_request_status_created")
                    .table(SupportRequest::Table)
                    .col(SupportRequest::Status)
                    .col(SupportRequest::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SupportMessage::Table)
                    .col(pk_uuid(SupportMessage::Id))
                    .col(uuid(SupportMessage::RequestId))
                    .col(uuid(SupportMessage::AuthorId))
                    .col(text(SupportMessage::Body))
                    .col(timestamp_with_time_zone(SupportMessage::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_message_request")
                            .from(SupportMessage::Table, SupportMessage::RequestId)
                            .to(SupportRequest::Table, SupportRequest::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_support_message_author")
                            .from(SupportMessage::Table, SupportMessage::AuthorId)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_support_message_request")
                    .table(SupportMessage::Table)
                    .col(SupportMessage::RequestId)
                    .col(SupportMessage::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SupportMessage::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(SupportRequest::Table).to_owned())
            .await
    }
}
