//! The trusted documents: an Apollo persisted-query manifest
//! (`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id",
//! "name", "type", "body"}]}`), as `generate-persisted-query-manifest` writes it for an app.
//! Each `id` must be the SHA-256 of its `body` (the tool's default, and what Apollo's
//! clients send as `sha256Hash`).

use std::{collections::HashMap, path::Path, sync::Arc};

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The format string the manifest must declare.
pub const FORMAT: &str = "apollo-persisted-query-manifest";

/// Lowercase hex SHA-256 of a document.
pub fn hash(document: &str) -> String {
    Sha256::digest(document.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Operations by id.
#[derive(Debug, Default)]
pub struct Manifest(pub(super) HashMap<String, Arc<str>>);

/// One operation of the file.
#[derive(Debug, Deserialize)]
pub struct Operation {
    /// SHA-256 (lowercase hex) of `body`.
    pub id: String,
    /// The operation's name.
    pub name: String,
    /// `query`, `mutation` or `subscription`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The document.
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    version: u32,
    operations: Vec<Operation>,
}

/// Why a manifest cannot be used: every problem, one line each.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.join("; "))]
pub struct Invalid(pub Vec<String>);

impl Manifest {
    /// The operations of `path`, checked for their shape (format, version, unique ids that
    /// are the hashes of their bodies, known types). The schema check is
    /// `persisted-queries check`'s.
    ///
    /// # Errors
    /// The file cannot be read, or is not such a manifest.
    pub fn load(path: &Path) -> Result<(Self, Vec<Operation>), Invalid> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Invalid(vec![format!("cannot read {}: {e}", path.display())]))?;
        Self::parse(&text)
    }

    /// [`Manifest::load`] of a text.
    ///
    /// # Errors
    /// It is not such a manifest.
    pub fn parse(text: &str) -> Result<(Self, Vec<Operation>), Invalid> {
        let file: File = serde_json::from_str(text)
            .map_err(|e| Invalid(vec![format!("not a manifest: {e}")]))?;
        let mut problems = Vec::new();
        if file.format != FORMAT {
            problems.push(format!(
                "format must be \"{FORMAT}\", not \"{}\"",
                file.format
            ));
        }
        if file.version != 1 {
            problems.push(format!("version must be 1, not {}", file.version));
        }
        let mut operations = HashMap::with_capacity(file.operations.len());
        for op in &file.operations {
            let at = format!("operation \"{}\"", op.name);
            if hash(&op.body) != op.id {
                problems.push(format!("{at}: id is not the SHA-256 of its body"));
            }
            if !matches!(op.kind.as_str(), "query" | "mutation" | "subscription") {
                problems.push(format!(
                    "{at}: type must be query, mutation or subscription"
                ));
            }
            if operations
                .insert(op.id.clone(), Arc::<str>::from(op.body.as_str()))
                .is_some()
            {
                problems.push(format!("{at}: id {} appears twice", op.id));
            }
        }
        if problems.is_empty() {
            Ok((Self(operations), file.operations))
        } else {
            Err(Invalid(problems))
        }
    }

    /// The document of `id`.
    pub fn get(&self, id: &str) -> Option<&Arc<str>> {
        self.0.get(id)
    }

    /// How many operations it holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(ops: serde_json::Value) -> String {
        serde_json::json!({"format": FORMAT, "version": 1, "operations": ops}).to_string()
    }

    #[test]
    fn ids_must_be_the_hashes_of_unique_operations() {
        let body = "query Me { me { id } }";
        let ok =
            serde_json::json!([{"id": hash(body), "name": "Me", "type": "query", "body": body}]);
        let (m, ops) = Manifest::parse(&manifest(ok)).unwrap();
        assert_eq!((m.len(), ops.len()), (1, 1));
        assert_eq!(m.get(&hash(body)).map(|b| b.as_ref()), Some(body));

        let bad = serde_json::json!([
            {"id": "abc", "name": "Me", "type": "query", "body": body},
            {"id": hash(body), "name": "Me", "type": "fragment", "body": body},
            {"id": hash(body), "name": "Again", "type": "query", "body": body},
        ]);
        let Invalid(problems) = Manifest::parse(&manifest(bad)).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        let wrong = serde_json::json!({"format": "x", "version": 2, "operations": []}).to_string();
        assert_eq!(Manifest::parse(&wrong).unwrap_err().0.len(), 2);
    }
}
