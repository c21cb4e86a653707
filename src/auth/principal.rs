//! Who is calling: a person with program roles, or a machine client with scopes.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

/// A program role. MENTEE and COUNCIL come from the token; MENTOR from the token or from an
/// active mentor profile in the database.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Every rep.
    Mentee,
    /// A rep who mentors.
    Mentor,
    /// Administers mentorship.
    Council,
}

impl Role {
    /// The role's name as written in configuration and stored rows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mentee => "mentee",
            Self::Mentor => "mentor",
            Self::Council => "council",
        }
    }

    /// Parses a role name, case-insensitively.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "mentee" => Some(Self::Mentee),
            "mentor" => Some(Self::Mentor),
            "council" => Some(Self::Council),
            _ => None,
        }
    }
}

/// Person or machine: decided by whether the token maps to any program role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A rep, mentor or council member.
    Person,
    /// A script acting with client credentials; its rights are exactly its scopes.
    Machine {
        /// `azp`, `client_id` or, failing both, `sub`.
        client_id: String,
    },
}

/// Profile claims used to create a person on first sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenProfile {
    /// `name`, else `preferred_username`.
    pub name: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `zoneinfo` (IANA time zone).
    pub zoneinfo: Option<String>,
    /// `locale`.
    pub locale: Option<String>,
}

/// A verified caller. Never holds the raw token.
#[derive(Clone, Debug)]
pub struct Principal {
    /// `iss`.
    pub issuer: String,
    /// `sub`.
    pub subject: String,
    /// Person or machine.
    pub kind: PrincipalKind,
    /// Program roles from the token (through the role map).
    pub roles: BTreeSet<Role>,
    /// OAuth scopes from `scope` or `scp`.
    pub scopes: BTreeSet<String>,
    /// Profile claims.
    pub profile: TokenProfile,
    /// `exp`: when the token, and any socket opened with it, stops being valid.
    pub expires_at: DateTime<Utc>,
}

impl Principal {
    /// Whether the token carries `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// A short label for logs and the audit trail (no personal data).
    pub fn label(&self) -> String {
        match &self.kind {
            PrincipalKind::Person => format!("person:{}", self.subject),
            PrincipalKind::Machine { client_id } => format!("client:{client_id}"),
        }
    }
}
