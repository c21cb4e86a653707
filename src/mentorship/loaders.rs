//! Loading mentorships and their check-in summary in batches.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{model::Mentorship, repo};
use crate::{
    graphql::loaders::{DbLoader, LoadError, Loaders},
    paging::{Page, TotalCount},
    people::{loaders::PersonKey, model::Person},
};

/// A page of a mentor's current mentees, as (mentorship id, mentee), from the request's
/// loaders: one statement for the mentorships of every mentor in a list, one for their
/// mentees. Capacity bounds the list, so it is paged in memory; the mentees' current
/// mentorships are primed on the way, so `currentMentorship` below costs nothing.
///
/// # Errors
/// A database fault.
pub async fn current_mentees(
    loaders: &Loaders,
    mentor: Uuid,
    page: &Page,
) -> Result<(Vec<(Uuid, Person)>, TotalCount), LoadError> {
    let active = loaders
        .load_one(ActiveOfMentor(mentor))
        .await?
        .unwrap_or_default();
    let primed = active
        .iter()
        .map(|m| (ActiveOfMentee(m.mentee_id), m.clone()));
    loaders.feed_many(primed).await;
    let total = TotalCount::known(active.len());
    let window = page.slice(active, |m| m.id);
    let people = loaders
        .load_many(window.iter().map(|m| PersonKey(m.mentee_id)))
        .await?;
    let rows = window
        .into_iter()
        .filter_map(|m| Some((m.id, people.get(&PersonKey(m.mentee_id))?.clone())))
        .collect();
    Ok((rows, total))
}

/// Key: a mentorship id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MentorshipKey(pub Uuid);

/// Key: a mentor's id → their active mentorships (in id order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActiveOfMentor(pub Uuid);

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

impl Loader<ActiveOfMentor> for DbLoader {
    type Value = Vec<Mentorship>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ActiveOfMentor],
    ) -> Result<HashMap<ActiveOfMentor, Vec<Mentorship>>, LoadError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let mut by_mentor: HashMap<ActiveOfMentor, Vec<Mentorship>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for m in repo::active_of_mentors(&self.db, &ids).await? {
            by_mentor
                .entry(ActiveOfMentor(m.mentor_id))
                .or_default()
                .push(m);
        }
        Ok(by_mentor)
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
