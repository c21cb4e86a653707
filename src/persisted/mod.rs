//! Persisted queries, Apollo's protocol: a client sends `extensions.persistedQuery
//! .sha256Hash` alone; an unknown hash is answered `PERSISTED_QUERY_NOT_FOUND`, and the
//! client sends the document with its hash once, which registers it. Registered documents
//! live in the database (every instance knows them), with a bounded in-process cache in
//! front (per instance; losing it costs one lookup).
//!
//! `MENTORSHIP_PERSISTED_QUERIES` picks the mode ([`PersistedQueries`]); in `only` mode the
//! operations of the [`manifest`] are the only ones that run (trusted documents).

pub mod manifest;

use std::sync::Arc;

use async_graphql::{ErrorExtensionValues, Request, ServerError};
use chrono::{DateTime, Utc};
use quick_cache::sync::Cache;
use sea_orm::{ConnectionTrait, DatabaseConnection};

pub use self::manifest::{Manifest, hash};
use crate::{config::PersistedQueries, db::statement, error::AppResult};

/// The code of an unknown hash (Apollo's; its clients then send the document).
pub const NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
/// Documents each instance keeps in memory.
const CACHED: usize = 10_000;

/// The registered documents this instance has seen, by hash.
pub struct Documents {
    mode: PersistedQueries,
    manifest: Manifest,
    registered: Cache<String, Arc<str>>,
}

impl Documents {
    /// The documents of an instance in `mode`, knowing the `manifest`'s operations.
    pub fn new(mode: PersistedQueries, manifest: Manifest) -> Self {
        Self {
            mode,
            manifest,
            registered: Cache::new(CACHED),
        }
    }

    /// Whether only the manifest's operations run.
    pub fn trusted_only(&self) -> bool {
        self.mode == PersistedQueries::Only
    }

    /// The manifest's document for `request` (WebSocket: no database lookups), or why it
    /// may not run: in `only` mode, anything but a manifest operation.
    ///
    /// # Errors
    /// `PERSISTED_QUERY_ID_REQUIRED` or `PERSISTED_QUERY_NOT_IN_LIST` in `only` mode;
    /// BAD_USER_INPUT for a malformed extension or a document that does not match it.
    pub fn from_manifest(&self, request: &mut Request) -> Result<(), ServerError> {
        match extension(request)? {
            None if self.trusted_only() => Err(id_required()),
            None => Ok(()),
            Some(ext) => match self.manifest.get(&ext.sha256_hash) {
                Some(body) => fill(request, &ext, body),
                None if self.trusted_only() => Err(not_in_list()),
                None => Err(error(NOT_FOUND, "PersistedQueryNotFound")),
            },
        }
    }
}

/// What the request's `persistedQuery` extension asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Persisted {
    /// No extension: an ordinary request.
    AdHoc,
    /// A registered document, now in `request.query`.
    Known,
    /// A document sent with its (matching) hash, to register once it passes the checks.
    Register(String),
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersistedQuery {
    version: u32,
    sha256_hash: String,
}

/// Whether `request` carries the extension (a GET with a hash and no `query`).
pub fn asks(request: &Request) -> bool {
    request.extensions.0.contains_key("persistedQuery")
}

