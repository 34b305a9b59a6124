//! Loading many records at once (demo data): one transaction per batch, one
//! `changes` row, and the search index filled per table range at the end
//! instead of row by row. Imports (`import.rs`) fill the index the same way.

use std::sync::mpsc::sync_channel;

use super::customers::insert_customer_row;
use super::error::{Context, Result, StoreError};
use super::followups::insert_followup_row;
use super::fresh_load::FreshLoad;
use super::interactions::insert_interaction_row;
use super::search::{Indexed, index_rows};
use super::tags::link_tag;
use super::tickets::insert_ticket_row;
use super::{Store, Write, values};
use crate::domain::bulk::{Account, BulkCustomer};
use crate::domain::{CustomerDraft, InteractionDraft};

const MAX_ID: &[&str] = &[
    "SELECT coalesce(max(id), 0) FROM customers",
    "SELECT coalesce(max(id), 0) FROM tickets",
    "SELECT coalesce(max(id), 0) FROM interactions",
];

impl Store {
    /// Inserts `accounts` in one transaction recorded as `bulk.<what>`.
    /// Returns the number of customers added.
    pub fn insert_accounts(&mut self, what: &str, accounts: &[Account]) -> Result<usize> {
        self.load(what, accounts)
    }

    /// Loads `accounts` into an empty database as one transaction: secondary
    /// indexes are dropped first and built once, sorted, at the end, and the
    /// search index is filled in one pass, which is many times faster than
    /// keeping them up to date row by row. Rows are written many at a time
    /// (`fresh_load`) while another thread makes the next accounts. The
    /// database uses a rollback journal meanwhile: pages of an empty file
    /// have nothing to save, and a crash rolls everything back, indexes
    /// included. Returns the number of customers added.
    pub fn load_into_empty(
        &mut self,
        what: &str,
        accounts: impl Iterator<Item = Account> + Send,
    ) -> Result<usize> {
        if !self.is_empty()? {
            return Err(StoreError::Conflict(
                "the database is not empty: fresh loads go into an empty one".to_string(),
            ));
        }
        // Another connection (an open TUI) keeps the journal in WAL mode:
        // then the load runs there, slower but just as safe.
        let rollback_journal = self.set_journal_mode("DELETE").is_ok();
        // A reference check costs a lookup per row; the loader's references
        // are right by construction (ids it gave, links within an account).
        // The pragma cannot change inside the transaction, hence out here.
        let checks = self.set_foreign_keys(false);
        let result = checks.and_then(|()| {
            self.with_cache(LOAD_CACHE_KIB, |store| {
                store.write(&format!("bulk.{what}"), |w| {
                    let indexes = drop_indexes(w)?;
                    w.tx.execute("DELETE FROM customer_stats", [])
                        .context("loading records")?;
                    let (added, counted) = load_rows(w, accounts)?;
                    // The index sorter sorts runs as big as the page cache:
                    // small runs fit the CPU's caches and sort twice as fast,
                    // and a helper thread sorts one while the next is read
                    // (the generating thread is done by now).
                    super::set_cache(&w.tx, SORT_CACHE_KIB)?;
                    w.tx.pragma_update(None, "threads", 1)
                        .context("setting up the index sorter")?;
                    for (_, sql) in &indexes {
                        w.tx.execute(sql, []).context("building an index")?;
                    }
                    w.tx.pragma_update(None, "threads", 0)
                        .context("setting up the index sorter")?;
                    fill_search(w)?;
                    // The stats were counted as the rows were written,
                    // unless a customer named an organization from outside.
                    if !counted {
                        w.recount_customers_above(0)?;
                    }
                    w.mark_changed();
                    Ok(added)
                })
            })
        });
        let checked = self.set_foreign_keys(true);
        let restored = if rollback_journal {
            self.set_journal_mode("WAL")
        } else {
            Ok(())
        };
        let added = result?;
        checked?;
        restored?;
        Ok(added)
    }

    fn set_foreign_keys(&self, on: bool) -> Result<()> {
        self.conn
            .pragma_update(None, "foreign_keys", on)
            .context("switching reference checks")
    }

