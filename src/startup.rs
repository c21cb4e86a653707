//! Building and running one instance: used by `main` and, unchanged, by the tests.

use std::{future::Future, net::SocketAddr, path::PathBuf, sync::Arc};

use tokio::{net::TcpListener, task::JoinHandle};

use crate::{
    auth::{dev_issuer::DevIssuer, jwks::KeyCache, verifier::TokenVerifier},
    clock::Clock,
    config::{ConfigError, Settings},
    db,
    schema::{AppSchema, WsSchema},
    state::AppState,
};

/// How the instance runs.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Production: an external OIDC issuer; migrations must already be applied.
    Serve,
    /// Local development: migrate, seed demo data, mount the dev issuer signing with the key
    /// at `issuer_key`.
    Dev {
        /// Where the dev issuer's private key is kept.
        issuer_key: PathBuf,
    },
}

/// Why the instance could not start. Each variant prints as one line naming what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("DATABASE_URL: cannot reach the database: {0}")]
    Database(sea_orm::DbErr),
    #[error("database schema is not up to date ({0} pending); run `mentorship-api migrate up`")]
    Pending(usize),
    #[error("MENTORSHIP_LISTEN: cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("{0}")]
    Other(String),
}

/// The persisted-query mode and its manifest (`only` needs one).
fn persisted_documents(settings: &Settings) -> Result<crate::persisted::Documents, ConfigError> {
    use crate::{config::PersistedQueries, persisted::Manifest};
    const SETTING: &str = "MENTORSHIP_PERSISTED_QUERIES_MANIFEST";
    let manifest = match &settings.persisted_queries_manifest {
        Some(path) => {
            Manifest::load(path)
                .map_err(|e| ConfigError::new(SETTING, e.to_string()))?
                .0
        }
        None if settings.persisted_queries == PersistedQueries::Only => {
            return Err(ConfigError::new(
                SETTING,
                "is required when MENTORSHIP_PERSISTED_QUERIES=only",
            ));
        }
        None => Manifest::default(),
    };
    Ok(crate::persisted::Documents::new(
        settings.persisted_queries,
        manifest,
    ))
}

/// The mail worker's transport: the relay of `MENTORSHIP_SMTP_URL`; without one, `dev` keeps
/// mails for `/dev/mail` and `serve` sends none (and says so).
///
/// # Errors
/// A relay URL lettre cannot use, or a missing sender / public URL.
pub fn mailer(settings: &Settings, dev: bool) -> Result<Option<crate::mail::Mailer>, ConfigError> {
    use crate::mail::transport::{DevMailbox, Transport, describe};
    settings.validate_mail()?;
    let transport = match &settings.smtp_url {
        Some(url) => {
            let transport =
                Transport::smtp(url).map_err(|e| ConfigError::new("MENTORSHIP_SMTP_URL", e))?;
            tracing::info!(relay = %describe(url), "mail delivery on");
            transport
        }
        None if dev => {
            tracing::info!(
                "mail delivery: kept in memory and listed at /dev/mail (no MENTORSHIP_SMTP_URL)"
            );
            Transport::Dev(DevMailbox::default())
        }
        None => {
            tracing::info!(
                "mail delivery off: MENTORSHIP_SMTP_URL is not set; notifications stay in the in-app inbox"
            );
            return Ok(None);
        }
    };
    Ok(Some(crate::mail::Mailer {
        transport,
        from: settings
            .mail_from
            .clone()
            .unwrap_or_else(|| "Mentorship (dev) <mentorship@localhost>".into()),
        public_url: settings.public_base(),
    }))
}

/// A bound, ready-to-run instance.
pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    state: AppState,
    schemas: (AppSchema, WsSchema),
    dev_issuer: Option<DevIssuer>,
    mailer: Option<crate::mail::Mailer>,
}

