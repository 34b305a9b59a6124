//! Contacts read from CSV or vCard, matched against the database and
//! created or updated as they arrive, inside the import's one transaction.

use super::read_ahead::read_ahead;
use super::{Entry, ImportArgs, Row, Summary, in_transaction, nothing_imported};
use crate::cli::output::note;
use crate::cli::{CliError, Context};
use crate::domain::{CustomerDraft, CustomerKind, Stage};
use crate::store::{Contact, Importer};

/// `place` prefixes what goes wrong: "FILE, " or "FOLDER/".
pub(super) fn import(
    ctx: &mut Context,
    args: &ImportArgs,
    place: &str,
    entries: impl Iterator<Item = Result<Entry, String>> + Send,
) -> Result<Summary, CliError> {
    read_ahead(entries, |entries| write(ctx, args, place, entries))
}

/// The import's transaction over `entries` as they are read.
fn write(
    ctx: &mut Context,
    args: &ImportArgs,
    place: &str,
    entries: &mut dyn Iterator<Item = Result<Entry, String>>,
) -> Result<Summary, CliError> {
    let now = ctx.clock().now();
    let skip_invalid = args.skip_invalid;
    in_transaction(ctx, args, 5_000, |importer, progress| {
        let mut summary = Summary::default();
        for entry in entries {
            progress.tick("records read");
            match entry.map_err(|e| nothing_imported(place, &e))? {
                Entry::Contact(row) => add(importer, *row, now, &mut summary)
                    .map_err(|e| nothing_imported(place, &e.message))?,
                Entry::Invalid { at, reason } if skip_invalid => {
                    note(&format!("skipped {place}{at}: {reason}"));
                    summary.skipped += 1;
                }
                Entry::Invalid { at, reason } => {
                    return Err(CliError::runtime(format!(
                        "{place}{at}: {reason}; nothing was imported (--skip-invalid imports the rest)"
                    )));
                }
                Entry::Group { name, members } => {
                    if !name.is_empty() {
                        for member in &members {
                            importer.note_member(member, &name)?;
                        }
                    }
                }
            }
        }
        Ok(summary)
    })
}

/// One contact: the customer it is already (updated with what the row
/// says), or a new one. Importing the same file again creates nothing new.
fn add(
    importer: &Importer,
    mut row: Row,
    now: jiff::Timestamp,
    summary: &mut Summary,
) -> Result<(), CliError> {
    let draft = &row.draft;
    let contact = Contact {
        id: row.uid,
        ..Contact::of(draft, row.organization.as_deref(), false)
    };
    let mut current = importer.existing(&contact, false)?;
    // An organization's own row after one of its people named it: the same
    // organization, however little that person's row said of it.
    if current.is_none() && draft.kind == CustomerKind::Organization {
        current = importer
            .organization_named(&draft.name)?
            .map(|id| importer.customer(id))
            .transpose()?;
    }
    if let Some(org) = row.organization.take() {
        row.draft.organization_id = Some(match importer.organization_named(&org)? {
            Some(id) => id,
            None => {
                summary.created += 1;
                let org = CustomerDraft::new(CustomerKind::Organization, org)
                    .normalized()
                    .map_err(|e| {
                        CliError::runtime(format!("line {}: organization: {e}", row.line))
                    })?;
                importer.add_customer(&org, now, None)?
            }
        });
    }
    let id = match current {
        Some(current) => {
            let before = current.draft();
            let mut after = updated(&before, &row.draft);
            // An organization's own row spells its name better than a
            // person's row that named it ("acme corp" → "ACME Corp").
            if row.draft.kind == CustomerKind::Organization
                && row.draft.name.eq_ignore_ascii_case(&before.name)
            {
                after.name.clone_from(&row.draft.name);
            }
            if after == before {
                summary.unchanged += 1;
            } else {
                importer.update_customer(&current, &after)?;
                summary.updated += 1;
            }
            current.id
        }
        None => {
            summary.created += 1;
            importer.add_customer(&row.draft, now, None)?
        }
    };
    if let Some(uid) = &row.card_uid {
        importer.note_uid(uid, id)?;
    }
    Ok(())
}

/// `existing` with what the row says: the row's values win where it has
/// them, tags are united, name and kind stay. A row's default stage
/// (prospect) does not demote a customer.
pub(super) fn updated(existing: &CustomerDraft, row: &CustomerDraft) -> CustomerDraft {
    let mut next = existing.clone();
    let take = |slot: &mut Option<String>, value: &Option<String>| {
        if value.is_some() {
            slot.clone_from(value);
        }
    };
    take(&mut next.email, &row.email);
    take(&mut next.phone, &row.phone);
    take(&mut next.title, &row.title);
    take(&mut next.segment, &row.segment);
    take(&mut next.owner, &row.owner);
    take(&mut next.notes, &row.notes);
    if row.stage != Stage::Prospect {
        next.stage = row.stage;
    }
    if row.renewal_on.is_some() {
        next.renewal_on = row.renewal_on;
    }
    if row.contract_value.is_some() {
        next.contract_value.clone_from(&row.contract_value);
    }
    if row.organization_id.is_some() {
        next.organization_id = row.organization_id;
    }
    for tag in &row.tags {
        if !next.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
            next.tags.push(tag.clone());
        }
    }
    for (name, values) in &row.extra {
        next.extra.insert(name.clone(), values.clone());
    }
    next
}
