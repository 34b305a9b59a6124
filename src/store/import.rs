//! An import: records arrive one at a time from a file being read and are
//! written in one transaction that commits at the end, or rolls back (a bad
//! record, or a dry run), so memory stays flat however big the file.
//!
//! What an import must remember (ids of the file's records and what they
//! became here, UIDs of cards, members of group cards) goes into temporary
//! tables, not into memory: SQLite spills them to disk when they grow.
//!
//! An import is one change that undo takes back: the records it adds are
//! one `insert` history row per table (the range of their ids, written at
//! the end), every field it changes an `update` row.

mod written;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::Timestamp;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};

use super::bulk::{index_after, last_ids};
use super::customers::{
    customer_in, insert_customer_row, kind_of, membership_error, save_customer,
};
use super::error::{Context, Result, StoreError};
use super::followups::insert_followup_row;
use super::history::take_back_customer;
use super::interactions::insert_interaction_row;
use super::merge::{Contact, find_existing_in};
use super::search::{Indexed, index_rows, unindex_rows};
use super::tags::link_tag;
use super::tickets::insert_ticket_row;
use super::{Store, Write, values};
use crate::domain::membership::{MembershipError, check_member, check_target};
use crate::domain::{
    Customer, CustomerDraft, CustomerKind, Followup, InteractionDraft, SlaPolicy, Ticket,
};
use written::Written;

const SCRATCH: &str = "
    CREATE TEMP TABLE IF NOT EXISTS import_ids (
        kind INTEGER NOT NULL, old INTEGER NOT NULL, new INTEGER NOT NULL, known INTEGER NOT NULL,
        PRIMARY KEY (kind, old)) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS import_uids (
        uid TEXT NOT NULL PRIMARY KEY, customer_id INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TEMP TABLE IF NOT EXISTS import_members (uid TEXT NOT NULL, tag TEXT NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS import_org_links (
        person INTEGER NOT NULL, record INTEGER NOT NULL, old_org INTEGER NOT NULL,
        link INTEGER NOT NULL);
    CREATE TEMP TABLE IF NOT EXISTS import_reindex (id INTEGER PRIMARY KEY);
    DELETE FROM import_ids; DELETE FROM import_uids; DELETE FROM import_members; DELETE FROM import_org_links;
    DELETE FROM import_reindex;";

/// The customers' search index written once, at the end, for every
/// customer that was here before and the import changed (those it added
/// are indexed with `index_after`). Per record, each FTS5 write made every
/// later statement flush FTS5's pending terms as a new segment (a
/// statement savepoint flushes them), and merging those was most of an
/// import into a big database. So while the import runs, the write skips
/// the customers' per-record index writes (`Write::defer_customer_index`).
static REINDEX_CHANGED: LazyLock<String> = LazyLock::new(|| {
    let changed = "IN (SELECT id FROM import_reindex)";
    let mut sql = [
        unindex_rows(Indexed::Customer, &format!("rowid {changed}")),
        index_rows(Indexed::Customer, &format!("t.id {changed}")),
    ]
    .concat()
    .join(";\n");
    sql.push_str(";\nDELETE FROM import_reindex;");
    sql
});

/// Which of the file's records an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Customer = 0,
    Ticket = 1,
    Followup = 2,
}

/// What a record of the file became here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapped {
    pub id: i64,
    /// It was here before the import (matched, not created).
    pub known: bool,
}

/// A person of the file whose organization came after it in the file and
/// turned out not to be one (or not to be there at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLink {
    /// The person's id in the file.
    pub record: i64,
    /// It was here before the import (matched, not created).
    pub known: bool,
    pub reason: MembershipError,
    /// What the person is here.
    id: i64,
}

/// The write side of an import, handed to the closure of [`Store::import`].
pub struct Importer<'w, 'c> {
    w: &'w Write<'c>,
    /// Fills in what a file from before the SLA clocks lacks.
    sla: SlaPolicy,
    /// The last record of each kind remembered or recalled: a file lists a
    /// customer's records together, so most look-ups need no query.
    last: Cell<[Option<(i64, Mapped)>; 3]>,
    /// The highest customer id before the import began.
    last_customer_before: i64,
    /// The last organization a link was checked against: people of one
    /// organization come together, so most checks need no query.
    checked_org: Cell<Option<i64>>,
    /// Into a database without customers: the keys of what this import
    /// wrote, so that most contacts need no look-up (see `written`).
    written: Option<RefCell<Written>>,
    /// The last organization name looked up and what it found: people of
    /// one organization come together. Forgotten when an organization is
    /// written.
    last_org: RefCell<Option<(String, Option<i64>)>>,
    /// Ids of the tags this import linked, by name as written: a link is
    /// then one statement, not two. Forgotten when a tag may have gone
    /// (a customer's tags saved, a contact taken back).
    tag_ids: RefCell<HashMap<String, i64>>,
}

