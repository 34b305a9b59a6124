//! Full-text search over customers, tickets and interactions (FTS5), kept in
//! sync by re-indexing a record inside the transaction that changed it.

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::error::{Context, Result, StoreError};
use super::{Store, Write};
use crate::domain::Entity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Indexed {
    Customer,
    Ticket,
    Interaction,
}

/// One full-text index and what it holds of each live row (`t`) of its
/// table: the one place that says what is searched, whichever rows are
/// written (a changed record, a load's rows, an import's changed customers).
/// Names and subjects have an index of their own (migration 15) beside the
/// one of every column: both are written together.
struct FtsIndex {
    of: Indexed,
    index: &'static str,
    table: &'static str,
    columns: &'static str,
    values: &'static str,
}

const FTS_INDEXES: [FtsIndex; 5] = [
    FtsIndex {
        of: Indexed::Customer,
        index: "customers_fts",
        table: "customers",
        columns: "name, email, notes, tags",
        values: "t.name, coalesce(t.email, ''), coalesce(t.notes, ''),
                 coalesce((SELECT group_concat(tg.name, ' ') FROM customer_tags ct
                    JOIN tags tg ON tg.id = ct.tag_id WHERE ct.customer_id = t.id), '')",
    },
    FtsIndex {
        of: Indexed::Customer,
        index: "customer_names_fts",
        table: "customers",
        columns: "name",
        values: "t.name",
    },
    FtsIndex {
        of: Indexed::Ticket,
        index: "tickets_fts",
        table: "tickets",
        columns: "subject, body",
        values: "t.subject, coalesce(t.body, '')",
    },
    FtsIndex {
        of: Indexed::Ticket,
        index: "ticket_subjects_fts",
        table: "tickets",
        columns: "subject",
        values: "t.subject",
    },
    FtsIndex {
        of: Indexed::Interaction,
        index: "interactions_fts",
        table: "interactions",
        columns: "summary, body",
        values: "t.summary, coalesce(t.body, '')",
    },
];

/// The statements that drop the entries of `of`'s indexes whose rowid
/// `which` admits (a condition on `rowid`).
pub(super) fn unindex_rows(of: Indexed, which: &str) -> Vec<String> {
    FTS_INDEXES
        .iter()
        .filter(|i| i.of == of)
        .map(|i| format!("DELETE FROM main.{} WHERE {which}", i.index))
        .collect()
}

/// The statements that write `of`'s indexes for the live rows of its
/// table that `which` admits (a condition on `t.id`).
pub(super) fn index_rows(of: Indexed, which: &str) -> Vec<String> {
    FTS_INDEXES
        .iter()
        .filter(|i| i.of == of)
        .map(|i| {
            format!(
                "INSERT INTO main.{} (rowid, {}) SELECT t.id, {} FROM main.{} t
                  WHERE {which} AND t.deleted_at IS NULL",
                i.index, i.columns, i.values, i.table
            )
        })
        .collect()
}

/// A record's entries dropped, then written again if it is live.
fn reindex_one(of: Indexed) -> Vec<String> {
    [unindex_rows(of, "rowid = ?1"), index_rows(of, "t.id = ?1")].concat()
}

static CUSTOMER_INDEX: LazyLock<Vec<String>> = LazyLock::new(|| reindex_one(Indexed::Customer));
static TICKET_INDEX: LazyLock<Vec<String>> = LazyLock::new(|| reindex_one(Indexed::Ticket));
static INTERACTION_INDEX: LazyLock<Vec<String>> =
    LazyLock::new(|| reindex_one(Indexed::Interaction));

impl Indexed {
    /// Every kind, in the order of a load's last ids.
    pub(super) const ALL: [Indexed; 3] = [Indexed::Customer, Indexed::Ticket, Indexed::Interaction];

