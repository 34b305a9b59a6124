//! The interaction log. Append-only: entries are added (and undone), never edited.

use rusqlite::types::Value;
use rusqlite::{Row, params};

use super::customers::live_customer_in;
use super::error::{Context, Result, StoreError};
use super::followups::followup_in;
use super::search::Indexed;
use super::tickets::ticket_in;
use super::values::{self, get_choice, get_ts};
use super::{Cursor, Page, Store, Write};
use crate::domain::{Interaction, InteractionDraft};

const SELECT_INTERACTION: &str = "
    SELECT i.id, i.customer_id, c.name, i.ticket_id, i.followup_id, i.kind, i.direction,
           i.occurred_at, i.summary, i.body, i.created_at, i.updated_at
      FROM interactions i JOIN customers c ON c.id = i.customer_id";

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
    })
}

impl Store {
    /// Interactions by id after `after_id` (for exports).
    pub fn interactions_by_id(&self, after_id: i64, limit: usize) -> Result<Vec<Interaction>> {
        self.fetch_by_id(
            SELECT_INTERACTION,
            "i",
            after_id,
            limit,
            interaction_from_row,
        )
    }

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
                AND (?2 IS NULL OR (i.occurred_at, i.id) < (?2, ?3))
              ORDER BY i.occurred_at DESC, i.id DESC LIMIT ?4"
        );
        let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);
        let mut items = self
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
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|i| Cursor {
                key: Some(values::ts(i.occurred_at)),
                id: i.id,
            })
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Everything logged on a ticket, newest first.
    pub fn ticket_interactions(&self, ticket_id: i64) -> Result<Vec<Interaction>> {
        let sql = format!(
            "{SELECT_INTERACTION} WHERE i.ticket_id = ?1 ORDER BY i.occurred_at DESC, i.id DESC"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_map([ticket_id], interaction_from_row)?.collect())
            .context("reading a ticket's interactions")
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
