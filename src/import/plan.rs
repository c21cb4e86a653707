//! From parsed lines to the writes an import makes: every reference resolved (to the file or
//! to what an earlier import remembered), every rule across records checked, and each record
//! sorted into created, updated, unchanged (its line's digest is the remembered one) or
//! skipped (it concerns an erased person). People, profiles and contacts here; mentorships
//! and check-ins in [`super::history`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{import_record, mentor_profile, person};
use sea_orm::{Condition, ConnectionTrait};
use uuid::Uuid;

use super::{
    Code, Counts, Invalid,
    lookup::{find_in, links},
    record::{ContactRecord, KINDS, Line, PersonRecord, ProfileRecord, Record},
};
use crate::{auth::Role, error::AppResult, people::model::PersonStatus};

/// A row to insert (`create`) or update.
#[derive(Clone, Debug)]
pub struct Write<T> {
    /// The row's id (a person's for a profile).
    pub id: Uuid,
    pub create: bool,
    pub rec: T,
}

/// A mentorship with its people resolved.
#[derive(Clone, Debug)]
pub struct MentorshipRow {
    pub mentor_id: Uuid,
    pub mentee_id: Uuid,
    pub over_capacity: bool,
}

/// A mentorship's id, mentor, start and end.
pub type MentorshipSpan = (Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>);

/// Everything an import writes, and what it found wrong.
#[derive(Default)]
pub struct Plan {
    pub people: Vec<Write<PersonRecord>>,
    pub profiles: Vec<Write<ProfileRecord>>,
    pub mentorships: Vec<Write<(super::record::MentorshipRecord, MentorshipRow)>>,
    /// With the mentorship's id and its mentor (who records check-ins).
    pub check_ins: Vec<Write<(super::record::CheckInRecord, Uuid, Uuid)>>,
    pub contacts: Vec<(ContactRecord, Uuid)>,
    /// The records to remember (created or changed).
    pub links: Vec<import_record::Model>,
    pub counts: BTreeMap<&'static str, Counts>,
    pub over_capacity: usize,
    pub invalid: Vec<Invalid>,
    /// Resolved people: file key → row id.
    pub(super) person_ids: HashMap<String, Uuid>,
    /// People whose records are skipped.
    pub(super) erased: HashSet<Uuid>,
    /// People on the council (their token or their record says so).
    pub(super) council: HashSet<Uuid>,
    /// Mentor profiles after the import, by person: (capacity, live).
    pub(super) profiles_after: HashMap<Uuid, (i32, bool)>,
    pub(super) now: DateTime<Utc>,
    /// Mentorships by file key: (id, mentor, start, end), from the file or the database.
    pub(super) spans: HashMap<String, MentorshipSpan>,
    /// Mentorship keys skipped (an erased person) or refused: their check-ins follow them.
    pub(super) skipped_mentorships: HashSet<String>,
    pub(super) invalid_mentorships: HashSet<String>,
}

/// Plans the import of `lines` on `conn` (the import's transaction).
///
/// # Errors
/// A database fault.
pub async fn plan(
    conn: &impl ConnectionTrait,
    lines: Vec<Line>,
    now: DateTime<Utc>,
) -> AppResult<Plan> {
    let mut plan = Plan {
        now,
        counts: KINDS.iter().map(|k| (*k, Counts::default())).collect(),
        ..Plan::default()
    };
    let lines = plan.without_duplicates(lines);
    let by_kind = |kind: &'static str| lines.iter().filter(move |l| l.record.kind() == kind);
    let named = referenced_people(&lines);
    plan.people(conn, by_kind("person").collect(), named)
        .await?;
    plan.profiles(conn, by_kind("mentorProfile").collect())
        .await?;
    plan.mentorships(conn, by_kind("mentorship").collect())
        .await?;
    plan.check_ins(conn, by_kind("checkIn").collect()).await?;
    plan.contacts(conn, by_kind("councilContact").collect())
        .await?;
    Ok(plan)
}

impl Plan {
    pub(super) fn refuse(
        &mut self,
        line: &Line,
        field: &str,
        code: Code,
        message: impl Into<String>,
    ) {
        self.invalid.push(Invalid {
            line: line.number,
            field: Some(field.to_owned()),
            code,
            message: message.into(),
        });
    }

