//! `NotificationPreferences`, the object `Person.notificationPreferences` answers with.

use async_graphql::Object;

use crate::notifications::model::EmailPreference;

/// How notifications reach a person (visible to that person only).
pub struct NotificationPreferences {
    pub email: EmailPreference,
}

/// How notifications reach a person: by e-mail at once, in a daily digest, or not.
#[Object]
impl NotificationPreferences {
    /// By e-mail: IMMEDIATE, DAILY_DIGEST or OFF.
    async fn email(&self) -> EmailPreference {
        self.email
    }
}
