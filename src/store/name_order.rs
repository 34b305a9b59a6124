//! The first page of a search listed by name, found without reading every
//! match's row: a common prefix at a million customers matches 150,000.

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::Store;
use super::customer_list::{CustomerQuery, CustomerSort};
use super::error::{Context, Result};
use super::paging::{Window, finish_sql};

/// Below this many matches, sorting them costs less than walking names.
const MANY: usize = 10_000;
/// How far a walk of the name index goes before giving up (a covering
/// index: cheap).
const WALK: usize = 30_000;
/// Ids above this are kept in a hash set instead of a bitmap (8 MB).
const BITMAP_IDS: i64 = 64 << 20;

/// The ids a search matched: a bitmap when ids are dense, as they are.
enum Matched {
    Bits(Vec<u64>),
    Set(std::collections::HashSet<i64>),
}

impl Matched {
    fn new(largest: i64) -> Matched {
        match usize::try_from(largest / 64 + 1) {
            Ok(words) if largest < BITMAP_IDS => Matched::Bits(vec![0; words]),
            _ => Matched::Set(Default::default()),
        }
    }

    fn slot(id: i64) -> Option<(usize, u64)> {
        let id = usize::try_from(id).ok()?;
        Some((id / 64, 1u64 << (id % 64)))
    }

    fn insert(&mut self, id: i64) {
        match self {
            Matched::Bits(bits) => {
                if let Some((word, bit)) = Self::slot(id) {
                    if word >= bits.len() {
                        bits.resize(word + 1, 0);
                    }
                    bits[word] |= bit;
                }
            }
            Matched::Set(set) => {
                set.insert(id);
            }
        }
    }

    fn contains(&self, id: i64) -> bool {
        match self {
            Matched::Bits(bits) => Self::slot(id)
                .and_then(|(word, bit)| bits.get(word).map(|w| w & bit != 0))
                .unwrap_or(false),
            Matched::Set(set) => set.contains(&id),
        }
    }
}

fn json_ids(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", ids.join(","))
}

impl Store {
    /// For a search listed by name with no other filter: the page's ids
    /// (and one more) as a JSON array, for the caller to read whole. Few
    /// matches are sorted by name, ids alone (reading each match's whole
    /// row, tags and people only for the page); many are found by walking
    /// the name index and keeping the matches. `None` when neither is the
    /// cheaper way: other filters, or matches too far down the walk (a
    /// first name clusters under its letter) — then the caller sorts.
    pub(super) fn first_matches_by_name(
        &self,
        query: &CustomerQuery,
        matching: &str,
        window: Window,
        limit: usize,
    ) -> Result<Option<String>> {
        let plain = CustomerQuery {
            search: None,
            sort: CustomerSort::Name,
            ..CustomerQuery::default()
        };
        let alone = CustomerQuery {
            search: None,
            ..query.clone()
        } == plain;
        if !alone {
            return Ok(None);
        }
        // One read of the matches (the index streams them; 150,000 take a
        // few milliseconds).
        let mut matched = Matched::new(self.largest_customer_id()?);
        let mut count = 0;
        {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?1")
                .context("listing matches")?;
            let mut rows = stmt.query([matching]).context("listing matches")?;
            while let Some(row) = rows.next().context("listing matches")? {
                matched.insert(row.get(0).context("listing matches")?);
                count += 1;
            }
        }
        if count < MANY {
            return self
                .sorted_matches(query, matching, window, limit)
                .map(Some);
        }
        let mut walk = String::from("SELECT c.id FROM customers c WHERE c.deleted_at IS NULL");
        let mut args = Vec::new();
        finish_sql(&mut walk, &mut args, &query.order(), window, WALK);
        let wanted = limit.saturating_add(1);
        let mut found = Vec::new();
        let mut walked = 0;
        let mut stmt = self
            .conn
            .prepare_cached(&walk)
            .context("listing customers")?;
        let mut rows = stmt
            .query(params_from_iter(args))
            .context("listing customers")?;
        while let Some(row) = rows.next().context("listing customers")? {
            walked += 1;
            let id: i64 = row.get(0).context("listing customers")?;
            if matched.contains(id) {
                found.push(id);
                if found.len() >= wanted {
                    break;
                }
            }
        }
        // The walk ended early: the page is whole. It ran out of customers
        // (fewer than WALK + 1): so is the list. Else the page is unknown.
        if found.len() < wanted && walked > WALK {
            return Ok(None);
        }
        Ok(Some(json_ids(&found)))
    }

    /// The page's ids of a search with few matches, sorted by name: the
    /// sort holds ids and names only.
    fn sorted_matches(
        &self,
        query: &CustomerQuery,
        matching: &str,
        window: Window,
        limit: usize,
    ) -> Result<String> {
        let mut sql = String::from(
            "SELECT c.id FROM customers c WHERE c.deleted_at IS NULL
               AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)",
        );
        let mut args = vec![Value::Text(matching.to_string())];
        finish_sql(&mut sql, &mut args, &query.order(), window, limit);
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(params_from_iter(args), |r| r.get(0))?
                    .collect()
            })
            .context("listing customers")?;
        Ok(json_ids(&ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matched_ids_are_told_apart() {
        for mut matched in [Matched::new(100), Matched::new(BITMAP_IDS)] {
            for id in [1, 63, 64, 5000] {
                matched.insert(id);
            }
            for id in [1, 63, 64, 5000] {
                assert!(matched.contains(id), "{id}");
            }
            for id in [-1, 0, 2, 65, 4999, 1 << 40] {
                assert!(!matched.contains(id), "{id}");
            }
        }
    }
}
