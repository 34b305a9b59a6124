//! The command line: every record the TUI shows can be created, listed,
//! changed, searched and deleted from a script. One file per command group.

mod agenda;
mod choices;
mod customer;
mod export;
mod followup;
mod import;
mod interaction;
mod json;
mod listing;
mod maintenance;
mod manpages;
mod output;
mod report;
mod ticket;
mod vcard;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::domain::{Clock, ValidationError};
use crate::store::{OpenMode, Store, StoreError};

pub use customer::CustomerCommand;
pub use followup::FollowupCommand;
pub use interaction::{InteractionCommand, LogArgs};
pub use output::set_wide;
pub use ticket::TicketCommand;

#[derive(Debug, Parser)]
#[command(
    name = "tuicrm",
    version,
    about = "A keyboard-driven mini-CRM for the terminal"
)]
#[command(after_help = "Without a command, tuicrm opens the TUI on the database.")]
pub struct Cli {
    /// Database file [env: TUICRM_DB] [default: <data dir>/tuicrm/tuicrm.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Settings file [env: TUICRM_CONFIG] [default: <config dir>/tuicrm/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Print records as JSON (list output is a JSON array)
    #[arg(long, global = true)]
    pub json: bool,
    /// Print table cells whole; at a terminal long ones are cut with "…"
    /// (never when stdout is a pipe or a file)
    #[arg(long, global = true)]
    pub wide: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database if missing and print its path
    Init,
    /// Fill the database with realistic, deterministic sample data
    Demo(maintenance::DemoArgs),
    /// Add, list, show, edit, delete and restore customers
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Open, list, show and change support tickets
    #[command(subcommand)]
    Ticket(TicketCommand),
    /// Plan, list and finish success follow-ups
    #[command(subcommand, name = "followup")]
    Followup(FollowupCommand),
    /// Log an interaction (call, email, meeting, chat, note) with a customer
    Log(LogArgs),
    /// List, show, correct and delete logged interactions
    #[command(subcommand)]
    Interaction(InteractionCommand),
    /// Search customers, tickets and interactions, best matches first
    Search(maintenance::SearchArgs),
    /// Overdue and upcoming follow-ups and tickets near or over their SLA
    Agenda(agenda::AgendaArgs),
    /// Service report: tickets opened and resolved, reply and resolution times, SLA met, backlog and CSAT by week, month, assignee, priority, channel or segment
    Report(report::ReportArgs),
    /// Undo the last change (repeat to go further back)
    Undo,
    /// Bring contacts in from CSV (ours, Google, Outlook), vCard files or a folder of them, or our JSON export
    Import(import::ImportArgs),
    /// Write everything out: JSON (the whole database), CSV or vCard (customers)
    Export(export::ExportArgs),
    /// Write a consistent copy of the database while it may be in use
    Backup(maintenance::BackupArgs),
    /// Check the database's integrity and the app's own rules
    Check,
    /// Print shell completions (bash, zsh, fish, elvish, powershell)
    Completions {
        /// The shell to complete for
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page of tuicrm or of one command (roff), or write them all with --dir
    Man(manpages::ManArgs),
}

impl Command {
    /// Commands that only read the database: they never create one, and say
    /// so when there is none.
    fn only_reads(&self) -> bool {
        match self {
            Command::Customer(cmd) => matches!(
                cmd,
                CustomerCommand::List { .. }
                    | CustomerCommand::Show { .. }
                    | CustomerCommand::Duplicates { .. }
            ),
            Command::Ticket(cmd) => {
                matches!(cmd, TicketCommand::List { .. } | TicketCommand::Show { .. })
            }
            Command::Followup(cmd) => {
                matches!(
                    cmd,
                    FollowupCommand::List { .. } | FollowupCommand::Show { .. }
                )
            }
            Command::Interaction(cmd) => cmd.only_reads(),
            Command::Search(_)
            | Command::Agenda(_)
            | Command::Report(_)
            | Command::Export(_)
            | Command::Backup(_)
            | Command::Check => true,
            _ => false,
        }
    }
}

/// A failure with its exit status: 1 for runtime errors, 2 for bad input.
#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    pub fn runtime(message: impl Into<String>) -> CliError {
        CliError {
            code: 1,
            message: message.into(),
        }
    }

    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            code: 2,
            message: message.into(),
        }
    }

    /// A reader that went away (`tuicrm customer list | head`) is not an
    /// error worth a message: stop quietly, as other Unix tools do.
    fn output(e: std::io::Error) -> CliError {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return CliError {
                code: 0,
                message: String::new(),
            };
        }
        CliError::runtime(format!("cannot write output: {e}"))
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> CliError {
        let code = if e.is_invalid_input() { 2 } else { 1 };
        CliError {
            code,
            message: e.to_string(),
        }
    }
}

