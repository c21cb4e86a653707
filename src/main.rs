//! Entry point: parse the command line, start logging, hand over to the command.

use std::process::ExitCode;

use clap::Parser;
use mentorship_api::{
    cli::{Cli, Command},
    commands,
    telemetry::{self, LogFormat},
};

/// jemalloc: returns memory to the system and allocates well from many threads (glibc's
/// malloc held ~680 MB after a benchmark and burned a third of the CPU in `_int_malloc`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let format = match cli.command {
        Command::Serve => LogFormat::Json,
        _ => LogFormat::Pretty,
    };
    telemetry::init(format);
    match commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
