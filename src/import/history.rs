//! Mentorships and check-ins of an import, checked as the API checks them live: one
//! mentorship of a mentee at a time (with those already in the database), an active one
//! only with a live mentor, check-ins within their mentorship's span and never in the
//! future; a mentor over capacity is allowed and recorded as an override.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::mentorship;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use uuid::Uuid;

use super::{
    Code,
    lookup::{find_in, links},
    plan::{MentorshipRow, Plan, Write},
    record::{Line, MentorshipRecord, Record},
};
use crate::{error::AppResult, mentorship::model::MentorshipStatus};

/// A mentorship's people and span, from the file or the database.
#[derive(Clone, Copy, Debug)]
struct Span {
    id: Uuid,
    /// The file line, for a mentorship of the file.
    line: Option<usize>,
    mentor: Uuid,
    start: DateTime<Utc>,
    end: Option<DateTime<Utc>>,
}

impl Plan {
    pub(super) async fn mentorships(
        &mut self,
        conn: &impl ConnectionTrait,
        lines: Vec<&Line>,
    ) -> AppResult<()> {
        let keys: Vec<String> = lines.iter().map(|l| l.record.key()).collect();
        let remembered = links(conn, "mentorship", &keys).await?;
        let mut planned: Vec<(&Line, &MentorshipRecord, Span, Uuid)> = Vec::new();
        for line in lines {
            let Record::Mentorship(rec) = &line.record else {
                continue;
            };
            // Until planned: its check-ins are not reported as naming an unknown mentorship.
            self.invalid_mentorships.insert(rec.external_id.clone());
            let (Some(mentor), Some(mentee)) = (
                self.person(line, "mentor", &rec.mentor),
                self.person(line, "mentee", &rec.mentee),
            ) else {
                continue;
            };
            if self.erased.contains(&mentor) || self.erased.contains(&mentee) {
                self.skip(line);
                self.skipped_mentorships.insert(rec.external_id.clone());
                continue;
            }
            let future = [
                ("startedAt", Some(rec.started_at)),
                ("endedAt", rec.ended_at),
            ]
            .into_iter()
            .find(|(_, t)| t.is_some_and(|t| t > self.now));
            if let Some((field, _)) = future {
                self.refuse(line, field, Code::InTheFuture, "after the import runs");
                continue;
            }
            if rec.ended_at.is_none()
                && !self
                    .profiles_after
                    .get(&mentor)
                    .is_some_and(|(_, live)| *live)
            {
                self.refuse(
                    line,
                    "mentor",
                    Code::NotAMentor,
                    "an active mentorship needs a mentor with a live mentor profile",
                );
                continue;
            }
            let id = remembered
                .get(&rec.external_id)
                .map_or_else(Uuid::now_v7, |l| l.target_id);
            let span = Span {
                id,
                line: Some(line.number),
                mentor,
                start: rec.started_at,
                end: rec.ended_at,
            };
            planned.push((line, rec, span, mentee));
        }
        // What the database holds of these mentees and mentors, besides the file's own rows.
        let ours: HashSet<Uuid> = planned.iter().map(|p| p.2.id).collect();
        let mentees: HashSet<Uuid> = planned.iter().map(|p| p.3).collect();
        let mentors: HashSet<Uuid> = planned.iter().map(|p| p.2.mentor).collect();
        let others = |rows: Vec<mentorship::Model>| {
            rows.into_iter()
                .filter(|m| !ours.contains(&m.id))
                .collect::<Vec<_>>()
        };
        let of_mentees = others(
            find_in::<mentorship::Entity, _>(
                conn,
                mentorship::Column::MenteeId,
                mentees,
                Condition::all(),
            )
            .await?,
        );
        let active =
            Condition::all().add(mentorship::Column::Status.eq(MentorshipStatus::Active.as_str()));
        let of_mentors = others(
            find_in::<mentorship::Entity, _>(conn, mentorship::Column::MentorId, mentors, active)
                .await?,
        );
        let existing: HashSet<Uuid> = remembered.values().map(|l| l.target_id).collect();

        let overlapping = overlaps(&planned, &of_mentees);
        let over = over_capacity(&planned, &of_mentors, &self.profiles_after);
        for (line, rec, span, mentee) in planned {
            if let Some(other) = overlapping.get(&span.id) {
                let message = format!("the mentee has another mentorship at that time ({other})");
                self.refuse(line, "startedAt", Code::OverlappingMentorship, message);
                continue;
            }
            self.invalid_mentorships.remove(&rec.external_id);
            self.spans.insert(
                rec.external_id.clone(),
                (span.id, span.mentor, span.start, span.end),
            );
            let over_capacity = over.contains(&span.id);
            let exists = existing.contains(&span.id);
            if self.decide(line, remembered.get(&rec.external_id), span.id, exists) {
                self.over_capacity += usize::from(over_capacity);
                let row = MentorshipRow {
                    mentor_id: span.mentor,
                    mentee_id: mentee,
                    over_capacity,
                };
                self.mentorships.push(Write {
                    id: span.id,
                    create: !exists,
                    rec: (rec.clone(), row),
                });
            }
        }
        Ok(())
    }

