//! `tuicrm import`: contacts from CSV and vCard files (as address books and
//! phones write them) and our own JSON export, read as a stream and written
//! in one transaction: all or nothing, and memory that does not grow with
//! the file.

mod contacts;
mod csv_columns;
mod decode;
mod from_csv;
mod from_json;
mod from_vcard;
mod read_ahead;
mod vcard_lines;

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::output::{Progress, note, print_json, say};
use super::{CliError, Context};
use crate::domain::CustomerDraft;
use crate::store::Importer;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A CSV or vCard file, a folder of .vcf files, or a `tuicrm export --format json` file
    path: PathBuf,
    /// csv, vcard or json; from the extension, else the content, when left out
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// The file's character set when it is not UTF-8, e.g. windows-1252
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    /// Import the valid records and list the others, instead of importing nothing
    #[arg(long)]
    skip_invalid: bool,
    /// Read and check everything, write nothing
    #[arg(long)]
    dry_run: bool,
}

/// One contact read from a CSV row or a vCard.
#[derive(Debug)]
pub struct Row {
    /// Where it starts in the file.
    pub line: u64,
    /// The customer id from a UID we wrote ("tuicrm-42", our urn:uuid).
    pub uid: Option<i64>,
    /// The card's UID, any writer's, as group cards name their members.
    pub card_uid: Option<String>,
    pub draft: CustomerDraft,
    /// The organization it belongs to, by name.
    pub organization: Option<String>,
}

/// What a reader yields, one at a time.
#[derive(Debug)]
pub enum Entry {
    Contact(Box<Row>),
    /// A record that cannot be a customer: skipped with `--skip-invalid`,
    /// else the end of the import. `at`: "line 4" (in a folder, "a.vcf, line 4").
    Invalid {
        at: String,
        reason: String,
    },
    /// A vCard group: a tag for the cards whose UIDs it lists.
    Group {
        name: String,
        members: Vec<String>,
    },
}

/// Counts of customers (and, for JSON, of the records added with them).
#[derive(Serialize, Default)]
struct Summary {
    created: usize,
    updated: usize,
    unchanged: usize,
    skipped: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    added: Option<Added>,
}

#[derive(Serialize, Default, Clone, Copy)]
struct Added {
    tickets: usize,
    followups: usize,
    interactions: usize,
}

impl ImportArgs {
    pub fn dry_run(&self) -> bool {
        self.dry_run
    }
}

pub fn import(ctx: &mut Context, args: ImportArgs) -> Result<(), CliError> {
    let format = args
        .format
        .clone()
        .unwrap_or_else(|| guess_format(&args.path))
        .to_ascii_lowercase();
    let encoding = args.encoding.as_deref();
    let path = args.path.display().to_string();
    let summary = match format.as_str() {
        "vcard" if args.path.is_dir() => {
            let cards = FolderCards {
                files: vcf_files(&args.path)?.into_iter(),
                current: None,
                encoding: args.encoding.clone(),
            };
            contacts::import(ctx, &args, &format!("{path}/"), cards)?
        }
        "vcard" => {
            let cards = from_vcard::Cards::new(decode::open(&args.path, encoding)?);
            contacts::import(ctx, &args, &format!("{path}, "), cards)?
        }
        "csv" => {
            let input = decode::open(&args.path, encoding)?;
            let mut rows = from_csv::Rows::new(input, &ctx.config.currency, ctx.clock().today())
                .map_err(|e| nothing_imported(&format!("{path}, "), &e))?;
            let summary = contacts::import(ctx, &args, &format!("{path}, "), &mut rows)?;
            let ignored = rows.ignored_columns();
            if !ignored.is_empty() {
                note(&format!(
                    "ignored columns (not imported): {}",
                    ignored.join(", ")
                ));
            }
            summary
        }
        "json" => from_json::import(ctx, &args, decode::open(&args.path, encoding)?)?,
        other => {
            return Err(CliError::usage(format!(
                "cannot import {other:?}: the formats are json, csv and vcard"
            )));
        }
    };
    report(ctx, &summary, args.dry_run)
}

/// One import's transaction around `work`, with a running count of records
/// (`every` a step) on a terminal, and "no contacts found" for a file that
/// held none.
fn in_transaction(
    ctx: &mut Context,
    args: &ImportArgs,
    every: u64,
    work: impl FnOnce(&mut Importer, &mut Progress) -> Result<Summary, CliError>,
) -> Result<Summary, CliError> {
    let mut progress = Progress::new(every);
    let summary = ctx
        .store
        .import(args.dry_run, |importer| work(importer, &mut progress));
    progress.finish();
    let summary = summary?;
    if summary.created + summary.updated + summary.unchanged + summary.skipped == 0 {
        return Err(no_contacts(args));
    }
    Ok(summary)
}

