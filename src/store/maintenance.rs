//! Whole-database jobs: counters, integrity check, online backup.

use std::io;
use std::path::Path;

use serde::Serialize;

use super::error::{Context, Result, classify};
use super::tickets::breached_cond;
use super::{Store, StoreError, values};
use crate::atomic_file::{AtomicFile, Existing};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub customers: i64,
    pub open_tickets: i64,
    pub breached_tickets: i64,
    pub planned_followups: i64,
    pub overdue_followups: i64,
    pub interactions: i64,
}

/// Each invariant: a description and a query counting the rows that break it.
const INVARIANTS: &[(&str, &str)] = &[
    (
        "people linked to something that is not an organization",
        "SELECT count(*) FROM customers p JOIN customers o ON o.id = p.organization_id
          WHERE o.kind != 'organization'",
    ),
    (
        "organizations that belong to an organization",
        "SELECT count(*) FROM customers WHERE kind = 'organization' AND organization_id IS NOT NULL",
    ),
    (
        "resolved or closed tickets without resolved_at, or open ones with it",
        "SELECT count(*) FROM tickets WHERE (status IN ('resolved', 'closed')) != (resolved_at IS NOT NULL)",
    ),
    (
        "tickets rated (CSAT) while not resolved or closed",
        "SELECT count(*) FROM tickets WHERE csat IS NOT NULL AND status NOT IN ('resolved', 'closed')",
    ),
    (
        "finished follow-ups without completed_at",
        "SELECT count(*) FROM followups WHERE status != 'planned' AND completed_at IS NULL",
    ),
    (
        "interactions linked to another customer's ticket",
        "SELECT count(*) FROM interactions i JOIN tickets t ON t.id = i.ticket_id WHERE t.customer_id != i.customer_id",
    ),
    (
        "live customers missing from the search index",
        "SELECT (SELECT count(*) FROM customers WHERE deleted_at IS NULL) - (SELECT count(*) FROM customers_fts)",
    ),
    (
        "live customers missing from the index of names",
        "SELECT (SELECT count(*) FROM customers WHERE deleted_at IS NULL) - (SELECT count(*) FROM customer_names_fts)",
    ),
    (
        "live tickets missing from the index of subjects",
        "SELECT (SELECT count(*) FROM tickets WHERE deleted_at IS NULL) - (SELECT count(*) FROM ticket_subjects_fts)",
    ),
    (
        "live tickets missing from the search index",
        "SELECT (SELECT count(*) FROM tickets WHERE deleted_at IS NULL) - (SELECT count(*) FROM tickets_fts)",
    ),
    (
        "interactions missing from the search index",
        "SELECT (SELECT count(*) FROM interactions)
              - (SELECT count(*) FROM interactions WHERE deleted_at IS NOT NULL)
              - (SELECT count(*) FROM interactions_fts)",
    ),
];

/// All the live records matching `cond` (on `alias`) less those of the
/// (few) customers in the trash, whose work is in the trash too, as in the
/// lists: counted from the partial index `index` and the trash, never with a
/// customer lookup per record (a freshly loaded million would read them all).
fn live_work(table: &str, alias: &str, index: &str, cond: &str) -> String {
    format!(
        "(SELECT count(*) FROM {table} {alias} INDEXED BY {index} WHERE {cond})
          - (SELECT count(*) FROM customers c CROSS JOIN {table} {alias} ON {alias}.customer_id = c.id
              WHERE c.deleted_at IS NOT NULL AND {cond})"
    )
}

static COUNTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let open = "t.deleted_at IS NULL AND t.status NOT IN ('resolved', 'closed')";
    let planned = "f.deleted_at IS NULL AND f.status = 'planned'";
    format!(
        "SELECT
            (SELECT count(*) FROM customers WHERE deleted_at IS NULL),
            {}, {}, {}, {},
            -- All of them less the (few) deleted ones and those of the
            -- (few) trashed customers: no customer lookup for each of
            -- millions of interactions.
            (SELECT count(*) FROM interactions)
              - (SELECT count(*) FROM interactions WHERE deleted_at IS NOT NULL)
              - (SELECT count(*) FROM interactions
                  WHERE deleted_at IS NULL
                    AND customer_id IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL))",
        live_work("tickets", "t", "tickets_by_due", open),
        live_work(
            "tickets",
            "t",
            "tickets_by_due",
            &format!("{open} AND {}", breached_cond(1))
        ),
        live_work("followups", "f", "followups_planned_by_due", planned),
        live_work(
            "followups",
            "f",
            "followups_planned_by_due",
            &format!("{planned} AND f.due_on < ?2")
        ),
    )
});

