//! `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): a mutation sent with a key
//! runs once per caller and key; its answer (status and body) is stored in the mutation's
//! own transaction ([`store`]), and a retry of the same request gets those bytes back.
//!
//! What makes two requests "the same" is their [`fingerprint`]: the document, the operation
//! name and the variables. The same key with another request is the client's mistake (422).

pub mod store;

use sha2::{Digest, Sha256};

use chrono::{DateTime, Utc};

use crate::{auth::Actor, config::Settings};

/// The header, as the draft names it.
pub const HEADER: &str = "idempotency-key";

/// Why a header value is not a key (HTTP 400).
#[derive(Debug, PartialEq, Eq)]
pub struct InvalidKey;

/// A key: 1 to 255 visible ASCII characters. The draft makes the field a structured-field
/// string (`"…"`); a bare token is accepted too, since most clients send one.
pub fn parse_key(raw: &[u8]) -> Result<String, InvalidKey> {
    let inner = match raw {
        [b'"', inner @ .., b'"'] => inner,
        other => other,
    };
    let visible = |b: &u8| (0x21..=0x7e).contains(b);
    if inner.is_empty() || inner.len() > 255 || !inner.iter().all(visible) {
        return Err(InvalidKey);
    }
    // Only visible ASCII: always valid UTF-8.
    String::from_utf8(inner.to_vec()).map_err(|_| InvalidKey)
}

/// Records created before this are expired (`MENTORSHIP_IDEMPOTENCY_TTL` before `now`).
pub fn expired_before(settings: &Settings, now: DateTime<Utc>) -> DateTime<Utc> {
    now - chrono::Duration::from_std(settings.idempotency_ttl).unwrap_or(chrono::Duration::days(1))
}

/// Whose key it is: a person's keys and a client's keys never meet.
pub fn scope(actor: &Actor) -> String {
    match actor {
        Actor::Person(p) => person_scope(p.id),
        Actor::Machine { client_id, .. } => format!("client:{client_id}"),
    }
}

/// The scope of a person's keys (an erasure deletes their stored answers by it).
pub fn person_scope(id: uuid::Uuid) -> String {
    format!("person:{id}")
}

/// SHA-256 (hex) of the request: each part length-prefixed, so no two different requests
/// concatenate to the same bytes; the variables as JSON with sorted keys, so the order a
/// client writes them in does not matter.
pub fn fingerprint(
    query: &str,
    operation_name: Option<&str>,
    variables: &serde_json::Value,
) -> String {
    let mut hash = Sha256::new();
    let variables = canonical(variables);
    for part in [query, operation_name.unwrap_or(""), &variables] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    if operation_name.is_none() {
        // `None` and `Some("")` are different requests.
        hash.update([0]);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// JSON with object keys sorted at every level.
fn canonical(value: &serde_json::Value) -> String {
    fn sorted(value: &serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                serde_json::Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.clone(), sorted(v)))
                        .collect(),
                )
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(sorted).collect())
            }
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_of_at_most_255() {
        assert_eq!(parse_key(b"abc-123"), Ok("abc-123".into()));
        assert_eq!(parse_key(b"\"8e03978e-40d5\""), Ok("8e03978e-40d5".into()));
        assert_eq!(parse_key(&[b'k'; 255]).map(|k| k.len()), Ok(255));
        for bad in [
            &b""[..],
            b"\"\"",
            b"with space",
            b"tab\t",
            "é".as_bytes(),
            &[b'k'; 256],
        ] {
            assert_eq!(parse_key(bad), Err(InvalidKey), "{bad:?}");
        }
    }

    #[test]
    fn the_fingerprint_ignores_key_order_but_not_values_or_names() {
        let a = fingerprint(
            "mutation",
            None,
            &serde_json::json!({"a": 1, "b": {"x": 1, "y": 2}}),
        );
        let b = fingerprint(
            "mutation",
            None,
            &serde_json::json!({"b": {"y": 2, "x": 1}, "a": 1}),
        );
        assert_eq!(a, b);
        assert_ne!(
            a,
            fingerprint("mutation", None, &serde_json::json!({"a": 2, "b": {}}))
        );
        assert_ne!(
            a,
            fingerprint(
                "mutation",
                Some(""),
                &serde_json::json!({"a": 1, "b": {"x": 1, "y": 2}})
            )
        );
        assert_ne!(
            fingerprint("ab", Some("c"), &serde_json::json!(null)),
            fingerprint("a", Some("bc"), &serde_json::json!(null))
        );
    }
}