impl From<ValidationError> for CliError {
    fn from(e: ValidationError) -> CliError {
        CliError::usage(e.to_string())
    }
}

impl From<crate::config::ConfigError> for CliError {
    fn from(e: crate::config::ConfigError) -> CliError {
        CliError::runtime(e.to_string())
    }
}

/// What every command works with.
pub struct Context {
    pub store: Store,
    pub config: Config,
    pub json: bool,
}

impl Context {
    pub fn clock(&self) -> &Clock {
        self.store.clock()
    }
}

/// The clock: the system's, or `TUICRM_NOW` (RFC 3339) for reproducible runs and tests.
pub fn clock_from_env() -> Result<Clock, CliError> {
    match std::env::var("TUICRM_NOW") {
        Ok(text) if !text.is_empty() => {
            let at = text.parse().map_err(|_| {
                CliError::usage(format!("TUICRM_NOW must be an RFC 3339 time, not {text:?}"))
            })?;
            Ok(Clock::fixed(at, jiff::tz::TimeZone::system()))
        }
        _ => Ok(Clock::system()),
    }
}

/// `--db` > `TUICRM_DB` > `<data dir>/tuicrm/tuicrm.db`.
pub fn db_path(flag: Option<PathBuf>) -> Result<PathBuf, CliError> {
    if let Some(path) = flag {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os("TUICRM_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    project_dirs()
        .map(|dirs| dirs.data_dir().join("tuicrm.db"))
        .ok_or_else(|| {
            CliError::runtime("cannot find a home folder for the database; pass --db PATH")
        })
}

/// `--config` > `TUICRM_CONFIG` > `<config dir>/tuicrm/config.toml`; the
/// second value says whether the file must exist (it was named explicitly).
pub fn config_path(flag: Option<PathBuf>) -> (Option<PathBuf>, bool) {
    if let Some(path) = flag {
        return (Some(path), true);
    }
    if let Some(path) = std::env::var_os("TUICRM_CONFIG").filter(|p| !p.is_empty()) {
        return (Some(PathBuf::from(path)), true);
    }
    (
        project_dirs().map(|d| d.config_dir().join("config.toml")),
        false,
    )
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tuicrm")
}

pub fn load_config(flag: Option<PathBuf>) -> Result<Config, CliError> {
    match config_path(flag) {
        (Some(path), required) => Ok(Config::load(&path, required)?),
        (None, _) => Ok(Config::defaults()),
    }
}

pub fn open_store(path: &std::path::Path, config: &Config) -> Result<Store, CliError> {
    open_store_with(path, config, OpenMode::Create)
}

fn open_store_with(
    path: &std::path::Path,
    config: &Config,
    mode: OpenMode,
) -> Result<Store, CliError> {
    // A person waiting at a terminal is told why; scripts' stderr stays quiet.
    let tell = |from: i64, to: i64| {
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            output::note(&format!(
                "upgrading {} from schema {from} to {to}, with a backup first (once; a large database takes a minute)…",
                path.display()
            ));
        }
    };
    let mut store = Store::open_telling(path, mode, tell)?
        .with_clock(clock_from_env()?)
        .with_sla(config.sla.clone());
    // New service levels in the settings: due times follow them. A database
    // that cannot take it now (locked, read-only) is read as it is.
    let unsettled = match store.sla_unsettled() {
        Ok(unsettled) => unsettled,
        Err(e) => {
            output::note(&format!("due times not worked out again: {e}"));
            None
        }
    };
    let Some(stored) = unsettled else {
        return Ok(store);
    };
    if stored.is_some() && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        output::note("the service levels in the settings changed: working out due times again…");
    }
    match store.settle_sla() {
        Ok(0) => {}
        Ok(n) => output::note(&format!(
            "the service levels in the settings changed: worked out the due times of {n} unfinished tickets again"
        )),
        Err(e) => output::note(&format!("due times not worked out again: {e}")),
    }
    Ok(store)
}

/// Runs one subcommand.
pub fn run(command: Command, db: PathBuf, config: Config, json: bool) -> Result<(), CliError> {
    // These two describe the program; they need no database.
    match command {
        Command::Completions { shell } => return print_completions(shell),
        Command::Man(args) => return manpages::man(args),
        _ => {}
    }
    // A dry run into a database that does not exist yet must not create it:
    // it rehearses on an empty one of its own, in a private folder (0700,
    // a random name no other user can guess or plant) removed afterwards.
    let rehearsal = match &command {
        Command::Import(args) if args.dry_run() && !db.exists() => {
            let mut builder = tempfile::Builder::new();
            builder.prefix("tuicrm-dry-run-");
            // tempfile leaves a folder's mode to the umask (often 0755).
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
            Some(builder.tempdir().map_err(|e| {
                CliError::runtime(format!("cannot make a folder for the dry run: {e}"))
            })?)
        }
        _ => None,
    };
    match &rehearsal {
        // The store is closed when run_on returns; the folder goes after it.
        Some(dir) => run_on(command, &dir.path().join("dry-run.db"), config, json),
        None => run_on(command, &db, config, json),
    }
}

