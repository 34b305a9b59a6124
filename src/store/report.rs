//! What a service report reads: every live ticket open before the period's
//! end, and every one finished since its start, each from its covering
//! index (migration 20) in index order; interactions are never read. The
//! figures are the domain's (`domain::report`).

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Row, named_params};

use super::Store;
use super::error::{Context, Result};
use super::values::{self, get_choice, get_opt_ts, get_ts};
use crate::domain::report::{Report, ReportBy, ReportSpec, ReportTicket, report};

/// The open ones (`INDEXED BY`: SQLite would rather take
/// `tickets_by_opened` and seek the row of every ticket ever opened).
const OPEN: &str = "
    SELECT t.opened_at, t.first_response_at, t.first_response_due_at, NULL,
           t.due_at, t.paused_at, t.priority, t.channel, t.assignee, t.csat, t.customer_id
      FROM tickets t INDEXED BY tickets_open_report
     WHERE t.deleted_at IS NULL AND t.status NOT IN ('resolved', 'closed')
       AND t.opened_at < :to";

/// The finished ones, by the key of `tickets_finished_report`.
const FINISHED: &str = "
    SELECT t.opened_at, t.first_response_at, t.first_response_due_at,
           coalesce(t.resolved_at, t.updated_at),
           t.due_at, t.paused_at, t.priority, t.channel, t.assignee, t.csat, t.customer_id
      FROM tickets t INDEXED BY tickets_finished_report
     WHERE t.deleted_at IS NULL AND t.status IN ('resolved', 'closed')
       AND coalesce(t.resolved_at, t.opened_at) >= :from AND t.opened_at < :to";

fn report_ticket(row: &Row) -> rusqlite::Result<(i64, ReportTicket)> {
    let ticket = ReportTicket {
        opened_at: get_ts(row, 0)?,
        first_response_at: get_opt_ts(row, 1)?,
        first_response_due_at: get_opt_ts(row, 2)?,
        finished_at: get_opt_ts(row, 3)?,
        due_at: get_ts(row, 4)?,
        paused_at: get_opt_ts(row, 5)?,
        priority: get_choice(row, 6)?,
        channel: get_choice(row, 7)?,
        assignee: row.get(8)?,
        segment: None,
        csat: row.get(9)?,
    };
    Ok((row.get(10)?, ticket))
}

impl Store {
    /// The report `spec` asks for, as of now, under the configured SLA.
    /// Tickets of customers in the trash are left out, as lists leave them.
    pub fn report(&self, spec: &ReportSpec) -> Result<Report> {
        const WHAT: &str = "reading tickets for the report";
        // One snapshot for every read: a ticket resolved meanwhile by
        // another connection is counted once, not in both halves.
        let _snapshot = self.conn.unchecked_transaction().context(WHAT)?;
        let (from, to) = spec.bounds();
        let trashed: HashSet<i64> = self
            .conn
            .prepare_cached("SELECT id FROM customers WHERE deleted_at IS NOT NULL")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .context(WHAT)?;
        let (from, to) = (values::ts(from), values::ts(to));
        let mut open = self.conn.prepare_cached(OPEN).context(WHAT)?;
        let mut finished = self.conn.prepare_cached(FINISHED).context(WHAT)?;
        let open = open
            .query_map(named_params! { ":to": to }, report_ticket)
            .context(WHAT)?;
        let finished = finished
            .query_map(named_params! { ":from": from, ":to": to }, report_ticket)
            .context(WHAT)?;
        let rows = open
            .chain(finished)
            .filter(|row| !matches!(row, Ok((customer, _)) if trashed.contains(customer)));
        let now = self.clock.now();
        if spec.by == ReportBy::Segment {
            // Each customer's segment read once, in id order (a walk over
            // the table, not a seek per ticket): the rows are held for it.
            let mut tickets: Vec<(i64, ReportTicket)> =
                rows.collect::<rusqlite::Result<_>>().context(WHAT)?;
            self.fill_segments(&mut tickets).context(WHAT)?;
            let tickets = tickets.into_iter().map(|(_, t)| t);
            return Ok(report(tickets, spec, &self.sla, now));
        }
        // Streamed into the figures, never held: the first failure stops
        // the rows and is the answer.
        let mut failure = None;
        let tickets = rows.map_while(|row| match row {
            Ok((_, ticket)) => Some(ticket),
            Err(e) => {
                failure = Some(e);
                None
            }
        });
        let report = report(tickets, spec, &self.sla, now);
        match failure {
            Some(e) => Err(e).context(WHAT),
            None => Ok(report),
        }
    }

    /// Each ticket's customer's segment, a customer read once.
    fn fill_segments(&self, tickets: &mut [(i64, ReportTicket)]) -> rusqlite::Result<()> {
        let mut ids: Vec<i64> = tickets.iter().map(|(c, _)| *c).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT segment FROM customers WHERE id = ?1")?;
        let mut segments = HashMap::with_capacity(ids.len());
        for id in ids {
            // A customer gone since (purged) has no segment.
            let segment: Option<Option<String>> = stmt.query_row([id], |r| r.get(0)).optional()?;
            segments.insert(id, segment.flatten());
        }
        for (customer, ticket) in tickets {
            ticket.segment = segments.get(customer).cloned().flatten();
        }
        Ok(())
    }
}
