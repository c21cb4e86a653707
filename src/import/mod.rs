//! `mentorship-api import FILE [--dry-run]`: a program's history from its old portal, as JSON
//! Lines keyed by the old system's ids (`docs/import.md` is the format).
//!
//! All or nothing: every line is parsed ([`record`]), then checked against the file and the
//! database with the API's rules ([`plan`]); one invalid line and nothing is written. Records
//! are remembered in `import_record` by kind and key with the digest of their line, so a
//! re-run changes nothing and a later file updates exactly the records whose line changed
//! (a field someone edited in the service since stays theirs until the file changes it).
//! History is written as it happened — no notifications, no reminders for the past — and
//! the run is one audit entry with its counts.

mod fields;
mod history;
mod lookup;
mod plan;
pub mod record;
mod write;

use std::{collections::BTreeMap, io::BufRead};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use crate::error::{AppError, AppResult};

/// Why a line is refused: a stable code for scripts, beside a message for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// Not a JSON object.
    InvalidJson,
    /// `type` is none of the five kinds.
    UnknownType,
    /// A field no kind has.
    UnknownField,
    /// A required field is absent or null.
    MissingField,
    /// A field of the wrong JSON type or refused by the API's rule for it.
    InvalidValue,
    /// A key the file already used for its kind, or an identity of another person.
    Duplicate,
    /// A person or mentorship neither in the file nor imported before.
    UnknownReference,
    /// A time after the import runs.
    InTheFuture,
    /// A check-in outside its mentorship's span.
    OutsideMentorship,
    /// Two mentorships of one mentee at once.
    OverlappingMentorship,
    /// An active mentorship whose mentor has no live mentor profile.
    NotAMentor,
    /// A point of contact who is not on the council.
    NotCouncil,
}

/// One refused line.
#[derive(Clone, Debug, Serialize)]
pub struct Invalid {
    /// From 1.
    pub line: usize,
    /// The field at fault, as spelt in the file; none for a line that is not JSON.
    pub field: Option<String>,
    pub code: Code,
    pub message: String,
}

/// What one kind of record did.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Records of a person who was erased: never brought back.
    pub skipped: usize,
}

/// The report printed on stdout.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub dry_run: bool,
    /// Whether the database was changed.
    pub written: bool,
    /// Records read (blank lines aside).
    pub records: usize,
    /// Per kind, in file vocabulary (`person`, `mentorProfile`, …).
    pub counts: BTreeMap<&'static str, Counts>,
    /// Active mentorships over their mentor's capacity, recorded as overrides.
    pub over_capacity: usize,
    /// Every refused line (the first problem of each), in line order.
    pub invalid: Vec<Invalid>,
}

/// Imports the JSON Lines of `source` into `db` at `now`; writes nothing when `dry_run` or
/// when any line is invalid (the report says which).
///
/// # Errors
/// Reading the source, or a database fault (then nothing is written either).
pub async fn run(
    db: &DatabaseConnection,
    source: impl BufRead,
    default_issuer: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> AppResult<Report> {
    let mut lines = Vec::new();
    let mut invalid = Vec::new();
    for (i, text) in source.lines().enumerate() {
        let text = text.map_err(|e| AppError::bad_input("FILE", format!("cannot read: {e}")))?;
        if text.trim().is_empty() {
            continue;
        }
        match record::parse(i + 1, &text, default_issuer) {
            Ok(line) => lines.push(line),
            Err(bad) => invalid.push(bad),
        }
    }
    let records = lines.len() + invalid.len();
    // Planning reads in the transaction that writes, so nothing changes in between.
    let txn = crate::db::begin_write(db).await?;
    let plan = plan::plan(&txn, lines, now).await?;
    invalid.extend(plan.invalid.iter().cloned());
    invalid.sort_by_key(|i| i.line);
    let written = invalid.is_empty() && !dry_run;
    let mut report = Report {
        dry_run,
        written,
        records,
        counts: plan.counts.clone(),
        over_capacity: plan.over_capacity,
        invalid,
    };
    if !written {
        txn.rollback().await?;
        if !report.invalid.is_empty() {
            // Nothing happens, so nothing is counted as done.
            report.counts.clear();
            report.over_capacity = 0;
        }
        return Ok(report);
    }
    write::write(&txn, plan, now).await?;
    txn.commit().await?;
    Ok(report)
}
