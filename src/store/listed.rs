//! Customers listed with their health, for listings of many (`customer
//! list`): each account's kept stats come in the customer's own row, so a
//! health score costs a look at its records only when its kept dates
//! straddle the moment.

use std::ptr;
use std::sync::LazyLock;

use super::customer_list::{LISTED_FROM, MATCHING_FROM};
use super::customers::{LISTED_COLUMNS, listed_customer_from_row};
use super::error::{Result, StoreError};
use super::health::{Account, KEPT_COLUMNS, Kept, json_ids};
use super::paging::Window;
use super::{Cursor, CustomerQuery, Page, Store};
use crate::domain::Customer;
use crate::domain::health::{self, Health, HealthWeights};

/// The table read in storage order (no index), for a walk of most of it.
const SCANNED_FROM: &str =
    "FROM customers c NOT INDEXED LEFT JOIN customers o ON o.id = c.organization_id";

/// The listed selects with each account's kept stats after the people
/// count (columns 21 on, as `Kept::read` takes them).
static LISTED_WITH_STATS: LazyLock<String> = LazyLock::new(|| with_stats(LISTED_FROM));
static MATCHING_WITH_STATS: LazyLock<String> = LazyLock::new(|| with_stats(MATCHING_FROM));
static SCANNED_WITH_STATS: LazyLock<String> = LazyLock::new(|| with_stats(SCANNED_FROM));

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
    /// A page of customers with their health, for a listing of many.
    pub fn customers_page_with_health(
        &self,
        query: &CustomerQuery,
        after: Option<&Cursor>,
        limit: usize,
        weights: &HealthWeights,
    ) -> Result<Page<(Customer, Health)>> {
        let select = if query.streams() {
            &*MATCHING_WITH_STATS
        } else {
            &*LISTED_WITH_STATS
        };
        let page = self.customers_window_of(
            query,
            (select, Window::After(after), limit),
            listed_with_kept,
            |(c, _)| query.cursor_of(c),
        )?;
        Ok(Page {
            items: self.settle(page.items, weights)?,
            next: page.next,
        })
    }

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
        // A filter on health is applied after the statement too: it reads
        // another snapshot than the one that found the ids.
        let wanted = if below.is_some() && only.is_none() {
            usize::MAX
        } else {
            limit
        };
        let select = self.listing_select(query, wanted, only.is_some())?;
        // A sorted walk stops when it has enough: with a LIMIT it would sort
        // into a temporary B-tree instead of SQLite's sorter.
        let sql_limit = if ptr::eq(select, &**SCANNED_WITH_STATS) || below.is_some() {
            usize::MAX
        } else {
            wanted
        };
        let only = only.map(|ids| json_ids(ids.into_iter()));
        let Some((sql, args)) =
            self.customers_sql(query, (select, Window::After(None), sql_limit), only)?
        else {
            return Ok(false);
        };
        let keep = below.map(|below| move |h: &Health| h.score < below);
        let keep = keep.as_ref().map(|k| k as Keep);
        self.stream_rows(
            (&sql, args),
            limit,
            listed_with_kept,
            |batch| self.kept(batch, weights, keep),
            each,
            "listing customers",
        )
    }

    /// The statement a listing of `query` up to `limit` rows reads.
    fn listing_select(
        &self,
        query: &CustomerQuery,
        limit: usize,
        narrowed: bool,
    ) -> Result<&'static str> {
        if query.streams() {
            return Ok(&MATCHING_WITH_STATS);
        }
        // Most of the table (`walks_most`) is read in storage order and
        // sorted; a short list, a search or one organization's people use
        // their index.
        let most = query.search.is_none()
            && !narrowed
            && query.organization_id.is_none()
            && !query.trash
            && self.walks_most("customers", limit)?;
        Ok(if most {
            &SCANNED_WITH_STATS
        } else {
            &LISTED_WITH_STATS
        })
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
