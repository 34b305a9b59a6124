//! Keyset paging in both directions, shared by every list: a page starts
//! after (or ends before) the sort key and id of a row already shown, so a
//! page costs the same at row 10 and at row 1,000,000. Never OFFSET.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::error::{Context, Result, StoreError};
use super::{CACHE_KIB, Store, set_cache};

use super::values::text;
use super::{Cursor, Page};
use crate::domain::Choice;

/// How a list is ordered: the key expression (with its collation) and the
/// direction; the row id breaks ties, so every row has exactly one place.
pub(super) struct Order<'k> {
    pub key: &'k str,
    pub id: &'static str,
    pub descending: bool,
}

/// `= 'planned'` or `IN ('new', 'open')`, written out rather than bound:
/// SQLite uses a partial index (`WHERE status = 'planned'`) only when the
/// query states the same literal. The words come from a closed enum.
pub(super) fn status_filter<T: Choice>(statuses: &[T]) -> String {
    let words: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.word())).collect();
    match words.as_slice() {
        [one] => format!("= {one}"),
        many => format!("IN ({})", many.join(", ")),
    }
}

/// The start of a list query over `table` (aliased `alias`, joined to its
/// customer `c`): live records of live customers, of the given statuses,
/// and for one customer (an organization: with its people) read through
/// `customer_index` — the planner would otherwise walk a whole status index
/// in due order to find that customer's handful of rows.
pub(super) fn list_sql<T: Choice>(
    select: &str,
    (table, alias, customer_index): (&str, &str, &str),
    (statuses, customer, trash): (&[T], Option<i64>, bool),
    args: &mut Vec<Value>,
) -> String {
    let mut sql = match customer {
        Some(_) => select.replace(
            &format!("FROM {table} {alias}"),
            &format!("FROM {table} {alias} INDEXED BY {customer_index}"),
        ),
        None => select.to_string(),
    };
    // The trash holds the records deleted themselves and those of the
    // customers in it.
    sql.push_str(&if trash {
        format!(" WHERE ({alias}.deleted_at IS NOT NULL OR c.deleted_at IS NOT NULL)")
    } else {
        format!(" WHERE {alias}.deleted_at IS NULL AND c.deleted_at IS NULL")
    });
    if !statuses.is_empty() {
        sql.push_str(&format!(" AND {alias}.status {}", status_filter(statuses)));
    }
    if let Some(customer) = customer {
        sql.push_str(&format!(" AND {alias}.customer_id IN {}", super::ACCOUNT));
        args.extend([Value::Integer(customer), Value::Integer(customer)]);
    }
    sql
}

/// `sql` reading `from` ("FROM tickets t") in storage order, without its
/// indexes (see `walks_most`).
pub(super) fn without_indexes(sql: &str, from: &str) -> String {
    sql.replacen(from, &format!("{from} NOT INDEXED"), 1)
}

/// Which page: the one after a row (`None`: the first page) or the one
/// before it (`None`: the last page).
#[derive(Clone, Copy)]
pub(super) enum Window<'a> {
    After(Option<&'a Cursor>),
    Before(Option<&'a Cursor>),
}

impl Window<'_> {
    fn backward(&self) -> bool {
        matches!(self, Window::Before(_))
    }
}

