//! `tuicrm export`: everything, to take elsewhere. JSON is the whole database
//! in one document; CSV is one row per customer, vCard one card per
//! customer. `--out` writes atomically
//! (a private temporary file beside the target, then a rename).

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{CliError, Context};
use crate::atomic_file::{AtomicFile, Existing};
use crate::domain::Customer;
use crate::ui::text::sanitize_line;

/// Records read from the store per page while exporting.
const PAGE: usize = 2_000;
/// Names this document's layout; bumped when it changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Vcard,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json: every record; csv: a spreadsheet of customers; vcard: an address book
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    format: ExportFormat,
    /// Write to FILE (atomically, mode 0600) instead of standard output
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn export(ctx: &Context, args: ExportArgs) -> Result<(), CliError> {
    let to_terminal = args.out.is_none() && io::stdout().is_terminal();
    let write = |out: &mut dyn Write| match args.format {
        ExportFormat::Json => write_json(ctx, out),
        ExportFormat::Csv => write_csv(ctx, out, to_terminal),
        ExportFormat::Vcard => write_vcards(ctx, out, to_terminal),
    };
    match &args.out {
        Some(path) => write_atomically(path, write),
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            write(&mut out)?;
            out.flush().map_err(CliError::output)
        }
    }
}

fn io_error(path: &Path, what: &str, e: io::Error) -> CliError {
    CliError::runtime(format!("cannot {what} {}: {e}", path.display()))
}

/// Writes through a private temporary file in the target's folder and renames
/// it into place, so a reader never sees half an export and a crash leaves
/// the old file as it was.
fn write_atomically(
    path: &Path,
    write: impl Fn(&mut dyn Write) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let mut file = AtomicFile::create(path).map_err(|e| io_error(path, "write", e))?;
    let mut out = BufWriter::new(file.file_mut());
    write(&mut out)?;
    out.flush().map_err(|e| io_error(path, "write", e))?;
    drop(out);
    file.commit(Existing::Replace)
        .map_err(|e| io_error(path, "write", e))
}

#[derive(Serialize)]
struct Header<'a> {
    format: &'a str,
    version: u32,
    exported_at: jiff::Timestamp,
}

/// `{"format": "tuicrm", "version": 1, "exported_at": ..., "customers": [...],
/// "tickets": [...], "followups": [...], "interactions": [...]}`, streamed a
/// page at a time so memory does not grow with the database.
fn write_json(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let header = Header {
        format: "tuicrm",
        version: FORMAT_VERSION,
        exported_at: ctx.clock().now(),
    };
    let head = super::json::json_string(&header, false)?;
    // The header object, left open for the record arrays.
    writeln!(out, "{},", head.trim_end_matches('}')).map_err(CliError::output)?;
    let store = &ctx.store;
    json_array(
        out,
        "customers",
        |after| store.customers_by_id(after, PAGE),
        |c| c.id,
        false,
    )?;
    json_array(
        out,
        "tickets",
        |after| store.tickets_by_id(after, PAGE),
        |t| t.id,
        false,
    )?;
    json_array(
        out,
        "followups",
        |after| store.followups_by_id(after, PAGE),
        |f| f.id,
        false,
    )?;
    json_array(
        out,
        "interactions",
        |after| store.interactions_by_id(after, PAGE),
        |i| i.id,
        true,
    )?;
    writeln!(out, "}}").map_err(CliError::output)
}

fn json_array<T: Serialize>(
    out: &mut dyn Write,
    name: &str,
    mut page: impl FnMut(i64) -> crate::store::Result<Vec<T>>,
    id: impl Fn(&T) -> i64,
    last: bool,
) -> Result<(), CliError> {
    write!(out, "\"{name}\": [").map_err(CliError::output)?;
    let mut after = 0;
    let mut first = true;
    loop {
        let rows = page(after)?;
        let Some(tail) = rows.last() else { break };
        after = id(tail);
        for row in &rows {
            if !first {
                out.write_all(b",").map_err(CliError::output)?;
            }
            first = false;
            out.write_all(b"\n  ").map_err(CliError::output)?;
            super::json::write_json(&mut *out, row, false)
                .map_err(|e| CliError::runtime(format!("cannot write JSON: {e}")))?;
        }
    }
    let comma = if last { "" } else { "," };
    write!(out, "\n]{comma}\n").map_err(CliError::output)
}