    fn set_journal_mode(&self, mode: &str) -> Result<()> {
        let now: String = self
            .conn
            .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |r| r.get(0))
            .context("switching the journal mode")?;
        if now.eq_ignore_ascii_case(mode) {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!(
                "could not switch the journal to {mode} (it stays {now}): is the database open elsewhere?"
            )))
        }
    }

    fn load(&mut self, what: &str, accounts: &[Account]) -> Result<usize> {
        self.with_cache(65_536, |store| {
            store.write(&format!("bulk.{what}"), |w| {
                let before = last_ids(w)?;
                let mut added = 0;
                for account in accounts {
                    insert_account(w, account)?;
                    added += account.customer_count();
                }
                index_after(w, before)?;
                w.recount_customers_above(before[0])?;
                w.mark_changed();
                Ok(added)
            })
        })
    }
}

/// The page cache of a fresh load while it writes rows: new pages stay in
/// memory until the end instead of being written out and read back.
const LOAD_CACHE_KIB: i64 = 131_072;
const SORT_CACHE_KIB: i64 = 8_192;
/// Accounts per message from the generating thread, and messages in flight.
const CHUNK_ACCOUNTS: usize = 256;
const CHUNKS_AHEAD: usize = 4;
/// Partial indexes of rows a load never writes (trashed customers, deleted
/// interactions) or seldom (extra fields): kept, as they cost nothing per
/// row, where building them again would read the whole table.
const KEPT_INDEXES: &[&str] = &[
    "customers_in_trash",
    "customers_trashed_by_name",
    "customers_by_card_uid",
    "interactions_deleted",
];
/// FTS5 writes a new index segment whenever this many bytes of terms are
/// pending (default 1 MiB); one big fill then spends much of its time merging
/// hundreds of segments. Raised for the fill, then put back; bigger than
/// 8 MiB was no faster.
const FILL_HASH_BYTES: i64 = 8 << 20;
const DEFAULT_HASH_BYTES: i64 = 1 << 20;

