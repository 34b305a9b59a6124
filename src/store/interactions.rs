//! The interaction log. History: entries are added, corrected and deleted
//! (marked, so undo can bring them back); reads leave deleted ones out.

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use super::customers::live_customer_in;
use super::error::{Context, Result, StoreError};
use super::followups::followup_in;
use super::search::Indexed;
use super::tickets::ticket_in;
use super::values::{self, get_choice, get_opt_ts, get_ts, text};
use super::{Cursor, Page, Store, Write};
use crate::domain::edit::OnConflict;
use crate::domain::{Direction, Interaction, InteractionDraft, InteractionEdit};

const SELECT_INTERACTION: &str = "
    SELECT i.id, i.customer_id, c.name, i.ticket_id, i.followup_id, i.kind, i.direction,
           i.occurred_at, i.summary, i.body, i.created_at, i.updated_at, i.deleted_at
      FROM interactions i JOIN customers c ON c.id = i.customer_id";

/// Which part of the log `interactions_list` reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InteractionQuery {
    /// This customer's entries; an organization's include its people's.
    pub customer_id: Option<i64>,
    pub ticket_id: Option<i64>,
}

fn interaction_from_row(row: &Row) -> rusqlite::Result<Interaction> {
    Ok(Interaction {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        customer: row.get(2)?,
        ticket_id: row.get(3)?,
        followup_id: row.get(4)?,
        kind: get_choice(row, 5)?,
        direction: get_choice(row, 6)?,
        occurred_at: get_ts(row, 7)?,
        summary: row.get(8)?,
        body: row.get(9)?,
        created_at: get_ts(row, 10)?,
        updated_at: get_ts(row, 11)?,
        deleted_at: get_opt_ts(row, 12)?,
    })
}

/// The columns an edit or a delete may change, as stored.
fn columns(i: &Interaction) -> [(&'static str, Value); 6] {
    [
        ("kind", Value::Text(i.kind.as_str().to_string())),
        ("direction", Value::Text(i.direction.as_str().to_string())),
        ("occurred_at", Value::Text(values::ts(i.occurred_at))),
        ("summary", Value::Text(i.summary.clone())),
        ("body", text(i.body.as_deref())),
        ("deleted_at", text(values::opt_ts(i.deleted_at).as_deref())),
    ]
}

/// The statement of an `InteractionQuery`, newest first, without a limit.
fn log_sql(query: &InteractionQuery) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = Vec::new();
    let mut sql = format!("{SELECT_INTERACTION} WHERE i.deleted_at IS NULL");
    if let Some(id) = query.customer_id {
        sql.push_str(&format!(" AND i.customer_id IN {}", super::ACCOUNT));
        args.extend([Value::Integer(id), Value::Integer(id)]);
    }
    if let Some(id) = query.ticket_id {
        sql.push_str(" AND i.ticket_id = ?");
        args.push(Value::Integer(id));
    }
    if query == &InteractionQuery::default() {
        // Named, a customer's or ticket's log is shown even from the
        // trash; the whole log is that of the live customers, as counted.
        sql.push_str(" AND c.deleted_at IS NULL");
    }
    sql.push_str(" ORDER BY i.occurred_at DESC, i.id DESC");
    (sql, args)
}

