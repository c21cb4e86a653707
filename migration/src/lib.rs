//! Database migrations, one change per file, applied in order by [`Migrator`].
//!
//! Every migration runs identically on SQLite and PostgreSQL: portable column types from
//! sea-query, and raw SQL only where both dialects share the syntax (partial indexes).

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_person;
mod m20261125_000002_create_mentor_profile;
mod m20261125_000003_create_mentorship;
mod m20261125_000004_create_check_in;
mod m20261125_000005_create_audit_log;
mod m20261125_000006_create_notification;
mod m20261125_000007_create_council_contact;
mod m20261125_000008_create_support_request;
mod m20261125_000009_create_mentor_alert;
mod m20261125_000010_create_reminder_sent;
mod m20261125_000011_create_role_guide;
mod m20261125_000012_create_announcement;
mod m20261125_000013_create_mentor_call;
mod m20261125_000014_create_onboarding;
mod m20261202_000015_create_idempotency_record;
mod m20261202_000016_create_persisted_query;
mod m20261203_000017_create_import_record;
mod m20261203_000018_create_mail_delivery;

/// The ordered list of every migration of this service.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_person::Migration),
            Box::new(m20261125_000002_create_mentor_profile::Migration),
            Box::new(m20261125_000003_create_mentorship::Migration),
            Box::new(m20261125_000004_create_check_in::Migration),
            Box::new(m20261125_000005_create_audit_log::Migration),
            Box::new(m20261125_000006_create_notification::Migration),
            Box::new(m20261125_000007_create_council_contact::Migration),
            Box::new(m20261125_000008_create_support_request::Migration),
            Box::new(m20261125_000009_create_mentor_alert::Migration),
            Box::new(m20261125_000010_create_reminder_sent::Migration),
            Box::new(m20261125_000011_create_role_guide::Migration),
            Box::new(m20261125_000012_create_announcement::Migration),
            Box::new(m20261125_000013_create_mentor_call::Migration),
            Box::new(m20261125_000014_create_onboarding::Migration),
            Box::new(m20261202_000015_create_idempotency_record::Migration),
            Box::new(m20261202_000016_create_persisted_query::Migration),
            Box::new(m20261203_000017_create_import_record::Migration),
            Box::new(m20261203_000018_create_mail_delivery::Migration),
        ]
    }
}
