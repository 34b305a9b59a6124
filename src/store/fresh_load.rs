//! The row writer of `Store::load_into_empty`: records of many accounts at a
//! time, ids given out here (an empty database has nothing to collide with)
//! so that a statement can add many rows at once, statements prepared once,
//! values bound without copies. `customer_stats` rows are counted from the
//! records in hand (`fresh_stats.rs`) and written with them. The rows are
//! those `bulk::insert_account` writes one by one.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, Statement, ToSql, params};

use super::Write;
use super::customers::{extra_json, resync_emails};
use super::error::{Context, Result};
use super::fresh_stats::Figures;
use crate::domain::bulk::{Account, BulkCustomer};
use crate::domain::time::write_timestamp;
use crate::domain::{Followup, Interaction, Ticket};

/// Rows per multi-row statement: most of the cost of a one-row insert is the
/// statement around it (and the AUTOINCREMENT bookkeeping at its end).
const PER_STATEMENT: usize = 32;

/// One insert statement, in a one-row and a `PER_STATEMENT`-row form.
struct Rows<'c> {
    one: Statement<'c>,
    many: Statement<'c>,
}

impl<'c> Rows<'c> {
    /// `head`: "INSERT INTO t (a, b)"; `width`: the number of columns.
    fn new(conn: &'c Connection, head: &str, width: usize) -> rusqlite::Result<Rows<'c>> {
        let row = format!("({})", vec!["?"; width].join(", "));
        let many = vec![row.as_str(); PER_STATEMENT].join(", ");
        Ok(Rows {
            one: conn.prepare(&format!("{head} VALUES {row}"))?,
            many: conn.prepare(&format!("{head} VALUES {many}"))?,
        })
    }

    /// Inserts `rows`, `bind` giving the values of each in column order.
    fn insert<T>(
        &mut self,
        rows: &[T],
        text: &mut String,
        mut bind: impl FnMut(&mut Binder, &T) -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        for group in rows.chunks(PER_STATEMENT) {
            if group.len() == PER_STATEMENT {
                let mut b = Binder::new(&mut self.many, text);
                for row in group {
                    bind(&mut b, row)?;
                }
                self.many.raw_execute()?;
            } else {
                for row in group {
                    bind(&mut Binder::new(&mut self.one, text), row)?;
                    self.one.raw_execute()?;
                }
            }
        }
        Ok(())
    }
}

/// Binds values to the next parameters of a statement. SQLite copies each
/// value as it is bound, so one text buffer serves every timestamp.
struct Binder<'s, 'c> {
    stmt: &'s mut Statement<'c>,
    at: usize,
    text: &'s mut String,
}

impl<'s, 'c> Binder<'s, 'c> {
    fn new(stmt: &'s mut Statement<'c>, text: &'s mut String) -> Binder<'s, 'c> {
        Binder { stmt, at: 1, text }
    }

    fn val(&mut self, value: impl ToSql) -> rusqlite::Result<&mut Self> {
        self.stmt.raw_bind_parameter(self.at, value)?;
        self.at += 1;
        Ok(self)
    }

    fn ts(&mut self, at: Timestamp) -> rusqlite::Result<&mut Self> {
        write_timestamp(at, self.text);
        self.stmt.raw_bind_parameter(self.at, self.text.as_str())?;
        self.at += 1;
        Ok(self)
    }

    fn opt_ts(&mut self, at: Option<Timestamp>) -> rusqlite::Result<&mut Self> {
        match at {
            Some(at) => self.ts(at),
            None => self.val(None::<&str>),
        }
    }

    fn opt_date(&mut self, on: Option<jiff::civil::Date>) -> rusqlite::Result<&mut Self> {
        use std::fmt::Write as _;
        match on {
            Some(on) => {
                self.text.clear();
                let _ = write!(self.text, "{on}");
                self.stmt.raw_bind_parameter(self.at, self.text.as_str())?;
                self.at += 1;
                Ok(self)
            }
            None => self.val(None::<&str>),
        }
    }
}

/// The next id of each AUTOINCREMENT table: above its highest row and above
/// every id it ever gave out (`sqlite_sequence`), as SQLite would give it.
fn next_id(conn: &Connection, table: &str) -> Result<i64> {
    conn.query_row(
        &format!(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0),
                        coalesce((SELECT max(id) FROM {table}), 0)) + 1"
        ),
        [],
        |r| r.get(0),
    )
    .context("loading records")
}

struct Ids {
    customer: i64,
    ticket: i64,
    followup: i64,
    interaction: i64,
}

/// An interaction's [id, customer], [ticket, follow-up] and record.
type InteractionRow<'a> = ([i64; 2], [Option<i64>; 2], &'a Interaction);

