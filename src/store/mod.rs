//! The SQLite store. Every SQL statement and every rusqlite type lives in this
//! module; the rest of the app speaks domain types through `Store`.

mod agenda;
mod bulk;
mod checkpoint;
mod customer_list;
mod customers;
mod error;
mod followups;
mod fresh_load;
mod fresh_stats;
mod health;
mod health_below;
mod health_order;
mod history;
mod import;
mod interactions;
mod listed;
mod maintenance;
mod merge;
pub mod migrations;
mod name_order;
mod open;
mod paging;
mod report;
mod search;
mod sla_settings;
mod stats;
mod tags;
mod tickets;
mod values;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::domain::{Clock, SlaPolicy};
use error::Context;

pub use agenda::{AgendaLines, AgendaQuery};
pub use checkpoint::Checkpointer;
pub use customer_list::{CustomerQuery, CustomerSort};
pub use error::{Result, StoreError};
pub use followups::{FollowupOrder, FollowupQuery};
pub use history::Undone;
pub use import::{BadLink, Importer, Mapped, Record};
pub use interactions::InteractionQuery;
pub use maintenance::Counts;
pub use merge::Contact;
pub use merge::DuplicateGroup;
pub use open::OpenMode;
pub use search::{SearchHit, fts_query};
pub use tickets::TicketQuery;

/// A customer and, when it is an organization, its people: bind the id twice.
const ACCOUNT: &str =
    "(SELECT ? UNION SELECT id FROM customers WHERE organization_id = ? AND deleted_at IS NULL)";

/// The everyday page cache: a million-row list scrolls from memory while the
/// process stays well under its 64 MB budget.
pub(super) const CACHE_KIB: i64 = 16_384;

pub(super) fn set_cache(conn: &Connection, kib: i64) -> Result<()> {
    conn.pragma_update(None, "cache_size", -kib)
        .context("setting the cache size")
}

/// Where the next page of a list starts: the sort key and id of the last row shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    key: Option<String>,
    id: i64,
}

/// One page of a keyset-paged list, and where the next one starts (if any).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    clock: Clock,
    sla: SlaPolicy,
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    pub fn with_sla(mut self, sla: SlaPolicy) -> Store {
        self.sla = sla;
        self
    }

    pub fn sla(&self) -> &SlaPolicy {
        &self.sla
    }

    /// How long a statement waits for another process's lock before it
    /// fails as busy. The TUI keeps it short and retries itself, so a key is
    /// never held up by a long import in another process.
    pub fn set_busy_timeout(&self, wait: std::time::Duration) -> Result<()> {
        self.conn
            .busy_timeout(wait)
            .context("setting the busy timeout")
    }

    /// Runs `work` with SQLite's page cache at `kib` KiB, then back to the
    /// everyday size: bulk writes touch index pages at random, and keeping
    /// them in memory for their length is most of their speed.
    fn with_cache<T, E: From<StoreError>>(
        &mut self,
        kib: i64,
        work: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        set_cache(&self.conn, kib)?;
        let out = work(self);
        set_cache(&self.conn, CACHE_KIB)?;
        out
    }

    /// Runs `work` as one user action: one `BEGIN IMMEDIATE` transaction with
    /// its `changes` row, so the record, its history and its search entry
    /// commit together or not at all. A change that altered nothing leaves no trace.
    fn write<T>(&mut self, action: &str, work: impl FnOnce(&Write) -> Result<T>) -> Result<T> {
        self.write_with(action, true, work)
    }

    /// `write` for work with errors of its own (an import's bad record),
    /// and that may end in a rollback (`commit: false`, a dry run).
    fn write_with<T, E: From<StoreError>>(
        &mut self,
        action: &str,
        commit: bool,
        work: impl FnOnce(&Write) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
                what: action.trim_start_matches("bulk.").to_string(),
            }
            .into());
        }
        let now = self.clock.now();
        // What a failure message says we were doing: "saving (customer add)".
        let doing = format!("saving ({})", action.replace('.', " "));
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(&doing)?;
        let now_text = values::ts(now);
        tx.execute(
            "INSERT INTO changes (action, created_at, updated_at) VALUES (?1, ?2, ?2)",
            params![action, now_text],
        )
        .context(&doing)?;
        let write = Write {
            change_id: tx.last_insert_rowid(),
            tx,
            now,
            now_text,
            recorded: Cell::new(0),
            touched: RefCell::default(),
            defer_customer_index: Cell::new(false),
        };
        let out = work(&write)?;
        // Nothing recorded, or a rehearsal: dropping the transaction rolls it back.
        if write.recorded.get() == 0 || !commit {
            return Ok(out);
        }
        write.recount_touched()?;
        write.tx.commit().context(&doing)?;
        Ok(out)
    }
}

struct Write<'a> {
    tx: Transaction<'a>,
    change_id: i64,
    now: Timestamp,
    now_text: String,
    recorded: Cell<usize>,
    /// Customers whose records this write changed: their `customer_stats`
    /// are recounted before the commit.
    touched: RefCell<stats::Touched>,
    /// An import writes the search index of the customers it changed once,
    /// at its end: meanwhile their per-record index writes are skipped.
    defer_customer_index: Cell<bool>,
}

impl Write<'_> {
    fn history(
        &self,
        table: &str,
        id: i64,
        op: &str,
        field: Option<&str>,
        old: &Value,
        new: &Value,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO history (change_id, table_name, record_id, op, field, old, new, at, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![self.change_id, table, id, op, field, old, new, self.now_text])
            })
            .context("recording history")?;
        self.recorded.set(self.recorded.get() + 1);
        match (op, field, old, new) {
            _ if !stats::may_change_counts(table, op, field) => {}
            // An import's range of added records.
            ("insert", Some("id"), _, Value::Integer(last)) => {
                self.touch_records(table, id, *last)?
            }
            _ => self.touch_record(table, id)?,
        }
        // A record moved to another customer (a person to another
        // organization) counts for the one it left too.
        if let (Some("customer_id" | "organization_id"), Value::Integer(from)) = (field, old) {
            self.touch_customer(*from);
        }
        Ok(())
    }

    /// For writes that change rows without per-field history (undo, bulk loads).
    fn mark_changed(&self) {
        self.recorded.set(self.recorded.get() + 1);
    }

    /// `rows` history rows taken back (an import's record it skipped after all).
    fn unrecorded_rows(&self, rows: usize) {
        self.recorded.set(self.recorded.get().saturating_sub(rows));
    }

    fn record_insert(&self, table: &str, id: i64) -> Result<()> {
        self.history(table, id, "insert", None, &Value::Null, &Value::Null)
    }

    /// Writes the fields whose value differs, one history row each, and bumps
    /// `updated_at`. Returns whether anything changed.
    fn set_fields(
        &self,
        table: &'static str,
        id: i64,
        fields: &[(&'static str, Value, Value)],
    ) -> Result<bool> {
        let mut changed = false;
        for (field, old, new) in fields {
            if old == new {
                continue;
            }
            let sql = format!("UPDATE {table} SET {field} = ?1 WHERE id = ?2");
            self.tx
                .prepare_cached(&sql)
                .and_then(|mut stmt| stmt.execute(params![new, id]))
                .context(&format!("updating {table}.{field}"))?;
            self.history(table, id, "update", Some(field), old, new)?;
            changed = true;
        }
        if changed {
            let sql = format!("UPDATE {table} SET updated_at = ?1 WHERE id = ?2");
            self.tx
                .prepare_cached(&sql)
                .and_then(|mut stmt| stmt.execute(params![self.now_text, id]))
                .context(&format!("updating {table}"))?;
        }
        Ok(changed)
    }
}