impl Store {
    /// Live interactions by id after `after_id` (for exports): a deleted
    /// entry is not part of the history any more.
    pub fn interactions_by_id(&self, after_id: i64, limit: usize) -> Result<Vec<Interaction>> {
        let sql = format!(
            "{SELECT_INTERACTION} WHERE i.id > ?1 AND i.deleted_at IS NULL ORDER BY i.id LIMIT ?2"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(params![after_id, limit], interaction_from_row)?
                    .collect()
            })
            .context("reading records to export")
    }

    /// One interaction, deleted or not (`deleted_at` says).
    pub fn interaction(&self, id: i64) -> Result<Interaction> {
        let sql = format!("{SELECT_INTERACTION} WHERE i.id = +?1");
        self.fetch_one(&sql, id, interaction_from_row, "interaction")
    }

    /// A customer's log, newest first; an organization's includes its people's.
    pub fn interactions_page(
        &self,
        customer_id: i64,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Interaction>> {
        let (cursor_key, cursor_id) = match after {
            Some(c) => (c.key.clone(), c.id),
            None => (None, i64::MAX),
        };
        let sql = format!(
            "{SELECT_INTERACTION}
              WHERE i.customer_id IN (SELECT ?1 UNION SELECT id FROM customers WHERE organization_id = ?1 AND deleted_at IS NULL)
                AND i.deleted_at IS NULL
                AND (?2 IS NULL OR (i.occurred_at, i.id) < (?2, ?3))
              ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?4"
        );
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let items = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(
                    params![customer_id, cursor_key, cursor_id, fetch],
                    interaction_from_row,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .context("reading the interaction log")?;
        Ok(newest_first_page(items, limit))
    }

    /// Everything logged on a ticket, newest first.
    pub fn ticket_interactions(&self, ticket_id: i64) -> Result<Vec<Interaction>> {
        let sql = format!(
            "{SELECT_INTERACTION} WHERE i.ticket_id = ?1 AND i.deleted_at IS NULL
              ORDER BY i.occurred_at DESC, i.id DESC"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_map([ticket_id], interaction_from_row)?.collect())
            .context("reading a ticket's interactions")
    }

    /// Newest first, at most `limit` (the page says whether more are left):
    /// a customer's, a ticket's, or the whole log of live customers.
    pub fn interactions_list(
        &self,
        query: &InteractionQuery,
        limit: usize,
    ) -> Result<Page<Interaction>> {
        let (mut sql, mut args) = log_sql(query);
        sql.push_str(" LIMIT ?");
        args.push(Value::Integer(
            i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX),
        ));
        let items = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(rusqlite::params_from_iter(args), interaction_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .context("listing interactions")?;
        Ok(newest_first_page(items, limit))
    }

    /// `interactions_list` streamed from one statement: `each` gets the
    /// entries a batch at a time with whether more follow, at most `limit`;
    /// the result says whether the limit left some out.
    pub fn each_interaction<E: From<StoreError>>(
        &self,
        query: &InteractionQuery,
        limit: usize,
        each: impl FnMut(Vec<Interaction>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        // The log has no window to start from, nor a limit of its own.
        self.stream_list(
            ("FROM interactions i", query == &InteractionQuery::default()),
            (limit, limit),
            |_, _| Ok(Some(log_sql(query))),
            (interaction_from_row, Ok),
            each,
            "listing interactions",
        )
    }

    /// Corrects what was logged (kind, direction, time, summary, body): what
    /// `draft` changes of `base`, merged as `update_followup` does. A ticket
    /// whose first response this was, or becomes, follows in the same write.
    pub fn edit_interaction(
        &mut self,
        id: i64,
        base: &InteractionEdit,
        draft: InteractionEdit,
        on_conflict: OnConflict,
    ) -> Result<Interaction> {
        self.write("interaction.edit", |w| {
            let current = live_interaction_in(&w.tx, id)?;
            let draft = draft.normalized(current.kind)?;
            let merged =
                InteractionEdit::merge(base, &draft, &current.edit(), on_conflict.overwrites())
                    .map_err(|conflicts| StoreError::ChangedMeanwhile {
                        what: format!("interaction {id}"),
                        conflicts,
                    })?;
            let next = Interaction {
                kind: merged.kind,
                direction: merged.direction,
                occurred_at: merged.occurred_at,
                summary: merged.summary,
                body: merged.body,
                ..current.clone()
            };
            save_interaction(w, &current, &next)?;
            first_response_after(w, &current, Some(&next))
        })?;
        self.interaction(id)
    }

    /// Deletes an entry from the log: marked, its search entry removed, and
    /// a ticket it was the first response of answered by the next reply (or
    /// by none). Undo puts all of it back.
    pub fn delete_interaction(&mut self, id: i64) -> Result<Interaction> {
        let now = self.clock.now();
        self.write("interaction.delete", |w| {
            let current = live_interaction_in(&w.tx, id)?;
            let next = Interaction {
                deleted_at: Some(now),
                ..current.clone()
            };
            save_interaction(w, &current, &next)?;
            first_response_after(w, &current, None)
        })?;
        self.interaction(id)
    }

    /// Logs an interaction. An outbound one linked to a ticket that has no
    /// first response yet becomes that response, in the same transaction.
    pub fn log_interaction(&mut self, draft: InteractionDraft) -> Result<Interaction> {
        let draft = draft.normalized()?;
        let id = self.write("interaction.log", |w| {
            live_customer_in(&w.tx, draft.customer_id)?;
            if let Some(f) = draft
                .followup_id
                .map(|id| followup_in(&w.tx, id))
                .transpose()?
                && f.customer_id != draft.customer_id
            {
                return Err(StoreError::Conflict(format!(
                    "follow-up {} belongs to customer {}, not {}",
                    f.id, f.customer_id, draft.customer_id
                )));
            }
            // The ticket as it is now, inside the write: another process
            // may have answered or moved it since.
            let ticket = draft.ticket_id.map(|id| ticket_in(&w.tx, id)).transpose()?;
            if let Some(t) = &ticket
                && t.customer_id != draft.customer_id
            {
                return Err(StoreError::Conflict(format!(
                    "ticket {} belongs to customer {}, not {}",
                    t.id, t.customer_id, draft.customer_id
                )));
            }
            let id = insert_interaction_row(w, &draft, &w.now_text)?;
            w.record_insert("interactions", id)?;
            w.reindex(Indexed::Interaction, id)?;
            if let Some(t) = &ticket
                && draft.is_response()
            {
                let mut fields = Vec::new();
                if t.answered_first_by(draft.occurred_at) {
                    let old = Value::from(t.first_response_at.map(values::ts));
                    let at = Value::Text(values::ts(draft.occurred_at));
                    fields.push(("first_response_at", old, at));
                }
                let status = t.status.after_reply();
                if status != t.status {
                    let (old, new) = (t.status.as_str(), status.as_str());
                    fields.push((
                        "status",
                        Value::from(old.to_string()),
                        Value::from(new.to_string()),
                    ));
                }
                w.set_fields("tickets", t.id, &fields)?;
            }
            Ok(id)
        })?;
        self.interaction(id)
    }
}

pub(super) fn insert_interaction_row(
    w: &Write,
    d: &InteractionDraft,
    created_at: &str,
) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO interactions (customer_id, ticket_id, followup_id, kind, direction, occurred_at,
                                   summary, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            d.customer_id,
            d.ticket_id,
            d.followup_id,
            d.kind.as_str(),
            d.direction.as_str(),
            values::ts(d.occurred_at),
            d.summary,
            d.body,
            created_at,
        ])
    })
    .context("logging an interaction")?;
    Ok(w.tx.last_insert_rowid())
}