/// One chunk's rows, ids given, borrowing the accounts.
#[derive(Default)]
struct Chunk<'a> {
    customers: Vec<(i64, Option<i64>, &'a BulkCustomer)>,
    tags: Vec<(i64, i64)>,
    tickets: Vec<(i64, i64, &'a Ticket)>,
    followups: Vec<(i64, i64, &'a Followup)>,
    interactions: Vec<InteractionRow<'a>>,
    stats: Vec<(i64, Figures)>,
}

pub(super) struct FreshLoad<'w, 'c> {
    w: &'w Write<'c>,
    next: Ids,
    /// Tag ids by lowercase name (tag names compare NOCASE).
    tag_ids: HashMap<String, i64>,
    customers: Rows<'w>,
    customer_tags: Rows<'w>,
    tickets: Rows<'w>,
    followups: Rows<'w>,
    interactions: Rows<'w>,
    stats: Rows<'w>,
    /// Whether every membership is one within an account, so that the
    /// stats counted in hand are the whole story (see `counted_in_hand`).
    in_hand: bool,
    /// The people of the account at hand, with their figures.
    people: Vec<(i64, Figures)>,
    text: String,
}

impl<'w, 'c> FreshLoad<'w, 'c> {
    pub(super) fn new(w: &'w Write<'c>) -> Result<FreshLoad<'w, 'c>> {
        let conn: &'w Connection = &w.tx;
        let next = Ids {
            customer: next_id(conn, "customers")?,
            ticket: next_id(conn, "tickets")?,
            followup: next_id(conn, "followups")?,
            interaction: next_id(conn, "interactions")?,
        };
        let rows = |head: &str, width| Rows::new(conn, head, width).context("preparing the load");
        Ok(FreshLoad {
            w,
            next,
            tag_ids: HashMap::new(),
            customers: rows(
                "INSERT INTO customers (id, kind, name, organization_id, email, phone, title,
                    segment, stage, owner, renewal_on, contract_value, currency, notes, extra,
                    created_at, updated_at)",
                17,
            )?,
            customer_tags: rows(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id, created_at, updated_at)",
                4,
            )?,
            tickets: rows(
                "INSERT INTO tickets (id, customer_id, subject, body, status, priority, channel,
                    opened_at, first_response_at, resolved_at, due_at, csat, created_at, updated_at,
                    paused_at, first_response_due_at, assignee)",
                17,
            )?,
            followups: rows(
                "INSERT INTO followups (id, customer_id, kind, due_on, status, recurrence, note,
                    completed_at, outcome, created_at, updated_at, assignee)",
                12,
            )?,
            interactions: rows(
                "INSERT INTO interactions (id, customer_id, ticket_id, followup_id, kind,
                    direction, occurred_at, summary, body, created_at, updated_at)",
                11,
            )?,
            stats: rows(
                "INSERT INTO customer_stats (customer_id, open_tickets, first_open_due,
                    last_open_due, planned_followups, next_followup_on, last_followup_on,
                    planned_renewals, next_renewal_on, last_renewal_on, last_contact_at,
                    rated_tickets, csat_sum, first_rated_at, last_rated_at)",
                15,
            )?,
            in_hand: true,
            people: Vec::new(),
            text: String::with_capacity(32),
        })
    }

    /// Whether `customer_stats` holds every loaded account's row, counted
    /// from the records in hand. Not when a customer named an organization
    /// outside its account (not one of this load's): then the caller recounts.
    pub(super) fn counted_in_hand(&self) -> bool {
        self.in_hand
    }

    /// The id of tag `name`, made if it is new (as `tags::link_tag` does).
    fn tag_id(&mut self, name: &str) -> Result<i64> {
        let key = name.to_ascii_lowercase();
        if let Some(id) = self.tag_ids.get(&key) {
            return Ok(*id);
        }
        let tx = &self.w.tx;
        let id = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO tags (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
            )
            .and_then(|mut s| s.execute(params![name, self.w.now_text]))
            .and_then(|_| tx.query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| r.get(0)))
            .context("tagging a customer")?;
        self.tag_ids.insert(key, id);
        Ok(id)
    }

    /// Writes `accounts`; returns the number of customers added.
    pub(super) fn load(&mut self, accounts: &[Account]) -> Result<usize> {
        let mut chunk = Chunk::default();
        for account in accounts {
            let org = account
                .organization
                .as_ref()
                .map(|org| (self.plan(&mut chunk, org, None), Figures::own(org)));
            let mut people = std::mem::take(&mut self.people);
            for person in &account.people {
                let id = self.plan(&mut chunk, person, org.as_ref().map(|(id, _)| *id));
                people.push((id, Figures::own(person)));
            }
            // An organization's row counts its people's records too; ids
            // ascend (the organization's first) as the table's key does.
            if let Some((id, mut figures)) = org {
                for (_, person) in &people {
                    figures.add(person);
                }
                if figures.counts() {
                    chunk.stats.push((id, figures));
                }
            }
            chunk
                .stats
                .extend(people.drain(..).filter(|(_, f)| f.counts()));
            self.people = people;
        }
        let mut tags = Vec::new();
        for (id, _, c) in &chunk.customers {
            for tag in &c.draft.tags {
                tags.push((*id, self.tag_id(tag)?));
            }
        }
        chunk.tags = tags;
        self.write(&chunk).context("loading records")?;
        for (id, _, c) in &chunk.customers {
            if c.draft.extra.contains_key("EMAIL") {
                resync_emails(self.w, *id)?;
            }
        }
        Ok(chunk.customers.len())
    }

    /// Gives `c` and its records their ids; returns the customer's.
    fn plan<'a>(&mut self, chunk: &mut Chunk<'a>, c: &'a BulkCustomer, org: Option<i64>) -> i64 {
        let id = self.next.customer;
        self.next.customer += 1;
        if org.is_none() && c.draft.organization_id.is_some() {
            self.in_hand = false;
        }
        chunk.customers.push((id, org, c));
        let first_ticket = self.next.ticket;
        for t in &c.tickets {
            chunk.tickets.push((self.next.ticket, id, t));
            self.next.ticket += 1;
        }
        let first_followup = self.next.followup;
        for f in &c.followups {
            chunk.followups.push((self.next.followup, id, f));
            self.next.followup += 1;
        }
        // Links go by position among the customer's own records.
        let link = |n: Option<usize>, first: i64, len: usize| {
            n.filter(|n| *n < len).map(|n| first + n as i64)
        };
        for entry in &c.interactions {
            let ticket = link(entry.ticket, first_ticket, c.tickets.len());
            let followup = link(entry.followup, first_followup, c.followups.len());
            chunk.interactions.push((
                [self.next.interaction, id],
                [ticket, followup],
                &entry.interaction,
            ));
            self.next.interaction += 1;
        }
        id
    }

    fn write(&mut self, chunk: &Chunk) -> rusqlite::Result<()> {
        let text = &mut self.text;
        self.customers
            .insert(&chunk.customers, text, |b, (id, org, c)| {
                let d = &c.draft;
                let money = d.contract_value.as_ref();
                b.val(id)?
                    .val(d.kind.as_str())?
                    .val(&d.name)?
                    .val(org.or(d.organization_id))?
                    .val(&d.email)?
                    .val(&d.phone)?
                    .val(&d.title)?
                    .val(&d.segment)?
                    .val(d.stage.as_str())?
                    .val(&d.owner)?
                    .val(d.renewal_on.map(|on| on.to_string()))?
                    .val(money.map(|m| m.minor))?
                    .val(money.map(|m| m.currency.as_str()))?
                    .val(&d.notes)?
                    .val(extra_json(&d.extra))?
                    .ts(c.created_at)?
                    .ts(c.created_at)?;
                Ok(())
            })?;
        let now = self.w.now_text.as_str();
        self.customer_tags
            .insert(&chunk.tags, text, |b, (customer, tag)| {
                b.val(customer)?.val(tag)?.val(now)?.val(now)?;
                Ok(())
            })?;
        self.tickets
            .insert(&chunk.tickets, text, |b, (id, customer, t)| {
                b.val(id)?
                    .val(customer)?
                    .val(&t.subject)?
                    .val(&t.body)?
                    .val(t.status.as_str())?
                    .val(t.priority.as_str())?
                    .val(t.channel.as_str())?
                    .ts(t.opened_at)?
                    .opt_ts(t.first_response_at)?
                    .opt_ts(t.resolved_at)?
                    .ts(t.due_at)?
                    .val(t.csat)?
                    .ts(t.created_at)?
                    .ts(t.updated_at)?
                    .opt_ts(t.paused_at)?
                    .opt_ts(t.first_response_due_at)?
                    .val(&t.assignee)?;
                Ok(())
            })?;
        self.followups
            .insert(&chunk.followups, text, |b, (id, customer, f)| {
                b.val(id)?
                    .val(customer)?
                    .val(f.kind.as_str())?
                    .val(f.due_on.to_string())?
                    .val(f.status.as_str())?
                    .val(f.recurrence.map(|r| r.to_string()))?
                    .val(&f.note)?
                    .opt_ts(f.completed_at)?
                    .val(&f.outcome)?
                    .ts(f.created_at)?
                    .ts(f.updated_at)?
                    .val(&f.assignee)?;
                Ok(())
            })?;
        self.interactions.insert(
            &chunk.interactions,
            text,
            |b, ([id, customer], [ticket, followup], i)| {
                b.val(id)?
                    .val(customer)?
                    .val(ticket)?
                    .val(followup)?
                    .val(i.kind.as_str())?
                    .val(i.direction.as_str())?
                    .ts(i.occurred_at)?
                    .val(&i.summary)?
                    .val(&i.body)?
                    .ts(i.created_at)?
                    .ts(i.created_at)?;
                Ok(())
            },
        )?;
        self.stats.insert(&chunk.stats, text, |b, (id, f)| {
            b.val(id)?
                .val(f.open_tickets)?
                .opt_ts(f.first_open_due)?
                .opt_ts(f.last_open_due)?
                .val(f.planned_followups)?
                .opt_date(f.next_followup_on)?
                .opt_date(f.last_followup_on)?
                .val(f.planned_renewals)?
                .opt_date(f.next_renewal_on)?
                .opt_date(f.last_renewal_on)?
                .opt_ts(f.last_contact_at)?
                .val(f.rated_tickets)?
                .val(f.csat_sum)?
                .opt_ts(f.first_rated_at)?
                .opt_ts(f.last_rated_at)?;
            Ok(())
        })
    }
}
