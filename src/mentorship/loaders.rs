//! Loading mentorships and their check-in summary in batches.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{model::Mentorship, repo};
use crate::graphql::loaders::{DbLoader, LoadError};

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
