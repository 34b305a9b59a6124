//! How commands print: aligned plain tables and `key: value` blocks for people,
//! JSON for scripts. Every cell goes through `sanitize_line` first.

use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::CliError;
use crate::ui::text::{sanitize_block, sanitize_line, truncate, width};

/// Widest a cell may be in a table at a terminal; longer text ends with "…".
const MAX_CELL: usize = 48;

/// `--wide`: cells are printed whole even at a terminal. One flag of the
/// whole run, like whether stdout is a terminal, so it lives beside that
/// question rather than being passed down to every table.
static WIDE: AtomicBool = AtomicBool::new(false);

pub fn set_wide(wide: bool) {
    WIDE.store(wide, Ordering::Relaxed);
}

/// Cells are cut only for a person reading a terminal: a script reading a
/// pipe or a file gets every character (a cut email is a wrong email).
fn cut_cells() -> bool {
    !WIDE.load(Ordering::Relaxed) && io::stdout().is_terminal()
}

pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells_of(cells));
    }

    pub fn print(&self) -> Result<(), CliError> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            widen(&mut widths, row);
        }
        let mut out = io::stdout().lock();
        let headers: Vec<String> = self.headers.iter().map(|h| h.to_string()).collect();
        writeln!(out, "{}", table_line(&headers, &widths)).map_err(CliError::output)?;
        for row in &self.rows {
            writeln!(out, "{}", table_line(row, &widths)).map_err(CliError::output)?;
        }
        Ok(())
    }
}

/// A table row's cells as printed: sanitised, cut to `MAX_CELL`. Lists too
/// long to hold (the agenda) measure and print rows one at a time with this
/// and `table_line`.
pub fn cells_of(cells: Vec<String>) -> Vec<String> {
    let cut = cut_cells();
    cells
        .into_iter()
        .map(|c| {
            let line = sanitize_line(&c);
            if cut {
                truncate(&line, MAX_CELL).into_owned()
            } else {
                line.into_owned()
            }
        })
        .collect()
}

/// Grows `widths` to fit `row`.
pub fn widen(widths: &mut [usize], row: &[String]) {
    for (w, cell) in widths.iter_mut().zip(row) {
        *w = (*w).max(width(cell));
    }
}

/// One table line, cells padded to `widths`, two spaces between.
pub fn table_line(cells: &[String], widths: &[usize]) -> String {
    let mut text = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            text.push_str("  ");
        }
        text.push_str(cell);
        if i + 1 < widths.len() {
            text.push_str(&" ".repeat(w.saturating_sub(width(cell))));
        }
    }
    text.trim_end().to_string()
}

/// `label: value` lines for one record; empty values are left out.
pub struct Fields {
    lines: Vec<(&'static str, String)>,
}

impl Fields {
    pub fn new() -> Fields {
        Fields { lines: Vec::new() }
    }

    pub fn add(&mut self, label: &'static str, value: impl Into<String>) -> &mut Fields {
        let value = value.into();
        if !value.is_empty() {
            self.lines.push((label, value));
        }
        self
    }

    pub fn opt(&mut self, label: &'static str, value: Option<impl Into<String>>) -> &mut Fields {
        if let Some(v) = value {
            self.add(label, v);
        }
        self
    }

    pub fn print(&self) -> Result<(), CliError> {
        let pad = self.lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        let mut out = io::stdout().lock();
        for (label, value) in &self.lines {
            let text = sanitize_block(value);
            let mut lines = text.lines();
            let first = lines.next().unwrap_or("");
            writeln!(out, "{label:>pad$}: {first}").map_err(CliError::output)?;
            for more in lines {
                writeln!(out, "{:>pad$}  {more}", "").map_err(CliError::output)?;
            }
        }
        Ok(())
    }
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = super::json::json_string(value, true)?;
    let mut out = io::stdout().lock();
    writeln!(out, "{text}").map_err(CliError::output)
}

/// A plain message line on stdout (sanitised).
pub fn say(text: &str) -> Result<(), CliError> {
    writeln!(io::stdout().lock(), "{}", sanitize_line(text)).map_err(CliError::output)
}

/// A note on stderr that scripts reading stdout do not see.
pub fn note(text: &str) {
    let mut err = io::stderr().lock();
    // At a terminal, a progress count may stand on this line: wiped first.
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[2K");
    }
    let _ = writeln!(err, "{}", sanitize_line(text));
}

/// A running count on stderr for long jobs ("52,000 records read…"), shown
/// only to a person at a terminal and overwritten in place; `finish` wipes it.
pub struct Progress {
    shown: bool,
    every: u64,
    count: u64,
}

impl Progress {
    pub fn new(every: u64) -> Progress {
        Progress {
            shown: io::stderr().is_terminal(),
            every: every.max(1),
            count: 0,
        }
    }

    pub fn tick(&mut self, what: &str) {
        self.count += 1;
        if self.shown && self.count.is_multiple_of(self.every) {
            let _ = write!(io::stderr().lock(), "\r{} {what}…", self.count);
        }
    }

    pub fn finish(&self) {
        if self.shown && self.count >= self.every {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

/// "2026-11-25 14:30" in local time.
pub fn local_time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}
