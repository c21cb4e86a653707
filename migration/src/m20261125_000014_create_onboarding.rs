//! Onboarding new mentors: `onboarding_round` (cohorts with dates), `mentor_application`,
//! its checklist `mentor_application_item`, and the council's default checklist
//! `onboarding_checklist_default` (seeded with the program's four steps).

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261125_000001_create_person::Person;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OnboardingRound {
    Table,
    Id,
    Name,
    OpensAt,
    ClosesAt,
    CreatedAt,
    CreatedBy,
}

#[derive(DeriveIden)]
enum MentorApplication {
    Table,
    Id,
    ApplicantId,
    RoundId,
    ContactId,
    Status,
    Motivation,
    Languages,
    Areas,
    Note,
    AppliedAt,
    UpdatedAt,
    CompletedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum MentorApplicationItem {
    Table,
    ApplicationId,
    Key,
    Position,
    Label,
    Automatic,
    DoneAt,
    DoneBy,
}

#[derive(DeriveIden)]
enum OnboardingChecklistDefault {
    Table,
    Key,
    Position,
    Label,
    Automatic,
}

/// The program's default steps: (key, label, ticked automatically).
const DEFAULTS: [(&str, &str, bool); 4] = [
    (
        "acknowledge-role-guide",
        "Read and acknowledge the mentor role guide",
        true,
    ),
    ("orientation-call", "Attend an orientation call", false),
    ("join-mentors-channel", "Join the mentors' channel", false),
    (
        "shadow-check-in",
        "Shadow a check-in with an experienced mentor",
        false,
    ),
];

fn person_fk(
    name: &str,
    from: (MentorApplication, MentorApplication),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
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
                    .table(OnboardingRound::Table)
                    .col(uuid(OnboardingRound::Id).primary_key())
                    .col(string(OnboardingRound::Name))
                    .col(timestamp_with_time_zone(OnboardingRound::OpensAt))
                    .col(timestamp_with_time_zone(OnboardingRound::ClosesAt))
                    .col(timestamp_with_time_zone(OnboardingRound::CreatedAt))
                    .col(uuid(OnboardingRound::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_onboarding_round_created_by")
                            .from(OnboardingRound::Table, OnboardingRound::CreatedBy)
                            .to(Person::Table, Person::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_onboarding_round_opens_at")
                    .table(OnboardingRound::Table)
                    .col(OnboardingRound::OpensAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MentorApplication::Table)
                    .col(uuid(MentorApplication::Id).primary_key())
                    .col(uuid(MentorApplication::ApplicantId))
                    .col(uuid_null(MentorApplication::RoundId))
                    .col(uuid_null(MentorApplication::ContactId))
                    .col(string(MentorApplication::Status))
                    .col(text(MentorApplication::Motivation))
                    .col(json(MentorApplication::Languages))
                    .col(json(MentorApplication::Areas))
                    .col(text_null(MentorApplication::Note))
                    .col(timestamp_with_time_zone(MentorApplication::AppliedAt))
                    .col(timestamp_with_time_zone(MentorApplication::UpdatedAt))
                    .col(timestamp_with_time_zone_null(
                        MentorApplication::CompletedAt,
                    ))
                    .col(timestamp_with_time_zone_null(MentorApplication::ClosedAt))
                    .foreign_key(&mut person_fk(
                        "fk_mentor_application_applicant",
                        (MentorApplication::Table, MentorApplication::ApplicantId),
                    ))
                    .foreign_key(&mut person_fk(
                        "fk_mentor_application_contact",
                        (MentorApplication::Table, MentorApplication::ContactId),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mentor_application_round")
                            .from(MentorApplication::Table, MentorApplication::RoundId)
                            .to(OnboardingRound::Table, OnboardingRound::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            (
                "ix_mentor_application_applicant",
                MentorApplication::ApplicantId,
            ),
            ("ix_mentor_application_round", MentorApplication::RoundId),
            ("ix_mentor_application_status", MentorApplication::Status),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(MentorApplication::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        // One open application per rep, enforced by the database so that two concurrent
        // applications cannot both pass the check.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_mentor_application_open ON mentor_application \
                 (applicant_id) WHERE status IN ('APPLIED', 'IN_REVIEW', 'ONBOARDING')",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MentorApplicationItem::Table)
                    .col(uuid(MentorApplicationItem::ApplicationId))
                    .col(string(MentorApplicationItem::Key))
                    .col(integer(MentorApplicationItem::Position))
                    .col(string(MentorApplicationItem::Label))
                    .col(boolean(MentorApplicationItem::Automatic))
                    .col(timestamp_with_time_zone_null(MentorApplicationItem::DoneAt))
                    .col(uuid_null(MentorApplicationItem::DoneBy))
                    .primary_key(
                        Index::create()
                            .col(MentorApplicationItem::ApplicationId)
                            .col(MentorApplicationItem::Key),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mentor_application_item_application")
                            .from(
                                MentorApplicationItem::Table,
                                MentorApplicationItem::ApplicationId,
                            )
                            .to(MentorApplication::Table, MentorApplication::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OnboardingChecklistDefault::Table)
                    .col(string(OnboardingChecklistDefault::Key).primary_key())
                    .col(integer(OnboardingChecklistDefault::Position))
                    .col(string(OnboardingChecklistDefault::Label))
                    .col(boolean(OnboardingChecklistDefault::Automatic))
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert();
        seed.into_table(OnboardingChecklistDefault::Table).columns([
            OnboardingChecklistDefault::Key,
            OnboardingChecklistDefault::Position,
            OnboardingChecklistDefault::Label,
            OnboardingChecklistDefault::Automatic,
        ]);
        for (position, (key, label, automatic)) in DEFAULTS.into_iter().enumerate() {
            seed.values([
                key.into(),
                (position as i32).into(),
                label.into(),
                automatic.into(),
            ])
            .map_err(|err| DbErr::Custom(err.to_string()))?;
        }
        manager.exec_stmt(seed).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OnboardingChecklistDefault::Table.into_iden(),
            MentorApplicationItem::Table.into_iden(),
            MentorApplication::Table.into_iden(),
            OnboardingRound::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