    /// Drop the old entries, then index the record again if it is live.
    fn sql(self) -> &'static [String] {
        match self {
            Indexed::Customer => &CUSTOMER_INDEX,
            Indexed::Ticket => &TICKET_INDEX,
            Indexed::Interaction => &INTERACTION_INDEX,
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
        if what == Indexed::Customer && self.defer_customer_index.get() {
            return Ok(());
        }
        for sql in what.sql() {
            self.tx
                .prepare_cached(sql)
                .and_then(|mut s| s.execute([id]))
                .context("updating the search index")?;
        }
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
        .map(|w| format!("{}{suffix}", quoted(w)))
        .collect();
    if words.is_empty() {
        None
    } else {
        Some(words.join(" "))
    }
}

/// Hits handed on at a time by a streamed search.
const HIT_BATCH: usize = 1_000;

/// The ids a search has given, a bit each, one set per searched table.
#[derive(Default)]
struct Seen([Vec<u64>; SEARCHED.len()]);

impl Seen {
    /// Marks `id` of table `at`; false when it was marked already.
    fn insert(&mut self, at: usize, id: i64) -> bool {
        let Ok(id) = usize::try_from(id) else {
            return true;
        };
        let bits = &mut self.0[at];
        let (word, bit) = (id / 64, 1u64 << (id % 64));
        if bits.len() <= word {
            bits.resize(word + 1, 0);
        }
        let fresh = bits[word] & bit == 0;
        bits[word] |= bit;
        fresh
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

/// An FTS5 index, as a prefix query of it is made (see
/// [`Store::prefix_query`]).
struct Index {
    name: &'static str,
    /// The first term of the index at or after ?1, from its fts5vocab
    /// table (migration 17).
    next_term: &'static str,
    /// Lengths of the prefixes it keeps (`prefix = '2 3'`): a prefix of
    /// those lengths is one entry already.
    prefix_lengths: &'static [usize],
}

/// Where a pass that wants matches in the title looks.
enum Titles {
    /// An index of the titles alone (migration 15), searched with `sql` of
    /// the same shape: reads only the entries of the word in titles.
    Index(Index, &'static str),
    /// A column filter on the index of every column: reads every entry of
    /// the word, so a word common in bodies makes it slow.
    Column(&'static str),
}

/// One table to search: its FTS index, where its titles are (a match
/// there is the better match), and how a hit becomes a row.
struct Searched {
    kind: Entity,
    index: Index,
    titles: Titles,
    sql: &'static str,
}

/// The queries take the FTS query and a limit; the rows are (id, customer
/// id, customer name, title), newest match first.
const SEARCHED: [Searched; 3] = [
    Searched {
        kind: Entity::Customer,
        index: Index {
            name: "customers_fts",
            next_term: "SELECT term FROM customers_terms WHERE term >= ?1 LIMIT 1",
            prefix_lengths: &[2, 3],
        },
        titles: Titles::Index(
            Index {
                name: "customer_names_fts",
                next_term: "SELECT term FROM customer_names_terms WHERE term >= ?1 LIMIT 1",
                prefix_lengths: &[1, 2, 3],
            },
            "SELECT c.id, c.id, c.name, c.name FROM customer_names_fts f
               JOIN customers c ON c.id = f.rowid AND c.deleted_at IS NULL
              WHERE customer_names_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
        ),
        sql: "SELECT c.id, c.id, c.name, c.name FROM customers_fts f
                JOIN customers c ON c.id = f.rowid AND c.deleted_at IS NULL
               WHERE customers_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
    },
    Searched {
        kind: Entity::Ticket,
        index: Index {
            name: "tickets_fts",
            next_term: "SELECT term FROM tickets_terms WHERE term >= ?1 LIMIT 1",
            prefix_lengths: &[2, 3],
        },
        titles: Titles::Index(
            Index {
                name: "ticket_subjects_fts",
                next_term: "SELECT term FROM ticket_subjects_terms WHERE term >= ?1 LIMIT 1",
                prefix_lengths: &[1, 2, 3],
            },
            "SELECT t.id, c.id, c.name, t.subject FROM ticket_subjects_fts f
               JOIN tickets t ON t.id = f.rowid AND t.deleted_at IS NULL
               JOIN customers c ON c.id = t.customer_id AND c.deleted_at IS NULL
              WHERE ticket_subjects_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
        ),
        sql: "SELECT t.id, c.id, c.name, t.subject FROM tickets_fts f
                JOIN tickets t ON t.id = f.rowid AND t.deleted_at IS NULL
                JOIN customers c ON c.id = t.customer_id AND c.deleted_at IS NULL
               WHERE tickets_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT ?2",
    },
    Searched {
        kind: Entity::Interaction,
        index: Index {
            name: "interactions_fts",
            next_term: "SELECT term FROM interactions_terms WHERE term >= ?1 LIMIT 1",
            prefix_lengths: &[],
        },
        titles: Titles::Column("summary"),
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
    /// then tickets, then interactions; newest first within each. No
    /// relevance score is computed: scoring every match of a common word is
    /// what makes search slow on a big database, and FTS5 streams matches
    /// newest first, so each query stops after the rows it can still use.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let mut hits = Vec::new();
        self.each_search_hit(input, limit, |batch, _| {
            hits.extend(batch);
            Ok::<_, StoreError>(())
        })?;
        Ok(hits)
    }

    /// `search` streamed: `each` gets the hits a batch at a time, best
    /// first, with whether more follow; at most `limit`. Returns whether
    /// the limit left some out.
    pub fn each_search_hit<E: From<StoreError>>(
        &self,
        input: &str,
        limit: usize,
        mut each: impl FnMut(Vec<SearchHit>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let Some(whole) = fts_whole_words(input) else {
            each(Vec::new(), false)?;
            return Ok(false);
        };
        let mut batch: Vec<SearchHit> = Vec::new();
        let mut given = 0;
        let mut cut_short = false;
        // A later pass finds again what an earlier one took: told apart in
        // constant time and a bit per id, so a long list stays linear and
        // its memory small.
        let mut seen = Seen::default();
        // Hits per table so far: a later pass of a table needs no more rows
        // than those (found again) and the places still free.
        let mut taken = [0usize; SEARCHED.len()];
        // Each index's prefix query, made when a pass first needs it; `None`
        // inside when no row of it can match.
        let mut prefixes: HashMap<&str, Option<String>> = HashMap::new();
        // One hit past the limit tells whether the list stops early.
        let wanted = limit.saturating_add(1);
        let passes = [true, false]
            .into_iter()
            .flat_map(|title_only| [(title_only, false), (title_only, true)]);
        'passes: for (title_only, as_prefix) in passes {
            for (at, (table, taken)) in SEARCHED.iter().zip(taken.iter_mut()).enumerate() {
                let free = wanted.saturating_sub(given + batch.len());
                if free == 0 {
                    break 'passes;
                }
                let (index, sql) = match (&table.titles, title_only) {
                    (Titles::Index(index, sql), true) => (index, *sql),
                    _ => (&table.index, table.sql),
                };
                let query = if as_prefix {
                    if !prefixes.contains_key(index.name) {
                        let query = self.prefix_query(index, input)?;
                        prefixes.insert(index.name, query);
                    }
                    match prefixes.get(index.name) {
                        Some(Some(query)) => query,
                        // A word begins no term of this index.
                        _ => continue,
                    }
                } else {
                    &whole
                };
                let matching = match (&table.titles, title_only) {
                    (Titles::Column(column), true) => format!("{column} : ({query})"),
                    _ => query.to_string(),
                };
                let fetch = i64::try_from(free.saturating_add(*taken)).unwrap_or(i64::MAX);
                let what = format!("searching {}", index.name);
                let mut stmt = self.conn.prepare_cached(sql).context(&what)?;
                let mut rows = stmt.query(params![matching, fetch]).context(&what)?;
                while let Some(row) = rows.next().context(&what)? {
                    let id: i64 = row.get(0).context(&what)?;
                    if !seen.insert(at, id) {
                        continue;
                    }
                    *taken += 1;
                    if given + batch.len() == limit {
                        cut_short = true;
                        break 'passes;
                    }
                    let hit = (|| {
                        Ok::<_, rusqlite::Error>(SearchHit {
                            kind: table.kind,
                            id,
                            customer_id: row.get(1)?,
                            customer: row.get(2)?,
                            title: row.get(3)?,
                            rank: given + batch.len(),
                        })
                    })()
                    .context(&what)?;
                    batch.push(hit);
                    if batch.len() == HIT_BATCH {
                        given += batch.len();
                        each(std::mem::take(&mut batch), true)?;
                    }
                }
            }
        }
        each(batch, false)?;
        Ok(cut_short)
    }

    /// The words as prefixes, as a query of `index` matching exactly the
    /// rows that [`fts_query`] matches there; `None` when none can.
    /// FTS5 answers a prefix by merging the entries of every term it begins
    /// before it returns a row, which for a prefix of a common word means
    /// hundreds of thousands; an OR of those terms, when they are few,
    /// streams newest first and stops at the limit.
    fn prefix_query(&self, index: &Index, input: &str) -> Result<Option<String>> {
        let words: Vec<&str> = search_words(input).collect();
        // Longest first: the likeliest to begin no term, which ends the look-up.
        let mut order: Vec<usize> = (0..words.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
        let mut parts = vec![String::new(); words.len()];
        for i in order {
            parts[i] = match self.terms_beginning(index, words[i])? {
                Some(terms) if terms.is_empty() => return Ok(None),
                Some(terms) => {
                    let any: Vec<String> = terms.iter().map(|t| quoted(t)).collect();
                    format!("({})", any.join(" OR "))
                }
                None => format!("{}*", quoted(words[i])),
            };
        }
        if parts.is_empty() {
            return Ok(None);
        }
        // FTS5 reads no implicit AND before a parenthesis.
        Ok(Some(parts.join(" AND ")))
    }

    /// The terms of `index` that begin with `word`, or `None` to leave it a
    /// prefix: when the index keeps prefixes of its length, when FTS5 would
    /// read it otherwise than as one lowercase ASCII token, or when it
    /// begins more terms than an OR is worth.
    fn terms_beginning(&self, index: &Index, word: &str) -> Result<Option<Vec<String>>> {
        // unicode61 folds ASCII letters to lowercase and keeps a word of
        // ASCII letters and digits as one token; anything else (diacritics,
        // other scripts, inner punctuation) is left to FTS5 to tokenize.
        if !word.bytes().all(|b| b.is_ascii_alphanumeric())
            || index.prefix_lengths.contains(&word.len())
        {
            return Ok(None);
        }
        let word = word.to_ascii_lowercase();
        let context = format!("reading the terms of {}", index.name);
        let mut stmt = self
            .conn
            .prepare_cached(index.next_term)
            .context(&context)?;
        let mut terms = Vec::new();
        let mut from = word.clone();
        loop {
            let term: Option<String> = stmt
                .query_row([&from], |r| r.get(0))
                .optional()
                .context(&context)?;
            let Some(term) = term.filter(|t| t.starts_with(&word)) else {
                return Ok(Some(terms));
            };
            if terms.len() == MAX_TERMS {
                return Ok(None);
            }
            // The least string above `term`: a token's ASCII bytes are
            // digits and lowercase letters, '0' the least of them, and its
            // other bytes are above them all.
            from = format!("{term}0");
            terms.push(term);
        }
    }
}

/// Most terms a prefix becomes: each is a seek in every segment of the
/// index, for the terms list and again for the query.
const MAX_TERMS: usize = 32;

/// A word or term as an FTS5 string, so its syntax characters are inert.
fn quoted(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
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
