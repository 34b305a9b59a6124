//! Full-text search over customers, tickets and interactions (FTS5), kept in
//! sync by re-indexing a record inside the transaction that changed it.

use std::collections::HashSet;

use rusqlite::params;
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
                "INSERT INTO customers_fts (rowid, name, email, notes, tags)
                 SELECT id, name, coalesce(email, ''), coalesce(notes, ''),
                        coalesce((SELECT group_concat(t.name, ' ') FROM customer_tags ct
                    JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = customers.id), '')
                   FROM customers WHERE id = ?1 AND deleted_at IS NULL",
            ),
            Indexed::Ticket => (
                "DELETE FROM tickets_fts WHERE rowid = ?1",
                "INSERT INTO tickets_fts (rowid, subject, body)
                 SELECT id, subject, coalesce(body, '') FROM tickets WHERE id = ?1 AND deleted_at IS NULL",
            ),
            Indexed::Interaction => (
                "DELETE FROM interactions_fts WHERE rowid = ?1",
                "INSERT INTO interactions_fts (rowid, summary, body)
                 SELECT id, summary, coalesce(body, '') FROM interactions
                  WHERE id = ?1 AND deleted_at IS NULL",
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
    fts_words(input, "*")
}

/// Every word must match whole: the better matches, and cheap to find
/// (a prefix of a common word makes FTS5 merge all of its rows first).
fn fts_whole_words(input: &str) -> Option<String> {
    fts_words(input, "")
}

/// The words of a search, as the FTS queries read them: split on spaces,
/// punctuation around a word dropped.
fn search_words(input: &str) -> impl Iterator<Item = &str> {
    input
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
}

fn fts_words(input: &str, suffix: &str) -> Option<String> {
    let words: Vec<String> = search_words(input)
        .map(|w| format!("\"{}\"{suffix}", w.replace('"', "\"\"")))
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
    /// Place in the results, 0 first: lower is a better match.
    pub rank: usize,
}

/// One table to search: its FTS table, the column that names a record
/// (a match there is the better match), and how a hit becomes a row.
struct Searched {
    kind: Entity,
    fts: &'static str,
    title_column: &'static str,
    sql: &'static str,
}

/// `{fts}` and `{match}` are filled in; the rows are (id, customer id,
/// customer name, title), newest match first.
const SEARCHED: [Searched; 3] = [
    Searched {
        kind: Entity::Customer,
        fts: "customers_fts",
        title_column: "name",
        sql: "SELECT c.id, c.id, c.name, c.name FROM customers_fts f
                JOIN customers c ON c.id = f.rowid AND c.deleted_at IS NULL
               WHERE customers_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
    },
    Searched {
        kind: Entity::Ticket,
        fts: "tickets_fts",
        title_column: "subject",
        sql: "SELECT t.id, c.id, c.name, t.subject FROM tickets_fts f
                JOIN tickets t ON t.id = f.rowid AND t.deleted_at IS NULL
                JOIN customers c ON c.id = t.customer_id AND c.deleted_at IS NULL
               WHERE tickets_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
    },
    Searched {
        kind: Entity::Interaction,
        fts: "interactions_fts",
        title_column: "summary",
        sql: "SELECT i.id, c.id, c.name, i.summary FROM interactions_fts f
                JOIN interactions i ON i.id = f.rowid AND i.deleted_at IS NULL
                JOIN customers c ON c.id = i.customer_id AND c.deleted_at IS NULL
               WHERE interactions_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
    },
];

impl Store {
    /// Customers, tickets and interactions matching every word, best first:
    /// matches in a name, subject or summary before matches in emails, notes
    /// and bodies; whole words before words that only begin so; customers,
    /// then tickets, then interactions; newest first within each. No relevance score is computed: scoring every match of a
    /// common word is what makes search slow on a big database, and FTS5
    /// streams matches newest first, so each query stops after `limit` rows.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let (Some(whole), Some(prefix)) = (fts_whole_words(input), fts_query(input)) else {
            return Ok(Vec::new());
        };
        let fetch = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut hits: Vec<SearchHit> = Vec::new();
        // A later pass finds again what an earlier one took: told apart in
        // constant time, so a large limit stays linear.
        let mut seen: HashSet<(Entity, i64)> = HashSet::new();
        let passes = [true, false]
            .into_iter()
            .flat_map(|title_only| [(title_only, &whole), (title_only, &prefix)]);
        for (title_only, query) in passes {
            for table in &SEARCHED {
                if hits.len() >= limit {
                    break;
                }
                let matching = if title_only {
                    format!("{} : ({query})", table.title_column)
                } else {
                    query.to_string()
                };
                let found: Vec<(i64, i64, String, String)> = self
                    .conn
                    .prepare_cached(table.sql)
                    .and_then(|mut stmt| {
                        stmt.query_map(params![matching, fetch], |r| {
                            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                        })?
                        .collect()
                    })
                    .context(&format!("searching {}", table.fts))?;
                for (id, customer_id, customer, title) in found {
                    if hits.len() < limit && seen.insert((table.kind, id)) {
                        let rank = hits.len();
                        hits.push(SearchHit {
                            kind: table.kind,
                            id,
                            customer_id,
                            customer,
                            title,
                            rank,
                        });
                    }
                }
            }
        }
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
