//! `customer_stats`: per account, what lists and health scores need of its
//! tickets, follow-ups and interactions (open tickets and their due dates,
//! planned follow-ups and renewals, last contact, ratings), kept in the same
//! transaction as every write to those records. An account is a customer
//! and, for an organization, its live people: the same members a health
//! score counts, so a list reads one row per customer and nothing else.
//! A write notes the customers whose records (or whose membership) it
//! touched (`Write::touch_customer`, mostly from its history rows); before
//! it commits, their accounts and their organizations' are recounted from
//! the records by index. Loads recount what they added in one grouped pass.
//! `check` compares the table with a recount of everything.

use std::collections::HashSet;
use std::sync::LazyLock;

use rusqlite::params;

use super::Write;
use super::error::{Context, Result};
use crate::domain::{FollowupKind, FollowupStatus, TicketStatus};

/// The tables whose rows count in a customer's stats.
const COUNTED: &[&str] = &["tickets", "followups", "interactions"];

/// The figures of `customer_stats` after its key, and how each account's
/// are combined from its members' rows.
const FIGURES: &[(&str, &str)] = &[
    ("sum", "open_tickets"),
    ("min", "first_open_due"),
    ("max", "last_open_due"),
    ("sum", "planned_followups"),
    ("min", "next_followup_on"),
    ("max", "last_followup_on"),
    ("sum", "planned_renewals"),
    ("min", "next_renewal_on"),
    ("max", "last_renewal_on"),
    ("max", "last_contact_at"),
    ("sum", "rated_tickets"),
    ("sum", "csat_sum"),
    ("min", "first_rated_at"),
    ("max", "last_rated_at"),
];

/// `sum(open_tickets) AS open_tickets, …`: the figures combined by group.
fn combined() -> String {
    let columns: Vec<String> = FIGURES
        .iter()
        .map(|(how, name)| format!("{how}({name}) AS {name}"))
        .collect();
    columns.join(", ")
}

/// `open_tickets, …`: the figures as they pass through.
fn figures() -> String {
    let columns: Vec<&str> = FIGURES.iter().map(|(_, name)| *name).collect();
    columns.join(", ")
}

/// Each customer's own figures, from its live records, for the customers
/// `filter` (a condition on `customer_id`) admits: one row per customer
/// with something to count. The policy (which statuses are open, what a
/// renewal is) comes from the domain.
fn own(filter: &str) -> String {
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
    // An open ticket counts by when it next needs us: an answer owed or
    // the resolution; one that needs nothing (answered and waiting on the
    // customer) costs no health (`Ticket::attention_due`).
    let due = super::tickets::attention_key("");
    let costs = format!("status IN ({open}) AND {due} IS NOT NULL");
    let combined = combined();
    format!(
        "SELECT customer_id, {combined}
         FROM (
            SELECT customer_id,
                   count(*) FILTER (WHERE {costs}) AS open_tickets,
                   min({due}) FILTER (WHERE {costs}) AS first_open_due,
                   max({due}) FILTER (WHERE {costs}) AS last_open_due,
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
         GROUP BY customer_id"
    )
}

/// The rows of `customer_stats` for the accounts `accounts` (a condition on
/// `account`) admits, from the own figures of `members` (a condition on
/// `customer_id` that must admit those accounts and their live people):
/// each customer's figures count for itself and, for a live person, for its
/// organization. Accounts with nothing to count give no row.
fn recount(members: &str, accounts: &str) -> String {
    let own = own(members);
    let (combined, figures) = (combined(), figures());
    format!(
        "WITH own AS MATERIALIZED ({own})
         SELECT account, {combined}
         FROM (
            SELECT customer_id AS account, {figures} FROM own
            UNION ALL
            SELECT p.organization_id, {figures}
              FROM own CROSS JOIN customers p ON p.id = own.customer_id
             WHERE p.organization_id IS NOT NULL AND p.deleted_at IS NULL
         )
         WHERE {accounts}
         GROUP BY account
         HAVING sum(open_tickets) > 0 OR sum(planned_followups) > 0 OR sum(planned_renewals) > 0
             OR max(last_contact_at) IS NOT NULL OR sum(rated_tickets) > 0"
    )
}

/// The accounts given as a JSON array in `?1`, and (for their members) the
/// live people of those that are organizations.
const LISTED: &str = "(SELECT value FROM json_each(?1))";
static RECOUNT_LISTED: LazyLock<String> = LazyLock::new(|| {
    let members = "customer_id IN (SELECT value FROM json_each(?1) UNION ALL
        SELECT p.id FROM json_each(?1) a CROSS JOIN customers p
         WHERE p.organization_id = a.value AND p.deleted_at IS NULL)";
    format!(
        "INSERT INTO customer_stats SELECT * FROM ({})",
        recount(members, &format!("account IN {LISTED}"))
    )
});
/// The customers above `?1`: a load adds whole accounts (an organization
/// with its people), so their members are above it too.
static RECOUNT_ABOVE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO customer_stats SELECT * FROM ({})",
        recount("customer_id > ?1", "account > ?1")
    )
});
/// The customers whose row in the table is not the row a recount gives
/// (or who have one and should not, or lack one).
static DRIFT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH counted AS MATERIALIZED ({})
         SELECT count(DISTINCT customer_id) FROM (
            SELECT * FROM (SELECT * FROM customer_stats EXCEPT SELECT * FROM counted)
            UNION ALL
            SELECT * FROM (SELECT * FROM counted EXCEPT SELECT * FROM customer_stats))",
        recount("1", "1")
    )
});

