//! Full-text search over customers, tickets and interactions (FTS5), kept in
//! sync by re-indexing a record inside the transaction that changed it.

use rusqlite::{Row, params};
use serde::Serialize;

use super::error::{Context, Result};
use super::{Store, Write};
use crate::domain::Entity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Indexed {
    Customer,
    Ticket,
    Interaction,
}

impl Indexed {
    /// Drop the old entry, then index the record again if it is live.
    fn sql(self) -> (&'static str, &'static str) {
        match self {
            Indexed::Customer => (
                "DELETE FROM customers_fts WHERE rowid = ?1",
                "INSERT INTO customers_fts (rowid, name, email, notes)
                 SELECT id, name, coalesce(email, ''), coalesce(notes, '') FROM customers
                  WHERE id = ?1 AND deleted_at IS NULL",
            ),
            Indexed::Ticket => (
                "DELETE FROM tickets_fts WHERE rowid = ?1",
                "INSERT INTO tickets_fts (rowid, subject, body)
                 SELECT id, subject, coalesce(body, '') FROM tickets WHERE id = ?1 AND deleted_at IS NULL",
            ),
            Indexed::Interaction => (
                "DELETE FROM interactions_fts WHERE rowid = ?1",
                "INSERT INTO interactions_fts (rowid, summary, body)
                 SELECT id, summary, coalesce(body, '') FROM interactions WHERE id = ?1",
            ),
        }
    }

    pub(super) fn for_table(table: &str) -> Option<Indexed> {
        match table {
            "customers" | "customer_tags" => Some(Indexed::Customer),
            "tickets" => Some(Indexed::Ticket),
            "interactions" => Some(Indexed::Interaction),
            _ => None,
        }
    }
}

impl Write<'_> {
    pub(super) fn reindex(&self, what: Indexed, id: i64) -> Result<()> {
        let (delete, insert) = what.sql();
        self.tx
            .prepare_cached(delete)
            .and_then(|mut s| s.execute([id]))
            .and_then(|_| self.tx.prepare_cached(insert)?.execute([id]))
            .context("updating the search index")?;
        Ok(())
    }
}

/// Turns what a person typed into an FTS5 query: every word must match, the
/// last (or every) word as a prefix. Quoting makes FTS syntax characters inert.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub kind: Entity,
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    /// Name, subject or summary.
    pub title: String,
    /// bm25 score: lower is a better match.
    pub rank: f64,
}

fn hit(kind: Entity) -> impl Fn(&Row) -> rusqlite::Result<SearchHit> {
    move |row| {
        Ok(SearchHit {
            kind,
            id: row.get(0)?,
            customer_id: row.get(1)?,
            customer: row.get(2)?,
            title: row.get(3)?,
            rank: row.get(4)?,
        })
    }
}

impl Store {
    /// Customers, tickets and interactions matching every word, best first.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = fts_query(input) else {
            return Ok(Vec::new());
        };
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Names weigh more than emails, emails more than notes: a name match is
        // what a person searching usually means.
        let searches = [
            (
                Entity::Customer,
                "SELECT c.id, c.id, c.name, c.name, f.rank
                   FROM (SELECT rowid, bm25(customers_fts, 10.0, 5.0, 1.0) AS rank FROM customers_fts
                          WHERE customers_fts MATCH ?1 ORDER BY rank LIMIT ?2) f
                   JOIN customers c ON c.id = f.rowid AND c.deleted_at IS NULL",
            ),
            (
                Entity::Ticket,
                "SELECT t.id, c.id, c.name, t.subject, f.rank
                   FROM (SELECT rowid, bm25(tickets_fts, 5.0, 1.0) AS rank FROM tickets_fts
                          WHERE tickets_fts MATCH ?1 ORDER BY rank LIMIT ?2) f
                   JOIN tickets t ON t.id = f.rowid AND t.deleted_at IS NULL
                   JOIN customers c ON c.id = t.customer_id AND c.deleted_at IS NULL",
            ),
            (
                Entity::Interaction,
                "SELECT i.id, c.id, c.name, i.summary, f.rank
                   FROM (SELECT rowid, bm25(interactions_fts, 5.0, 1.0) AS rank FROM interactions_fts
                          WHERE interactions_fts MATCH ?1 ORDER BY rank LIMIT ?2) f
                   JOIN interactions i ON i.id = f.rowid
                   JOIN customers c ON c.id = i.customer_id AND c.deleted_at IS NULL",
            ),
        ];
        let mut hits = Vec::new();
        for (kind, sql) in searches {
            let found = self
                .conn
                .prepare_cached(sql)
                .and_then(|mut stmt| {
                    stmt.query_map(params![query, limit], hit(kind))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                })
                .context("searching")?;
            hits.extend(found);
        }
        hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
        hits.truncate(limit as usize);
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_prefixes() {
        assert_eq!(
            fts_query("acme corp").as_deref(),
            Some("\"acme\"* \"corp\"*")
        );
        assert_eq!(fts_query("  ").as_deref(), None);
        assert_eq!(
            fts_query("\"quoted\" OR NOT").as_deref(),
            Some("\"quoted\"* \"OR\"* \"NOT\"*")
        );
        assert_eq!(
            fts_query("jane@ex.com").as_deref(),
            Some("\"jane@ex.com\"*")
        );
        assert_eq!(fts_query("*** ---").as_deref(), None);
    }
}