impl Store {
    pub fn counts(&self) -> Result<Counts> {
        let now = values::ts(self.clock.now());
        let today = values::date(self.clock.today());
        self.conn
            .query_row(&COUNTS, [now, today], |r| {
                Ok(Counts {
                    customers: r.get(0)?,
                    open_tickets: r.get(1)?,
                    breached_tickets: r.get(2)?,
                    planned_followups: r.get(3)?,
                    overdue_followups: r.get(4)?,
                    interactions: r.get(5)?,
                })
            })
            .context("counting records")
    }

    /// (overdue follow-ups, tickets past SLA): what the header shows. Ranges of
    /// partial indexes only (`due_counts`), so it stays cheap however big the tables grow.
    pub fn attention_counts(&self) -> Result<(i64, i64)> {
        // The agenda's overdue section counts by this same rule.
        let overdue = self.due_counts((None, self.clock.today()), (None, self.clock.now()))?;
        Ok((overdue.followups, overdue.tickets))
    }

    /// A number that changes when another connection (the CLI in another
    /// terminal, an import) commits to the database; our own writes leave it.
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .context("reading the database")
    }

    /// The newest change any tuicrm process recorded (every write records
    /// one, undo too). A commit that records none is housekeeping (the
    /// search index merged in the background): nothing on screen changed.
    pub fn last_change(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT coalesce(max(id), 0) FROM changes", [], |r| r.get(0))
            .context("reading the database")
    }

    /// No customer at all, live or in the trash.
    pub fn is_empty(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM customers)", [], |r| {
                r.get(0)
            })
            .context("reading the database")
    }

    /// SQLite's own integrity and foreign-key checks, then the app's rules.
    /// Returns the problems found, each one line; empty means healthy.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let integrity: Vec<String> = match self
            .conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .context("running the integrity check")
        {
            Ok(lines) => lines,
            // So damaged that SQLite stops checking: that is the finding,
            // and the app's rules cannot be read from such a file.
            Err(StoreError::Corrupt { source, .. }) => {
                return Ok(vec![format!("sqlite: {source}")]);
            }
            Err(e) => return Err(e),
        };
        problems.extend(
            integrity
                .into_iter()
                .filter(|line| line != "ok")
                .map(|l| format!("sqlite: {l}")),
        );
        let broken_links: i64 = self
            .conn
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut stmt| Ok(stmt.query_map([], |_| Ok(()))?.count() as i64))
            .context("checking links between records")?;
        if broken_links > 0 {
            problems.push(format!(
                "{broken_links} rows point to records that do not exist"
            ));
        }
        for (what, sql) in INVARIANTS {
            let count: i64 = self
                .conn
                .query_row(sql, [], |r| r.get(0))
                .context("checking invariants")?;
            if count != 0 {
                problems.push(format!("{}: {what}", count.abs()));
            }
        }
        let drift = super::stats::drift(&self.conn)?;
        if drift != 0 {
            problems.push(format!(
                "{drift}: customers whose kept counts (open tickets, next follow-up, last contact) differ from their records"
            ));
        }
        Ok(problems)
    }

    /// A consistent copy of the whole DB at `target`, which must not exist yet.
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        self.backup_with(target, Existing::Refuse)
    }

    /// A consistent copy of the whole DB, taken while others may be writing.
    /// It is made under a hidden temporary name beside `target` and renamed
    /// into place once synced, so a crash or kill never leaves half a backup
    /// at `target`; `existing` says whether a file already there is replaced.
    pub fn backup_with(&self, target: &Path, existing: Existing) -> Result<()> {
        let context = || format!("writing the backup {}", target.display());
        let already_there = || {
            StoreError::io(
                context(),
                io::Error::new(io::ErrorKind::AlreadyExists, "the file already exists"),
            )
        };
        if existing == Existing::Refuse && target.exists() {
            return Err(already_there());
        }
        let file = AtomicFile::create(target).map_err(|e| StoreError::io(context(), e))?;
        // VACUUM INTO takes an existing file only when it is empty, as the
        // fresh temporary file is.
        let temp = file.temp_path().to_string_lossy().into_owned();
        self.conn
            .execute("VACUUM INTO ?1", [&temp])
            .map_err(|e| classify(e, &context()))?;
        file.commit(existing).map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => already_there(),
            _ => StoreError::io(context(), e),
        })
    }
}
