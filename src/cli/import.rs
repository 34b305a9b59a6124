//! `tuicrm import`: our own JSON export back in, all or nothing, in one
//! transaction. (CSV and vCard readers are still to come.)

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::{Deserialize, Serialize};

use super::output::{print_json, say};
use super::{CliError, Context};
use crate::domain::bulk::{Account, BulkCustomer, BulkInteraction};
use crate::domain::{Customer, CustomerKind, Followup, Interaction, Ticket};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `tuicrm export --format json`
    path: PathBuf,
    /// json or csv (vcard is not supported yet); guessed from the extension when left out
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

#[derive(Deserialize)]
struct Document {
    format: String,
    version: u32,
    #[serde(default)]
    customers: Vec<Customer>,
    #[serde(default)]
    tickets: Vec<Ticket>,
    #[serde(default)]
    followups: Vec<Followup>,
    #[serde(default)]
    interactions: Vec<Interaction>,
}

#[derive(Serialize, Default)]
struct Summary {
    created: usize,
    updated: usize,
    unchanged: usize,
    skipped: usize,
}

pub fn import(ctx: &mut Context, args: ImportArgs) -> Result<(), CliError> {
    let format = args
        .format
        .clone()
        .unwrap_or_else(|| guess_format(&args.path))
        .to_ascii_lowercase();
    if format == "vcard" {
        let text = read_cards(&args.path, args.encoding.as_deref())?;
        let read = super::import_vcard::read(&text).map_err(|e| {
            CliError::runtime(format!(
                "{}, {e}; nothing was imported",
                args.path.display()
            ))
        })?;
        return import_rows(ctx, &args, read);
    }
    let text = read_text(&args.path, args.encoding.as_deref())?;
    match format.as_str() {
        "json" => {}
        "csv" => {
            let read = super::import_csv::read(&text, &ctx.config.currency, ctx.clock().today())
                .map_err(|e| {
                    CliError::runtime(format!(
                        "{}: {e}; nothing was imported",
                        args.path.display()
                    ))
                })?;
            return import_rows(ctx, &args, read);
        }
        other => {
            return Err(CliError::usage(format!(
                "cannot import {other:?}: the formats are json, csv and vcard"
            )));
        }
    }
    let document: Document = serde_json::from_str(&text).map_err(|e| {
        CliError::runtime(format!(
            "{}, line {}: not a tuicrm JSON export: {e}",
            args.path.display(),
            e.line()
        ))
    })?;
    if document.format != "tuicrm" || document.version != super::export::FORMAT_VERSION {
        return Err(CliError::runtime(format!(
            "{}: this is format {:?} version {}, this tuicrm reads \"tuicrm\" version {}",
            args.path.display(),
            document.format,
            document.version,
            super::export::FORMAT_VERSION
        )));
    }
    let store = &ctx.store;
    let existing = |c: &Customer| -> Result<Option<i64>, CliError> {
        let found = store.find_existing(None, &c.name, c.email.as_deref(), c.phone.as_deref())?;
        Ok(found.filter(|f| f.kind == c.kind).map(|f| f.id))
    };
    let (accounts, summary) = accounts_of(document, &args.path, existing)?;
    if !args.dry_run && !accounts.is_empty() {
        ctx.store.insert_accounts("import", &accounts)?;
    }
    report(ctx, &summary, args.dry_run)
}

/// The file as text: UTF-8 (a BOM is dropped) unless `encoding` names another.
fn read_text(path: &Path, encoding: Option<&str>) -> Result<String, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::runtime(format!("cannot read {}: {e}", path.display())))?;
    match encoding {
        Some(label) => {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                CliError::usage(format!(
                    "unknown encoding {label:?} (try utf-8 or windows-1252)"
                ))
            })?;
            let (text, _, had_errors) = encoding.decode(&bytes);
            if had_errors {
                return Err(CliError::runtime(format!(
                    "{} is not valid {}",
                    path.display(),
                    encoding.name()
                )));
            }
            Ok(text.trim_start_matches('\u{feff}').to_string())
        }
        None => {
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
            String::from_utf8(bytes.to_vec()).map_err(|e| {
                CliError::runtime(format!(
                    "{} is not UTF-8 (byte {}); Excel and Outlook often write Windows-1252: try --encoding windows-1252",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ))
            })
        }
    }
}

