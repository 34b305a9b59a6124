//! Undo from the history table: the newest change not yet undone is reversed
//! field by field, newest row first. Works across processes and restarts.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::customers::resync_emails;
use super::error::{Context, Result, StoreError};
use super::search::Indexed;
use super::tags::{link_tag, unlink_tag};
use super::{Store, Write};

/// What an undo reversed, for the status bar and the CLI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Undone {
    pub change_id: i64,
    pub action: String,
    pub table: String,
    pub record_id: i64,
}

impl Undone {
    /// "editing customer 42"
    pub fn describe(&self) -> String {
        let verb = match self.action.rsplit('.').next().unwrap_or("") {
            "add" => "adding",
            "edit" => "editing",
            "delete" => "deleting",
            "restore" => "restoring",
            "set" => "changing",
            "log" => "logging",
            "done" => "completing",
            "skipped" => "skipping",
            "cancelled" => "cancelling",
            "merge" => "merging",
            _ => "changing",
        };
        let noun = match self.table.as_str() {
            "tickets" => "ticket",
            "followups" => "follow-up",
            "interactions" => "interaction",
            _ => "customer",
        };
        format!("{verb} {noun} {}", self.record_id)
    }
}

/// Undo only ever names our own tables and columns; anything else in the
/// history table is refused rather than spliced into SQL.
const TABLES: &[&str] = &[
    "customers",
    "customer_tags",
    "tickets",
    "followups",
    "interactions",
];

fn is_column_name(field: &str) -> bool {
    !field.is_empty() && field.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

struct HistoryRow {
    table: String,
    record_id: i64,
    op: String,
    field: Option<String>,
    old: Value,
    new: Value,
}

impl Store {
    /// Reverses the newest change that is not undone yet. `None`: nothing to undo.
    pub fn undo_last(&mut self) -> Result<Option<Undone>> {
        self.write("undo", |w| {
            let last: Option<(i64, String)> =
                w.tx.query_row(
                    "SELECT id, action FROM changes WHERE undone_at IS NULL AND action != 'undo'
                      ORDER BY id DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .context("finding the last change")?;
            let Some((change_id, action)) = last else {
                return Ok(None);
            };
            if action.starts_with("bulk.") {
                return Err(StoreError::Conflict(format!(
                    "the last change was a bulk load ({action}); it cannot be undone"
                )));
            }
            let rows = history_rows(w, change_id)?;
            let mut touched: Vec<(String, i64)> = Vec::new();
            for row in &rows {
                reverse(w, row)?;
                if !touched.contains(&(row.table.clone(), row.record_id)) {
                    touched.push((row.table.clone(), row.record_id));
                }
            }
            for (table, id) in &touched {
                if table != "customer_tags" {
                    let sql = format!("UPDATE {table} SET updated_at = ?1 WHERE id = ?2");
                    w.tx.execute(&sql, params![w.now_text, id])
                        .context("undoing")?;
                }
                if let Some(indexed) = Indexed::for_table(table) {
                    w.reindex(indexed, *id)?;
                }
            }
            w.tx.execute(
                "UPDATE changes SET undone_at = ?1, updated_at = ?1 WHERE id = ?2",
                params![w.now_text, change_id],
            )
            .context("undoing")?;
            w.mark_changed();
            let first = rows.last();
            Ok(Some(Undone {
                change_id,
                action,
                table: first.map(|r| r.table.clone()).unwrap_or_default(),
                record_id: first.map(|r| r.record_id).unwrap_or_default(),
            }))
        })
    }
}

fn history_rows(w: &Write, change_id: i64) -> Result<Vec<HistoryRow>> {
    w.tx.prepare_cached(
        "SELECT table_name, record_id, op, field, old, new FROM history WHERE change_id = ?1 ORDER BY id DESC",
    )
    .and_then(|mut stmt| {
        stmt.query_map([change_id], |r| {
            Ok(HistoryRow {
                table: r.get(0)?,
                record_id: r.get(1)?,
                op: r.get(2)?,
                field: r.get(3)?,
                old: r.get(4)?,
                new: r.get(5)?,
            })
        })?
        .collect()
    })
    .context("reading history")
}

fn reverse(w: &Write, row: &HistoryRow) -> Result<()> {
    let damaged = || {
        StoreError::Conflict(format!(
            "history row for {} {} cannot be undone",
            row.table, row.record_id
        ))
    };
    if !TABLES.contains(&row.table.as_str()) {
        return Err(damaged());
    }
    let tag = |v: &Value| match v {
        Value::Text(t) => Ok(t.clone()),
        _ => Err(damaged()),
    };
    match row.op.as_str() {
        "insert" => {
            let sql = format!("DELETE FROM {} WHERE id = ?1", row.table);
            w.tx.execute(&sql, [row.record_id])
                .context("undoing an addition")?;
        }
        "update" => {
            let field = row
                .field
                .as_deref()
                .filter(|f| is_column_name(f))
                .ok_or_else(damaged)?;
            let sql = format!("UPDATE {} SET {field} = ?1 WHERE id = ?2", row.table);
            w.tx.execute(&sql, params![row.old, row.record_id])
                .context("undoing a change")?;
            if row.table == "customers" && field == "extra" {
                resync_emails(w, row.record_id)?;
            }
        }
        "link" => unlink_tag(w, row.record_id, &tag(&row.new)?)?,
        "unlink" => {
            link_tag(w, row.record_id, &tag(&row.old)?)?;
        }
        _ => return Err(damaged()),
    }
    Ok(())
}
