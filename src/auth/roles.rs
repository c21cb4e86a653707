//! From token claims to program roles: where the roles are (a claim name or a JSON Pointer)
//! and what they are called at the identity provider (the role map).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Role;
use crate::config::ConfigError;

/// Where the role names sit in the claims.
#[derive(Clone, Debug)]
pub enum ClaimPath {
    /// A top-level claim, possibly a URL (`roles`, `https://example.org/roles`).
    TopLevel(String),
    /// A JSON Pointer into nested claims (`/realm_access/roles`).
    Pointer(String),
}

impl ClaimPath {
    /// A leading `/` means JSON Pointer; anything else is a claim name.
    pub fn parse(spec: &str) -> Self {
        let spec = spec.trim();
        if spec.starts_with('/') {
            Self::Pointer(spec.to_owned())
        } else {
            Self::TopLevel(spec.to_owned())
        }
    }

    /// The role names found there: an array of strings, or one space-separated string.
    pub fn values(&self, claims: &Value) -> Vec<String> {
        let found = match self {
            Self::TopLevel(name) => claims.get(name),
            Self::Pointer(ptr) => claims.pointer(ptr),
        };
        match found {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(Value::String(s)) => s.split_whitespace().map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    }
}

/// Identity-provider role names → program roles.
#[derive(Clone, Debug)]
pub struct RoleMap(Vec<(String, Role)>);

impl RoleMap {
    /// Parses `mentee=reps,mentor=reps-mentors,council=reps-council`. Empty: each role is
    /// called by its own name.
    ///
    /// # Errors
    /// An unknown role or an entry without `=`, naming `MENTORSHIP_OIDC_ROLE_MAP`.
    pub fn parse(spec: &str) -> Result<Self, ConfigError> {
        let err = |problem: String| ConfigError::new("MENTORSHIP_OIDC_ROLE_MAP", problem);
        if spec.trim().is_empty() {
            return Ok(Self(
                [Role::Mentee, Role::Mentor, Role::Council]
                    .into_iter()
                    .map(|r| (r.as_str().to_owned(), r))
                    .collect(),
            ));
        }
        let mut entries = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (role, value) = entry
                .split_once('=')
                .ok_or_else(|| err(format!("{entry:?} is not role=value")))?;
            let role = Role::parse(role)
                .ok_or_else(|| err(format!("{role:?} is not mentee, mentor or council")))?;
            let value = value.trim();
            if value.is_empty() {
                return Err(err(format!("{entry:?} has an empty value")));
            }
            entries.push((value.to_owned(), role));
        }
        Ok(Self(entries))
    }

    /// The program roles named by `values` (exact, case-sensitive match, as IdPs compare).
    pub fn map(&self, values: &[String]) -> BTreeSet<Role> {
        self.0
            .iter()
            .filter(|(name, _)| values.iter().any(|v| v == name))
            .map(|(_, role)| *role)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn finds_roles_in_each_claim_shape() {
        let claims = json!({
            "roles": ["mentee"],
            "https://example.org/roles": ["council"],
            "realm_access": {"roles": ["mentor", "offline_access"]},
            "groups": "a b",
        });
        let cases = [
            ("roles", vec!["mentee"]),
            ("https://example.org/roles", vec!["council"]),
            ("/realm_access/roles", vec!["mentor", "offline_access"]),
            ("groups", vec!["a", "b"]),
            ("missing", vec![]),
            ("/realm_access/missing", vec![]),
        ];
        for (path, want) in cases {
            assert_eq!(ClaimPath::parse(path).values(&claims), want, "{path}");
        }
    }

    #[test]
    fn maps_idp_names_to_program_roles() {
        let map =
            RoleMap::parse("mentee=reps, mentor=reps-mentors, council=reps-council, mentee=all")
                .unwrap();
        let got = map.map(&["reps-mentors".into(), "all".into(), "Reps".into()]);
        assert_eq!(got, BTreeSet::from([Role::Mentee, Role::Mentor]));
    }

    #[test]
    fn rejects_malformed_maps() {
        for bad in ["boss=x", "mentee", "mentee="] {
            assert!(RoleMap::parse(bad).is_err(), "{bad}");
        }
    }
}
