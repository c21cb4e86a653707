//! `AppState`: what every request handler and resolver shares. Cheap to clone. It holds no
//! schema, so the services that take it depend on nothing above them.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use sea_orm::DatabaseConnection;

use crate::{auth::verifier::TokenVerifier, clock::Clock, config::Settings, events::EventBus};

/// Shared, immutable-after-start state of one instance. Nothing in here is needed by a
/// second instance: all state that matters lives in the database.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    db: DatabaseConnection,
    settings: Settings,
    clock: Arc<dyn Clock>,
    verifier: TokenVerifier,
    sqlite_file: Option<PathBuf>,
    dev: bool,
    events: EventBus,
    statements: Arc<AtomicU64>,
    rate_limits: crate::rate_limit::RateLimits,
    shutdown: crate::shutdown::Shutdown,
    sockets: crate::rate_limit::SocketSlots,
    callers: crate::auth::callers::CallerCache,
    heavy: tokio::sync::Semaphore,
    documents: Arc<crate::persisted::Documents>,
    links: tokio::sync::OnceCell<crate::links::LinkKey>,
}

impl AppState {
    /// Assembles the state.
    pub fn new(
        mut db: DatabaseConnection,
        settings: Settings,
        clock: Arc<dyn Clock>,
        verifier: TokenVerifier,
        (dev, documents): (bool, Arc<crate::persisted::Documents>),
    ) -> Self {
        let sqlite_file = settings
            .database_url
            .as_ref()
            .and_then(crate::db::sqlite_path);
        let statements = crate::db::instrument(&mut db);
        let rate_limits = crate::rate_limit::RateLimits::new(&settings);
        let sockets = crate::rate_limit::SocketSlots::new(settings.ws_max_sockets);
        Self(Arc::new(Inner {
            db,
            settings,
            clock,
            verifier,
            sqlite_file,
            dev,
            events: EventBus::default(),
            statements,
            rate_limits,
            shutdown: crate::shutdown::Shutdown::default(),
            sockets,
            callers: crate::auth::callers::CallerCache::default(),
            documents,
            links: tokio::sync::OnceCell::new(),
            heavy: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            ),
        }))
    }

    /// Permits for costly requests: one per core of this instance (see
    /// `crate::http::graphql::HEAVY_COST`).
    pub fn heavy(&self) -> &tokio::sync::Semaphore {
        &self.0.heavy
    }

    /// The key signing links that work without signing in ([`crate::links`]), read from
    /// the database (made there if it is the first instance) on first use.
    ///
    /// # Errors
    /// A database fault.
    pub async fn link_key(&self) -> crate::error::AppResult<&crate::links::LinkKey> {
        self.0
            .links
            .get_or_try_init(|| {
                crate::links::LinkKey::load_or_create(&self.0.db, self.clock().now())
            })
            .await
    }

    /// The persisted-query documents this instance has seen.
    pub fn documents(&self) -> &crate::persisted::Documents {
        &self.0.documents
    }

    /// The callers this instance resolved recently.
    pub fn callers(&self) -> &crate::auth::callers::CallerCache {
        &self.0.callers
    }

    /// The connection pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.0.db
    }

    /// The settings this instance runs with.
    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    /// The clock every time rule reads.
    pub fn clock(&self) -> &dyn Clock {
        self.0.clock.as_ref()
    }

    /// The token verifier.
    pub fn verifier(&self) -> &TokenVerifier {
        &self.0.verifier
    }

    /// The domain event bus.
    pub fn events(&self) -> &EventBus {
        &self.0.events
    }

    /// How many SQL statements this instance has run.
    pub fn statement_count(&self) -> u64 {
        self.0.statements.load(Ordering::Relaxed)
    }

    /// The rate limits of this instance.
    pub fn rate_limits(&self) -> &crate::rate_limit::RateLimits {
        &self.0.rate_limits
    }

    /// WebSocket sockets open per caller.
    pub fn sockets(&self) -> &crate::rate_limit::SocketSlots {
        &self.0.sockets
    }

    /// The process's shutdown signal, for long-lived sockets.
    pub fn shutdown(&self) -> &crate::shutdown::Shutdown {
        &self.0.shutdown
    }

    /// Whether this is `dev` mode (GraphiQL, dev issuer).
    pub fn is_dev(&self) -> bool {
        self.0.dev
    }

    /// Database reachable and signing keys loaded.
    pub async fn is_ready(&self) -> bool {
        self.0.verifier.keys().is_loaded()
            && crate::db::is_ready(&self.0.db, self.0.sqlite_file.as_deref()).await
    }
}