/// Enough for any address book's labels; past it, tags are looked up.
const TAG_IDS: usize = 10_000;

impl Store {
    /// Runs `work` inside one transaction recorded as the change `import`:
    /// all of it is written, or (an error, or `dry_run`) nothing at all.
    /// An import that changed nothing leaves no change to undo.
    pub fn import<T, E: From<StoreError>>(
        &mut self,
        dry_run: bool,
        work: impl FnOnce(&mut Importer) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let sla = self.sla.clone();
        self.with_cache(65_536, |store| {
            store.write_with("import", !dry_run, |w| {
                w.tx.execute_batch(SCRATCH)
                    .context("preparing the import")?;
                w.defer_customer_index.set(true);
                let before = last_ids(w)?;
                let followups_before =
                    w.tx.query_row("SELECT coalesce(max(id), 0) FROM followups", [], |r| {
                        r.get(0)
                    })
                    .context("preparing the import")?;
                let mut importer = Importer {
                    w,
                    last: Cell::new([None; 3]),
                    last_customer_before: before[0],
                    checked_org: Cell::new(None),
                    written: (before[0] == 0).then(|| RefCell::new(Written::new())),
                    last_org: RefCell::new(None),
                    tag_ids: RefCell::new(HashMap::new()),
                    sla,
                };
                let out = work(&mut importer)?;
                importer.finish(before, followups_before)?;
                Ok(out)
            })
        })
    }
}

impl Importer<'_, '_> {
    /// The customer (live, or with `trashed` in the trash) an imported contact is.
    pub fn existing(&self, contact: &Contact, trashed: bool) -> Result<Option<Customer>> {
        if let Some(written) = &self.written
            && !written.borrow().may_match(contact)
        {
            return Ok(None);
        }
        find_existing_in(&self.w.tx, contact, trashed, self.last_customer_before)
    }

    /// The first live organization of that name, any case, this import's included.
    pub fn organization_named(&self, name: &str) -> Result<Option<i64>> {
        let name = name.trim();
        if let Some((last, found)) = &*self.last_org.borrow()
            && last.eq_ignore_ascii_case(name)
        {
            return Ok(*found);
        }
        if let Some(written) = &self.written
            && !written.borrow().may_be_named(name)
        {
            return Ok(None);
        }
        // NOCASE is ASCII-only, as is eq_ignore_ascii_case above.
        let found = self.first_id(
            "SELECT id FROM customers WHERE kind = 'organization' AND deleted_at IS NULL
               AND name = +?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            [name],
        )?;
        *self.last_org.borrow_mut() = Some((name.to_string(), found));
        Ok(found)
    }

    /// `draft` is written: what matching must know of it.
    fn note_written(&self, draft: &CustomerDraft) {
        if draft.kind == CustomerKind::Organization {
            *self.last_org.borrow_mut() = None;
        }
        if let Some(written) = &self.written {
            written.borrow_mut().add_draft(draft);
        }
    }

    /// Customer `id` as it is now, this import's changes included.
    pub fn customer(&self, id: i64) -> Result<Customer> {
        customer_in(&self.w.tx, id)
    }

    /// A new customer with its tags (`deleted_at`: straight into the trash).
    pub fn add_customer(
        &self,
        draft: &CustomerDraft,
        created_at: Timestamp,
        deleted_at: Option<Timestamp>,
    ) -> Result<i64> {
        self.check_link(None, draft)?;
        self.note_written(draft);
        let id = insert_customer_row(self.w, draft, &values::ts(created_at))?;
        // Its tags need no history: undo removes the customer, and its
        // links to tags with it.
        for tag in &draft.tags {
            self.link_tag(id, tag)?;
        }
        self.trash("customers", id, deleted_at)?;
        Ok(id)
    }

