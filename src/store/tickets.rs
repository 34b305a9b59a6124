//! Support tickets: add, change with SLA rules, list by keyset.

use std::sync::LazyLock;

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use super::customers::live_customer_in;
use super::error::{Context, Result, StoreError};
use super::paging::{Order, Window, finish_sql, list_sql};
use super::search::{Indexed, fts_query};
use super::values::{self, get_choice, get_opt_ts, get_ts, int, text};
use super::{Cursor, Page, Store, Write};
use crate::domain::edit::OnConflict;
use crate::domain::ticket::TicketChange;
use crate::domain::{Ticket, TicketDraft, TicketStatus};

pub(super) const SELECT_TICKET: &str = "
    SELECT t.id, t.customer_id, c.name, t.subject, t.body, t.status, t.priority, t.channel,
           t.opened_at, t.first_response_at, t.resolved_at, t.due_at, t.csat,
           t.created_at, t.updated_at, t.deleted_at, t.paused_at, t.first_response_due_at,
           t.assignee
      FROM tickets t JOIN customers c ON c.id = t.customer_id";

pub(super) fn ticket_from_row(row: &Row) -> rusqlite::Result<Ticket> {
    Ok(Ticket {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        customer: row.get(2)?,
        subject: row.get(3)?,
        body: row.get(4)?,
        status: get_choice(row, 5)?,
        priority: get_choice(row, 6)?,
        channel: get_choice(row, 7)?,
        opened_at: get_ts(row, 8)?,
        first_response_at: get_opt_ts(row, 9)?,
        resolved_at: get_opt_ts(row, 10)?,
        due_at: get_ts(row, 11)?,
        csat: row.get(12)?,
        created_at: get_ts(row, 13)?,
        updated_at: get_ts(row, 14)?,
        deleted_at: get_opt_ts(row, 15)?,
        paused_at: get_opt_ts(row, 16)?,
        first_response_due_at: get_opt_ts(row, 17)?,
        assignee: row.get(18)?,
    })
}

/// Whether a ticket (of alias `t`, "" for none) waits on the customer: paused
/// before its resolution was due. Such a ticket is not overdue and costs its
/// customer no health (as `Ticket::waits_on_customer`).
pub(super) fn waits_on_customer(t: &str) -> String {
    let t = if t.is_empty() {
        String::new()
    } else {
        format!("{t}.")
    };
    format!("coalesce({t}paused_at < {t}due_at, 0)")
}

/// Whether an unfinished ticket (alias `t`) has a clock past due at
/// `?{now}`: its resolution (unless it waits on the customer) or, not
/// answered yet, its first response.
pub(super) fn breached_cond(now: usize) -> String {
    format!(
        "((t.due_at < ?{now} AND NOT {waits})
          OR (t.first_response_at IS NULL AND t.first_response_due_at < ?{now}))",
        waits = waits_on_customer("t")
    )
}

/// When an unfinished ticket (alias `t`, "" for none) next needs us
/// (`Ticket::attention_due`): the sooner of the first response owed and the
/// resolution unless it waits on the customer; NULL when neither is owed.
/// The agenda's order (indexed by `tickets_by_attention`, migration 18),
/// and what makes a ticket count against its customer's health.
pub(super) fn attention_key(t: &str) -> String {
    let t = if t.is_empty() {
        String::new()
    } else {
        format!("{t}.")
    };
    let answer =
        format!("CASE WHEN {t}first_response_at IS NULL THEN {t}first_response_due_at END");
    let resolve = format!("CASE WHEN NOT coalesce({t}paused_at < {t}due_at, 0) THEN {t}due_at END");
    format!("coalesce(min({answer}, {resolve}), {answer}, {resolve})")
}

/// `attention_key` of alias `t`.
pub(super) static ATTENTION_KEY: LazyLock<String> = LazyLock::new(|| attention_key("t"));

