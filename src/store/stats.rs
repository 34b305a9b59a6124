//! `customer_stats`: per customer, what lists and health scores need of its
//! tickets, follow-ups and interactions (open tickets and the first due,
//! next follow-up and renewal, last contact, last rating), kept in the same
//! transaction as every write to those records. A write notes the customers
//! whose records it touched (`Write::touch_customer`, mostly from its
//! history rows); before it commits, their rows are recounted from their
//! records by index. Loads recount the customers they added in one grouped
//! pass. `check` compares the table with a recount of everything.

use std::collections::HashSet;
use std::sync::LazyLock;

use rusqlite::params;

use super::Write;
use super::error::{Context, Result};
use crate::domain::{FollowupKind, FollowupStatus, TicketStatus};

/// The tables whose rows count in a customer's stats.
pub(super) const COUNTED: &[&str] = &["tickets", "followups", "interactions"];

/// The stats of every customer `filter` (a condition on `customer_id`)
/// admits, counted from their live records, as rows of `customer_stats`;
/// customers with nothing to count give no row. The policy (which statuses
/// are open, what a renewal is) comes from the domain.
fn recount(filter: &str) -> String {
    let words = |list: &[&str]| {
        list.iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let open = words(
        &TicketStatus::OPEN
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
    );
    let planned = FollowupStatus::Planned.as_str();
    let renewal = FollowupKind::Renewal.as_str();
    let rated = "csat IS NOT NULL AND resolved_at IS NOT NULL";
    format!(
        "SELECT customer_id, sum(open_tickets), min(first_open_due), max(last_open_due),
                sum(planned_followups), min(next_followup_on), max(last_followup_on),
                sum(planned_renewals), min(next_renewal_on), max(last_renewal_on),
                max(last_contact_at), sum(rated_tickets), sum(csat_sum),
                min(first_rated_at), max(last_rated_at)
         FROM (
            SELECT customer_id,
                   count(*) FILTER (WHERE status IN ({open})) AS open_tickets,
                   min(due_at) FILTER (WHERE status IN ({open})) AS first_open_due,
                   max(due_at) FILTER (WHERE status IN ({open})) AS last_open_due,
                   0 AS planned_followups, NULL AS next_followup_on, NULL AS last_followup_on,
                   0 AS planned_renewals, NULL AS next_renewal_on, NULL AS last_renewal_on,
                   NULL AS last_contact_at,
                   count(*) FILTER (WHERE {rated}) AS rated_tickets,
                   coalesce(sum(csat) FILTER (WHERE {rated}), 0) AS csat_sum,
                   min(resolved_at) FILTER (WHERE {rated}) AS first_rated_at,
                   max(resolved_at) FILTER (WHERE {rated}) AS last_rated_at
              FROM tickets WHERE deleted_at IS NULL AND {filter} GROUP BY customer_id
            UNION ALL
            SELECT customer_id, 0, NULL, NULL,
                   count(*) FILTER (WHERE kind != '{renewal}'),
                   min(due_on) FILTER (WHERE kind != '{renewal}'),
                   max(due_on) FILTER (WHERE kind != '{renewal}'),
                   count(*) FILTER (WHERE kind = '{renewal}'),
                   min(due_on) FILTER (WHERE kind = '{renewal}'),
                   max(due_on) FILTER (WHERE kind = '{renewal}'),
                   NULL, 0, 0, NULL, NULL
              FROM followups WHERE deleted_at IS NULL AND status = '{planned}' AND {filter}
             GROUP BY customer_id
            UNION ALL
            SELECT customer_id, 0, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL,
                   max(occurred_at), 0, 0, NULL, NULL
              FROM interactions WHERE deleted_at IS NULL AND {filter} GROUP BY customer_id
         )
         GROUP BY customer_id
         HAVING sum(open_tickets) > 0 OR sum(planned_followups) > 0 OR sum(planned_renewals) > 0
             OR max(last_contact_at) IS NOT NULL OR sum(rated_tickets) > 0"
    )
}

/// The customers given as a JSON array in `?1`.
const OF_LISTED: &str = "customer_id IN (SELECT value FROM json_each(?1))";

static RECOUNT_LISTED: LazyLock<String> =
    LazyLock::new(|| format!("INSERT INTO customer_stats {}", recount(OF_LISTED)));
static RECOUNT_ABOVE: LazyLock<String> =
    LazyLock::new(|| format!("INSERT INTO customer_stats {}", recount("customer_id > ?1")));
/// The customers whose row in the table is not the row a recount gives
/// (or who have one and should not, or lack one).
static DRIFT: LazyLock<String> = LazyLock::new(|| {
    let all = recount("1");
    format!(
        "SELECT count(DISTINCT customer_id) FROM (
            SELECT * FROM (SELECT * FROM customer_stats EXCEPT {all})
            UNION ALL
            SELECT * FROM ({all} EXCEPT SELECT * FROM customer_stats))"
    )
});

