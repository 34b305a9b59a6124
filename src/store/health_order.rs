//! Customers listed worst health first (`customer list --sort health`), at
//! a million: the worst few are found among the accounts scoring under a
//! threshold, which the kept stats find without reading most of them
//! (`ids_scoring_below`); longer lists score every account in one read, as
//! a listing does. Those ranked are then listed a score at a time, by name
//! within a score, through the listing's own statement.

use std::collections::HashMap;

use super::customer_list::{Among, CustomerSort, LISTED_FROM, MATCHING_FROM, RANK_FUNCTION};
use super::error::{Context, Result, StoreError};
use super::health::{Account, KEPT_COLUMNS, Kept, Moments, json_ids, parse_ts};
use super::health_below::{Seen, quiet_since};
use super::paging::Window;
use super::{CustomerQuery, Store};
use crate::domain::Customer;
use crate::domain::health::{self, Health, HealthWeights, score_bounds};

/// The thresholds under which the worst are looked for first, before all
/// are read: most accounts score above them.
const FIRST_THRESHOLDS: [u8; 2] = [40, 60];

/// Lists longer than this are ranked from every account at once, unless
/// `below` already names the threshold.
const FEW: usize = 10_000;

/// Accounts scored exactly at a time.
const EXACT_BATCH: usize = 1_000;

impl Store {
    /// `each_customer_with_health`, lowest score first and by name within a
    /// score: `each` gets the customers a batch at a time with whether more
    /// follow; at most `limit`, only those scoring under `below`. Returns
    /// whether the limit left some out.
    pub fn each_customer_by_health<E: From<StoreError>>(
        &self,
        query: &CustomerQuery,
        (limit, below): (usize, Option<u8>),
        weights: &HealthWeights,
        each: impl FnMut(Vec<(Customer, Health)>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let ranked = self.ranked_by_health(query, (limit, below), weights)?;
        let more_beyond = ranked.count > limit;
        // A few are read by id; many in one walk of the table, sorted.
        let among = Among {
            ids: ranked.ids,
            ranked: true,
        };
        self.register_ranks(ranked.ranks)?;
        let listed = self.each_listed(query, among, (limit, limit), (weights, None), each);
        let removed = self
            .conn
            .remove_function(RANK_FUNCTION, 1)
            .context("ranking customers by health");
        let cut_short = listed?;
        removed?;
        Ok(cut_short || more_beyond)
    }

    /// `ranks` as `RANK_FUNCTION` on this connection.
    fn register_ranks(&self, ranks: Ranks) -> Result<()> {
        use rusqlite::functions::FunctionFlags;
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
        self.conn
            .create_scalar_function(RANK_FUNCTION, 1, flags, move |ctx| {
                Ok(ranks.of_id(ctx.get::<i64>(0)?))
            })
            .context("ranking customers by health")
    }

    /// The customers of `query` scoring under `below` that can be among
    /// the first `limit` by score, with their scores; more may be ranked
    /// (every account scoring no more than the `limit`-th is: ties at the
    /// cut are listed by name).
    fn ranked_by_health(
        &self,
        query: &CustomerQuery,
        (limit, below): (usize, Option<u8>),
        weights: &HealthWeights,
    ) -> Result<Ranked> {
        let below = below.unwrap_or(u8::MAX);
        // The worst few are found among those scoring under a threshold,
        // which the kept stats find without reading most accounts; a list
        // of many (or few at risk) reads them all.
        for threshold in FIRST_THRESHOLDS {
            let threshold = threshold.min(below);
            let complete = threshold == below;
            if !complete && limit > FEW {
                continue;
            }
            let Some(ids) = self.ids_scoring_below(threshold, weights)? else {
                break;
            };
            let ranked = self.scored(self.matching(query, &ids)?, below, weights)?;
            // Beyond the threshold others may match: one more than the
            // limit tells that some are left out.
            if complete || ranked.len() > limit {
                let ids = (ranked.len() <= FEW).then(|| json_ids(ranked.iter().map(|(_, id)| *id)));
                return Ok(Ranked {
                    count: ranked.len(),
                    ranks: Ranks::Sparse(
                        ranked.into_iter().map(|(score, id)| (id, score)).collect(),
                    ),
                    ids,
                });
            }
        }
        self.scores_of_all(query, below, weights)
    }

    /// The exact scores of `ids` under `below`, ascending by score and id.
    fn scored(&self, ids: Vec<i64>, below: u8, weights: &HealthWeights) -> Result<Vec<(u8, i64)>> {
        let mut ranked = Vec::new();
        for batch in ids.chunks(EXACT_BATCH) {
            let exact = self.health_inputs_many(batch, weights.csat_days)?;
            for id in batch {
                if let Some(inputs) = exact.get(id) {
                    let score = health::health(inputs, weights).score;
                    if score < below {
                        ranked.push((score, *id));
                    }
                }
            }
        }
        ranked.sort_unstable();
        Ok(ranked)
    }

    /// Those of `ids` that `query` lists.
    fn matching(&self, query: &CustomerQuery, ids: &[i64]) -> Result<Vec<i64>> {
        let (scan, from) = scan_of(query);
        let select = format!("SELECT c.id {from}");
        let only = Some(json_ids(ids.iter().copied()));
        let Some((sql, args)) = self.customers_sql(
            &scan,
            (&select, Window::After(None), usize::MAX),
            Among {
                ids: only,
                ranked: false,
            },
        )?
        else {
            return Ok(Vec::new());
        };
        self.conn
            .prepare(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))?
                    .collect()
            })
            .context("ranking customers by health")
    }

    /// The scores under `below` of every customer of `query`, from one
    /// read of the customers and their kept stats (as a listing settles
    /// them).
    fn scores_of_all(
        &self,
        query: &CustomerQuery,
        below: u8,
        weights: &HealthWeights,
    ) -> Result<Ranked> {
        let what = "ranking customers by health";
        let (scan, from) = scan_of(query);
        let select = format!(
            "SELECT c.id, c.created_at, {KEPT_COLUMNS} {from}
               LEFT JOIN customer_stats s ON s.customer_id = c.id"
        );
        let mut ranked = Ranked {
            ranks: Ranks::for_ids_to(self.largest_customer_id()?),
            count: 0,
            ids: None,
        };
        let Some((sql, args)) = self.customers_sql(
            &scan,
            (&select, Window::After(None), usize::MAX),
            Among::default(),
        )?
        else {
            return Ok(ranked);
        };
        let mut stmt = self.conn.prepare(&sql).context(what)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args)).context(what)?;
        let mut batch = Vec::with_capacity(EXACT_BATCH);
        let settle = |batch: Vec<Account>| -> Result<Vec<(u8, i64)>> {
            let ids: Vec<i64> = batch.iter().map(|a| a.id).collect();
            let inputs = self.settle_health_inputs(batch, weights.csat_days)?;
            Ok(ids
                .into_iter()
                .zip(inputs)
                .map(|(id, inputs)| (health::health(&inputs, weights).score, id))
                .collect())
        };
        let now = self.clock.now();
        let moments = Moments::of(self, weights.csat_days);
        let quiet_since = quiet_since(now, weights);
        let seen = Seen {
            now,
            moments: &moments,
            quiet_since: &quiet_since,
        };
        while let Some(row) = rows.next().context(what)? {
            // Most accounts' kept stats settle their score; the others are
            // settled a batch at a time, as a listing settles them.
            let settled = (|| {
                let id: i64 = row.get(0)?;
                let created = row.get_ref(1)?.as_str_or_null()?;
                let kept = Kept::borrow(row, 2)?;
                let bounds = seen.bounds(kept.as_ref(), created);
                Ok::<_, rusqlite::Error>(match bounds.map(|b| score_bounds(&b, weights)) {
                    Some((lowest, highest)) if lowest == highest => Ok((lowest, id)),
                    _ => Err(Account {
                        id,
                        created: parse_ts(created),
                        kept: Kept::read(row, 2)?,
                    }),
                })
            })()
            .context(what)?;
            match settled {
                Ok((score, id)) => ranked.rank(id, score, below),
                Err(account) => batch.push(account),
            }
            if batch.len() == EXACT_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(EXACT_BATCH));
                for (score, id) in settle(full)? {
                    ranked.rank(id, score, below);
                }
            }
        }
        for (score, id) in settle(batch)? {
            ranked.rank(id, score, below);
        }
        Ok(ranked)
    }
}