/// Reads the extension of `request`: fills in a registered document for a hash sent alone,
/// and checks a document sent with its hash.
///
/// # Errors
/// `PERSISTED_QUERY_NOT_FOUND` for an unknown hash; BAD_USER_INPUT for a malformed
/// extension or a document that does not match its hash; a database fault (INTERNAL or
/// UNAVAILABLE).
pub async fn resolve(
    db: &DatabaseConnection,
    documents: &Documents,
    request: &mut Request,
) -> Result<Persisted, ServerError> {
    let ext = match (documents.mode, extension(request)?) {
        (PersistedQueries::Only, None) => return Err(id_required()),
        (_, None) => return Ok(Persisted::AdHoc),
        (PersistedQueries::Off, Some(_)) => {
            return Err(error(
                "PERSISTED_QUERY_NOT_SUPPORTED",
                "PersistedQueryNotSupported",
            ));
        }
        (_, Some(ext)) => ext,
    };
    if let Some(body) = documents.manifest.get(&ext.sha256_hash) {
        fill(request, &ext, body)?;
        return Ok(Persisted::Known);
    }
    if documents.trusted_only() {
        return Err(not_in_list());
    }
    if !request.query.is_empty() {
        if hash(&request.query) != ext.sha256_hash {
            return Err(mismatch());
        }
        return Ok(match documents.registered.get(&ext.sha256_hash) {
            Some(_) => Persisted::Known,
            None => Persisted::Register(ext.sha256_hash),
        });
    }
    let document = match documents.registered.get(&ext.sha256_hash) {
        Some(document) => document,
        None => {
            let stored = find(db, &ext.sha256_hash).await.map_err(into_server)?;
            let Some(document) = stored else {
                // Apollo's clients look for this message as well as for the code.
                return Err(error(NOT_FOUND, "PersistedQueryNotFound"));
            };
            let document: Arc<str> = document.into();
            documents
                .registered
                .insert(ext.sha256_hash, document.clone());
            document
        }
    };
    request.query = document.to_string();
    Ok(Persisted::Known)
}

/// The request's `persistedQuery` extension, taken out of it.
fn extension(request: &mut Request) -> Result<Option<PersistedQuery>, ServerError> {
    let Some(value) = request.extensions.0.remove("persistedQuery") else {
        return Ok(None);
    };
    match serde_json::from_value::<PersistedQuery>(value.into_json().unwrap_or_default()) {
        Ok(ext) if ext.version == 1 => Ok(Some(ext)),
        _ => Err(error(
            "BAD_USER_INPUT",
            "extensions.persistedQuery must be {\"version\": 1, \"sha256Hash\": \"<64 hex>\"}",
        )),
    }
}

/// A manifest document into `request` (a document sent along must be the same one).
fn fill(request: &mut Request, ext: &PersistedQuery, body: &str) -> Result<(), ServerError> {
    if !request.query.is_empty() && hash(&request.query) != ext.sha256_hash {
        return Err(mismatch());
    }
    body.clone_into(&mut request.query);
    Ok(())
}

fn mismatch() -> ServerError {
    error("BAD_USER_INPUT", "provided sha does not match query")
}

fn id_required() -> ServerError {
    error(
        "PERSISTED_QUERY_ID_REQUIRED",
        "this server runs only the operations its apps ship: send \
         extensions.persistedQuery.sha256Hash of one of them",
    )
}

fn not_in_list() -> ServerError {
    error(
        "PERSISTED_QUERY_NOT_IN_LIST",
        "this operation is not in the server's manifest, and none can be registered",
    )
}

/// Registers a document that passed the checks (parsing, limits) under its hash.
///
/// # Errors
/// A database fault.
pub async fn register(
    db: &DatabaseConnection,
    documents: &Documents,
    (hash, document): (String, &str),
    now: DateTime<Utc>,
) -> AppResult<()> {
    let q = "INSERT INTO persisted_query (hash, document, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (hash) DO NOTHING";
    let values = vec![hash.as_str().into(), document.into(), now.into()];
    db.execute_raw(statement(db.get_database_backend(), q, values))
        .await?;
    documents.registered.insert(hash, document.into());
    Ok(())
}

async fn find(db: &DatabaseConnection, hash: &str) -> AppResult<Option<String>> {
    let q = "SELECT document FROM persisted_query WHERE hash = $1";
    let row = db
        .query_one_raw(statement(db.get_database_backend(), q, vec![hash.into()]))
        .await?;
    Ok(row.map(|r| r.try_get_by_index(0)).transpose()?)
}

fn error(code: &str, message: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", code);
    error.extensions = Some(ext);
    error
}

fn into_server(error: crate::error::AppError) -> ServerError {
    async_graphql::Error::from(error).into_server_error(Default::default())
}