/// The columns a change can touch, for diffing.
fn columns(t: &Ticket) -> [(&'static str, Value); 13] {
    [
        ("subject", Value::Text(t.subject.clone())),
        ("body", text(t.body.as_deref())),
        ("status", Value::Text(t.status.as_str().to_string())),
        ("priority", Value::Text(t.priority.as_str().to_string())),
        ("channel", Value::Text(t.channel.as_str().to_string())),
        ("assignee", text(t.assignee.as_deref())),
        (
            "first_response_at",
            text(values::opt_ts(t.first_response_at).as_deref()),
        ),
        (
            "resolved_at",
            text(values::opt_ts(t.resolved_at).as_deref()),
        ),
        ("due_at", Value::Text(values::ts(t.due_at))),
        ("paused_at", text(values::opt_ts(t.paused_at).as_deref())),
        (
            "first_response_due_at",
            text(values::opt_ts(t.first_response_due_at).as_deref()),
        ),
        ("csat", int(t.csat.map(i64::from))),
        ("deleted_at", text(values::opt_ts(t.deleted_at).as_deref())),
    ]
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketQuery {
    pub statuses: Vec<TicketStatus>,
    /// This customer's tickets, and for an organization its people's too.
    pub customer_id: Option<i64>,
    /// Words matching the subject, body or customer's name.
    pub search: Option<String>,
    /// Only unfinished tickets due before this instant, soonest due first
    /// (`now` gives the ones past their SLA).
    pub due_before: Option<jiff::Timestamp>,
    /// The most recently resolved first (finished tickets only; without
    /// `due_before`).
    pub recently_resolved: bool,
    /// Only unfinished tickets with a clock past due at this instant (first
    /// response or resolution; not one that waits on the customer).
    pub breached_at: Option<jiff::Timestamp>,
    /// With `due_before`: by when each next needs us (`Ticket::attention_due`:
    /// an answer owed or the resolution), leaving out those that need
    /// nothing (answered and waiting on the customer).
    pub by_attention: bool,
    /// The trash (deleted tickets, and those of customers in the trash)
    /// instead of the live ones.
    pub trash: bool,
    /// Only those this person works on (any case).
    pub assignee: Option<String>,
}

/// Where a finished ticket sorts: when it was resolved (when opened, for
/// one imported without that time). The migration indexes the same expression.
const RESOLVED_KEY: &str = "coalesce(t.resolved_at, t.opened_at)";

impl TicketQuery {
    /// Newest first; with `due_before`, soonest due first; or the most
    /// recently resolved first.
    fn order(&self) -> Order<'static> {
        let (key, descending) = match (self.due_before, self.recently_resolved) {
            (Some(_), _) if self.by_attention => (&**ATTENTION_KEY, false),
            (Some(_), _) => ("t.due_at", false),
            (None, true) => (RESOLVED_KEY, true),
            (None, false) => ("t.opened_at", true),
        };
        Order {
            key,
            id: "t.id",
            descending,
        }
    }

    pub fn cursor_of(&self, t: &Ticket) -> Cursor {
        let key = match (self.due_before, self.recently_resolved) {
            (Some(_), _) if self.by_attention => t.attention_due().unwrap_or(t.due_at),
            (Some(_), _) => t.due_at,
            (None, true) => t.resolved_at.unwrap_or(t.opened_at),
            (None, false) => t.opened_at,
        };
        Cursor {
            key: Some(values::ts(key)),
            id: t.id,
        }
    }
}

impl Store {
    /// Tickets by id after `after_id`, trash included (for exports).
    pub fn tickets_by_id(&self, after_id: i64, limit: usize) -> Result<Vec<Ticket>> {
        self.fetch_by_id(SELECT_TICKET, "t", after_id, limit, ticket_from_row)
    }

    pub fn ticket(&self, id: i64) -> Result<Ticket> {
        let sql = format!("{SELECT_TICKET} WHERE t.id = +?1");
        self.fetch_one(&sql, id, ticket_from_row, "ticket")
    }

    /// Newest first; with `due_before`, soonest due first.
    pub fn tickets_page(
        &self,
        query: &TicketQuery,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Ticket>> {
        self.tickets_window(query, Window::After(after), limit)
    }

    /// The page before `before` (`None`: the last page), in display order.
    pub fn tickets_page_before(
        &self,
        query: &TicketQuery,
        before: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Ticket>> {
        self.tickets_window(query, Window::Before(before), limit)
    }

    fn tickets_window(
        &self,
        query: &TicketQuery,
        window: Window,
        limit: usize,
    ) -> Result<Page<Ticket>> {
        self.fetch_built(
            self.tickets_sql(query, window, limit)?,
            (window, limit),
            ticket_from_row,
            |x| query.cursor_of(x),
            "listing tickets",
        )
    }

    /// `query`'s list streamed from one statement: `each` gets a batch at
    /// a time with whether more follow, at most `limit`; the result says
    /// whether the limit left some out.
    pub fn each_ticket<E: From<StoreError>>(
        &self,
        query: &TicketQuery,
        limit: usize,
        each: impl FnMut(Vec<Ticket>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let whole = query.customer_id.is_none() && query.search.is_none();
        self.stream_list(
            ("FROM tickets t", whole),
            (limit, limit),
            |window, limit| self.tickets_sql(query, window, limit),
            (ticket_from_row, Ok),
            each,
            "listing tickets",
        )
    }

    /// The statement and arguments of `query` in a window; `None` when
    /// nothing can match (a search of no words).
    fn tickets_sql(
        &self,
        query: &TicketQuery,
        window: Window,
        limit: usize,
    ) -> Result<Option<(String, Vec<Value>)>> {
        let mut args: Vec<Value> = Vec::new();
        let mut sql = list_sql(
            SELECT_TICKET,
            ("tickets", "t", "tickets_by_customer"),
            (&query.statuses, query.customer_id, query.trash),
            &mut args,
        );
        if let Some(words) = query.search.as_deref() {
            let Some(m) = fts_query(words) else {
                return Ok(None);
            };
            sql.push_str(
                " AND (t.id IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)
                       OR t.customer_id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?))",
            );
            args.push(Value::Text(m.clone()));
            args.push(Value::Text(m));
        }
        if let Some(before) = query.due_before {
            let key = if query.by_attention {
                &*ATTENTION_KEY
            } else {
                "t.due_at"
            };
            sql.push_str(&format!(
                " AND t.status NOT IN ('resolved', 'closed') AND {key} < ?"
            ));
            args.push(Value::Text(values::ts(before)));
        }
        if let Some(who) = &query.assignee {
            sql.push_str(" AND t.assignee = ? COLLATE NOCASE");
            args.push(Value::Text(who.clone()));
        }
        if let Some(now) = query.breached_at {
            // Numbered after the arguments so far.
            let at = args.len() + 1;
            sql.push_str(&format!(
                " AND t.status NOT IN ('resolved', 'closed') AND {}",
                breached_cond(at)
            ));
            args.push(Value::Text(values::ts(now)));
        }
        finish_sql(&mut sql, &mut args, &query.order(), window, limit);
        Ok(Some((sql, args)))
    }

    pub fn add_ticket(&mut self, draft: TicketDraft) -> Result<Ticket> {
        let (now, sla) = (self.clock.now(), self.sla.clone());
        let id = self.write("ticket.add", |w| {
            let customer = live_customer_in(&w.tx, draft.customer_id)?;
            let mut ticket = draft.open(now, &sla)?;
            // Nobody named: the customer's owner works on it.
            if ticket.assignee.is_none() {
                ticket.assignee = customer.owner;
            }
            insert_ticket(w, &ticket)
        })?;
        self.ticket(id)
    }

    /// Applies `change` with the ticket rules (resolved_at, SLA due, CSAT) to
    /// ticket `id` as it is inside the transaction, so fields it does not
    /// name keep what another process saved.
    pub fn change_ticket(&mut self, id: i64, change: &TicketChange) -> Result<Ticket> {
        self.change_ticket_since(id, None, change, OnConflict::Overwrite)
    }

    /// `change_ticket` for an edit made from `base` (the ticket as the editor
    /// first saw it): a field it changes that another process changed
    /// meanwhile is a conflict unless `on_conflict` says to overwrite.
    pub fn change_ticket_since(
        &mut self,
        id: i64,
        base: Option<&Ticket>,
        change: &TicketChange,
        on_conflict: OnConflict,
    ) -> Result<Ticket> {
        let now = self.clock.now();
        let sla = self.sla.clone();
        self.write("ticket.set", |w| {
            let current = ticket_in(&w.tx, id)?;
            if current.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!("ticket {id} is in the trash")));
            }
            if let Some(base) = base.filter(|_| !on_conflict.overwrites()) {
                let conflicts = change.conflicts(base, &current);
                if !conflicts.is_empty() {
                    return Err(StoreError::ChangedMeanwhile {
                        what: format!("ticket {id}"),
                        conflicts,
                    });
                }
            }
            let next = current.changed(change, now, &sla)?;
            save_ticket(w, &current, &next)
        })?;
        self.ticket(id)
    }

    pub fn delete_ticket(&mut self, id: i64) -> Result<Ticket> {
        self.set_ticket_deleted(id, true)
    }

    pub fn restore_ticket(&mut self, id: i64) -> Result<Ticket> {
        self.set_ticket_deleted(id, false)
    }

    fn set_ticket_deleted(&mut self, id: i64, deleted: bool) -> Result<Ticket> {
        let now = self.clock.now();
        let action = if deleted {
            "ticket.delete"
        } else {
            "ticket.restore"
        };
        self.write(action, |w| {
            let current = ticket_in(&w.tx, id)?;
            if current.deleted_at.is_some() == deleted {
                let state = if deleted { "already" } else { "not" };
                return Err(StoreError::Conflict(format!(
                    "ticket {id} is {state} in the trash"
                )));
            }
            let mut next = current.clone();
            next.deleted_at = deleted.then_some(now);
            save_ticket(w, &current, &next)
        })?;
        self.ticket(id)
    }
}

