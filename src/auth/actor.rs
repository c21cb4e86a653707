//! The caller as the domain sees them: a known person (with effective roles from token and
//! database) or a machine client. Resolved once per request.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::Role;

/// A person acting: their row id and effective roles.
#[derive(Clone, Debug)]
pub struct PersonActor {
    /// `person.id`.
    pub id: Uuid,
    /// Token roles, plus MENTOR for a mentor profile that is not retired.
    pub roles: BTreeSet<Role>,
}

impl PersonActor {
    /// Whether the person has `role` now.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Who is acting in this request.
#[derive(Clone, Debug)]
pub enum Actor {
    /// A rep, mentor or council member.
    Person(PersonActor),
    /// A script with client credentials.
    Machine {
        /// The client id.
        client_id: String,
        /// Its scopes: its only rights.
        scopes: BTreeSet<String>,
    },
}

impl Actor {
    /// The person, if a person is acting.
    pub fn person(&self) -> Option<&PersonActor> {
        match self {
            Self::Person(p) => Some(p),
            Self::Machine { .. } => None,
        }
    }

    /// The label written to the audit log.
    pub fn label(&self) -> String {
        match self {
            Self::Person(p) => format!("person:{}", p.id),
            Self::Machine { client_id, .. } => format!("client:{client_id}"),
        }
    }
}
