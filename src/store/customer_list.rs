//! Keyset-paged lists of customers: which ones (`CustomerQuery`), in which
//! order, and the statement that reads a window of them.

use std::sync::LazyLock;

use rusqlite::types::Value;

use super::customers::{LISTED_COLUMNS, listed_customer_from_row};
use super::error::Result;
use super::paging::{Order, Window, finish_sql};
use super::search::fts_query;
use super::values;
use super::{Cursor, Page, Store};
use crate::domain::{Customer, CustomerKind, Stage};

/// Where a list page's rows come from: the table, or the search index
/// driving it, so a filter streams its newest matches instead of collecting
/// every match first.
pub(super) const LISTED_FROM: &str =
    "FROM customers c LEFT JOIN customers o ON o.id = c.organization_id";
pub(super) const MATCHING_FROM: &str = "FROM customers_fts f JOIN customers c ON c.id = f.rowid
    LEFT JOIN customers o ON o.id = c.organization_id";

static SELECT_LISTED_CUSTOMER: LazyLock<String> =
    LazyLock::new(|| format!("{LISTED_COLUMNS} {LISTED_FROM}"));
static SELECT_MATCHING_CUSTOMER: LazyLock<String> =
    LazyLock::new(|| format!("{LISTED_COLUMNS} {MATCHING_FROM}"));

/// Which of a query's customers a statement lists, and in which order.
#[derive(Default)]
pub(super) struct Among {
    /// Only these ids (a JSON array).
    pub ids: Option<String>,
    /// Only those `RANK_FUNCTION` ranks, lowest rank first and by name
    /// within a rank, instead of the query's order.
    pub ranked: bool,
}

/// The SQL function giving a customer's rank (NULL: not ranked), which the
/// caller registers on the connection for the statement's life.
pub(super) const RANK_FUNCTION: &str = "tuicrm_rank";

/// `RANK_FUNCTION` then the name, as an order's key (ascending).
static BY_RANK: LazyLock<String> =
    LazyLock::new(|| format!("{RANK_FUNCTION}(c.id), c.name COLLATE NOCASE"));

/// Which customers a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerQuery {
    /// Full-text words, matched as prefixes ("acm" finds Acme).
    pub search: Option<String>,
    pub segment: Option<String>,
    pub tag: Option<String>,
    pub stage: Option<Stage>,
    pub kind: Option<CustomerKind>,
    pub organization_id: Option<i64>,
    /// The trash instead of the live records.
    pub trash: bool,
    pub sort: CustomerSort,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CustomerSort {
    #[default]
    Name,
    RecentlyUpdated,
    /// Newest first (by id). With a search, the fast order: matches stream
    /// from the index.
    Newest,
}

impl CustomerQuery {
    /// A search listed newest first is read straight from the search index.
    pub(super) fn streams(&self) -> bool {
        self.search.is_some() && self.sort == CustomerSort::Newest && !self.trash
    }

    pub(super) fn order(&self) -> Order<'static> {
        let (key, descending) = match (self.trash, self.sort) {
            (true, _) => ("c.deleted_at", true),
            (false, CustomerSort::Name) => ("c.name COLLATE NOCASE", false),
            (false, CustomerSort::RecentlyUpdated) => ("c.updated_at", true),
            (false, CustomerSort::Newest) if self.streams() => ("f.rowid", true),
            (false, CustomerSort::Newest) => ("c.id", true),
        };
        let id = if self.streams() { "f.rowid" } else { "c.id" };
        Order {
            key,
            id,
            descending,
        }
    }

    /// Where a list in this order continues after (or before) `c`.
    pub fn cursor_of(&self, c: &Customer) -> Cursor {
        let key = match (self.trash, self.sort) {
            (true, _) => c.deleted_at.map(values::ts),
            (false, CustomerSort::Name) => Some(c.name.clone()),
            (false, CustomerSort::RecentlyUpdated) => Some(values::ts(c.updated_at)),
            (false, CustomerSort::Newest) => None,
        };
        Cursor { key, id: c.id }
    }
}