fn run_on(command: Command, db: &Path, config: Config, json: bool) -> Result<(), CliError> {
    let mode = if command.only_reads() {
        OpenMode::Existing
    } else {
        OpenMode::Create
    };
    let store = open_store_with(db, &config, mode)?;
    let mut ctx = Context {
        store,
        config,
        json,
    };
    match command {
        Command::Init => maintenance::init(&ctx),
        Command::Demo(args) => maintenance::demo(&mut ctx, args),
        Command::Customer(cmd) => customer::run(&mut ctx, cmd),
        Command::Ticket(cmd) => ticket::run(&mut ctx, cmd),
        Command::Followup(cmd) => followup::run(&mut ctx, cmd),
        Command::Log(args) => interaction::log(&mut ctx, args),
        Command::Interaction(cmd) => interaction::run(&mut ctx, cmd),
        Command::Search(args) => maintenance::search(&ctx, args),
        Command::Agenda(args) => agenda::agenda(&ctx, args),
        Command::Report(args) => report::report(&ctx, args),
        Command::Undo => maintenance::undo(&mut ctx),
        Command::Backup(args) => maintenance::backup(&ctx, args),
        Command::Check => maintenance::check(&ctx),
        Command::Export(args) => export::export(&ctx, args),
        Command::Import(args) => import::import(&mut ctx, args),
        Command::Completions { .. } | Command::Man(_) => Ok(()),
    }
}

fn print_completions(shell: clap_complete::Shell) -> Result<(), CliError> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "tuicrm", &mut out);
    write_stdout(&out)
}

fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(CliError::output)
}

/// `--limit` or `--all`: how many rows a list prints.
#[derive(Debug, Args)]
pub struct LimitArg {
    /// Print at most N rows
    #[arg(long, value_name = "N", default_value_t = 50,
          allow_negative_numbers = true, value_parser = parse_limit)]
    limit: usize,
    /// Print every row, however many (instead of --limit)
    #[arg(long, visible_alias = "no-limit", conflicts_with = "limit")]
    all: bool,
}

impl LimitArg {
    /// The rows to print: `usize::MAX` for `--all`.
    pub fn rows(&self) -> usize {
        if self.all { usize::MAX } else { self.limit }
    }
}

/// `--limit` or `--no-limit`, for a list whose `--all` already means
/// something else (follow-ups of every status).
#[derive(Debug, Args)]
pub struct NoLimitArg {
    /// Print at most N rows
    #[arg(long, value_name = "N", default_value_t = 50,
          allow_negative_numbers = true, value_parser = parse_limit)]
    limit: usize,
    /// Print every row, however many (instead of --limit)
    #[arg(long, conflicts_with = "limit")]
    no_limit: bool,
}

impl NoLimitArg {
    /// The rows to print: `usize::MAX` for `--no-limit`.
    pub fn rows(&self) -> usize {
        if self.no_limit {
            usize::MAX
        } else {
            self.limit
        }
    }
}

/// The most rows one list prints: far more than anyone reads, and well inside
/// what SQLite's LIMIT takes (a bigger number reached it as a float).
const MAX_LIMIT: u64 = 1_000_000_000;

/// `--limit N` of every list: 1 to `MAX_LIMIT`, said so when out of range.
pub(crate) fn parse_limit(text: &str) -> Result<usize, String> {
    let n = whole_number(text, 1, MAX_LIMIT)?;
    usize::try_from(n).map_err(|_| format!("must be a whole number from 1 to {}", usize::MAX))
}

/// A whole number from `min` to `max`; anything else (a sign, a fraction,
/// too many digits) gets the same one-line reason with the range.
pub(crate) fn whole_number(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let reason = || format!("must be a whole number from {min} to {max}");
    // i128 holds any 38 digits, so "-1" and "99999999999999999999" are read
    // (and refused as out of range) rather than failing to parse.
    let n: i128 = text.trim().parse().map_err(|_| reason())?;
    u64::try_from(n)
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(reason)
}

/// Tells a person, or a script reading JSON, that a list was cut short: on
/// stderr, so stdout stays the rows (or the JSON) alone.
fn more_note(has_more: bool, limit: usize, json: bool) {
    if !has_more {
        return;
    }
    if json {
        output::note(&format!(
            "truncated: first {limit} shown; use --limit N or --all for more"
        ));
    } else {
        output::note(&format!(
            "(first {limit} shown; use --limit N or --all for more)"
        ));
    }
}
