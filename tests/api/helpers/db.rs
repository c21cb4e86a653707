//! A fresh database per test: a SQLite file in a temporary folder, or — when
//! `TEST_DATABASE_URL` names a PostgreSQL server — a new database cloned from a template that
//! is migrated once per test process.

use mentorship_api::{db, secret::Secret};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tokio::sync::{Mutex, OnceCell};

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
/// PostgreSQL refuses to copy a template two sessions are copying at once.
static CREATE: Mutex<()> = Mutex::const_new(());

/// A test's database; dropping it removes a SQLite file (PostgreSQL test databases are
/// dropped at the start of the next run).
pub struct TestDb {
    pub url: Secret,
    /// PostgreSQL: the database name and the server URL to administer it.
    pub postgres: Option<(String, String)>,
    pub sqlite_file: Option<std::path::PathBuf>,
    _dir: Option<tempfile::TempDir>,
}

/// Whether this run uses PostgreSQL.
pub fn server_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

impl TestDb {
    /// A new, migrated, empty database.
    pub async fn new() -> Self {
        match server_url() {
            Some(server) => Self::postgres(server).await,
            None => Self::sqlite().await,
        }
    }

    async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("test.db");
        let url = Secret::new(format!("sqlite://{}?mode=rwc", file.display()));
        let conn = db::connect(&url, 1).await.unwrap();
        db::migrate(&conn).await.unwrap();
        conn.close().await.unwrap();
        Self {
            url,
            postgres: None,
            sqlite_file: Some(file),
            _dir: Some(dir),
        }
    }

    async fn postgres(server: String) -> Self {
        let template = TEMPLATE
            .get_or_init(|| make_template(server.clone()))
            .await
            .clone();
        let name = format!("mentorship_test_{}", uuid::Uuid::new_v4().simple());
        {
            let _one_at_a_time = CREATE.lock().await;
            let admin = Database::connect(&server).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await
                .unwrap();
            admin.close().await.unwrap();
        }
        Self {
            url: Secret::new(with_database(&server, &name)),
            postgres: Some((name, server)),
            sqlite_file: None,
            _dir: None,
        }
    }

    /// A separate connection for assertions.
    pub async fn connect(&self) -> DatabaseConnection {
        db::connect(&self.url, 2).await.unwrap()
    }
}

/// Drops what earlier runs left, then migrates a fresh template database.
async fn make_template(server: String) -> String {
    let admin = Database::connect(&server).await.unwrap();
    let stale = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'mentorship_test_%' \
             OR datname LIKE 'mentorship_tmpl_%'",
        ))
        .await
        .unwrap();
    for row in stale {
        let name: String = row.try_get("", "datname").unwrap();
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .unwrap();
    }
    let name = format!("mentorship_tmpl_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let conn = db::connect(&Secret::new(with_database(&server, &name)), 1)
        .await
        .unwrap();
    db::migrate(&conn).await.unwrap();
    conn.close().await.unwrap();
    admin.close().await.unwrap();
    name
}

/// The server URL with its database path replaced.
pub fn with_database(server: &str, name: &str) -> String {
    let mut url = url::Url::parse(server).unwrap();
    url.set_path(&format!("/{name}"));
    url.to_string()
}
