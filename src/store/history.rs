//! Undo from the history table: the newest change not yet undone is reversed
//! field by field, newest row first, then the records it added are removed.
//! Works across processes and restarts, and for an import of any size.
//!
//! Loads of demo data keep no history and cannot be undone: undo passes over
//! them to the change before (their records point at nothing older, so
//! taking that back leaves them whole) and says so.

use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::customers::resync_emails;
use super::error::{Context, Result, StoreError, classify};
use super::search::Indexed;
use super::tags::{drop_orphan_tags, link_tag, unlink_tag};
use super::{Store, Write};

/// What an undo reversed, for the status bar and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undone {
    pub change_id: i64,
    pub action: String,
    pub table: String,
    pub record_id: i64,
    /// Records the change had added, removed again.
    pub removed: usize,
    /// Records put back as they were before the change.
    pub restored: usize,
    /// Newer changes that cannot be undone (demo loads), passed over to
    /// reach this one; they stay.
    pub passed_over: Vec<String>,
}

impl Undone {
    /// "editing customer 42"; "the import (removed 3 records it added, put back 1 it changed)"
    pub fn describe(&self) -> String {
        self.describe_named(None)
    }

    /// `describe` naming the record ("editing Thomas Hardy") when `name` is
    /// known, for people rather than scripts.
    pub fn describe_named(&self, name: Option<&str>) -> String {
        let what = if self.action == "import" {
            format!(
                "the import (removed {} records it added, put back {} it changed)",
                self.removed, self.restored
            )
        } else if let Some(name) = name {
            format!("{} {name}", verb(&self.action))
        } else {
            format!(
                "{} {} {}",
                verb(&self.action),
                noun(&self.table),
                self.record_id
            )
        };
        if self.passed_over.is_empty() {
            return what;
        }
        let loads: Vec<String> = self
            .passed_over
            .iter()
            .map(|action| {
                let (name, why) = load_words(action);
                format!("{name} after it stays ({why})")
            })
            .collect();
        format!("{what}; {}", loads.join("; "))
    }
}

fn verb(action: &str) -> &'static str {
    match action.rsplit('.').next().unwrap_or("") {
        "add" => "adding",
        "edit" => "editing",
        "delete" => "deleting",
        "restore" => "restoring",
        "set" => "changing",
        "log" => "logging",
        "done" => "completing",
        "skipped" => "skipping",
        "cancelled" => "cancelling",
        "merge" => "merging",
        _ => "changing",
    }
}

fn noun(table: &str) -> &'static str {
    match table {
        "tickets" => "ticket",
        "followups" => "follow-up",
        "interactions" => "interaction",
        _ => "customer",
    }
}

/// How a change that cannot be undone is called, and why it cannot.
fn load_words(action: &str) -> (&'static str, &'static str) {
    match action {
        "bulk.demo" => ("the demo data", "a load cannot be undone"),
        "bulk.sla" => (
            "the due times worked out under the new service levels",
            "they follow the settings",
        ),
        "bulk.import" => (
            "the import by an older tuicrm",
            "it kept no history to undo",
        ),
        _ => ("the bulk load", "a load cannot be undone"),
    }
}

/// Undo only ever names our own tables and columns; anything else in the
/// history table is refused rather than spliced into SQL.
const TABLES: &[&str] = &[
    "customers",
    "customer_tags",
    "tickets",
    "followups",
    "interactions",
];

/// History is read in pages, newest first, so an import of any size is
/// undone in flat memory.
const PAGE: i64 = 1_000;

