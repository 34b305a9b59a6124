//! What a customer's health is computed from. For an organization, its own
//! records and those of its people count together.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::params;

use super::error::{Context, Result};
use super::{Store, values};
use crate::domain::health::{self, Health, HealthInputs, HealthWeights};

/// Every count starts from the members (one customer, or an organization and
/// its live people) and reaches their records through the per-customer
/// indexes: CROSS JOIN keeps SQLite from scanning a whole status index instead.
const INPUTS: &str = "
    WITH members(id) AS (
        SELECT ?1 UNION SELECT id FROM customers WHERE organization_id = ?1 AND deleted_at IS NULL
    )
    SELECT
        (SELECT count(*) FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
          WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending')),
        (SELECT count(*) FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
          WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending') AND t.due_at < ?2),
        (SELECT count(*) FROM members m CROSS JOIN followups f ON f.customer_id = m.id
          WHERE f.deleted_at IS NULL AND f.status = 'planned' AND f.due_on < ?3 AND f.kind != 'renewal'),
        (SELECT count(*) FROM members m CROSS JOIN followups f ON f.customer_id = m.id
          WHERE f.deleted_at IS NULL AND f.status = 'planned' AND f.due_on < ?3 AND f.kind = 'renewal'),
        (SELECT max(i.occurred_at) FROM members m CROSS JOIN interactions i ON i.customer_id = m.id
          WHERE i.deleted_at IS NULL),
        (SELECT created_at FROM customers WHERE id = ?1),
        (SELECT avg(t.csat) FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
          WHERE t.deleted_at IS NULL AND t.csat IS NOT NULL AND t.resolved_at >= ?4),
        (SELECT count(t.csat) FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
          WHERE t.deleted_at IS NULL AND t.csat IS NOT NULL AND t.resolved_at >= ?4)";

/// The accounts of a page and the customers whose records count for each:
/// itself and, for an organization, its live people (the `members` of
/// `INPUTS`, for many accounts at once). `?1` is the ids as a JSON array.
/// CROSS JOIN keeps the ids driving, each reaching its people by index.
/// A person is nobody's member but its organization's, so no pair repeats:
/// UNION ALL, with no sort to remove duplicates.
const MEMBERS: &str = "
    WITH accounts(id) AS (SELECT value FROM json_each(?1)),
    members(account, id) AS (
        SELECT id, id FROM accounts
        UNION ALL
        SELECT a.id, p.id FROM accounts a CROSS JOIN customers p
         WHERE p.organization_id = a.id AND p.deleted_at IS NULL
    )";

/// The accounts' kept stats (`customer_stats`: an organization's row counts
/// its people too), one row per account that has any.
const STATS_MANY: &str = "
    SELECT s.customer_id, s.open_tickets, s.first_open_due, s.last_open_due,
           s.planned_followups, s.next_followup_on, s.last_followup_on,
           s.planned_renewals, s.next_renewal_on, s.last_renewal_on,
           s.last_contact_at, s.rated_tickets, s.csat_sum, s.first_rated_at, s.last_rated_at
    FROM (SELECT value AS id FROM json_each(?1)) a CROSS JOIN customer_stats s ON s.customer_id = a.id";

/// The members' open tickets past due, for the accounts whose kept dates
/// do not settle it; by `tickets_open_by_customer` alone.
const BREACHED_MANY: &str = "
    SELECT m.account, count(*)
    FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
    WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending') AND t.due_at < ?2
    GROUP BY m.account";

/// The members' ratings since `?2`, for the accounts whose kept dates do
/// not settle it; by `tickets_rated_by_customer` alone.
const RATED_MANY: &str = "
    SELECT m.account, avg(t.csat), count(*)
    FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
    WHERE t.deleted_at IS NULL AND t.csat IS NOT NULL AND t.resolved_at >= ?2
    GROUP BY m.account";

/// One pass over the members' planned follow-ups that are overdue.
const FOLLOWUPS_MANY: &str = "
    SELECT m.account,
        count(*) FILTER (WHERE f.kind != 'renewal'),
        count(*) FILTER (WHERE f.kind = 'renewal')
    FROM members m CROSS JOIN followups f ON f.customer_id = m.id
    WHERE f.deleted_at IS NULL AND f.status = 'planned' AND f.due_on < ?2
    GROUP BY m.account";

/// When each account was added (the silence counts from there when
/// nobody was ever contacted).
const CREATED_MANY: &str = "
    SELECT c.id, c.created_at
    FROM (SELECT value AS id FROM json_each(?1)) a CROSS JOIN customers c ON c.id = a.id";

/// How many of some dated records there are, and their first and last
/// date (as text: timestamps and dates order as they read).
#[derive(Default)]
struct Dated {
    count: u32,
    first: Option<String>,
    last: Option<String>,
}

impl Dated {
    /// The count, first and last date in those columns of `row`.
    fn read(row: &rusqlite::Row, [count, first, last]: [usize; 3]) -> rusqlite::Result<Dated> {
        Ok(Dated {
            count: row.get(count)?,
            first: row.get(first)?,
            last: row.get(last)?,
        })
    }

    /// How many are before `moment` (`Some`), when the first and last
    /// date settle it (none before the first, all after the last); `None`
    /// when it takes a look at the records.
    fn before(&self, moment: &str) -> Option<u32> {
        match (&self.first, &self.last) {
            _ if self.count == 0 => Some(0),
            (Some(first), _) if first.as_str() >= moment => Some(0),
            (_, Some(last)) if last.as_str() < moment => Some(self.count),
            _ => None,
        }
    }

    /// How many are at or after `moment`.
    fn since(&self, moment: &str) -> Option<u32> {
        self.before(moment).map(|before| self.count - before)
    }
}

/// An account's kept stats, as its row of `customer_stats` has them.
#[derive(Default)]
struct Kept {
    open_due: Dated,
    followups: Dated,
    renewals: Dated,
    rated: Dated,
    csat_sum: u32,
}

/// What the queries give, before it is read as dates and days.
#[derive(Default)]
struct Raw {
    open: u32,
    breached: u32,
    overdue: u32,
    renewals: u32,
    last_contact: Option<String>,
    created: Option<String>,
    csat: Option<f64>,
    rated: u32,
}

impl Raw {
    fn inputs(self, now: Timestamp) -> HealthInputs {
        let parse = |t: Option<String>| t.and_then(|t| t.parse::<Timestamp>().ok());
        let contacted = self.last_contact.is_some();
        let since_when = parse(self.last_contact)
            .or(parse(self.created))
            .unwrap_or(now);
        HealthInputs {
            open_tickets: self.open,
            breached_tickets: self.breached,
            overdue_followups: self.overdue,
            overdue_renewals: self.renewals,
            days_since_contact: (now.as_second() - since_when.as_second()) / 86_400,
            contacted,
            recent_csat: self.csat,
            rated_tickets: self.rated,
        }
    }
}

impl Store {
    /// Customer `id`'s health score with its reasons.
    pub fn health(&self, id: i64, weights: &HealthWeights) -> Result<Health> {
        Ok(health::health(
            &self.health_inputs(id, weights.csat_days)?,
            weights,
        ))
    }

    /// Counts for customer `id`'s health score, as of the store's clock.
    /// `csat_days`: how far back ratings count.
    pub fn health_inputs(&self, id: i64, csat_days: u32) -> Result<HealthInputs> {
        let now = self.clock.now();
        let since = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(csat_days)))
            .unwrap_or(now);
        let raw = self
            .conn
            .prepare_cached(INPUTS)
            .and_then(|mut stmt| {
                stmt.query_row(
                    params![
                        id,
                        values::ts(now),
                        values::date(self.clock.today()),
                        values::ts(since)
                    ],
                    |r| {
                        Ok(Raw {
                            open: r.get(0)?,
                            breached: r.get(1)?,
                            overdue: r.get(2)?,
                            renewals: r.get(3)?,
                            last_contact: r.get(4)?,
                            created: r.get(5)?,
                            csat: r.get(6)?,
                            rated: r.get(7)?,
                        })
                    },
                )
            })
            .context("reading what a health score needs")?;
        Ok(raw.inputs(now))
    }

    /// Health scores of many customers (a page of a list) at once, from
    /// `health_inputs_many`.
    pub fn health_many(
        &self,
        ids: &[i64],
        weights: &HealthWeights,
    ) -> Result<HashMap<i64, Health>> {
        Ok(self
            .health_inputs_many(ids, weights.csat_days)?
            .into_iter()
            .map(|(id, inputs)| (id, health::health(&inputs, weights)))
            .collect())
    }

    /// `health_inputs` of every customer in `ids`, the same figures, from one
    /// grouped pass per table rather than a statement per customer: a page
    /// of a thousand customers costs a few queries. Every id given has an
    /// entry (one that does not exist: as `health_inputs` gives it).
    pub fn health_inputs_many(
        &self,
        ids: &[i64],
        csat_days: u32,
    ) -> Result<HashMap<i64, HealthInputs>> {
        let now = self.clock.now();
        let since = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(csat_days)))
            .unwrap_or(now);
        let json = |ids: &mut dyn Iterator<Item = i64>| {
            format!(
                "[{}]",
                ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
            )
        };
        let list = json(&mut ids.iter().copied());
        let mut raw: HashMap<i64, Raw> = ids.iter().map(|&id| (id, Raw::default())).collect();
        let mut kept: HashMap<i64, Kept> = HashMap::new();
        let what = "reading what health scores need";
        let run = |sql: String,
                   args: &[&dyn rusqlite::ToSql],
                   each: &mut dyn FnMut(i64, &rusqlite::Row) -> rusqlite::Result<()>|
         -> Result<()> {
            self.conn
                .prepare_cached(&sql)
                .and_then(|mut stmt| {
                    let mut rows = stmt.query(args)?;
                    while let Some(row) = rows.next()? {
                        each(row.get(0)?, row)?;
                    }
                    Ok(())
                })
                .context(what)
        };
        run(STATS_MANY.to_string(), params![list], &mut |id, row| {
            // One row per account: an id given twice reads the same row again.
            if let Some(r) = raw.get_mut(&id) {
                let open_due = Dated::read(row, [1, 2, 3])?;
                r.open = open_due.count;
                r.last_contact = row.get(10)?;
                kept.insert(
                    id,
                    Kept {
                        open_due,
                        followups: Dated::read(row, [4, 5, 6])?,
                        renewals: Dated::read(row, [7, 8, 9])?,
                        rated: Dated::read(row, [11, 13, 14])?,
                        csat_sum: row.get(12)?,
                    },
                );
            }
            Ok(())
        })?;
        // Most counts that need the clock (breached, overdue, recent
        // ratings) follow from the first and last dates kept; only the
        // accounts whose dates straddle the moment are looked at.
        let now_text = values::ts(now);
        let today = values::date(self.clock.today());
        let since_text = values::ts(since);
        let mut breaches_to_read = Vec::new();
        let mut ratings_to_read = Vec::new();
        let mut followups_to_read = Vec::new();
        for (&id, k) in &kept {
            let Some(r) = raw.get_mut(&id) else { continue };
            match k.open_due.before(&now_text) {
                Some(breached) => r.breached = breached,
                None => breaches_to_read.push(id),
            }
            match k.rated.since(&since_text) {
                Some(rated) => {
                    r.rated = rated;
                    // All ratings recent or none: the sum is theirs.
                    r.csat = (rated > 0).then(|| f64::from(k.csat_sum) / f64::from(rated));
                }
                None => ratings_to_read.push(id),
            }
            match (k.followups.before(&today), k.renewals.before(&today)) {
                (Some(overdue), Some(renewals)) => {
                    r.overdue = overdue;
                    r.renewals = renewals;
                }
                _ => followups_to_read.push(id),
            }
        }
        let uncontacted = json(
            &mut raw
                .iter()
                .filter_map(|(id, r)| r.last_contact.is_none().then_some(*id)),
        );
        if !breaches_to_read.is_empty() {
            run(
                format!("{MEMBERS} {BREACHED_MANY}"),
                params![json(&mut breaches_to_read.into_iter()), now_text],
                &mut |id, row| {
                    if let Some(r) = raw.get_mut(&id) {
                        r.breached = row.get(1)?;
                    }
                    Ok(())
                },
            )?;
        }
        if !ratings_to_read.is_empty() {
            run(
                format!("{MEMBERS} {RATED_MANY}"),
                params![json(&mut ratings_to_read.into_iter()), since_text],
                &mut |id, row| {
                    if let Some(r) = raw.get_mut(&id) {
                        r.csat = row.get(1)?;
                        r.rated = row.get(2)?;
                    }
                    Ok(())
                },
            )?;
        }
        if !followups_to_read.is_empty() {
            run(
                format!("{MEMBERS} {FOLLOWUPS_MANY}"),
                params![json(&mut followups_to_read.into_iter()), today],
                &mut |id, row| {
                    if let Some(r) = raw.get_mut(&id) {
                        r.overdue = row.get(1)?;
                        r.renewals = row.get(2)?;
                    }
                    Ok(())
                },
            )?;
        }
        if uncontacted != "[]" {
            run(
                CREATED_MANY.to_string(),
                params![uncontacted],
                &mut |id, row| {
                    if let Some(r) = raw.get_mut(&id) {
                        r.created = row.get(1)?;
                    }
                    Ok(())
                },
            )?;
        }
        Ok(raw.into_iter().map(|(id, r)| (id, r.inputs(now))).collect())
    }
}