/// The customers whose stats a write must recount before it commits.
#[derive(Default)]
pub(super) struct Touched(HashSet<i64>);

impl Write<'_> {
    /// Customer `id`'s records changed: recount its stats at the commit.
    pub(super) fn touch_customer(&self, id: i64) {
        self.touched.borrow_mut().0.insert(id);
    }

    /// Record `id` of `table` was added or changed (`history` calls this
    /// for every row it writes): its customer's stats are recounted.
    pub(super) fn touch_record(&self, table: &str, id: i64) -> Result<()> {
        if !COUNTED.contains(&table) {
            return Ok(());
        }
        let customer: Option<i64> = self
            .tx
            .prepare_cached(&format!("SELECT customer_id FROM {table} WHERE id = ?1"))
            .and_then(|mut stmt| {
                let mut rows = stmt.query([id])?;
                rows.next()?.map(|r| r.get(0)).transpose()
            })
            .context("noting whose records changed")?;
        if let Some(customer) = customer {
            self.touch_customer(customer);
        }
        Ok(())
    }

    /// Records `first..=last` of `table` were added (an import's range).
    pub(super) fn touch_records(&self, table: &str, first: i64, last: i64) -> Result<()> {
        if !COUNTED.contains(&table) {
            return Ok(());
        }
        let customers: Vec<i64> = self
            .tx
            .prepare_cached(&format!(
                "SELECT DISTINCT customer_id FROM {table} WHERE id BETWEEN ?1 AND ?2"
            ))
            .and_then(|mut stmt| stmt.query_map([first, last], |r| r.get(0))?.collect())
            .context("noting whose records changed")?;
        let mut touched = self.touched.borrow_mut();
        touched.0.extend(customers);
        Ok(())
    }

    /// Recounts the stats of every customer this write touched, from their
    /// records as they are now: called just before the commit.
    pub(super) fn recount_touched(&self) -> Result<()> {
        let ids: Vec<i64> = self.touched.borrow_mut().0.drain().collect();
        if ids.is_empty() {
            return Ok(());
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let list = format!("[{list}]");
        self.tx
            .prepare_cached(&format!("DELETE FROM customer_stats WHERE {OF_LISTED}"))
            .and_then(|mut stmt| stmt.execute([&list]))
            .and_then(|_| self.tx.prepare_cached(&RECOUNT_LISTED))
            .and_then(|mut stmt| stmt.execute([&list]))
            .context("counting the customers' records")?;
        Ok(())
    }

    /// Counts the stats of every customer above `after` (what a load added,
    /// records and all) in one grouped pass.
    pub(super) fn recount_customers_above(&self, after: i64) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM customer_stats WHERE customer_id > ?1")
            .and_then(|mut stmt| stmt.execute(params![after]))
            .and_then(|_| self.tx.prepare_cached(&RECOUNT_ABOVE))
            .and_then(|mut stmt| stmt.execute(params![after]))
            .context("counting the loaded customers' records")?;
        Ok(())
    }
}

/// How many rows of `customer_stats` differ from a recount (`check`).
pub(super) fn drift(conn: &rusqlite::Connection) -> Result<i64> {
    conn.query_row(&DRIFT, [], |r| r.get(0))
        .context("recounting the customers' records")
}
