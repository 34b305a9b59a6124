//! How commands print: aligned plain tables and `key: value` blocks for people,
//! JSON for scripts. Every cell goes through `sanitize_line` first.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::CliError;
use crate::domain::Choice;
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
    // Asked of the terminal once: a long list asks for every row.
    static TERMINAL: OnceLock<bool> = OnceLock::new();
    !WIDE.load(Ordering::Relaxed) && *TERMINAL.get_or_init(|| io::stdout().is_terminal())
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
            // Most cells are clean already: kept as they are, not copied.
            let cleaned = match sanitize_line(&c) {
                Cow::Owned(line) => Some(line),
                Cow::Borrowed(_) => None,
            };
            let line = cleaned.unwrap_or(c);
            if cut {
                truncate(&line, MAX_CELL).into_owned()
            } else {
                line
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
            text.extend(std::iter::repeat_n(' ', w.saturating_sub(width(cell))));
        }
    }
    text.trim_end().to_string()
}

/// A column of a streamed table: its header and, when every value it can
/// hold is known to fit in some width (ids up to the largest, the words of
/// a choice), that width. Such a column is never cut (`Some(0)`: never cut,
/// though its widest is not known).
pub struct Column {
    pub header: &'static str,
    pub widest: Option<usize>,
}

impl Column {
    /// `widest`: the widest a value can be, when known (`Some(0)`: unknown,
    /// but never cut).
    pub fn new(header: &'static str, widest: Option<usize>) -> Column {
        Column { header, widest }
    }

    /// A column of the words of choice `C` (statuses, kinds): as wide as
    /// its widest word, so none is ever cut.
    pub fn of_choice<C: Choice + std::fmt::Display + 'static>(header: &'static str) -> Column {
        Column {
            header,
            widest: C::all().iter().map(|c| width(&c.to_string())).max(),
        }
    }
}

/// A table printed as its rows arrive, so memory does not grow with them.
/// The widths fit the header and the first page; when more pages follow,
/// columns with a known widest value take that too. A later cell wider than
/// its column is cut with "…" at a terminal (unless `--wide`, or the column
/// is never cut) and printed whole for a script: a cut email is a wrong
/// email. A table of one page prints as `Table` does, byte for byte.
pub struct StreamedTable<'a> {
    out: io::BufWriter<io::StdoutLock<'a>>,
    widths: Vec<usize>,
    whole: Vec<bool>,
    cut: bool,
}

impl StreamedTable<'_> {
    /// Prints the header and `first` (cells as `cells_of` gives them);
    /// `more`: whether other rows follow.
    pub fn start(
        columns: &[Column],
        first: &[Vec<String>],
        more: bool,
    ) -> Result<StreamedTable<'static>, CliError> {
        let mut widths: Vec<usize> = columns.iter().map(|c| width(c.header)).collect();
        for row in first {
            widen(&mut widths, row);
        }
        if more {
            for (w, c) in widths.iter_mut().zip(columns) {
                *w = (*w).max(c.widest.unwrap_or(0));
            }
        }
        let mut whole: Vec<bool> = columns.iter().map(|c| c.widest.is_some()).collect();
        // The last column is not padded: it need not fit anything.
        if let Some(last) = whole.last_mut() {
            *last = true;
        }
        let mut table = StreamedTable {
            out: io::BufWriter::new(io::stdout().lock()),
            widths,
            whole,
            cut: cut_cells(),
        };
        let headers: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
        table.line(&headers)?;
        for row in first {
            table.line(row)?;
        }
        Ok(table)
    }

    /// One more row after the first page: fitted to the widths already printed.
    pub fn row(&mut self, mut cells: Vec<String>) -> Result<(), CliError> {
        if self.cut {
            for ((cell, &w), &whole) in cells.iter_mut().zip(&self.widths).zip(&self.whole) {
                if !whole && width(cell) > w {
                    *cell = truncate(cell, w).into_owned();
                }
            }
        }
        self.line(&cells)
    }

    fn line(&mut self, cells: &[String]) -> Result<(), CliError> {
        writeln!(self.out, "{}", table_line(cells, &self.widths)).map_err(CliError::output)
    }

    pub fn finish(mut self) -> Result<(), CliError> {
        self.out.flush().map_err(CliError::output)
    }
}

/// A JSON array written element by element, in the layout `print_json`
/// gives the whole array, byte for byte.
pub struct JsonArray<'a> {
    out: Indented<io::BufWriter<io::StdoutLock<'a>>>,
    first: bool,
}

impl JsonArray<'_> {
    pub fn start() -> JsonArray<'static> {
        JsonArray {
            out: Indented(io::BufWriter::new(io::stdout().lock())),
            first: true,
        }
    }

    pub fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CliError> {
        let sep: &[u8] = if self.first { b"[\n  " } else { b",\n  " };
        self.first = false;
        self.out.0.write_all(sep).map_err(CliError::output)?;
        super::json::write_json(&mut self.out, value, true).map_err(|e| {
            if e.is_io() {
                CliError::output(e.into())
            } else {
                CliError::runtime(format!("cannot write JSON: {e}"))
            }
        })
    }

    pub fn finish(mut self) -> Result<(), CliError> {
        let end: &[u8] = if self.first { b"[]\n" } else { b"\n]\n" };
        self.out
            .0
            .write_all(end)
            .and_then(|()| self.out.0.flush())
            .map_err(CliError::output)
    }
}

/// Indents every line after the first by two spaces: an element inside the
/// array. Pretty JSON has a line break only between tokens (one inside a
/// string is written `\n`), so this is exact.
struct Indented<W>(W);

impl<W: Write> Write for Indented<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|&b| b == b'\n') {
            self.0.write_all(&rest[..=at])?;
            self.0.write_all(b"  ")?;
            rest = &rest[at + 1..];
        }
        self.0.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
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