/// The customers whose stats a write must recount before it commits.
#[derive(Default)]
pub(super) struct Touched(HashSet<i64>);

/// The column of `table` naming the customer whose account its rows count
/// in: a record's customer, or a person's organization (its membership).
pub(super) fn owner_column(table: &str) -> Option<&'static str> {
    if COUNTED.contains(&table) {
        Some("customer_id")
    } else if table == "customers" {
        Some("organization_id")
    } else {
        None
    }
}

/// Whether a history row (`op` on `field` of a row of `table`) can change
/// what some account counts. A customer's own details (its name, email,
/// tags…) count nothing: only its organization and the trash do. A new
/// customer has no records yet, so its account and its organization's stay
/// as they were (an import adding 100k contacts recounts none of them).
pub(super) fn may_change_counts(table: &str, op: &str, field: Option<&str>) -> bool {
    if table != "customers" {
        return true;
    }
    match op {
        "insert" => false,
        "update" => matches!(field, Some("organization_id" | "deleted_at")),
        _ => true,
    }
}

impl Write<'_> {
    /// Customer `id`'s records or membership changed: its account (and its
    /// organization's) is recounted at the commit.
    pub(super) fn touch_customer(&self, id: i64) {
        self.touched.borrow_mut().0.insert(id);
    }

    /// Record `id` of `table` was added or changed (`history` calls this
    /// for every row it writes): the account it counts in is recounted. A
    /// customer's own change (its organization, the trash) is its own and
    /// its organization's, noted now: the customer may be gone by the commit
    /// (an import taking back a contact it added).
    pub(super) fn touch_record(&self, table: &str, id: i64) -> Result<()> {
        if table == "customers" {
            self.touch_customer(id);
        }
        let Some(owner) = owner_column(table) else {
            return Ok(());
        };
        let customer: Option<Option<i64>> = self
            .tx
            .prepare_cached(&format!("SELECT {owner} FROM {table} WHERE id = ?1"))
            .and_then(|mut stmt| {
                let mut rows = stmt.query([id])?;
                rows.next()?.map(|r| r.get::<_, Option<i64>>(0)).transpose()
            })
            .context("noting whose records changed")?;
        if let Some(customer) = customer.flatten() {
            self.touch_customer(customer);
        }
        Ok(())
    }

    /// Records `first..=last` of `table` were added (an import's range):
    /// their customers' accounts, or for customers their organizations'.
    pub(super) fn touch_records(&self, table: &str, first: i64, last: i64) -> Result<()> {
        let Some(owner) = owner_column(table) else {
            return Ok(());
        };
        let customers: Vec<i64> = self
            .tx
            .prepare_cached(&format!(
                "SELECT DISTINCT {owner} FROM {table}
                  WHERE id BETWEEN ?1 AND ?2 AND {owner} IS NOT NULL"
            ))
            .and_then(|mut stmt| stmt.query_map([first, last], |r| r.get(0))?.collect())
            .context("noting whose records changed")?;
        let mut touched = self.touched.borrow_mut();
        touched.0.extend(customers);
        Ok(())
    }

    /// Recounts the account of every customer this write touched, and of
    /// their organizations (a person's records count in both), from their
    /// records as they are now: called just before the commit.
    pub(super) fn recount_touched(&self) -> Result<()> {
        let touched: Vec<i64> = self.touched.borrow_mut().0.drain().collect();
        if touched.is_empty() {
            return Ok(());
        }
        let list = |ids: &mut dyn Iterator<Item = &i64>| {
            let ids: Vec<String> = ids.map(i64::to_string).collect();
            format!("[{}]", ids.join(","))
        };
        let organizations: Vec<i64> = self
            .tx
            .prepare_cached(&format!(
                "SELECT DISTINCT c.organization_id FROM {LISTED} t CROSS JOIN customers c
                  ON c.id = t.value WHERE c.organization_id IS NOT NULL"
            ))
            .and_then(|mut stmt| {
                stmt.query_map([list(&mut touched.iter())], |r| r.get(0))?
                    .collect()
            })
            .context("finding the organizations of changed records")?;
        let accounts: HashSet<i64> = touched.into_iter().chain(organizations).collect();
        let accounts = list(&mut accounts.iter());
        self.tx
            .prepare_cached(&format!(
                "DELETE FROM customer_stats WHERE customer_id IN {LISTED}"
            ))
            .and_then(|mut stmt| stmt.execute([&accounts]))
            .and_then(|_| self.tx.prepare_cached(&RECOUNT_LISTED))
            .and_then(|mut stmt| stmt.execute([&accounts]))
            .context("counting the customers' records")?;
        Ok(())
    }

    /// Counts the accounts of every customer above `after` (what a load
    /// added, records and all) in one grouped pass.
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
