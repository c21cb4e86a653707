//! Batched loading for nested fields: one `DataLoader` per request over [`DbLoader`], which
//! each domain teaches to load its keys (`people::loaders`, `mentorship::loaders`). A list of
//! N parents costs one statement per kind of child, never N.

use std::sync::Arc;

use async_graphql::{
    ErrorExtensions,
    dataloader::{DataLoader, HashMapCache},
};
use sea_orm::DatabaseConnection;

use crate::error::AppError;

/// The database side of every loader.
pub struct DbLoader {
    /// The pool.
    pub db: DatabaseConnection,
}

/// The per-request loader (cached for the request: the same key is loaded once).
pub type Loaders = DataLoader<DbLoader, HashMapCache>;

/// A fresh loader for one request.
pub fn for_request(db: DatabaseConnection) -> Loaders {
    DataLoader::with_cache(DbLoader { db }, tokio::spawn, HashMapCache::default())
}

/// A loader failure, shared by every field that waited for the batch.
#[derive(Clone, Debug)]
pub struct LoadError(pub Arc<AppError>);

impl From<AppError> for LoadError {
    fn from(err: AppError) -> Self {
        Self(Arc::new(err))
    }
}

impl From<LoadError> for async_graphql::Error {
    fn from(err: LoadError) -> Self {
        let message = err.0.message().to_owned();
        let code = err.0.code();
        err.0.log();
        async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code))
    }
}
