//! Batched reads for call lists: the caller's invitation to each call, and each call's
//! attendance.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::mentor_call_attendance;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::model::Invitation;
use crate::{
    graphql::loaders::{DbLoader, LoadError},
    stored::read_all,
};

/// Key: (call, mentor) → that mentor's invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvitationOf(pub Uuid, pub Uuid);

impl Loader<InvitationOf> for DbLoader {
    type Value = Invitation;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[InvitationOf],
    ) -> Result<HashMap<InvitationOf, Self::Value>, LoadError> {
        let rows = mentor_call_attendance::Entity::find()
            .filter(mentor_call_attendance::Column::CallId.is_in(keys.iter().map(|k| k.0)))
            .filter(mentor_call_attendance::Column::MentorId.is_in(keys.iter().map(|k| k.1)))
            .all(&self.db)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(read_all::<_, Invitation>(rows)?
            .into_iter()
            .map(|r| (InvitationOf(r.call_id, r.mentor_id), r))
            .filter(|(k, _)| keys.contains(k))
            .collect())
    }
}

/// Key: a call → every invitation to it (the attendance of a page of calls in one
/// statement), in mentor order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AttendanceOf(pub Uuid);

impl Loader<AttendanceOf> for DbLoader {
    type Value = Vec<Invitation>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[AttendanceOf],
    ) -> Result<HashMap<AttendanceOf, Self::Value>, LoadError> {
        let rows = mentor_call_attendance::Entity::find()
            .filter(mentor_call_attendance::Column::CallId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(mentor_call_attendance::Column::MentorId)
            .all(&self.db)
            .await
            .map_err(crate::error::AppError::from)?;
        let mut out: HashMap<AttendanceOf, Self::Value> = HashMap::new();
        for row in read_all::<_, Invitation>(rows)? {
            out.entry(AttendanceOf(row.call_id)).or_default().push(row);
        }
        Ok(out)
    }
}