impl Application {
    /// Binds the listener (port 0 picks a free one), connects the database and prepares the
    /// token verifier. In `dev`, also migrates, seeds demo data and sets up the dev issuer.
    ///
    /// # Errors
    /// Unusable settings, an unreachable database, pending migrations (`serve`), or a port
    /// that cannot be bound.
    pub async fn build(
        mut settings: Settings,
        mode: Mode,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(settings.listen)
            .await
            .map_err(|e| StartupError::Bind(settings.listen, e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(settings.listen, e))?;
        settings
            .public_url
            .get_or_insert_with(|| format!("http://{addr}"));
        let dev_issuer = match &mode {
            Mode::Serve => None,
            Mode::Dev { issuer_key } => {
                let key = DevIssuer::load_or_create_key(issuer_key)
                    .map_err(|e| StartupError::Other(e.to_string()))?;
                let issuer = format!("http://{addr}{}", crate::auth::dev_issuer::PATH);
                settings.oidc_issuer = Some(issuer.clone());
                settings.oidc_audience = Some(crate::auth::dev_issuer::AUDIENCE.into());
                Some(DevIssuer::new(issuer, key))
            }
        };
        let url = settings
            .database_url
            .clone()
            .ok_or_else(|| ConfigError::new("DATABASE_URL", "is required"))?;
        let conn = db::connect(&url, settings.database_max_connections)
            .await
            .map_err(StartupError::Database)?;
        match (&mode, &dev_issuer) {
            (Mode::Dev { .. }, Some(issuer)) => {
                db::migrate(&conn).await.map_err(StartupError::Database)?;
                crate::demo::seed(&conn, issuer.issuer(), &settings, clock.now())
                    .await
                    .map_err(|e| StartupError::Other(format!("demo data: {e}")))?;
            }
            _ => {
                let pending = db::pending_migrations(&conn)
                    .await
                    .map_err(StartupError::Database)?;
                if !pending.is_empty() {
                    return Err(StartupError::Pending(pending.len()));
                }
            }
        }
        let issuer = settings
            .oidc_issuer
            .clone()
            .ok_or_else(|| ConfigError::new("MENTORSHIP_OIDC_ISSUER", "is required"))?;
        let keys = KeyCache::new(&issuer, settings.oidc_jwks_min_interval)
            .map_err(|e| StartupError::Other(e.to_string()))?;
        let verifier = TokenVerifier::new(&settings, Arc::new(keys))?;
        let dev = matches!(mode, Mode::Dev { .. });
        let introspection = settings
            .introspection
            .map_or(dev, |s| s == crate::config::Switch::On);
        let documents = Arc::new(persisted_documents(&settings)?);
        let schemas = crate::schema::build(introspection, documents.clone());
        let mailer = mailer(&settings, dev)?;
        let state = AppState::new(conn, settings, clock, verifier, (dev, documents));
        Ok(Self {
            listener,
            addr,
            state,
            schemas,
            dev_issuer,
            mailer,
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The shared state (tests read the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The dev issuer, in `dev` mode.
    pub fn dev_issuer(&self) -> Option<&DevIssuer> {
        self.dev_issuer.as_ref()
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    ///
    /// # Errors
    /// The server failed while running.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let mut background = vec![
            spawn_key_refresh(&self.state),
            spawn_bucket_pruning(&self.state),
            crate::jobs::spawn(self.state.clone()),
        ];
        background.extend(crate::live::spawn_listener(
            self.state.db(),
            self.state.events().clone(),
        ));
        let dev_mail = match self.mailer.as_ref().map(|m| &m.transport) {
            Some(crate::mail::transport::Transport::Dev(kept)) => Some(kept.clone()),
            _ => None,
        };
        if let Some(mailer) = self.mailer {
            background.push(crate::mail::spawn(self.state.clone(), mailer));
        }
        let app = crate::http::router(
            self.state.clone(),
            self.schemas,
            (self.dev_issuer, dev_mail),
        );
        tracing::info!(addr = %self.addr, "listening");
        let served = crate::server::serve(
            self.listener,
            app,
            self.state.settings(),
            shutdown,
            self.state.shutdown(),
        )
        .await;
        background.iter().for_each(JoinHandle::abort);
        tracing::info!("stopped");
        served
    }
}

/// Loads the signing keys now (the listener is bound, so a dev issuer on this very instance
/// answers once serving starts) and again every `oidc_jwks_refresh`.
fn spawn_key_refresh(state: &AppState) -> JoinHandle<()> {
    let keys = state.verifier().keys().clone();
    let every = state.settings().oidc_jwks_refresh;
    tokio::spawn(async move {
        let mut retry = std::time::Duration::from_millis(200);
        while keys.refresh().await.is_err() {
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(std::time::Duration::from_secs(30));
        }
        loop {
            tokio::time::sleep(every).await;
            keys.refresh().await.ok();
        }
    })
}

/// Forgets idle callers' rate-limit buckets every minute, so the maps stay bounded.
fn spawn_bucket_pruning(state: &AppState) -> JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every.tick().await;
            state.rate_limits().forget_idle();
        }
    })
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