fn no_contacts(args: &ImportArgs) -> CliError {
    CliError::runtime(format!("no contacts found in {}", args.path.display()))
}

/// A file that is broken as a whole: where (the file and ", ", or a folder
/// and "/") and the reason, which names the file in a folder and the line.
fn nothing_imported(place: &str, reason: &str) -> CliError {
    CliError::runtime(format!("{place}{reason}; nothing was imported"))
}

/// The .vcf files of a folder (the khard / vdirsyncer layout), in name order.
fn vcf_files(folder: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = std::fs::read_dir(folder)
        .map_err(|e| CliError::runtime(format!("cannot read {}: {e}", folder.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("vcf"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The cards of a folder's files, one file open at a time; what goes wrong
/// names the file and its own line.
struct FolderCards {
    files: std::vec::IntoIter<PathBuf>,
    current: Option<(String, from_vcard::Cards<decode::Text>)>,
    encoding: Option<String>,
}

impl Iterator for FolderCards {
    type Item = Result<Entry, String>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let Some((name, cards)) = &mut self.current else {
                let file = self.files.next()?;
                let name = file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                match decode::open(&file, self.encoding.as_deref()) {
                    Ok(input) => self.current = Some((name, from_vcard::Cards::new(input))),
                    Err(e) => return Some(Err(format!("{name}: {}", e.message))),
                }
                continue;
            };
            match cards.next() {
                None => self.current = None,
                Some(Ok(Entry::Invalid { at, reason })) => {
                    return Some(Ok(Entry::Invalid {
                        at: format!("{name}, {at}"),
                        reason,
                    }));
                }
                Some(Ok(entry)) => return Some(Ok(entry)),
                Some(Err(e)) => return Some(Err(format!("{name}, {e}"))),
            }
        }
    }
}

fn report(ctx: &Context, summary: &Summary, dry_run: bool) -> Result<(), CliError> {
    if ctx.json {
        return print_json(summary);
    }
    let added = summary.added.map_or(String::new(), |a| {
        format!(
            "; with them {} tickets, {} follow-ups, {} interactions",
            a.tickets, a.followups, a.interactions
        )
    });
    let would = if dry_run {
        " (dry run: nothing written)"
    } else {
        ""
    };
    say(&format!(
        "{} created, {} updated, {} unchanged, {} skipped{added}{would}",
        summary.created, summary.updated, summary.unchanged, summary.skipped
    ))
}

/// From the extension, else from the content: a folder or `BEGIN:VCARD` is
/// vCard, `{` is our JSON, anything else is taken as CSV.
fn guess_format(path: &Path) -> String {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("vcf" | "vcard") => return "vcard".into(),
        Some("csv") => return "csv".into(),
        Some("json") => return "json".into(),
        _ => {}
    }
    if path.is_dir() {
        return "vcard".into();
    }
    let mut head = [0u8; 64];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..read]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.to_ascii_uppercase().starts_with("BEGIN:VCARD") {
        "vcard".into()
    } else if head.starts_with('{') {
        "json".into()
    } else {
        "csv".into()
    }
}

/// A reader's entries gathered, for the readers' unit tests.
#[cfg(test)]
#[derive(Debug, Default)]
struct Collected {
    rows: Vec<Row>,
    invalid: Vec<(String, String)>,
    groups: Vec<(String, Vec<String>)>,
}

#[cfg(test)]
fn collect(entries: impl Iterator<Item = Result<Entry, String>>) -> Result<Collected, String> {
    let mut collected = Collected::default();
    for entry in entries {
        match entry? {
            Entry::Contact(row) => collected.rows.push(*row),
            Entry::Invalid { at, reason } => collected.invalid.push((at, reason)),
            Entry::Group { name, members } => collected.groups.push((name, members)),
        }
    }
    Ok(collected)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Any bytes, through the decoder, give each reader records or an
        /// error, never a panic.
        #[test]
        fn any_bytes_are_read_or_refused(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            encoding in proptest::sample::select(vec![None, Some("windows-1252"), Some("utf-16le")]),
        ) {
            let input = || decode::text(std::io::Cursor::new(bytes.clone()), encoding).unwrap();
            let _ = collect(from_vcard::Cards::new(input()));
            let today = jiff::civil::date(2026, 11, 25);
            if let Ok(mut rows) = from_csv::Rows::new(input(), "USD", today) {
                let _ = collect(&mut rows);
            }
            let mut csv_bytes = b"name,email,notes\n".to_vec();
            csv_bytes.extend_from_slice(&bytes);
            let input = decode::text(std::io::Cursor::new(csv_bytes), encoding).unwrap();
            if let Ok(mut rows) = from_csv::Rows::new(input, "USD", today) {
                let _ = collect(&mut rows);
            }
        }
    }
}
