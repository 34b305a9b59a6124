//! Customers listed with their health, for listings of many (`customer
//! list`): each account's kept stats come in the customer's own row, so a
//! health score costs a look at its records only when its kept dates
//! straddle the moment.

use std::sync::LazyLock;

use super::customer_list::{Among, LISTED_FROM, MATCHING_FROM};
use super::customers::{LISTED_COLUMNS, listed_customer_from_row};
use super::error::{Result, StoreError};
use super::health::{Account, KEPT_COLUMNS, Kept, json_ids};
use super::{CustomerQuery, Store};
use crate::domain::Customer;
use crate::domain::health::{self, Health, HealthWeights};

/// The listed selects with each account's kept stats after the people
/// count (columns 21 on, as `Kept::read` takes them).
static LISTED_WITH_STATS: LazyLock<String> = LazyLock::new(|| with_stats(LISTED_FROM));
static MATCHING_WITH_STATS: LazyLock<String> = LazyLock::new(|| with_stats(MATCHING_FROM));

fn with_stats(from: &str) -> String {
    format!(
        "{LISTED_COLUMNS}, {KEPT_COLUMNS} {from} LEFT JOIN customer_stats s ON s.customer_id = c.id"
    )
}

fn listed_with_kept(row: &rusqlite::Row) -> rusqlite::Result<(Customer, Option<Kept>)> {
    Ok((listed_customer_from_row(row)?, Kept::read(row, 21)?))
}

/// Which listed customers a listing keeps, by their health.
type Keep<'a> = &'a dyn Fn(&Health) -> bool;

impl Store {
    /// Every customer of `query` with its health, in the list's order, from
    /// one statement (one snapshot of the database): `each` gets them a
    /// batch at a time, with whether more follow. `below`: only those
    /// scoring under it, found from the kept stats first when that can tell
    /// (`ids_scoring_below`). At most `limit` are given (those kept); the
    /// result says whether the limit left some out.
    pub fn each_customer_with_health<E: From<StoreError>>(
        &self,
        query: &CustomerQuery,
        (limit, below): (usize, Option<u8>),
        weights: &HealthWeights,
        each: impl FnMut(Vec<(Customer, Health)>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let only = match below {
            Some(below) => self.ids_scoring_below(below, weights)?,
            None => None,
        };
        // Without the ids, a filter on health may drop any number of rows.
        let walk = if below.is_some() && only.is_none() {
            usize::MAX
        } else {
            limit
        };
        let keep = below.map(|below| move |h: &Health| h.score < below);
        let keep = keep.as_ref().map(|k| k as Keep);
        let among = Among {
            ids: only.map(|ids| json_ids(ids.into_iter())),
            ranked: false,
        };
        self.each_listed(query, among, (walk, limit), (weights, keep), each)
    }

    /// `each_customer_with_health` of the customers `among` names that
    /// `keep` keeps, reading at most `walk` rows for `limit`.
    pub(super) fn each_listed<E: From<StoreError>>(
        &self,
        query: &CustomerQuery,
        among: Among,
        (walk, limit): (usize, usize),
        (weights, keep): (&HealthWeights, Option<Keep>),
        each: impl FnMut(Vec<(Customer, Health)>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let select = if query.streams() {
            &*MATCHING_WITH_STATS
        } else {
            &*LISTED_WITH_STATS
        };
        // Most of the table is read in storage order and sorted; a search,
        // the ids found or one organization's people use their index.
        let scannable = query.search.is_none()
            && among.ids.is_none()
            && query.organization_id.is_none()
            && !query.trash;
        // A filter on health is applied after the statement too (it reads
        // another snapshot than the one that found the ids): no LIMIT there.
        let sql_limit = |walk| if keep.is_some() { usize::MAX } else { walk };
        self.stream_list(
            ("FROM customers c", scannable),
            (walk, limit),
            |window, walk| self.customers_sql(query, (select, window, sql_limit(walk)), among),
            (listed_with_kept, |batch| self.kept(batch, weights, keep)),
            each,
            "listing customers",
        )
    }

    /// `settle`, keeping only what `keep` accepts.
    fn kept(
        &self,
        rows: Vec<(Customer, Option<Kept>)>,
        weights: &HealthWeights,
        keep: Option<Keep>,
    ) -> Result<Vec<(Customer, Health)>> {
        let mut settled = self.settle(rows, weights)?;
        if let Some(keep) = keep {
            settled.retain(|(_, health)| keep(health));
        }
        Ok(settled)
    }

    /// The health of each listed customer, from its kept stats.
    fn settle(
        &self,
        rows: Vec<(Customer, Option<Kept>)>,
        weights: &HealthWeights,
    ) -> Result<Vec<(Customer, Health)>> {
        let (customers, accounts): (Vec<Customer>, Vec<Account>) = rows
            .into_iter()
            .map(|(c, kept)| {
                let account = Account {
                    id: c.id,
                    kept,
                    created: Some(c.created_at),
                };
                (c, account)
            })
            .unzip();
        let inputs = self.settle_health_inputs(accounts, weights.csat_days)?;
        Ok(customers
            .into_iter()
            .zip(inputs)
            .map(|(c, inputs)| (c, health::health(&inputs, weights)))
            .collect())
    }
}