/// A .vcf file, or a folder of them (the khard / vdirsyncer layout), as one text.
fn read_cards(path: &Path, encoding: Option<&str>) -> Result<String, CliError> {
    if !path.is_dir() {
        return read_text(path, encoding);
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| CliError::runtime(format!("cannot read {}: {e}", path.display())))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("vcf"))
        })
        .collect();
    files.sort();
    let mut text = String::new();
    for file in files {
        text.push_str(&read_text(&file, encoding)?);
        text.push('\n');
    }
    Ok(text)
}

/// Contacts read from CSV or vCard: matched against the database, then
/// created or updated in one transaction (or reported only, on --dry-run).
fn import_rows(
    ctx: &mut Context,
    args: &ImportArgs,
    read: super::import_csv::Read,
) -> Result<(), CliError> {
    let path = args.path.display();
    let clock = ctx.clock().clone();
    if !args.skip_invalid
        && let Some((line, reason)) = read.invalid.first()
    {
        return Err(CliError::runtime(format!(
            "{path}, line {line}: {reason}; nothing was imported (--skip-invalid imports the rest)"
        )));
    }
    if read.rows.is_empty() && read.invalid.is_empty() {
        return Err(CliError::runtime(format!("no contacts found in {path}")));
    }
    for (line, reason) in &read.invalid {
        super::output::note(&format!("skipped line {line}: {reason}"));
    }
    if !read.unknown_columns.is_empty() {
        super::output::note(&format!(
            "ignored columns: {}",
            read.unknown_columns.join(", ")
        ));
    }
    let store = &ctx.store;
    let existing_org = |name: &str| {
        store
            .organizations_named(name)
            .ok()
            .and_then(|found| found.first().map(|o| o.id))
    };
    // Importing the same file again creates nothing new: rows that are a
    // customer already update it (or leave it as it is).
    let mut new_rows = Vec::new();
    let mut updates: Vec<(Customer, crate::domain::CustomerDraft)> = Vec::new();
    let mut unchanged = 0;
    for mut row in read.rows {
        let d = &row.draft;
        let Some(current) =
            store.find_existing(row.uid, &d.name, d.email.as_deref(), d.phone.as_deref())?
        else {
            new_rows.push(row);
            continue;
        };
        if let Some(org) = row.organization.as_deref() {
            row.draft.organization_id = existing_org(org);
        }
        let before = current.draft();
        let after = super::import_csv::updated(&before, &row.draft);
        if after == before || updates.iter().any(|(c, _)| c.id == current.id) {
            unchanged += 1;
        } else {
            updates.push((current, after));
        }
    }
    let accounts = super::import_csv::accounts(new_rows, existing_org, clock.now());
    let summary = Summary {
        created: accounts.iter().map(Account::customer_count).sum(),
        updated: updates.len(),
        unchanged,
        skipped: read.invalid.len(),
    };
    if !args.dry_run && (!accounts.is_empty() || !updates.is_empty()) {
        ctx.store.import_accounts(&accounts, &updates)?;
    }
    report(ctx, &summary, args.dry_run)
}