/// Interaction `id` inside a write, refused when deleted or when its
/// customer is in the trash (as new entries are).
fn live_interaction_in(conn: &Connection, id: i64) -> Result<Interaction> {
    let sql = format!("{SELECT_INTERACTION} WHERE i.id = +?1");
    let current = super::paging::fetch_one_in(conn, &sql, id, interaction_from_row, "interaction")?;
    if current.deleted_at.is_some() {
        return Err(StoreError::Conflict(format!("interaction {id} is deleted")));
    }
    live_customer_in(conn, current.customer_id)?;
    Ok(current)
}

/// Writes what changed, one history row per field, and renews the search
/// entry (a deleted entry has none).
fn save_interaction(w: &Write, old: &Interaction, new: &Interaction) -> Result<()> {
    let fields: Vec<_> = columns(old)
        .into_iter()
        .zip(columns(new))
        .map(|((name, old), (_, new))| (name, old, new))
        .collect();
    if w.set_fields("interactions", old.id, &fields)? {
        w.reindex(Indexed::Interaction, old.id)?;
    }
    Ok(())
}

/// The first response of `old`'s ticket after `old` became `new` (`None`:
/// deleted). If `old` was it and no longer answers as early, the earliest
/// reply left is (or none); if `new` answers earlier than the one known, it
/// is. Recorded in history, so undo puts the old time back.
fn first_response_after(w: &Write, old: &Interaction, new: Option<&Interaction>) -> Result<()> {
    let Some(ticket_id) = old.ticket_id else {
        return Ok(());
    };
    let ticket = ticket_in(&w.tx, ticket_id)?;
    let answer = new.filter(|n| n.direction == Direction::Outbound);
    let was_first =
        old.direction == Direction::Outbound && ticket.first_response_at == Some(old.occurred_at);
    let first: Option<String> =
        if was_first && answer.is_none_or(|n| n.occurred_at > old.occurred_at) {
            // Read after the row was written: its new time counts, a deleted one does not.
            w.tx.prepare_cached(
                "SELECT min(occurred_at) FROM interactions
                  WHERE ticket_id = ?1 AND direction = 'outbound' AND deleted_at IS NULL",
            )
            .and_then(|mut stmt| stmt.query_row([ticket_id], |r| r.get(0)))
            .context("finding a ticket's first response")?
        } else if let Some(n) = answer
            && ticket.answered_first_by(n.occurred_at)
        {
            Some(values::ts(n.occurred_at))
        } else {
            return Ok(());
        };
    let was = Value::from(ticket.first_response_at.map(values::ts));
    w.set_fields(
        "tickets",
        ticket_id,
        &[("first_response_at", was, Value::from(first))],
    )?;
    Ok(())
}

/// A page of the log read with one row more than `limit`: cut to `limit`,
/// with the cursor of the next page when that row was there.
fn newest_first_page(mut items: Vec<Interaction>, limit: usize) -> Page<Interaction> {
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|i| Cursor {
            key: Some(values::ts(i.occurred_at)),
            id: i.id,
        })
    } else {
        None
    };
    Page { items, next }
}