/// Drops the secondary indexes a fresh load builds again at its end;
/// returns their names and SQL.
fn drop_indexes(w: &Write) -> Result<Vec<(String, String)>> {
    let indexes: Vec<(String, String)> = w
        .tx
        .prepare(
            "SELECT name, sql FROM sqlite_master
              WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
                AND tbl_name IN ('customers', 'tickets', 'followups', 'interactions', 'customer_tags')
                AND name NOT IN (SELECT value FROM json_each(?1))",
        )
        .and_then(|mut stmt| {
            let kept = format!("[\"{}\"]", KEPT_INDEXES.join("\", \""));
            stmt.query_map([kept], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect()
        })
        .context("reading the indexes")?;
    for (name, _) in &indexes {
        w.tx.execute(&format!("DROP INDEX \"{name}\""), [])
            .context("dropping an index for the load")?;
    }
    Ok(indexes)
}

/// Writes the accounts' rows as a second thread makes them, so making and
/// writing share the two cores.
/// Returns the number of customers added and whether their stats were
/// counted on the way (`FreshLoad::counted_in_hand`).
fn load_rows(w: &Write, accounts: impl Iterator<Item = Account> + Send) -> Result<(usize, bool)> {
    let mut load = FreshLoad::new(w)?;
    std::thread::scope(|scope| {
        let (send, receive) = sync_channel::<Vec<Account>>(CHUNKS_AHEAD);
        // Written chunks go back to be freed where they were made, which
        // takes their many small frees off the writing thread.
        let (send_back, written) = sync_channel::<Vec<Account>>(CHUNKS_AHEAD);
        let maker = scope.spawn(move || {
            let mut chunk = Vec::with_capacity(CHUNK_ACCOUNTS);
            for account in accounts {
                chunk.push(account);
                if chunk.len() == CHUNK_ACCOUNTS {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ACCOUNTS));
                    // The writer stopped (an error): so do we.
                    if send.send(full).is_err() {
                        return;
                    }
                    while let Ok(done) = written.try_recv() {
                        drop(done);
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = send.send(chunk);
            }
        });
        let loaded = receive.iter().try_fold(0, |added, chunk| {
            let added = added + load.load(&chunk)?;
            // A full return queue: the maker is done or busy; free it here.
            let _ = send_back.try_send(chunk);
            Ok(added)
        });
        // Hanging up stops the maker if the writer failed halfway.
        drop(receive);
        match maker.join() {
            Ok(()) => loaded.map(|added| (added, load.counted_in_hand())),
            // A maker that died early must not pass for the end of the data.
            Err(_) => Err(StoreError::Conflict(
                "making the records to load failed".to_string(),
            )),
        }
    })
}

/// Fills the search index of a fresh load, whose tables hold only loaded
/// rows, with segments written seldom (`FILL_HASH_BYTES`).
fn fill_search(w: &Write) -> Result<()> {
    let hash = |bytes: i64| -> Result<()> {
        for table in ["customers_fts", "tickets_fts", "interactions_fts"] {
            w.tx.execute(
                &format!("INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?1)"),
                [bytes],
            )
            .context("setting up the search index")?;
        }
        Ok(())
    };
    hash(FILL_HASH_BYTES)?;
    index_after(w, [0; 3])?;
    hash(DEFAULT_HASH_BYTES)
}

/// The highest customer, ticket and interaction ids: what a load adds is above.
pub(super) fn last_ids(w: &Write) -> Result<[i64; 3]> {
    let mut last = [0i64; 3];
    for (slot, sql) in last.iter_mut().zip(MAX_ID) {
        *slot =
            w.tx.query_row(sql, [], |r| r.get(0))
                .context("loading records")?;
    }
    Ok(last)
}

/// Fills the search index for the live rows above `before` (`last_ids`),
/// one pass per table instead of row by row.
pub(super) fn index_after(w: &Write, before: [i64; 3]) -> Result<()> {
    for (of, before) in Indexed::ALL.into_iter().zip(before) {
        for sql in index_rows(of, "t.id > ?1") {
            w.tx.execute(&sql, [before])
                .context("indexing loaded records")?;
        }
    }
    Ok(())
}

fn insert_account(w: &Write, account: &Account) -> Result<()> {
    let org_id = account
        .organization
        .as_ref()
        .map(|org| insert_customer(w, org, None))
        .transpose()?;
    for person in &account.people {
        insert_customer(w, person, org_id)?;
    }
    Ok(())
}

fn insert_customer(w: &Write, bulk: &BulkCustomer, organization_id: Option<i64>) -> Result<i64> {
    let draft = match organization_id {
        Some(org) => &CustomerDraft {
            organization_id: Some(org),
            ..bulk.draft.clone()
        },
        None => &bulk.draft,
    };
    let id = insert_customer_row(w, draft, &values::ts(bulk.created_at))?;
    for tag in &draft.tags {
        link_tag(w, id, tag)?;
    }
    let mut ticket_ids = Vec::with_capacity(bulk.tickets.len());
    for ticket in &bulk.tickets {
        let mut ticket = ticket.clone();
        ticket.customer_id = id;
        ticket_ids.push(insert_ticket_row(w, &ticket)?);
    }
    let mut followup_ids = Vec::with_capacity(bulk.followups.len());
    for followup in &bulk.followups {
        let mut followup = followup.clone();
        followup.customer_id = id;
        followup_ids.push(insert_followup_row(w, &followup)?);
    }
    for entry in &bulk.interactions {
        let i = &entry.interaction;
        let draft = InteractionDraft {
            customer_id: id,
            ticket_id: entry.ticket.and_then(|n| ticket_ids.get(n).copied()),
            followup_id: entry.followup.and_then(|n| followup_ids.get(n).copied()),
            kind: i.kind,
            direction: i.direction,
            occurred_at: i.occurred_at,
            summary: i.summary.clone(),
            body: i.body.clone(),
        };
        insert_interaction_row(w, &draft, &values::ts(i.created_at))?;
    }
    Ok(id)
}
