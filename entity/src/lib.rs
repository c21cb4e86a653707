//! sea-orm entities: the shape of each table and nothing else.
//!
//! Business rules live in the server crate's domain modules; these types never reach GraphQL
//! (domain types do). They serialize, with camelCase keys, only for a person's data export.

pub mod announcement;
pub mod announcement_audience;
pub mod announcement_relay;
pub mod audit_log;
pub mod check_in;
pub mod council_contact;
pub mod idempotency_record;
pub mod import_record;
pub mod link_key;
pub mod mail_delivery;
pub mod mentor_alert;
pub mod mentor_application;
pub mod mentor_application_item;
pub mod mentor_call;
pub mod mentor_call_attendance;
pub mod mentor_profile;
pub mod mentorship;
pub mod notification;
pub mod onboarding_checklist_default;
pub mod onboarding_round;
pub mod persisted_query;
pub mod person;
pub mod reminder_sent;
pub mod role_guide;
pub mod role_guide_ack;
pub mod support_message;
pub mod support_request;
