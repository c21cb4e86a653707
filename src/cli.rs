//! The command line: `dev`, `serve`, `migrate up|status`, `jobs run-once`, `seed --scale`,
//! `import`, `schema`, `openapi`, `persisted-queries check`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// mentorship-api: the mentorship side of a volunteer program, over GraphQL.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// Optional TOML file with settings (environment variables override it).
    #[arg(
        long,
        global = true,
        env = "MENTORSHIP_CONFIG",
        default_value = "mentorship.toml"
    )]
    pub config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run locally: embedded SQLite, migrations, demo data, a local token issuer; prints
    /// ready-to-use tokens. Listens on loopback only.
    Dev {
        /// Delete the dev database (and the dev issuer key) first.
        #[arg(long)]
        fresh: bool,
        /// The SQLite file to use.
        #[arg(long, default_value = "mentorship-dev.db")]
        db: PathBuf,
    },
    /// Run in production: an external OIDC issuer and a migrated database are required.
    Serve,
    /// Database migrations.
    Migrate {
        /// up or status.
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Periodic jobs (escalation, reminders, inactivity).
    Jobs {
        /// run-once.
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Fill an empty, migrated database with a synthetic program for benchmarks: per unit of
    /// scale 10,000 reps, 500 mentors and 50,000 held check-ins (and requests, alerts,
    /// applications, announcements, calls).
    Seed {
        /// Units of the program, 1 to 20.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=20))]
        scale: u8,
    },
    /// Bring a program's history from its old portal: JSON Lines of people, mentor
    /// profiles, mentorships, check-ins and council contacts keyed by the old system's ids
    /// (docs/import.md). All or nothing; prints a JSON report; exits 1 when any line is
    /// invalid (then nothing is written). Re-running a file changes nothing.
    Import {
        /// The JSON Lines file (`-` for standard input).
        file: PathBuf,
        /// Check and report without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the GraphQL schema (SDL) the server serves.
    Schema,
    /// Print the OpenAPI document of the REST routes.
    Openapi,
    /// Trusted documents: check an Apollo persisted-query manifest (for the apps' CI).
    PersistedQueries {
        /// check.
        #[command(subcommand)]
        action: PersistedQueriesAction,
    },
}

/// `persisted-queries` actions.
#[derive(Debug, Subcommand)]
pub enum PersistedQueriesAction {
    /// Validate FILE against the schema and its limits: every operation parses, validates,
    /// is of its declared type, stays within the limits, and its id is its SHA-256. Prints
    /// each problem; exits 1 if there is any.
    Check {
        /// The manifest (`{"format": "apollo-persisted-query-manifest", "version": 1, …}`).
        file: std::path::PathBuf,
    },
}

/// `migrate` actions.
#[derive(Debug, Subcommand)]
pub enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// List migrations and whether each is applied.
    Status,
}

/// `jobs` actions.
#[derive(Debug, Subcommand)]
pub enum JobsAction {
    /// Run every job once and print what it did (for cron, tests, debugging).
    RunOnce {
        /// Pretend it is this time (RFC 3339), e.g. to see what would escalate next week.
        #[arg(long)]
        now: Option<chrono::DateTime<chrono::Utc>>,
    },
}