/// Ticket `id` read inside a write's transaction.
pub(super) fn ticket_in(conn: &Connection, id: i64) -> Result<Ticket> {
    let sql = format!("{SELECT_TICKET} WHERE t.id = +?1");
    super::paging::fetch_one_in(conn, &sql, id, ticket_from_row, "ticket")
}

fn insert_ticket(w: &Write, t: &Ticket) -> Result<i64> {
    let id = insert_ticket_row(w, t)?;
    w.record_insert("tickets", id)?;
    w.reindex(Indexed::Ticket, id)?;
    Ok(id)
}

/// The row alone: bulk loads index and record history their own way.
pub(super) fn insert_ticket_row(w: &Write, t: &Ticket) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO tickets (customer_id, subject, body, status, priority, channel, opened_at,
                              first_response_at, resolved_at, due_at, csat, created_at, updated_at,
                              paused_at, first_response_due_at, assignee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            t.customer_id,
            t.subject,
            t.body,
            t.status.as_str(),
            t.priority.as_str(),
            t.channel.as_str(),
            values::ts(t.opened_at),
            values::opt_ts(t.first_response_at),
            values::opt_ts(t.resolved_at),
            values::ts(t.due_at),
            t.csat,
            values::ts(t.created_at),
            values::ts(t.updated_at),
            values::opt_ts(t.paused_at),
            values::opt_ts(t.first_response_due_at),
            t.assignee,
        ])
    })
    .context("adding a ticket")?;
    Ok(w.tx.last_insert_rowid())
}

pub(super) fn save_ticket(w: &Write, old: &Ticket, new: &Ticket) -> Result<()> {
    let fields: Vec<_> = columns(old)
        .into_iter()
        .zip(columns(new))
        .map(|((name, old), (_, new))| (name, old, new))
        .collect();
    if w.set_fields("tickets", old.id, &fields)? {
        w.reindex(Indexed::Ticket, old.id)?;
    }
    Ok(())
}