/// One vCard 4.0 per live customer (people and organizations, `KIND:org`).
fn write_vcards(ctx: &Context, out: &mut dyn Write, to_terminal: bool) -> Result<(), CliError> {
    let mut after = 0;
    loop {
        let page = ctx.store.customers_by_id(after, PAGE)?;
        let Some(tail) = page.last() else { break };
        after = tail.id;
        for c in page.iter().filter(|c| c.deleted_at.is_none()) {
            let card = super::vcard::card(c);
            let card = if to_terminal {
                crate::ui::text::sanitize_block(&card)
            } else {
                card
            };
            out.write_all(card.as_bytes()).map_err(CliError::output)?;
        }
    }
    Ok(())
}

pub const CSV_HEADER: [&str; 14] = [
    "uid",
    "kind",
    "name",
    "organization",
    "email",
    "phone",
    "title",
    "segment",
    "tags",
    "stage",
    "owner",
    "renewal_on",
    "contract_value",
    "notes",
];

/// One row per live customer. Cells a spreadsheet would run as a formula get
/// a leading `'`; on a terminal, control characters are made inert.
fn write_csv(ctx: &Context, out: &mut dyn Write, to_terminal: bool) -> Result<(), CliError> {
    let mut writer = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| CliError::runtime(format!("cannot write CSV: {e}"));
    // Extra details (ADR, URL, more emails ...) get a column each after the
    // fixed ones ("extra adr"): a first pass finds which exist.
    let mut extras = std::collections::BTreeSet::new();
    for_each_live_customer(ctx, |c| {
        extras.extend(
            c.extra
                .keys()
                .map(|k| format!("extra {}", k.to_ascii_lowercase())),
        );
        Ok(())
    })?;
    let header: Vec<String> = CSV_HEADER
        .iter()
        .map(|h| h.to_string())
        .chain(extras.iter().cloned())
        .collect();
    writer.write_record(&header).map_err(fail)?;
    for_each_live_customer(ctx, |c| {
        let extra_cells = extras.iter().map(|column| {
            let key = column.trim_start_matches("extra ");
            let values = c
                .extra
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.join(" ::: "));
            values.unwrap_or_default()
        });
        let cells = csv_cells(c).into_iter().chain(extra_cells).map(|cell| {
            let safe = neutralize_formula(&cell);
            if to_terminal {
                sanitize_line(&safe).into_owned()
            } else {
                safe
            }
        });
        writer.write_record(cells).map_err(fail)
    })?;
    writer.flush().map_err(CliError::output)
}

/// Calls `each` for every live customer, a page at a time.
fn for_each_live_customer(
    ctx: &Context,
    mut each: impl FnMut(&Customer) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let mut after = 0;
    loop {
        let page = ctx.store.customers_by_id(after, PAGE)?;
        let Some(tail) = page.last() else {
            return Ok(());
        };
        after = tail.id;
        for c in page.iter().filter(|c| c.deleted_at.is_none()) {
            each(c)?;
        }
    }
}

fn csv_cells(c: &Customer) -> [String; 14] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let value = c
        .money()
        .map(|m| {
            format!(
                "{}.{:02} {}",
                m.minor / 100,
                (m.minor % 100).abs(),
                m.currency
            )
        })
        .unwrap_or_default();
    [
        format!("tuicrm-{}", c.id),
        c.kind.to_string(),
        c.name.clone(),
        opt(&c.organization),
        opt(&c.email),
        opt(&c.phone),
        opt(&c.title),
        opt(&c.segment),
        c.tags.join(";"),
        c.stage.to_string(),
        opt(&c.owner),
        c.renewal_on.map(|d| d.to_string()).unwrap_or_default(),
        value,
        opt(&c.notes),
    ]
}

/// `=SUM(...)`, `+1`, `-1`, `@cmd` would run as formulas in a spreadsheet:
/// a leading `'` keeps them text. A cell that itself starts with `'` gets one
/// too, so our importer, which removes one `'` before these five, gives back
/// exactly what was exported ("'tis" -> "''tis" -> "'tis").
pub fn neutralize_formula(cell: &str) -> String {
    if cell.starts_with(FORMULA_GUARDED) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// First characters that get a `'` in front on export and lose it on import.
pub const FORMULA_GUARDED: [char; 5] = ['=', '+', '-', '@', '\''];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_kept_as_text() {
        assert_eq!(neutralize_formula("=1+1"), "'=1+1");
        assert_eq!(neutralize_formula("+44 20 7946 0000"), "'+44 20 7946 0000");
        assert_eq!(neutralize_formula("@home"), "'@home");
        assert_eq!(neutralize_formula("'t Hooft"), "''t Hooft");
        assert_eq!(neutralize_formula("'=quoted"), "''=quoted");
        assert_eq!(neutralize_formula("Acme"), "Acme");
    }
}