/// Appends the keyset condition (the WHERE clause must already be open),
/// ORDER BY and LIMIT. One row more than `limit` is fetched to learn
/// whether another page follows.
pub(super) fn finish_sql(
    sql: &mut String,
    args: &mut Vec<Value>,
    order: &Order,
    window: Window,
    limit: usize,
) {
    // Walking backward is walking the reversed order forward.
    let descending = order.descending != window.backward();
    let (compare, direction) = if descending {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    // An order by id alone (newest first) has no separate key to compare.
    let by_id_only = order.key == order.id;
    if let Window::After(Some(cursor)) | Window::Before(Some(cursor)) = window {
        if by_id_only {
            sql.push_str(&format!(" AND {} {compare} ?", order.id));
        } else {
            // The row value alone makes SQLite scan the index from its
            // start on every page (quadratic over a long list); the bound
            // it implies on the key alone lets it seek to the cursor.
            sql.push_str(&format!(
                " AND {key} {compare}= ? AND ({key}, {}) {compare} (?, ?)",
                order.id,
                key = order.key
            ));
            args.push(text(cursor.key.as_deref()));
            args.push(text(cursor.key.as_deref()));
        }
        args.push(Value::Integer(cursor.id));
    }
    if by_id_only {
        sql.push_str(&format!(" ORDER BY {} {direction}", order.id));
    } else {
        sql.push_str(&format!(
            " ORDER BY {} {direction}, {} {direction}",
            order.key, order.id
        ));
    }
    // No limit at all rather than the largest: with a LIMIT, SQLite sorts
    // into a temporary B-tree instead of its sorter, several times slower.
    if let Ok(limit) = i64::try_from(limit.saturating_add(1)) {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
}

/// Cuts the fetched rows to `limit`, puts a backward page back in display
/// order, and says where the next page (in the same direction) starts.
pub(super) fn into_page<T>(
    mut items: Vec<T>,
    window: Window,
    limit: usize,
    cursor_of: impl Fn(&T) -> Cursor,
) -> Page<T> {
    let more = items.len() > limit;
    items.truncate(limit);
    if window.backward() {
        items.reverse();
        let next = if more {
            items.first().map(&cursor_of)
        } else {
            None
        };
        Page { items, next }
    } else {
        let next = if more {
            items.last().map(&cursor_of)
        } else {
            None
        };
        Page { items, next }
    }
}

pub(super) type FromRow<T> = fn(&Row) -> rusqlite::Result<T>;

/// Rows a streamed list hands on at a time: a table's widths come from the
/// first of them, and a batch's extra reads (health) are one query each.
const BATCH: usize = 1_000;

/// The page cache (and so the sorter's share of memory) while a list is
/// read in storage order and sorted.
const SORTED_WALK_CACHE_KIB: i64 = 4_096;

impl Store {
    /// Runs a list query built with `finish_sql` and makes the page.
    pub(super) fn fetch_page<T>(
        &self,
        sql: &str,
        args: Vec<Value>,
        (window, limit): (Window, usize),
        from_row: FromRow<T>,
        cursor_of: impl Fn(&T) -> Cursor,
        what: &str,
    ) -> Result<Page<T>> {
        let items = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut stmt| {
                stmt.query_map(params_from_iter(args), from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .context(what)?;
        Ok(into_page(items, window, limit, cursor_of))
    }

    /// `fetch_page` of the statement a list's builder made; an empty page
    /// when it made none (nothing can match).
    pub(super) fn fetch_built<T>(
        &self,
        built: Option<(String, Vec<Value>)>,
        (window, limit): (Window, usize),
        from_row: FromRow<T>,
        cursor_of: impl Fn(&T) -> Cursor,
        what: &str,
    ) -> Result<Page<T>> {
        match built {
            Some((sql, args)) => {
                self.fetch_page(&sql, args, (window, limit), from_row, cursor_of, what)
            }
            None => Ok(Page {
                items: Vec::new(),
                next: None,
            }),
        }
    }

    /// A whole list streamed (`stream_rows`, `complete` making each batch
    /// whole), its statement made by `build` for a window from the start
    /// and a limit (`None`: nothing can match). The statement may have to
    /// read `walk` rows to give `limit` (more, when `complete` drops some).
    /// `scannable`: the list may read `from` ("FROM tickets t") in storage
    /// order and sort it, when it walks most of the table (`walks_most`).
    pub(super) fn stream_list<T, U, E: From<StoreError>>(
        &self,
        (from, scannable): (&str, bool),
        (walk, limit): (usize, usize),
        build: impl FnOnce(Window, usize) -> Result<Option<(String, Vec<Value>)>>,
        (from_row, complete): (FromRow<T>, impl FnMut(Vec<T>) -> Result<Vec<U>>),
        each: impl FnMut(Vec<U>, bool) -> std::result::Result<(), E>,
        what: &str,
    ) -> std::result::Result<bool, E> {
        let table = from.split_whitespace().nth(1).unwrap_or_default();
        let scan = scannable && self.walks_most(table, walk)?;
        // A sorted walk stops itself: with a LIMIT, SQLite would sort into
        // a temporary B-tree instead of its sorter.
        let sql_limit = if scan { usize::MAX } else { walk };
        let Some((sql, args)) = build(Window::After(None), sql_limit)? else {
            return Ok(false);
        };
        if !scan {
            return self.stream_rows((&sql, args), limit, from_row, complete, each, what);
        }
        let sql = without_indexes(&sql, from);
        // SQLite's sorter sorts in shares as large as the page cache; a
        // smaller share sorts within the processor's caches (a third less
        // time and memory at 100k rows), and a walk in storage order reads
        // each page once anyway.
        set_cache(&self.conn, SORTED_WALK_CACHE_KIB)?;
        let walked = self.stream_rows((&sql, args), limit, from_row, complete, each, what);
        let restored = set_cache(&self.conn, CACHE_KIB);
        let cut_short = walked?;
        restored?;
        Ok(cut_short)
    }

    /// Runs `sql` once (one snapshot) and hands its rows to `each` a batch
    /// at a time, made whole by `complete` (which may also drop some), with
    /// whether more follow; at most `limit` of them. Returns whether the
    /// limit left some out. `sql` needs no LIMIT: the walk stops itself.
    pub(super) fn stream_rows<T, U, E: From<StoreError>>(
        &self,
        (sql, args): (&str, Vec<Value>),
        limit: usize,
        from_row: FromRow<T>,
        mut complete: impl FnMut(Vec<T>) -> Result<Vec<U>>,
        mut each: impl FnMut(Vec<U>, bool) -> std::result::Result<(), E>,
        what: &str,
    ) -> std::result::Result<bool, E> {
        let mut stmt = self.conn.prepare_cached(sql).context(what)?;
        let mut rows = stmt.query(params_from_iter(args)).context(what)?;
        let mut batch = Vec::with_capacity(BATCH);
        let mut given = 0;
        while let Some(row) = rows.next().context(what)? {
            if batch.len() == BATCH {
                let mut done = complete(std::mem::take(&mut batch))?;
                if given + done.len() >= limit {
                    // This row is one past the limit.
                    done.truncate(limit - given);
                    each(done, false)?;
                    return Ok(true);
                }
                given += done.len();
                each(done, true)?;
            }
            batch.push(from_row(row).context(what)?);
        }
        let mut done = complete(batch)?;
        let cut_short = given + done.len() > limit;
        done.truncate(limit - given);
        each(done, false)?;
        Ok(cut_short)
    }

    /// Whether a list of up to `limit` rows of `table` walks most of it:
    /// then it is cheaper read in storage order and sorted (SQLite's sorter
    /// spills to temporary files past its share of memory) than read at
    /// random in the list's order through an index, a third of the cost at
    /// a million rows.
    pub(super) fn walks_most(&self, table: &str, limit: usize) -> Result<bool> {
        let largest: i64 = self
            .conn
            .prepare_cached(&format!("SELECT coalesce(max(id), 0) FROM {table}"))
            .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
            .context(&format!("sizing up {table}"))?;
        Ok(limit.saturating_mul(4) >= usize::try_from(largest).unwrap_or(0))
    }

    /// Records by id after `after_id`, trash included: exports walk a whole
    /// table this way, a page at a time.
    pub(super) fn fetch_by_id<T>(
        &self,
        select: &str,
        alias: &str,
        after_id: i64,
        limit: usize,
        from_row: FromRow<T>,
    ) -> Result<Vec<T>> {
        let sql = format!("{select} WHERE {alias}.id > ?1 ORDER BY {alias}.id LIMIT ?2");
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(rusqlite::params![after_id, limit], from_row)?
                    .collect()
            })
            .context("reading records to export")
    }

    /// One record by id: `sql` ends in `WHERE x.id = +?1`. The unary `+` keeps
    /// SQLite from propagating the bound id into the joins, which would mark
    /// the statement for a full re-parse at every new id (10x the cost).
    pub(super) fn fetch_one<T>(
        &self,
        sql: &str,
        id: i64,
        from_row: FromRow<T>,
        entity: &'static str,
    ) -> Result<T> {
        fetch_one_in(&self.conn, sql, id, from_row, entity)
    }
}

/// `fetch_one` on any connection, a write's transaction included.
pub(super) fn fetch_one_in<T>(
    conn: &Connection,
    sql: &str,
    id: i64,
    from_row: FromRow<T>,
    entity: &'static str,
) -> Result<T> {
    conn.prepare_cached(sql)
        .and_then(|mut stmt| stmt.query_row([id], from_row).optional())
        .context(&format!("reading {entity} {id}"))?
        .ok_or(StoreError::NotFound { entity, id })
}