/// `query` in storage order (newest first, backwards: no sort), with where
/// its rows come from.
fn scan_of(query: &CustomerQuery) -> (CustomerQuery, &'static str) {
    let scan = CustomerQuery {
        sort: CustomerSort::Newest,
        ..query.clone()
    };
    let from = if scan.streams() {
        MATCHING_FROM
    } else {
        LISTED_FROM
    };
    (scan, from)
}

/// The customers a list by health takes: their scores, how many, and
/// (when few) their ids as a JSON array.
struct Ranked {
    ranks: Ranks,
    count: usize,
    ids: Option<String>,
}

impl Ranked {
    fn rank(&mut self, id: i64, score: u8, below: u8) {
        if score < below {
            self.ranks.set(id, score);
            self.count += 1;
        }
    }
}

/// Each ranked customer's score, by id.
enum Ranks {
    /// Indexed by id (`u8::MAX`: not ranked): a byte per customer.
    Dense(Vec<u8>),
    Sparse(HashMap<i64, u8>),
}

/// Ids up to this are ranked in a `Ranks::Dense` (16 MB at most).
const DENSE_IDS: i64 = 1 << 24;

impl Ranks {
    /// Room for every id up to `largest`.
    fn for_ids_to(largest: i64) -> Ranks {
        match usize::try_from(largest) {
            Ok(largest) if largest < DENSE_IDS as usize => Ranks::Dense(vec![u8::MAX; largest + 1]),
            _ => Ranks::Sparse(HashMap::new()),
        }
    }

    fn set(&mut self, id: i64, score: u8) {
        match self {
            Ranks::Dense(scores) => {
                if let Some(at) = usize::try_from(id).ok().and_then(|at| scores.get_mut(at)) {
                    *at = score;
                }
            }
            Ranks::Sparse(scores) => {
                scores.insert(id, score);
            }
        }
    }

    fn of_id(&self, id: i64) -> Option<u8> {
        match self {
            Ranks::Dense(scores) => usize::try_from(id)
                .ok()
                .and_then(|at| scores.get(at))
                .copied()
                .filter(|score| *score != u8::MAX),
            Ranks::Sparse(scores) => scores.get(&id).copied(),
        }
    }
}