impl Store {
    /// `first_matches_by_name`, unless the list is `ranked`.
    fn first_by_name_unless(
        &self,
        ranked: bool,
        query: &CustomerQuery,
        matching: &str,
        (window, limit): (Window, usize),
    ) -> Result<Option<String>> {
        if ranked {
            return Ok(None);
        }
        self.first_matches_by_name(query, matching, window, limit)
    }

    /// The page after `after` (`None`: the first page).
    pub fn customers_page(
        &self,
        query: &CustomerQuery,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Customer>> {
        self.customers_window(query, Window::After(after), limit)
    }

    /// The page before `before` (`None`: the last page), in display order.
    pub fn customers_page_before(
        &self,
        query: &CustomerQuery,
        before: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Customer>> {
        self.customers_window(query, Window::Before(before), limit)
    }

    fn customers_window(
        &self,
        query: &CustomerQuery,
        window: Window,
        limit: usize,
    ) -> Result<Page<Customer>> {
        let select = if query.streams() {
            &*SELECT_MATCHING_CUSTOMER
        } else {
            &*SELECT_LISTED_CUSTOMER
        };
        self.fetch_built(
            self.customers_sql(query, (select, window, limit), Among::default())?,
            (window, limit),
            listed_customer_from_row,
            |c| query.cursor_of(c),
            "listing customers",
        )
    }

    /// The statement and its arguments listing `query`'s customers in a
    /// window (`among`: which of them, in which order); `None` when
    /// nothing can match (a search of no words).
    pub(super) fn customers_sql(
        &self,
        query: &CustomerQuery,
        (select, window, limit): (&str, Window, usize),
        among: Among,
    ) -> Result<Option<(String, Vec<Value>)>> {
        let mut sql = format!("{select} WHERE ");
        let mut args: Vec<Value> = Vec::new();
        sql.push_str(if query.trash {
            "c.deleted_at IS NOT NULL"
        } else {
            "c.deleted_at IS NULL"
        });
        if let Some(words) = query.search.as_deref() {
            match fts_query(words) {
                Some(m) if query.streams() => {
                    sql.push_str(" AND customers_fts MATCH ?");
                    args.push(Value::Text(m));
                }
                // By rank, the first by name are not the first listed.
                Some(m) => {
                    match self.first_by_name_unless(among.ranked, query, &m, (window, limit))? {
                        Some(ids) => {
                            sql.push_str(" AND c.id IN (SELECT value FROM json_each(?))");
                            args.push(Value::Text(ids));
                        }
                        None => {
                            sql.push_str(
                            " AND c.id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)",
                        );
                            args.push(Value::Text(m));
                        }
                    }
                }
                None => return Ok(None),
            }
        }
        if let Some(ids) = among.ids {
            sql.push_str(" AND c.id IN (SELECT value FROM json_each(?))");
            args.push(Value::Text(ids));
        }
        if among.ranked {
            sql.push_str(&format!(" AND {RANK_FUNCTION}(c.id) IS NOT NULL"));
        }
        if let Some(segment) = &query.segment {
            sql.push_str(" AND c.segment = ? COLLATE NOCASE");
            args.push(Value::Text(segment.clone()));
        }
        if let Some(tag) = &query.tag {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                               WHERE ct.customer_id = c.id AND t.name = ?)",
            );
            args.push(Value::Text(tag.clone()));
        }
        if let Some(stage) = query.stage {
            sql.push_str(" AND c.stage = ?");
            args.push(Value::Text(stage.as_str().to_string()));
        }
        if let Some(kind) = query.kind {
            sql.push_str(" AND c.kind = ?");
            args.push(Value::Text(kind.as_str().to_string()));
        }
        if let Some(org) = query.organization_id {
            sql.push_str(" AND c.organization_id = +?");
            args.push(Value::Integer(org));
        }
        let order = if among.ranked {
            Order {
                key: &BY_RANK,
                id: "c.id",
                descending: false,
            }
        } else {
            query.order()
        };
        finish_sql(&mut sql, &mut args, &order, window, limit);
        Ok(Some((sql, args)))
    }
}
