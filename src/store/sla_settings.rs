//! Service levels changed in the settings (targets, calendar, pausing
//! statuses): the stored due times of unfinished tickets are worked out
//! again from their opening, with the stops their status history tells of
//! (`Ticket::with_clocks_recomputed`; those in the trash too, should they
//! be restored), once, when a process first opens the
//! database under the new settings. Finished tickets keep the due times
//! they were measured against. Not an undo step: it follows the settings.

use rusqlite::{OptionalExtension, params};

use super::error::{Context, Result};
use super::tickets::{SELECT_TICKET, ticket_from_row};
use super::values;
use super::{Store, Write};
use crate::domain::time::parse_stored_timestamp;
use crate::domain::{SlaPolicy, Ticket, TicketStatus};

const KEY: &str = "sla";

/// What due times depend on, in words that change when any of it does.
fn fingerprint(sla: &SlaPolicy) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        sla.low, sla.normal, sla.high, sla.urgent, sla.calendar, sla.around_the_clock, sla.pause_on
    )
}

impl Store {
    /// Whether `settle_sla` has work to do: `Some` with what the stored due
    /// times were worked out under (`None` inside: never said).
    pub fn sla_unsettled(&self) -> Result<Option<Option<String>>> {
        if self.read_only {
            return Ok(None);
        }
        let stored = stored_fingerprint(&self.conn)?;
        let now_print = fingerprint(&self.sla);
        Ok((stored.as_deref() != Some(now_print.as_str())).then_some(stored))
    }

    /// Makes unfinished tickets' due times follow the service levels set
    /// now, if they were worked out under others; how many changed. A
    /// database that never said (older, or new) and the defaults set is
    /// taken as worked out under them.
    pub fn settle_sla(&mut self) -> Result<usize> {
        let Some(stored) = self.sla_unsettled()? else {
            return Ok(0);
        };
        let now_print = fingerprint(&self.sla);
        let recompute = stored.is_some() || self.sla != SlaPolicy::default();
        let sla = self.sla.clone();
        if !recompute {
            keep_fingerprint(&self.conn, &now_print)?;
            return Ok(0);
        }
        let changed = self.write("bulk.sla", |w| {
            // Read again inside: another process may have just done it.
            if stored_fingerprint(&w.tx)?.as_deref() == Some(now_print.as_str()) {
                return Ok(0);
            }
            let changed = recompute_in(w, &sla, None)?;
            // Changed due times are a change other processes look for; none
            // changed, the write leaves no trace (it rolls back).
            if changed > 0 {
                keep_fingerprint(&w.tx, &now_print)?;
                w.mark_changed();
            }
            Ok(changed)
        })?;
        if changed == 0 {
            keep_fingerprint(&self.conn, &now_print)?;
        }
        Ok(changed)
    }
}

fn stored_fingerprint(conn: &rusqlite::Connection) -> Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |r| {
        r.get(0)
    })
    .optional()
    .context("reading the settings kept in the database")
}

fn keep_fingerprint(conn: &rusqlite::Connection, print: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![KEY, print],
    )
    .map(drop)
    .context("keeping the settings in the database")
}

/// Works out again the due times of unfinished tickets (`only` these, or
/// all) under `sla`, inside write `w`; how many changed. Their accounts are
/// recounted at the commit.
pub(super) fn recompute_in(w: &Write, sla: &SlaPolicy, only: Option<&[i64]>) -> Result<usize> {
    let mut sql = format!("{SELECT_TICKET} WHERE t.status NOT IN ('resolved', 'closed')");
    if let Some(ids) = only {
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        sql.push_str(&format!(" AND t.id IN ({})", ids.join(",")));
    }
    let open: Vec<Ticket> =
        w.tx.prepare(&sql)
            .and_then(|mut stmt| stmt.query_map([], ticket_from_row)?.collect())
            .context("reading unfinished tickets")?;
    let mut history =
        w.tx.prepare_cached(
            "SELECT h.at, h.old, h.new FROM history h
               JOIN changes ch ON ch.id = h.change_id
              WHERE h.table_name = 'tickets' AND h.record_id = ?1
                AND h.field = 'status' AND ch.undone_at IS NULL
              ORDER BY h.id",
        )
        .context("reading tickets' status history")?;
    let mut update =
        w.tx.prepare_cached(
            "UPDATE tickets SET first_response_due_at = ?2, due_at = ?3, paused_at = ?4
              WHERE id = ?1",
        )
        .context("saving due times")?;
    let mut changed = 0;
    for ticket in open {
        let changes: Vec<(jiff::Timestamp, TicketStatus, TicketStatus)> = history
            .query_map([ticket.id], |r| {
                let at: String = r.get(0)?;
                let old: Option<String> = r.get(1)?;
                let new: Option<String> = r.get(2)?;
                Ok((at, old, new))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .context("reading tickets' status history")?
            .into_iter()
            .filter_map(|(at, old, new)| {
                Some((
                    parse_stored_timestamp(&at)?,
                    TicketStatus::parse(&old?).ok()?,
                    TicketStatus::parse(&new?).ok()?,
                ))
            })
            .collect();
        let next = ticket.clone().with_clocks_recomputed(&changes, sla);
        let clocks = |t: &Ticket| (t.first_response_due_at, t.due_at, t.paused_at);
        if clocks(&next) == clocks(&ticket) {
            continue;
        }
        update
            .execute(params![
                ticket.id,
                values::opt_ts(next.first_response_due_at),
                values::ts(next.due_at),
                values::opt_ts(next.paused_at),
            ])
            .context("saving due times")?;
        w.touch_customer(ticket.customer_id);
        changed += 1;
    }
    Ok(changed)
}

/// After change `change_id` was undone: the tickets it touched got back
/// due times from before the service levels changed since (a `bulk.sla`
/// newer than it), so theirs are worked out again under the current ones.
pub(super) fn after_undo(w: &Write, sla: &SlaPolicy, change_id: i64) -> Result<usize> {
    let settled_since: bool =
        w.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM changes
                             WHERE action = 'bulk.sla' AND id > ?1 AND undone_at IS NULL)",
            [change_id],
            |r| r.get(0),
        )
        .context("reading the history of the settings")?;
    if !settled_since {
        return Ok(0);
    }
    let tickets: Vec<i64> = w
        .tx
        .prepare_cached(
            "SELECT DISTINCT record_id FROM history WHERE change_id = ?1 AND table_name = 'tickets'",
        )
        .and_then(|mut stmt| stmt.query_map([change_id], |r| r.get(0))?.collect())
        .context("reading what the undone change touched")?;
    if tickets.is_empty() {
        return Ok(0);
    }
    recompute_in(w, sla, Some(&tickets))
}
