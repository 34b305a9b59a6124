//! Loading many records at once (demo data): one transaction per batch, one
//! `changes` row, and the search index filled per table range at the end
//! instead of row by row. Imports (`import.rs`) fill the index the same way.

use super::customers::insert_customer_row;
use super::error::{Context, Result, StoreError};
use super::followups::insert_followup_row;
use super::interactions::insert_interaction_row;
use super::tags::link_tag;
use super::tickets::insert_ticket_row;
use super::{Store, Write, values};
use crate::domain::bulk::{Account, BulkCustomer};
use crate::domain::{CustomerDraft, InteractionDraft};

/// Each index filled after a load, with the table of `MAX_ID` it indexes.
const INDEX_FROM: &[(usize, &str)] = &[
    (
        0,
        "INSERT INTO customers_fts (rowid, name, email, notes, tags)
     SELECT id, name, coalesce(email, ''), coalesce(notes, ''),
            coalesce((SELECT group_concat(t.name, ' ') FROM customer_tags ct
                    JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = customers.id), '')
       FROM customers WHERE id > ?1 AND deleted_at IS NULL",
    ),
    (
        0,
        "INSERT INTO customer_names_fts (rowid, name)
     SELECT id, name FROM customers WHERE id > ?1 AND deleted_at IS NULL",
    ),
    (
        1,
        "INSERT INTO tickets_fts (rowid, subject, body)
     SELECT id, subject, coalesce(body, '') FROM tickets WHERE id > ?1 AND deleted_at IS NULL",
    ),
    (
        1,
        "INSERT INTO ticket_subjects_fts (rowid, subject)
     SELECT id, subject FROM tickets WHERE id > ?1 AND deleted_at IS NULL",
    ),
    (
        2,
        "INSERT INTO interactions_fts (rowid, summary, body)
     SELECT id, summary, coalesce(body, '') FROM interactions WHERE id > ?1",
    ),
];
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
    /// keeping them up to date row by row. The database uses a rollback
    /// journal meanwhile: pages of an empty file have nothing to save, and a
    /// crash rolls everything back, indexes included.
    /// Returns the number of customers added.
    pub fn load_into_empty(
        &mut self,
        what: &str,
        accounts: impl Iterator<Item = Account>,
    ) -> Result<usize> {
        if !self.is_empty()? {
            return Err(StoreError::Conflict(
                "the database is not empty: fresh loads go into an empty one".to_string(),
            ));
        }
        // Another connection (an open TUI) keeps the journal in WAL mode:
        // then the load runs there, slower but just as safe.
        let rollback_journal = self.set_journal_mode("DELETE").is_ok();
        let result = self.with_cache(131_072, |store| store.write(&format!("bulk.{what}"), |w| {
            let indexes: Vec<(String, String)> =
                w.tx.prepare(
                    "SELECT name, sql FROM sqlite_master
                      WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
                        AND tbl_name IN ('customers', 'tickets', 'followups', 'interactions', 'customer_tags')",
                )
                .and_then(|mut stmt| {
                    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect()
                })
                .context("reading the indexes")?;
            for (name, _) in &indexes {
                w.tx.execute(&format!("DROP INDEX \"{name}\""), [])
                    .context("dropping an index for the load")?;
            }
            let mut added = 0;
            for account in accounts {
                insert_account(w, &account)?;
                added += account.customer_count();
            }
            for (_, sql) in &indexes {
                w.tx.execute(sql, []).context("building an index")?;
            }
            index_after(w, [0; 3])?;
            w.recount_customers_above(0)?;
            w.mark_changed();
            Ok(added)
        }));
        let restored = if rollback_journal {
            self.set_journal_mode("WAL")
        } else {
            Ok(())
        };
        let added = result?;
        restored?;
        Ok(added)
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
    for &(table, sql) in INDEX_FROM {
        w.tx.execute(sql, [before[table]])
            .context("indexing loaded records")?;
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
