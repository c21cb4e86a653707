//! Loading mentorships and their check-in summary in batches.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{model::Mentorship, repo, roster};
use crate::{
    graphql::{
        loaders::{DbLoader, LoadError, Loaders},
        pagination::loaded_count,
    },
    paging::{Page, TotalCount},
    people::{loaders::PersonKey, model::Person},
};

/// A page of a mentor's current mentees, as (mentorship id, mentee), limited in SQL: the
/// first page of every mentor in a list in one statement, a later page by keyset, the
/// total grouped and only when selected. The mentees' current mentorships are primed on the
/// way, so `currentMentorship` below costs nothing.
///
/// # Errors
/// A database fault.
pub async fn current_mentees(
    loaders: Arc<Loaders>,
    mentor: Uuid,
    page: &Page,
) -> Result<(Vec<(Uuid, Person)>, TotalCount), LoadError> {
    let window = match page.after {
        None => loaders
            .load_one(FirstActiveOfMentor(mentor, page.fetch()))
            .await?
            .unwrap_or_default(),
        // Boxed: see `graphql::pagination::nested_page`.
        Some(_) => Box::pin(roster::page_of_mentor(&loaders.loader().db, mentor, page)).await?,
    };
    let primed = window
        .iter()
        .map(|m| (ActiveOfMentee(m.mentee_id), m.clone()));
    loaders.feed_many(primed).await;
    let mut people = loaders
        .load_many(window.iter().map(|m| PersonKey(m.mentee_id)))
        .await?;
    // A mentee is in a mentor's window once: each person is moved out, not cloned.
    let rows = window
        .into_iter()
        .filter_map(|m| Some((m.id, people.remove(&PersonKey(m.mentee_id))?)))
        .collect();
    Ok((rows, loaded_count(loaders, ActiveCount(mentor))))
}

/// Key: a mentorship id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MentorshipKey(pub Uuid);

/// Key: a mentor's id → how many active mentorships they have (one grouped statement).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActiveCount(pub Uuid);

/// Key: (a mentor's id, rows wanted) → the first of their active mentorships, in id order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FirstActiveOfMentor(pub Uuid, pub u64);

/// Key: a mentee's id → their active mentorship, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActiveOfMentee(pub Uuid);

/// Key: a mentorship id → its latest held check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LastHeld(pub Uuid);

impl Loader<MentorshipKey> for DbLoader {
    type Value = Mentorship;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MentorshipKey],
    ) -> Result<HashMap<MentorshipKey, Mentorship>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(repo::find_many(&self.db, &ids)
            .await?
            .into_iter()
            .map(|m| (MentorshipKey(m.id), m))
            .collect())
    }
}

impl Loader<ActiveCount> for DbLoader {
    type Value = u64;
    type Error = LoadError;

    async fn load(&self, keys: &[ActiveCount]) -> Result<HashMap<ActiveCount, u64>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let counts = roster::counts(&self.db, &ids).await?;
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}

impl Loader<FirstActiveOfMentor> for DbLoader {
    type Value = Vec<Mentorship>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FirstActiveOfMentor],
    ) -> Result<HashMap<FirstActiveOfMentor, Vec<Mentorship>>, LoadError> {
        // One statement per page size asked for (a query asks for one or two).
        let mut out = HashMap::new();
        let mut sizes: Vec<u64> = keys.iter().map(|k| k.1).collect();
        sizes.sort_unstable();
        sizes.dedup();
        for fetch in sizes {
            let mentors: Vec<Uuid> = keys.iter().filter(|k| k.1 == fetch).map(|k| k.0).collect();
            let mut by_mentor: HashMap<Uuid, Vec<Mentorship>> =
                mentors.iter().map(|m| (*m, Vec::new())).collect();
            for m in roster::first_of_mentors(&self.db, &mentors, fetch).await? {
                by_mentor.entry(m.mentor_id).or_default().push(m);
            }
            out.extend(
                by_mentor
                    .into_iter()
                    .map(|(mentor, rows)| (FirstActiveOfMentor(mentor, fetch), rows)),
            );
        }
        Ok(out)
    }
}

impl Loader<ActiveOfMentee> for DbLoader {
    type Value = Mentorship;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ActiveOfMentee],
    ) -> Result<HashMap<ActiveOfMentee, Mentorship>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(repo::active_of_mentees(&self.db, &ids)
            .await?
            .into_iter()
            .map(|m| (ActiveOfMentee(m.mentee_id), m))
            .collect())
    }
}

impl Loader<LastHeld> for DbLoader {
    type Value = DateTime<Utc>;
    type Error = LoadError;

    async fn load(&self, keys: &[LastHeld]) -> Result<HashMap<LastHeld, DateTime<Utc>>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        Ok(repo::last_held(&self.db, &ids)
            .await?
            .into_iter()
            .map(|(id, at)| (LastHeld(id), at))
            .collect())
    }
}
