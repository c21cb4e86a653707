//! The bodies of the command line's commands (`main` parses, starts logging and hands over
//! here): each connects what it needs and prints its result.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::{
    auth,
    cli::{Cli, Command, JobsAction, MigrateAction, PersistedQueriesAction},
    clock::{Clock, SystemClock},
    config::Settings,
    db, demo, dev, http, jobs, schema,
    startup::{Application, Mode, shutdown_signal},
};

/// Runs one command of the command line.
///
/// # Errors
/// A one-line message naming what to fix (a setting, the database, a pending migration).
pub async fn run(cli: Cli) -> Result<(), String> {
    let mut settings = Settings::load(&cli.config).map_err(|e| e.to_string())?;
    match cli.command {
        Command::Schema => println!("{}", schema::sdl().trim_end()),
        Command::Openapi => println!(
            "{}",
            http::openapi()
                .to_pretty_json()
                .map_err(|e| e.to_string())?
        ),
        Command::Migrate { action } => migrate(&settings, action).await?,
        Command::Jobs {
            action: JobsAction::RunOnce { now },
        } => jobs_run_once(&settings, now).await?,
        Command::Seed { scale } => seed(&settings, scale).await?,
        Command::Import { file, dry_run } => import(&settings, &file, dry_run).await?,
        Command::PersistedQueries {
            action: PersistedQueriesAction::Check { file },
        } => check_manifest(&file).await?,
        Command::Serve => {
            settings
                .validate_for_serve()
                .and_then(|()| auth::verifier::check_settings(&settings))
                .map_err(|e| e.to_string())?;
            let app = Application::build(settings, Mode::Serve, Arc::new(SystemClock))
                .await
                .map_err(|e| e.to_string())?;
            app.run_until_stopped(shutdown_signal())
                .await
                .map_err(|e| e.to_string())?;
        }
        Command::Dev { fresh, db } => {
            let issuer_key = dev::prepare(&mut settings, &db, fresh).map_err(|e| e.to_string())?;
            let app = Application::build(settings, Mode::Dev { issuer_key }, Arc::new(SystemClock))
                .await
                .map_err(|e| e.to_string())?;
            if let Some(issuer) = app.dev_issuer() {
                println!(
                    "{}",
                    dev::banner(issuer, &format!("http://{}", app.local_addr()))
                );
            }
            app.run_until_stopped(shutdown_signal())
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// `persisted-queries check FILE`: every problem on one line, then a summary.
async fn check_manifest(file: &std::path::Path) -> Result<(), String> {
    let operations = match crate::persisted::Manifest::load(file) {
        Ok((_, operations)) => operations,
        Err(invalid) => {
            for problem in &invalid.0 {
                println!("{problem}");
            }
            return Err(format!("{}: not a usable manifest", file.display()));
        }
    };
    let mut failed = 0;
    for op in &operations {
        let problems = schema::check_operation(&op.body, &op.kind).await;
        failed += usize::from(!problems.is_empty());
        for problem in problems {
            println!("operation \"{}\" ({}): {problem}", op.name, op.id);
        }
    }
    match failed {
        0 => {
            println!(
                "{}: {} operations, all valid",
                file.display(),
                operations.len()
            );
            Ok(())
        }
        n => Err(format!(
            "{}: {n} of {} operations invalid",
            file.display(),
            operations.len()
        )),
    }
}

async fn connect(settings: &Settings) -> Result<sea_orm::DatabaseConnection, String> {
    let url = settings
        .database_url
        .as_ref()
        .ok_or("DATABASE_URL: is required")?;
    db::connect(url, 2)
        .await
        .map_err(|e| format!("DATABASE_URL: cannot reach the database: {e}"))
}

async fn migrate(settings: &Settings, action: MigrateAction) -> Result<(), String> {
    let conn = connect(settings).await?;
    match action {
        MigrateAction::Up => {
            db::migrate(&conn).await.map_err(|e| e.to_string())?;
            println!("migrations applied");
        }
        MigrateAction::Status => {
            for (name, applied) in db::migration_status(&conn)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("{} {name}", if applied { "applied" } else { "pending" });
            }
        }
    }
    Ok(())
}

/// `seed --scale N`: the synthetic program, into a migrated database, then fresh statistics.
async fn seed(settings: &Settings, scale: u8) -> Result<(), String> {
    let conn = connect(settings).await?;
    if !db::pending_migrations(&conn)
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Err("the database has pending migrations: run `migrate up` first".into());
    }
    let issuer = settings
        .oidc_issuer
        .clone()
        .unwrap_or_else(|| "https://seed.invalid".into());
    let started = std::time::Instant::now();
    let seeded = demo::scale::seed(&conn, &issuer, usize::from(scale), SystemClock.now())
        .await
        .map_err(|e| format!("seeding failed: {e}"))?;
    // Fresh statistics, so the planner knows the new sizes before the first query.
    sea_orm::ConnectionTrait::execute_unprepared(&conn, "ANALYZE")
        .await
        .map_err(|e| format!("ANALYZE failed: {e}"))?;
    println!(
        "{} in {:.1} s",
        serde_json::to_string(&seeded).map_err(|e| e.to_string())?,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `import FILE [--dry-run]`: the report on stdout; an error (exit 1) when a line is invalid.
async fn import(settings: &Settings, file: &std::path::Path, dry_run: bool) -> Result<(), String> {
    let conn = connect(settings).await?;
    if !db::pending_migrations(&conn)
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Err("the database has pending migrations: run `migrate up` first".into());
    }
    let source: Box<dyn std::io::BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let opened = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
        Box::new(std::io::BufReader::new(opened))
    };
    let issuer = settings.oidc_issuer.as_deref();
    let report = crate::import::run(&conn, source, issuer, dry_run, SystemClock.now())
        .await
        .map_err(|e| format!("import failed, nothing written: {}", e.message()))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
    );
    match report.invalid.len() {
        0 => Ok(()),
        n => Err(format!("{n} invalid line(s): nothing written")),
    }
}

/// What `jobs run-once` did: the jobs, and the mails it sent (`null` without a relay).
#[derive(serde::Serialize)]
struct RunOnce {
    #[serde(flatten)]
    jobs: jobs::Report,
    mail: Option<crate::mail::Delivered>,
}

/// `jobs run-once`: every periodic job once, at `now` (default: the clock), then the mails
/// due (with `MENTORSHIP_SMTP_URL`), reported as JSON.
async fn jobs_run_once(settings: &Settings, now: Option<DateTime<Utc>>) -> Result<(), String> {
    let mailer = crate::startup::mailer(settings, false).map_err(|e| e.to_string())?;
    let conn = connect(settings).await?;
    let now = now.unwrap_or_else(|| SystemClock.now());
    let jobs = jobs::run_once(&conn, settings, now)
        .await
        .map_err(|e| e.message().to_owned())?;
    let mail = match mailer {
        Some(mailer) => {
            let key = crate::links::LinkKey::load_or_create(&conn, now)
                .await
                .map_err(|e| e.message().to_owned())?;
            let sent = crate::mail::deliver_due(&conn, &mailer, &key, now)
                .await
                .map_err(|e| e.message().to_owned())?;
            Some(sent)
        }
        None => None,
    };
    let report = RunOnce { jobs, mail };
    println!(
        "{}",
        serde_json::to_string(&report).map_err(|e| e.to_string())?
    );
    Ok(())
}