    /// Counts `line` and, unless unchanged, remembers it as `target`; returns whether it is
    /// to be written.
    pub(super) fn decide(
        &mut self,
        line: &Line,
        link: Option<&import_record::Model>,
        target: Uuid,
        exists: bool,
    ) -> bool {
        let counts = self.counts.entry(line.record.kind()).or_default();
        if link.is_some_and(|l| l.digest == line.digest && l.target_id == target) {
            counts.unchanged += 1;
            return false;
        }
        if exists {
            counts.updated += 1;
        } else {
            counts.created += 1;
        }
        self.links.push(import_record::Model {
            kind: line.record.kind().to_owned(),
            key: line.record.key(),
            target_id: target,
            digest: line.digest.clone(),
            imported_at: self.now,
        });
        true
    }

    pub(super) fn skip(&mut self, line: &Line) {
        self.counts.entry(line.record.kind()).or_default().skipped += 1;
    }

    /// A later line with the key of an earlier one of its kind is refused.
    fn without_duplicates(&mut self, lines: Vec<Line>) -> Vec<Line> {
        let mut seen: HashMap<(&'static str, String), usize> = HashMap::new();
        let mut kept = Vec::with_capacity(lines.len());
        for line in lines {
            let key = (line.record.kind(), line.record.key());
            if let Some(first) = seen.get(&key) {
                let field = match &line.record {
                    Record::Person(_) | Record::Mentorship(_) => "externalId",
                    Record::MentorProfile(_) => "person",
                    Record::CheckIn(_) => "heldAt",
                    Record::CouncilContact(_) => "area",
                };
                let message = format!("the same {} as line {first}", line.record.kind());
                self.refuse(&line, field, Code::Duplicate, message);
                continue;
            }
            seen.insert(key, line.number);
            kept.push(line);
        }
        kept
    }

    /// A person named by a record: from the file, or imported before.
    pub(super) fn person(&mut self, line: &Line, field: &str, key: &str) -> Option<Uuid> {
        let id = self.person_ids.get(key).copied();
        if id.is_none() {
            let message = format!("no person {key:?} in this file or imported before");
            self.refuse(line, field, Code::UnknownReference, message);
        }
        id
    }

    /// The person a record of theirs names in `person`, unless unknown (refused) or erased
    /// (the record is skipped).
    fn live_person(&mut self, line: &Line, key: &str) -> Option<Uuid> {
        let id = self.person(line, "person", key)?;
        if self.erased.contains(&id) {
            self.skip(line);
            return None;
        }
        Some(id)
    }

    async fn people(
        &mut self,
        conn: &impl ConnectionTrait,
        lines: Vec<&Line>,
        named: Vec<String>,
    ) -> AppResult<()> {
        let records: Vec<(&Line, &PersonRecord)> = lines
            .iter()
            .filter_map(|l| match &l.record {
                Record::Person(p) => Some((*l, p)),
                _ => None,
            })
            .collect();
        // Every person key the file defines or names, and what earlier imports remember.
        let mut keys: HashSet<String> =
            records.iter().map(|(_, p)| p.external_id.clone()).collect();
        keys.extend(named);
        let remembered = links(conn, "person", &keys).await?;
        let subjects: Vec<String> = records.iter().map(|(_, p)| p.subject.clone()).collect();
        let mut rows: HashMap<Uuid, person::Model> = HashMap::new();
        for row in
            find_in::<person::Entity, _>(conn, person::Column::Subject, subjects, Condition::all())
                .await?
        {
            rows.insert(row.id, row);
        }
        let targets: Vec<Uuid> = remembered.values().map(|l| l.target_id).collect();
        for row in find_in::<person::Entity, _>(conn, person::Column::Id, targets, Condition::all())
            .await?
        {
            rows.insert(row.id, row);
        }
        let identity: HashMap<(&str, &str), Uuid> = rows
            .values()
            .map(|r| ((r.issuer.as_str(), r.subject.as_str()), r.id))
            .collect();
        let erased = PersonStatus::Erased.as_str();
        self.erased = rows
            .values()
            .filter(|r| r.status == erased)
            .map(|r| r.id)
            .collect();
        for (key, link) in &remembered {
            self.person_ids.insert(key.clone(), link.target_id);
        }
        let mut taken: HashMap<Uuid, usize> = HashMap::new();
        for (line, rec) in records {
            let link = remembered.get(&rec.external_id);
            // Erased stays erased, even once the same identity signed in as someone new.
            if let Some(gone) = link
                .map(|l| l.target_id)
                .filter(|t| self.erased.contains(t))
            {
                self.person_ids.insert(rec.external_id.clone(), gone);
                self.skip(line);
                continue;
            }
            let holder = identity
                .get(&(rec.issuer.as_str(), rec.subject.as_str()))
                .copied();
            let id = match (link.map(|l| l.target_id), holder) {
                (Some(linked), Some(other)) if linked != other => {
                    self.refuse(
                        line,
                        "subject",
                        Code::Duplicate,
                        "this identity belongs to another person",
                    );
                    continue;
                }
                (Some(id), _) | (None, Some(id)) => id,
                (None, None) => Uuid::now_v7(),
            };
            if let Some(first) = taken.insert(id, line.number) {
                let message = format!("the same person (issuer and subject) as line {first}");
                self.refuse(line, "subject", Code::Duplicate, message);
                continue;
            }
            self.person_ids.insert(rec.external_id.clone(), id);
            if rec.joined_at > self.now {
                self.refuse(line, "joinedAt", Code::InTheFuture, "after the import runs");
                continue;
            }
            if rec.roles.contains(&Role::Council) {
                self.council.insert(id);
            }
            let exists = rows.contains_key(&id);
            if self.decide(line, link, id, exists) {
                self.people.push(Write {
                    id,
                    create: !exists,
                    rec: rec.clone(),
                });
            }
        }
        let council = Role::Council.as_str();
        self.council.extend(
            rows.values()
                .filter(|r| {
                    r.token_roles
                        .as_array()
                        .is_some_and(|a| a.iter().any(|v| v == council))
                })
                .map(|r| r.id),
        );
        Ok(())
    }

    async fn profiles(&mut self, conn: &impl ConnectionTrait, lines: Vec<&Line>) -> AppResult<()> {
        let keys: Vec<String> = lines.iter().map(|l| l.record.key()).collect();
        let remembered = links(conn, "mentorProfile", &keys).await?;
        // Profiles of every person the file profiles or names as a mentor.
        let mut ids: HashSet<Uuid> = self.person_ids.values().copied().collect();
        ids.retain(|id| !self.erased.contains(id));
        let existing: HashMap<Uuid, mentor_profile::Model> = find_in::<mentor_profile::Entity, _>(
            conn,
            mentor_profile::Column::PersonId,
            ids,
            Condition::all(),
        )
        .await?
        .into_iter()
        .map(|p| (p.person_id, p))
        .collect();
        let retired = crate::mentor::model::MentorStatus::Retired.as_str();
        self.profiles_after = existing
            .values()
            .map(|p| (p.person_id, (p.capacity, p.status != retired)))
            .collect();
        for line in lines {
            let Record::MentorProfile(rec) = &line.record else {
                continue;
            };
            let Some(id) = self.live_person(line, &rec.person) else {
                continue;
            };
            if rec.onboarded_at.is_some_and(|t| t > self.now) {
                self.refuse(
                    line,
                    "onboardedAt",
                    Code::InTheFuture,
                    "after the import runs",
                );
                continue;
            }
            let live = rec.status != crate::mentor::model::MentorStatus::Retired;
            self.profiles_after.insert(id, (rec.capacity, live));
            let exists = existing.contains_key(&id);
            if self.decide(line, remembered.get(&rec.person), id, exists) {
                self.profiles.push(Write {
                    id,
                    create: !exists,
                    rec: rec.clone(),
                });
            }
        }
        Ok(())
    }

    async fn contacts(&mut self, conn: &impl ConnectionTrait, lines: Vec<&Line>) -> AppResult<()> {
        let keys: Vec<String> = lines.iter().map(|l| l.record.key()).collect();
        let remembered = links(conn, "councilContact", &keys).await?;
        for line in lines {
            let Record::CouncilContact(rec) = &line.record else {
                continue;
            };
            let Some(id) = self.live_person(line, &rec.person) else {
                continue;
            };
            if !self.council.contains(&id) {
                self.refuse(
                    line,
                    "person",
                    Code::NotCouncil,
                    "only a council member can be a point of contact",
                );
                continue;
            }
            let link = remembered.get(&line.record.key());
            if self.decide(line, link, id, link.is_some()) {
                self.contacts.push((rec.clone(), id));
            }
        }
        Ok(())
    }
}

/// The person keys that records of other kinds name.
fn referenced_people(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| match &l.record {
            Record::MentorProfile(p) => vec![p.person.clone()],
            Record::Mentorship(m) => vec![m.mentor.clone(), m.mentee.clone()],
            Record::CouncilContact(c) => vec![c.person.clone()],
            Record::Person(_) | Record::CheckIn(_) => vec![],
        })
        .collect()
}