fn is_column_name(field: &str) -> bool {
    !field.is_empty() && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

struct HistoryRow {
    id: i64,
    table: String,
    record_id: i64,
    op: String,
    field: Option<String>,
    old: Value,
    new: Value,
}

/// What the rows reversed so far did.
#[derive(Default)]
struct Reversal {
    /// Records changed (not removed): their `updated_at` and search entry
    /// are renewed once at the end. A set: an import touches many.
    touched: HashSet<(&'static str, i64)>,
    removed: usize,
    removed_customers: bool,
    /// The change's oldest row: what it was about.
    first: Option<(String, i64)>,
}

impl Store {
    /// Reverses the newest change that is not undone yet, passing over loads
    /// that cannot be undone. `None`: nothing to undo.
    pub fn undo_last(&mut self) -> Result<Option<Undone>> {
        let sla = self.sla.clone();
        self.write("undo", |w| {
            let undone = undo_in(w)?;
            if let Some(undone) = &undone {
                super::sla_settings::after_undo(w, &sla, undone.change_id)?;
            }
            Ok(undone)
        })
    }
}

fn undo_in(w: &Write) -> Result<Option<Undone>> {
    // `bulk.` changes keep no history: loads, and imports by older
    // versions (imports now record theirs as `import`).
    let last: Option<(i64, String)> =
        w.tx.query_row(
            "SELECT id, action FROM changes
              WHERE undone_at IS NULL AND action != 'undo' AND action NOT LIKE 'bulk.%'
              ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .context("finding the last change")?;
    let passed_over = loads_after(w, last.as_ref().map_or(0, |(id, _)| *id))?;
    let Some((change_id, action)) = last else {
        return match passed_over.first().map(|load| load_words(load)) {
            None => Ok(None),
            Some((name, why)) => Err(StoreError::Conflict(format!(
                "{name} stays ({why}), and there is nothing before it to undo"
            ))),
        };
    };
    // Fields and tags first, newest first, then what the change added: a
    // value put back never names a record the change added (those did not
    // exist before it), and what was added goes children before parents,
    // by one statement per table (one per row made SQLite keep a statement
    // journal for each: most of the time of undoing an import).
    let mut done = Reversal::default();
    let mut below = i64::MAX;
    loop {
        let rows = history_page(w, change_id, below)?;
        let Some(oldest) = rows.last() else {
            break;
        };
        below = oldest.id;
        for row in &rows {
            reverse(w, row, &mut done)?;
        }
    }
    remove_added(w, change_id, &mut done)?;
    done.first =
        w.tx.query_row(
            "SELECT table_name, record_id FROM history WHERE change_id = ?1 ORDER BY id LIMIT 1",
            [change_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .context("reading history")?;
    let mut restored = 0;
    for (table, id) in &done.touched {
        let sql = format!("UPDATE {table} SET updated_at = ?1 WHERE id = ?2");
        restored +=
            w.tx.prepare_cached(&sql)
                .and_then(|mut stmt| stmt.execute(params![w.now_text, id]))
                .context("undoing")?;
        if let Some(indexed) = Indexed::for_table(table) {
            w.reindex(indexed, *id)?;
        }
    }
    // Links to tags went with the customers removed; the tags no
    // other customer has go too.
    if done.removed_customers {
        drop_orphan_tags(w)?;
    }
    w.tx.execute(
        "UPDATE changes SET undone_at = ?1, updated_at = ?1 WHERE id = ?2",
        params![w.now_text, change_id],
    )
    .context("undoing")?;
    w.mark_changed();
    let (table, record_id) = done.first.unwrap_or_default();
    Ok(Some(Undone {
        change_id,
        action,
        table,
        record_id,
        removed: done.removed,
        restored,
        passed_over,
    }))
}

/// The loads newer than change `after` that are not undone, each kind once.
fn loads_after(w: &Write, after: i64) -> Result<Vec<String>> {
    w.tx.prepare_cached(
        "SELECT action FROM changes WHERE id > ?1 AND undone_at IS NULL AND action LIKE 'bulk.%'
          GROUP BY action ORDER BY max(id) DESC",
    )
    .and_then(|mut stmt| stmt.query_map([after], |r| r.get(0))?.collect())
    .context("finding the last change")
}

/// The next page of change `change_id`'s history of changed fields and
/// tags (not of added records), newest first, below row `below`.
fn history_page(w: &Write, change_id: i64, below: i64) -> Result<Vec<HistoryRow>> {
    w.tx.prepare_cached(
        "SELECT id, table_name, record_id, op, field, old, new FROM history
          WHERE change_id = ?1 AND id < ?2 AND op != 'insert' ORDER BY id DESC LIMIT ?3",
    )
    .and_then(|mut stmt| {
        stmt.query_map(params![change_id, below, PAGE], history_row)?
            .collect()
    })
    .context("reading history")
}

/// (id, table_name, record_id, op, field, old, new)
fn history_row(r: &rusqlite::Row) -> rusqlite::Result<HistoryRow> {
    Ok(HistoryRow {
        id: r.get(0)?,
        table: r.get(1)?,
        record_id: r.get(2)?,
        op: r.get(3)?,
        field: r.get(4)?,
        old: r.get(5)?,
        new: r.get(6)?,
    })
}

/// Puts back what one row of changed fields or tags changed (the records a
/// change added are removed by `remove_added`).
fn reverse(w: &Write, row: &HistoryRow, done: &mut Reversal) -> Result<()> {
    let damaged = || {
        StoreError::Conflict(format!(
            "history row for {} {} cannot be undone",
            row.table, row.record_id
        ))
    };
    let table = TABLES
        .iter()
        .copied()
        .find(|t| *t == row.table)
        .ok_or_else(damaged)?;
    let tag = |v: &Value| match v {
        Value::Text(t) => Ok(t.clone()),
        _ => Err(damaged()),
    };
    match row.op.as_str() {
        "update" => {
            let field = row
                .field
                .as_deref()
                .filter(|f| is_column_name(f))
                .ok_or_else(damaged)?;
            let sql = format!("UPDATE {table} SET {field} = ?1 WHERE id = ?2");
            w.tx.prepare_cached(&sql)
                .and_then(|mut stmt| stmt.execute(params![row.old, row.record_id]))
                .context("undoing a change")?;
            if table == "customers" && field == "extra" {
                resync_emails(w, row.record_id)?;
            }
            w.touch_record(table, row.record_id)?;
            // Moved back: the customer it had moved to counts it no more.
            if let ("customer_id" | "organization_id", Value::Integer(to)) = (field, &row.new) {
                w.touch_customer(*to);
            }
        }
        "link" => unlink_tag(w, row.record_id, &tag(&row.new)?)?,
        "unlink" => {
            link_tag(w, row.record_id, &tag(&row.old)?)?;
        }
        _ => return Err(damaged()),
    }
    // A tag is a change to its customer.
    let owner = if table == "customer_tags" {
        "customers"
    } else {
        table
    };
    done.touched.insert((owner, row.record_id));
    Ok(())
}

/// What a change adds, in the order it is removed again (children before
/// parents), with the search indexes of each table and which of its rows
/// are in them.
const ADDED: &[(&str, &[&str], &str)] = &[
    ("interactions", &["interactions_fts"], "deleted_at IS NULL"),
    ("followups", &[], ""),
    (
        "tickets",
        &["tickets_fts", "ticket_subjects_fts"],
        "deleted_at IS NULL",
    ),
    (
        "customers",
        &["customers_fts", "customer_names_fts"],
        "deleted_at IS NULL",
    ),
];

/// Removes every record change `change_id` added, table by table, with its
/// search entry; their tags and other emails go with them (ON DELETE
/// CASCADE). A record added alone has an `insert` row of its own; an
/// import's records are one `insert` row per table for the range of ids
/// `record_id` to `new` (field `id`), since nobody else writes meanwhile.
fn remove_added(w: &Write, change_id: i64, done: &mut Reversal) -> Result<()> {
    const IDS: &str = "(SELECT record_id FROM history
        WHERE change_id = ?1 AND table_name = ?2 AND op = 'insert' AND field IS NULL)";
    for &(table, indexes, indexed) in ADDED {
        if let Some(owner) = super::stats::owner_column(table) {
            let owners: Vec<i64> =
                w.tx.prepare_cached(&format!(
                    "SELECT DISTINCT {owner} FROM {table} WHERE id IN {IDS} AND {owner} IS NOT NULL"
                ))
                .and_then(|mut stmt| {
                    stmt.query_map(params![change_id, table], |r| r.get(0))?
                        .collect()
                })
                .context("undoing an addition")?;
            owners.into_iter().for_each(|id| w.touch_customer(id));
        }
        for fts in indexes {
            w.tx.prepare_cached(&format!("DELETE FROM {fts} WHERE rowid IN {IDS}"))
                .and_then(|mut stmt| stmt.execute(params![change_id, table]))
                .context("undoing an addition")?;
        }
        let removed =
            w.tx.prepare_cached(&format!("DELETE FROM {table} WHERE id IN {IDS}"))
                .and_then(|mut stmt| stmt.execute(params![change_id, table]))
                .map_err(|e| removal_error(e, table, None))?;
        let ranges: Vec<(i64, i64)> =
            w.tx.prepare_cached(
                "SELECT record_id, new FROM history
                  WHERE change_id = ?1 AND table_name = ?2 AND op = 'insert' AND field = 'id'",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![change_id, table], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .context("reading history")?;
        let mut in_ranges = 0;
        for (first, last) in ranges {
            w.touch_records(table, first, last)?;
            for fts in indexes {
                let sql = format!(
                    "DELETE FROM {fts} WHERE rowid IN
                       (SELECT id FROM {table} WHERE id BETWEEN ?1 AND ?2 AND {indexed})"
                );
                w.tx.prepare_cached(&sql)
                    .and_then(|mut stmt| stmt.execute([first, last]))
                    .context("undoing an import")?;
            }
            in_ranges +=
                w.tx.prepare_cached(&format!("DELETE FROM {table} WHERE id BETWEEN ?1 AND ?2"))
                    .and_then(|mut stmt| stmt.execute([first, last]))
                    .map_err(|e| removal_error(e, table, None))?;
        }
        done.removed += removed + in_ranges;
        done.removed_customers |= table == "customers" && removed + in_ranges > 0;
    }
    Ok(())
}

/// A record a change added that cannot go: something that did not go
/// before it points at it (a load that cannot be undone).
fn removal_error(e: rusqlite::Error, table: &str, id: Option<i64>) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            let which = match id {
                Some(id) => format!("{} {id}", noun(table)),
                None => format!("the {table} it added"),
            };
            StoreError::Conflict(format!(
                "{which} cannot be removed: records added after, by a load that cannot be undone, belong to it"
            ))
        }
        _ => classify(e, "undoing an addition"),
    }
}

/// Deletes a record the change had added. Its tags and other emails go with
/// it (ON DELETE CASCADE); what newer changes hung on it is gone already,
/// undone before, unless a load that cannot be undone did.
fn remove(w: &Write, table: &str, id: i64) -> Result<()> {
    let sql = format!("DELETE FROM {table} WHERE id = ?1");
    w.tx.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.execute([id]))
        .map_err(|e| removal_error(e, table, Some(id)))?;
    Ok(())
}

/// Takes back all the current change did to customer `id` (an import's
/// record found invalid only after it was written; `added`: by it, which
/// records its additions only at its end): its history rows are reversed,
/// then forgotten, as if it had never been read. Returns whether there was
/// anything to take back.
pub(super) fn take_back_customer(w: &Write, id: i64, added: bool) -> Result<bool> {
    const ROWS: &str = "FROM history WHERE change_id = ?1 AND record_id = ?2
                          AND table_name IN ('customers', 'customer_tags') AND op != 'insert'";
    let rows: Vec<HistoryRow> =
        w.tx.prepare_cached(&format!(
            "SELECT id, table_name, record_id, op, field, old, new {ROWS} ORDER BY id DESC"
        ))
        .and_then(|mut stmt| {
            stmt.query_map(params![w.change_id, id], history_row)?
                .collect()
        })
        .context("reading history")?;
    let mut done = Reversal::default();
    for row in &rows {
        reverse(w, row, &mut done)?;
    }
    if added {
        // An import indexes what it added only at its end: nothing to unindex.
        remove(w, "customers", id)?;
        drop_orphan_tags(w)?;
    } else {
        for (table, id) in &done.touched {
            if let Some(indexed) = Indexed::for_table(table) {
                w.reindex(indexed, *id)?;
            }
        }
    }
    w.tx.prepare_cached(&format!("DELETE {ROWS}"))
        .and_then(|mut stmt| stmt.execute(params![w.change_id, id]))
        .context("taking back a record")?;
    w.unrecorded_rows(rows.len());
    Ok(added || !rows.is_empty())
}