    pub(super) async fn check_ins(
        &mut self,
        conn: &impl ConnectionTrait,
        lines: Vec<&Line>,
    ) -> AppResult<()> {
        let keys: Vec<String> = lines.iter().map(|l| l.record.key()).collect();
        let remembered = links(conn, "checkIn", &keys).await?;
        // Mentorships imported before and named here: their span from the database.
        let named: HashSet<String> = lines
            .iter()
            .filter_map(|l| match &l.record {
                Record::CheckIn(c) if !self.spans.contains_key(&c.mentorship) => {
                    Some(c.mentorship.clone())
                }
                _ => None,
            })
            .collect();
        let earlier = links(conn, "mentorship", &named).await?;
        let ids: Vec<Uuid> = earlier.values().map(|l| l.target_id).collect();
        let rows: HashMap<Uuid, mentorship::Model> =
            find_in::<mentorship::Entity, _>(conn, mentorship::Column::Id, ids, Condition::all())
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect();
        for (key, link) in &earlier {
            if let Some(m) = rows.get(&link.target_id) {
                let people_erased =
                    self.erased.contains(&m.mentor_id) || self.erased.contains(&m.mentee_id);
                if people_erased {
                    self.skipped_mentorships.insert(key.clone());
                } else {
                    self.spans
                        .insert(key.clone(), (m.id, m.mentor_id, m.started_at, m.ended_at));
                }
            }
        }
        for line in lines {
            let Record::CheckIn(rec) = &line.record else {
                continue;
            };
            let Some(&(mentorship_id, mentor, start, end)) = self.spans.get(&rec.mentorship) else {
                if self.skipped_mentorships.contains(&rec.mentorship) {
                    self.skip(line);
                } else if !self.invalid_mentorships.contains(&rec.mentorship) {
                    let message = format!(
                        "no mentorship {:?} in this file or imported before",
                        rec.mentorship
                    );
                    self.refuse(line, "mentorship", Code::UnknownReference, message);
                }
                continue;
            };
            if rec.held_at > self.now {
                self.refuse(line, "heldAt", Code::InTheFuture, "after the import runs");
                continue;
            }
            if rec.held_at < start || end.is_some_and(|e| rec.held_at > e) {
                self.refuse(
                    line,
                    "heldAt",
                    Code::OutsideMentorship,
                    "not within its mentorship's start and end",
                );
                continue;
            }
            let link = remembered.get(&line.record.key());
            let id = link.map_or_else(Uuid::now_v7, |l| l.target_id);
            if self.decide(line, link, id, link.is_some()) {
                self.check_ins.push(Write {
                    id,
                    create: link.is_none(),
                    rec: (rec.clone(), mentorship_id, mentor),
                });
            }
        }
        Ok(())
    }
}

/// The file's mentorships (by id) that overlap another of their mentee, with where that
/// other one is (a line, or the database).
fn overlaps(
    planned: &[(&Line, &MentorshipRecord, Span, Uuid)],
    db: &[mentorship::Model],
) -> HashMap<Uuid, String> {
    let mut by_mentee: HashMap<Uuid, Vec<Span>> = HashMap::new();
    for (_, _, span, mentee) in planned {
        by_mentee.entry(*mentee).or_default().push(*span);
    }
    for m in db {
        if let Some(spans) = by_mentee.get_mut(&m.mentee_id) {
            spans.push(Span {
                id: m.id,
                line: None,
                mentor: m.mentor_id,
                start: m.started_at,
                end: m.ended_at,
            });
        }
    }
    let place = |s: &Span| match s.line {
        Some(n) => format!("line {n}"),
        None => format!("one in the database since {}", s.start.format("%Y-%m-%d")),
    };
    let mut found = HashMap::new();
    for spans in by_mentee.values_mut() {
        spans.sort_by_key(|s| (s.start, s.id));
        // A re-assignment ends one and starts the next at the same instant: not an overlap.
        let mut reach: Option<Span> = None;
        for span in spans.iter() {
            if let Some(other) = reach
                && other.end.is_none_or(|e| e > span.start)
            {
                match (span.line, other.line) {
                    (Some(_), _) => found.insert(span.id, place(&other)),
                    (None, Some(_)) => found.insert(other.id, place(span)),
                    (None, None) => None, // the database's own business
                };
                continue;
            }
            reach = Some(*span);
        }
    }
    found
}

/// Active mentorships (by id) beyond their mentor's capacity, the latest started first over.
fn over_capacity(
    planned: &[(&Line, &MentorshipRecord, Span, Uuid)],
    db: &[mentorship::Model],
    profiles: &HashMap<Uuid, (i32, bool)>,
) -> HashSet<Uuid> {
    let mut by_mentor: HashMap<Uuid, Vec<(DateTime<Utc>, Uuid)>> = HashMap::new();
    for (_, _, span, _) in planned.iter().filter(|p| p.2.end.is_none()) {
        by_mentor
            .entry(span.mentor)
            .or_default()
            .push((span.start, span.id));
    }
    for m in db {
        by_mentor
            .entry(m.mentor_id)
            .or_default()
            .push((m.started_at, m.id));
    }
    let mut over = HashSet::new();
    for (mentor, mut active) in by_mentor {
        let capacity = profiles.get(&mentor).map_or(0, |(c, _)| *c);
        active.sort();
        let capacity = usize::try_from(capacity).unwrap_or(0);
        over.extend(active.into_iter().skip(capacity).map(|(_, id)| id));
    }
    over
}