fn report(ctx: &Context, summary: &Summary, dry_run: bool) -> Result<(), CliError> {
    if ctx.json {
        return print_json(summary);
    }
    let would = if dry_run {
        " (dry run: nothing written)"
    } else {
        ""
    };
    say(&format!(
        "{} created, {} updated, {} unchanged, {} skipped{would}",
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

/// Where a customer of the document went: its account, and its place among
/// the account's people (`None`: it is the account's organization).
type Place = (usize, Option<usize>);

/// Regroups the document's records into accounts (organization + people),
/// each with its tickets, follow-ups and interactions, links kept by
/// position. Trashed records are skipped. Every record is checked first, so
/// one bad record stops the import before anything is written.
fn accounts_of(
    document: Document,
    path: &Path,
    existing: impl Fn(&Customer) -> Result<Option<i64>, CliError>,
) -> Result<(Vec<Account>, Summary), CliError> {
    let mut summary = Summary::default();
    let mut accounts: Vec<Account> = Vec::new();
    let mut places: HashMap<i64, Place> = HashMap::new();
    // Customers the database has already (same email, or name and phone):
    // left as they are, with their records, so importing the same export
    // again creates nothing new. Old id to the id they have here.
    let mut known: HashMap<i64, i64> = HashMap::new();
    let bad = |what: String| {
        CliError::runtime(format!("{}: {what}; nothing was imported", path.display()))
    };
    let (orgs, people): (Vec<_>, Vec<_>) = document
        .customers
        .into_iter()
        .partition(|c| c.kind == CustomerKind::Organization);
    for c in orgs.into_iter().chain(people) {
        if c.deleted_at.is_some() {
            summary.skipped += 1;
            continue;
        }
        if let Some(id) = existing(&c)? {
            known.insert(c.id, id);
            summary.unchanged += 1;
            continue;
        }
        let mut draft = c.draft();
        let old_org = draft.organization_id.take();
        let org = old_org.and_then(|org| places.get(&org).copied());
        // A new person of an organization the database has: linked to it.
        draft.organization_id = old_org
            .and_then(|org| known.get(&org).copied())
            .filter(|_| org.is_none());
        let draft = draft
            .normalized()
            .map_err(|e| bad(format!("customer {}: {e}", c.id)))?;
        let bulk = BulkCustomer {
            draft,
            created_at: c.created_at,
            tickets: Vec::new(),
            followups: Vec::new(),
            interactions: Vec::new(),
        };
        match (c.kind, org) {
            (CustomerKind::Person, Some((account, None))) => {
                places.insert(c.id, (account, Some(accounts[account].people.len())));
                accounts[account].people.push(bulk);
            }
            (CustomerKind::Organization, _) => {
                places.insert(c.id, (accounts.len(), None));
                accounts.push(Account {
                    organization: Some(bulk),
                    people: Vec::new(),
                });
            }
            (CustomerKind::Person, _) => {
                places.insert(c.id, (accounts.len(), Some(0)));
                accounts.push(Account {
                    organization: None,
                    people: vec![bulk],
                });
            }
        }
        summary.created += 1;
    }
    let mut ticket_at: HashMap<i64, usize> = HashMap::new();
    for t in document.tickets {
        let Some(customer) = record_owner(&mut accounts, &places, t.customer_id) else {
            // Records of a customer left as it was stay out with it.
            if !known.contains_key(&t.customer_id) {
                summary.skipped += 1;
            }
            continue;
        };
        if t.deleted_at.is_some() {
            summary.skipped += 1;
            continue;
        }
        if t.subject.trim().is_empty() {
            return Err(bad(format!("ticket {}: subject must not be blank", t.id)));
        }
        ticket_at.insert(t.id, customer.tickets.len());
        customer.tickets.push(t);
    }
    let mut followup_at: HashMap<i64, usize> = HashMap::new();
    for f in document.followups {
        let Some(customer) = record_owner(&mut accounts, &places, f.customer_id) else {
            // Records of a customer left as it was stay out with it.
            if !known.contains_key(&f.customer_id) {
                summary.skipped += 1;
            }
            continue;
        };
        if f.deleted_at.is_some() {
            summary.skipped += 1;
            continue;
        }
        followup_at.insert(f.id, customer.followups.len());
        customer.followups.push(f);
    }
    for i in document.interactions {
        if i.summary.trim().is_empty() {
            return Err(bad(format!(
                "interaction {}: summary must not be blank",
                i.id
            )));
        }
        let ticket = i.ticket_id.and_then(|t| ticket_at.get(&t).copied());
        let followup = i.followup_id.and_then(|f| followup_at.get(&f).copied());
        let Some(customer) = record_owner(&mut accounts, &places, i.customer_id) else {
            // Records of a customer left as it was stay out with it.
            if !known.contains_key(&i.customer_id) {
                summary.skipped += 1;
            }
            continue;
        };
        customer.interactions.push(BulkInteraction {
            interaction: i,
            ticket,
            followup,
        });
    }
    Ok((accounts, summary))
}

/// The imported customer a record of old customer `id` belongs to.
fn record_owner<'a>(
    accounts: &'a mut [Account],
    places: &HashMap<i64, Place>,
    id: i64,
) -> Option<&'a mut BulkCustomer> {
    let (account, person) = *places.get(&id)?;
    let account = accounts.get_mut(account)?;
    match person {
        Some(i) => account.people.get_mut(i),
        None => account.organization.as_mut(),
    }
}
