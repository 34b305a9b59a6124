//! `tuicrm man`: the manual, one page per command. `tuicrm man` prints the
//! page of tuicrm itself, `tuicrm man customer add` the page of that command,
//! `tuicrm man --dir DIR` writes every page (tuicrm.1, tuicrm-customer.1, ...)
//! so the pages each one names under SEE ALSO and SUBCOMMANDS exist.

use std::path::PathBuf;

use clap::{Args, CommandFactory};

use super::{Cli, CliError, output, write_stdout};

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, such as `customer` or `customer add` (none: tuicrm's own)
    #[arg(value_name = "COMMAND")]
    command: Vec<String>,
    /// Write every page into this folder as tuicrm.1, tuicrm-customer.1, ... instead
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    dir: Option<PathBuf>,
}

/// Sections clap does not know about, the same on every page: what the
/// program reads and writes, what it reads from the environment, and what
/// its exit status means.
const COMMON_SECTIONS: &str = r#".SH FILES
.TP
\fI<data dir>/tuicrm/tuicrm.db\fR
The database (SQLite), unless \fB\-\-db\fR or \fBTUICRM_DB\fR names another;
the data dir is \fI$XDG_DATA_HOME\fR (\fI~/.local/share\fR) on Linux,
\fI~/Library/Application Support\fR on macOS.
.TP
\fI<db>.v<N>\-<time>.bak\fR
A copy of the database made beside it before its schema is upgraded from version N.
.TP
\fI<config dir>/tuicrm/config.toml\fR
Settings (keys, colours, SLA, currency, health), unless \fB\-\-config\fR or
\fBTUICRM_CONFIG\fR names another; a missing default file means the defaults.
.SH ENVIRONMENT
.TP
\fBTUICRM_DB\fR
The database file, when \fB\-\-db\fR is not given.
.TP
\fBTUICRM_CONFIG\fR
The settings file, when \fB\-\-config\fR is not given; it must exist.
.TP
\fBTUICRM_NOW\fR
An RFC 3339 time to use as now, for reproducible runs and tests.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor the TUI opens for long text.
.TP
\fBNO_COLOR\fR
When set and not empty, the TUI draws without colour.
.SH "EXIT STATUS"
.TP
\fB0\fR
Success (also when the reader of the output went away, as with \fBhead\fR).
.TP
\fB1\fR
A runtime failure: the database cannot be opened or written, a file cannot be
read, a record asked for is not there (or in the trash), a change conflicts.
.TP
\fB2\fR
Bad input: an unknown option or command, a value of the wrong shape or out of
range, a record that breaks a rule.
"#;

pub fn man(args: ManArgs) -> Result<(), CliError> {
    let mut root = Cli::command().disable_help_subcommand(true);
    // Building sets each subcommand's page name ("tuicrm-customer-add").
    root.build();
    if let Some(dir) = args.dir {
        return write_all(&root, &dir);
    }
    let mut cmd = &root;
    for name in &args.command {
        cmd = cmd.find_subcommand(name).ok_or_else(|| {
            CliError::usage(format!(
                "no manual page for `{}`: {} has no command {name:?}",
                args.command.join(" "),
                page_name(cmd)
            ))
        })?;
    }
    write_stdout(render(cmd)?.as_bytes())
}

/// "tuicrm" for the program, "tuicrm-customer-add" for a command.
fn page_name(cmd: &clap::Command) -> &str {
    cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
}

fn render(cmd: &clap::Command) -> Result<String, CliError> {
    let mut out = Vec::new();
    // Every page is of tuicrm and its version (clap gives a command's page
    // the command's bare name, "add", which says nothing).
    clap_mangen::Man::new(cmd.clone())
        .source(format!("tuicrm {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)
        .map_err(|e| CliError::runtime(format!("cannot write the man page: {e}")))?;
    let mut page = String::from_utf8_lossy(&out).into_owned();
    let mut extra = COMMON_SECTIONS.to_string();
    if cmd.get_display_name().is_some_and(|name| name != "tuicrm") {
        extra.push_str(".SH \"SEE ALSO\"\ntuicrm(1)\n");
    }
    // Before VERSION and AUTHORS, which close a page by convention.
    match page.find("\n.SH VERSION") {
        Some(at) => page.insert_str(at + 1, &extra),
        None => page.push_str(&extra),
    }
    Ok(page)
}

/// Every page of the tree under `root`, one file each.
fn write_all(root: &clap::Command, dir: &std::path::Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::runtime(format!("cannot make {}: {e}", dir.display())))?;
    let mut stack = vec![root];
    while let Some(cmd) = stack.pop() {
        let path = dir.join(format!("{}.1", page_name(cmd)));
        std::fs::write(&path, render(cmd)?)
            .map_err(|e| CliError::runtime(format!("cannot write {}: {e}", path.display())))?;
        output::say(&path.display().to_string())?;
        stack.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()));
    }
    Ok(())
}
