//! Entry point: parse the command line, start logging, hand over to the command.

use std::process::ExitCode;

use clap::Parser;
use mentorship_api::{
    cli::{Cli, Command},
    commands,
    telemetry::{self, LogFormat},
};

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
