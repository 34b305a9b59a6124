//! Parse arguments, then either open the TUI or run one command.
//! Errors reach the user as one line on stderr; exit 1 runtime, 2 usage.

use std::process::ExitCode;

use clap::Parser;
use tuicrm::cli::{self, Cli, CliError};

// Listings, exports and imports make and drop a few strings per field of
// every row; mimalloc's thread-local free lists cost less than glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = match Cli::try_parse() {
        Ok(args) => args,
        // A value of the wrong shape or out of range is one line that says
        // what is allowed, like every other error; clap's hint to try --help
        // after it adds nothing.
        Err(e) if e.kind() == clap::error::ErrorKind::ValueValidation => {
            let text = e.render().to_string();
            eprintln!("{}", text.lines().next().unwrap_or("error: invalid value"));
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.message.is_empty() => ExitCode::from(u8::try_from(e.code).unwrap_or(1)),
        Err(e) => {
            let message = tuicrm::ui::text::sanitize_line(&e.message).into_owned();
            eprintln!("error: {message}");
            ExitCode::from(u8::try_from(e.code).unwrap_or(1))
        }
    }
}

fn run(args: Cli) -> Result<(), CliError> {
    cli::set_wide(args.wide);
    let config = cli::load_config(args.config)?;
    let db = cli::db_path(args.db)?;
    match args.command {
        Some(command) => cli::run(command, db, config, args.json),
        None => {
            let store = cli::open_store(&db, &config)?;
            tuicrm::tui::run(store, config).map_err(|e| CliError::runtime(e.to_string()))
        }
    }
}