    /// Saves `draft` over `current`, each changed field in history.
    pub fn update_customer(&self, current: &Customer, draft: &CustomerDraft) -> Result<()> {
        let draft = draft.clone().normalized().map_err(|e| {
            StoreError::Conflict(format!("{} (customer {}): {e}", current.name, current.id))
        })?;
        if draft.organization_id != current.organization_id {
            self.check_link(Some(current.id), &draft)?;
        }
        self.note_written(&draft);
        self.tag_ids.borrow_mut().clear();
        save_customer(self.w, current, &draft)?;
        self.reindex_later(current.id)
    }

    /// `tags::link_tag`, with the tag's id remembered: whether the link is new.
    fn link_tag(&self, customer: i64, tag: &str) -> Result<bool> {
        let known = self.tag_ids.borrow().get(tag).copied();
        let Some(tag_id) = known else {
            let linked = link_tag(self.w, customer, tag)?;
            if self.tag_ids.borrow().len() < TAG_IDS
                && let Some(id) = self.first_id("SELECT id FROM tags WHERE name = ?1", [tag])?
            {
                self.tag_ids.borrow_mut().insert(tag.to_string(), id);
            }
            return Ok(linked);
        };
        let linked = self
            .w
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?3)",
            )
            .and_then(|mut stmt| stmt.execute(params![customer, tag_id, self.w.now_text]))
            .context("tagging a customer")?;
        Ok(linked > 0)
    }

    /// Customer `id` goes into the search index again at the end (see
    /// REINDEX_CHANGED).
    fn reindex_later(&self, id: i64) -> Result<()> {
        self.w
            .tx
            .prepare_cached("INSERT OR IGNORE INTO import_reindex (id) VALUES (?1)")
            .and_then(|mut stmt| stmt.execute([id]))
            .context("remembering a changed customer")?;
        Ok(())
    }

    /// The kind of customer `id` here, this import's included.
    pub fn kind_of(&self, id: i64) -> Result<Option<CustomerKind>> {
        kind_of(self.w, id)
    }

    /// The rule of `domain::membership` for what an import links, whatever
    /// the format: the readers' own checks name the record better, this one
    /// keeps the database right whatever they miss.
    fn check_link(&self, id: Option<i64>, draft: &CustomerDraft) -> Result<()> {
        let Some(org) = draft.organization_id else {
            return Ok(());
        };
        check_member(draft.kind, id, Some(org)).map_err(membership_error)?;
        if self.checked_org.get() != Some(org) {
            check_target(org, kind_of(self.w, org)?).map_err(membership_error)?;
            self.checked_org.set(Some(org));
        }
        Ok(())
    }

    /// A ticket as it was (times, status), for customer `ticket.customer_id`.
    pub fn add_ticket(&self, ticket: &Ticket) -> Result<i64> {
        let ticket = &ticket.clone().with_clocks_known(&self.sla);
        let id = insert_ticket_row(self.w, ticket)?;
        self.trash("tickets", id, ticket.deleted_at)?;
        Ok(id)
    }

    pub fn add_followup(&self, followup: &Followup) -> Result<i64> {
        let id = insert_followup_row(self.w, followup)?;
        self.trash("followups", id, followup.deleted_at)?;
        Ok(id)
    }

    pub fn add_interaction(&self, draft: &InteractionDraft, created_at: Timestamp) -> Result<i64> {
        insert_interaction_row(self.w, draft, &values::ts(created_at))
    }

    /// A ticket of `customer` with this subject opened at that time.
    pub fn same_ticket(&self, customer: i64, ticket: &Ticket) -> Result<Option<i64>> {
        self.first_id(
            "SELECT id FROM tickets WHERE customer_id = ?1 AND opened_at = ?2 AND subject = ?3",
            params![customer, values::ts(ticket.opened_at), ticket.subject],
        )
    }

    /// A follow-up of `customer` of this kind, due that day, made at that time.
    pub fn same_followup(&self, customer: i64, followup: &Followup) -> Result<Option<i64>> {
        self.first_id(
            "SELECT id FROM followups WHERE customer_id = ?1 AND due_on = ?2 AND kind = ?3 AND created_at = ?4",
            params![
                customer,
                values::date(followup.due_on),
                followup.kind.as_str(),
                values::ts(followup.created_at)
            ],
        )
    }

    /// A live interaction of `customer` at that time with that summary (one
    /// the user deleted is not matched: the file brings it back).
    pub fn same_interaction(&self, draft: &InteractionDraft) -> Result<Option<i64>> {
        self.first_id(
            "SELECT id FROM interactions
              WHERE customer_id = ?1 AND occurred_at = ?2 AND summary = ?3 AND deleted_at IS NULL",
            params![
                draft.customer_id,
                values::ts(draft.occurred_at),
                draft.summary
            ],
        )
    }

    fn first_id(&self, sql: &str, args: impl rusqlite::Params) -> Result<Option<i64>> {
        self.w
            .tx
            .prepare_cached(sql)
            .and_then(|mut stmt| stmt.query_row(args, |r| r.get(0)).optional())
            .context("matching imported records")
    }

    fn note_last(&self, record: Record, old: i64, mapped: Mapped) {
        let mut last = self.last.get();
        last[record as usize] = Some((old, mapped));
        self.last.set(last);
    }

    /// The file's record `old` is `mapped` here.
    pub fn remember(&self, record: Record, old: i64, mapped: Mapped) -> Result<()> {
        self.note_last(record, old, mapped);
        self.w
            .tx
            .prepare_cached(
                "INSERT OR REPLACE INTO import_ids (kind, old, new, known) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut stmt| stmt.execute(params![record as i64, old, mapped.id, mapped.known]))
            .context("remembering an imported record")?;
        Ok(())
    }

    /// What the file's record `old` became, if it has been seen.
    pub fn recall(&self, record: Record, old: i64) -> Result<Option<Mapped>> {
        if let Some((id, mapped)) = self.last.get()[record as usize]
            && id == old
        {
            return Ok(Some(mapped));
        }
        let found = self
            .w
            .tx
            .prepare_cached("SELECT new, known FROM import_ids WHERE kind = ?1 AND old = ?2")
            .and_then(|mut stmt| {
                stmt.query_row(params![record as i64, old], |r| {
                    Ok(Mapped {
                        id: r.get(0)?,
                        known: r.get(1)?,
                    })
                })
                .optional()
            })
            .context("recalling an imported record")?;
        if let Some(mapped) = found {
            self.note_last(record, old, mapped);
        }
        Ok(found)
    }

    /// Person `person` (the file's `record`) belongs to the file's
    /// organization `old_org`, which comes later in the file: checked, and
    /// with `link` (a person new here) linked, by [`Importer::link_deferred`].
    pub fn link_later(&self, person: i64, record: i64, old_org: i64, link: bool) -> Result<()> {
        self.w
            .tx
            .prepare_cached(
                "INSERT INTO import_org_links (person, record, old_org, link) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut stmt| stmt.execute(params![person, record, old_org, link]))
            .context("remembering an organization link")?;
        Ok(())
    }

    /// The links deferred by `link_later`, now that their organizations
    /// have come: those that name an organization are made (a person new
    /// here needs no history of it: undo removes the person), the others
    /// returned.
    pub fn link_deferred(&self) -> Result<Vec<BadLink>> {
        let w = self.w;
        w.tx.execute(
            "UPDATE customers SET organization_id = m.new
               FROM import_org_links l
               JOIN import_ids m ON m.kind = 0 AND m.old = l.old_org
               JOIN customers o ON o.id = m.new AND o.kind = 'organization'
              WHERE customers.id = l.person AND l.link",
            [],
        )
        .context("linking people to their organizations")?;
        let bad: Vec<(i64, i64, bool, i64, Option<String>)> =
            w.tx.prepare(
                "SELECT l.person, l.record, l.link, l.old_org, o.kind FROM import_org_links l
                   LEFT JOIN import_ids m ON m.kind = 0 AND m.old = l.old_org
                   LEFT JOIN customers o ON o.id = m.new
                  WHERE o.kind IS NOT 'organization' ORDER BY l.rowid",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect()
            })
            .context("checking organization links")?;
        w.tx.execute("DELETE FROM import_org_links", [])
            .context("linking people to their organizations")?;
        Ok(bad
            .into_iter()
            .filter_map(|(id, record, link, old_org, kind)| {
                let kind = kind.and_then(|k| CustomerKind::parse(&k).ok());
                let reason = check_target(old_org, kind).err()?;
                Some(BadLink {
                    record,
                    known: !link,
                    reason,
                    id,
                })
            })
            .collect())
    }

    /// Takes back what the import did with the person of `bad`, as if the
    /// file had not had it: its records that come later find no customer.
    /// Returns whether the import had changed it (or added it).
    pub fn skip(&self, bad: &BadLink) -> Result<bool> {
        let changed = take_back_customer(self.w, bad.id, !bad.known)?;
        // It may have been an organization's first of its name, or a tag's last customer.
        *self.last_org.borrow_mut() = None;
        self.tag_ids.borrow_mut().clear();
        self.reindex_later(bad.id)?;
        if let Some((old, _)) = self.last.get()[Record::Customer as usize]
            && old == bad.record
        {
            let mut last = self.last.get();
            last[Record::Customer as usize] = None;
            self.last.set(last);
        }
        self.w
            .tx
            .prepare_cached("DELETE FROM import_ids WHERE kind = 0 AND old = ?1")
            .and_then(|mut stmt| stmt.execute([bad.record]))
            .context("skipping an imported record")?;
        Ok(changed)
    }

    /// Customer `customer` came from a card with this UID.
    pub fn note_uid(&self, uid: &str, customer: i64) -> Result<()> {
        self.w
            .tx
            .prepare_cached("INSERT OR REPLACE INTO import_uids (uid, customer_id) VALUES (?1, ?2)")
            .and_then(|mut stmt| stmt.execute(params![uid, customer]))
            .context("remembering a card's UID")?;
        Ok(())
    }

    /// The card with this UID (before or after in the file) gets `tag`.
    pub fn note_member(&self, uid: &str, tag: &str) -> Result<()> {
        self.w
            .tx
            .prepare_cached("INSERT INTO import_members (uid, tag) VALUES (?1, ?2)")
            .and_then(|mut stmt| stmt.execute(params![uid, tag]))
            .context("remembering a group member")?;
        Ok(())
    }

    fn trash(&self, table: &str, id: i64, deleted_at: Option<Timestamp>) -> Result<()> {
        let Some(at) = deleted_at else {
            return Ok(());
        };
        let sql = format!("UPDATE {table} SET deleted_at = ?1 WHERE id = ?2");
        self.w
            .tx
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.execute(params![values::ts(at), id]))
            .context("importing a record in the trash")?;
        Ok(())
    }

    /// Links made once everything is in (organizations that came after
    /// their people, if the reader left any; group tags), then the search
    /// index of the new rows.
    fn finish(self, before: [i64; 3], followups_before: i64) -> Result<()> {
        let deferred = self.link_deferred()?;
        if let Some(bad) = deferred
            .iter()
            .find(|bad| !matches!(bad.reason, MembershipError::Missing(_)))
        {
            return Err(StoreError::Conflict(format!(
                "customer {}: {}",
                bad.record, bad.reason
            )));
        }
        let w = self.w;
        let tagged: Vec<(i64, String)> =
            w.tx.prepare(
                "SELECT DISTINCT u.customer_id, m.tag FROM import_members m
                   JOIN import_uids u ON u.uid = m.uid",
            )
            .and_then(|mut stmt| {
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .context("reading group members")?;
        for (customer, tag) in &tagged {
            // A new customer's links go with it on undo; one that was here
            // before needs its link in history.
            if self.link_tag(*customer, tag)? && *customer <= self.last_customer_before {
                // A new customer is indexed at the end, with its tags.
                self.reindex_later(*customer)?;
                let tag = Value::Text(tag.clone());
                w.history(
                    "customer_tags",
                    *customer,
                    "link",
                    Some("tag"),
                    &Value::Null,
                    &tag,
                )?;
            }
        }
        let added = [
            ("customers", before[0]),
            ("tickets", before[1]),
            ("interactions", before[2]),
            ("followups", followups_before),
        ];
        for (table, after) in added {
            // Nobody else writes meanwhile: every row above the ids the
            // import began with is one it added. One history row says so
            // for them all (a row each made history the size of the data).
            let last: i64 =
                w.tx.query_row(
                    &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                    [],
                    |r| r.get(0),
                )
                .context("recording the import")?;
            if last > after {
                let last = Value::Integer(last);
                w.history(table, after + 1, "insert", Some("id"), &Value::Null, &last)?;
            }
        }
        w.defer_customer_index.set(false);
        w.tx.prepare_cached("DELETE FROM import_reindex WHERE id > ?1")
            .and_then(|mut stmt| stmt.execute([self.last_customer_before]))
            .and_then(|_| w.tx.execute_batch(&REINDEX_CHANGED))
            .context("indexing the changed customers")?;
        index_after(w, before)?;
        w.tx.execute_batch(
            "DELETE FROM import_ids; DELETE FROM import_uids; DELETE FROM import_members; DELETE FROM import_org_links;",
        )
        .context("finishing the import")?;
        Ok(())
    }
}
