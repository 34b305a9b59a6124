//! What a customer's health is computed from. For an organization, its own
//! records and those of its people count together.

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::Timestamp;
use rusqlite::params;

use super::error::{Context, Result};
use super::tickets::attention_key;
use super::{Store, values};
use crate::domain::health::{self, Health, HealthInputs, HealthWeights};

/// Every count starts from the members (one customer, or an organization and
/// its live people) and reaches their records through the per-customer
/// indexes: CROSS JOIN keeps SQLite from scanning a whole status index instead.
static INPUTS: LazyLock<String> = LazyLock::new(|| {
    let costs = format!("{} IS NOT NULL", attention_key("t"));
    let past = format!("{} < ?2", attention_key("t"));
    format!("
    WITH members(id) AS (
        SELECT ?1 UNION SELECT id FROM customers WHERE organization_id = ?1 AND deleted_at IS NULL
    )
    SELECT
        (SELECT count(*) FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
          WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending') AND {costs}),
        (SELECT count(*) FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
          WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending') AND {past}),
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
          WHERE t.deleted_at IS NULL AND t.csat IS NOT NULL AND t.resolved_at >= ?4)")
});

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

/// The kept stats (`customer_stats`, joined as `s`) that `Kept::read`
/// takes, in its order: a list query selects them after its own columns.
pub(super) const KEPT_COLUMNS: &str = "s.open_tickets, s.first_open_due, s.last_open_due,
    s.planned_followups, s.next_followup_on, s.last_followup_on,
    s.planned_renewals, s.next_renewal_on, s.last_renewal_on,
    s.last_contact_at, s.rated_tickets, s.csat_sum, s.first_rated_at, s.last_rated_at";

/// Each id given (`?1`, a JSON array), when it was added and its kept
/// stats (NULLs when it has none): one row per id, in the order given.
fn kept_many() -> String {
    format!(
        "SELECT a.value, c.created_at, {KEPT_COLUMNS}
           FROM json_each(?1) a
           LEFT JOIN customers c ON c.id = a.value
           LEFT JOIN customer_stats s ON s.customer_id = a.value
          ORDER BY a.key"
    )
}

/// The members' open tickets past due, for the accounts whose kept dates
/// do not settle it; by `tickets_open_by_customer` alone.
static BREACHED_MANY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT m.account, count(*)
         FROM members m CROSS JOIN tickets t ON t.customer_id = m.id
         WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending') AND {} < ?2
         GROUP BY m.account",
        attention_key("t")
    )
});

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

/// How many of some dated records there are, and their first and last
/// date (as text: timestamps and dates order as they read); the text owned,
/// or borrowed from a row for a scan of many.
#[derive(Default)]
pub(super) struct Dated<S = String> {
    pub count: u32,
    first: Option<S>,
    last: Option<S>,
}

impl<'r> Dated<&'r str> {
    /// The count, first and last date in those columns of `row`, the dates
    /// borrowed from it.
    fn borrow(
        row: &'r rusqlite::Row,
        [count, first, last]: [usize; 3],
    ) -> rusqlite::Result<Dated<&'r str>> {
        Ok(Dated {
            count: row.get(count)?,
            first: row.get_ref(first)?.as_str_or_null()?,
            last: row.get_ref(last)?.as_str_or_null()?,
        })
    }

    fn owned(&self) -> Dated {
        Dated {
            count: self.count,
            first: self.first.map(str::to_string),
            last: self.last.map(str::to_string),
        }
    }
}

impl<S: AsRef<str>> Dated<S> {
    /// How many are before `moment` (`Some`), when the first and last
    /// date settle it (none before the first, all after the last); `None`
    /// when it takes a look at the records.
    pub(super) fn before(&self, moment: &str) -> Option<u32> {
        match (&self.first, &self.last) {
            _ if self.count == 0 => Some(0),
            (Some(first), _) if first.as_ref() >= moment => Some(0),
            (_, Some(last)) if last.as_ref() < moment => Some(self.count),
            _ => None,
        }
    }

    /// How many are at or after `moment`.
    pub(super) fn since(&self, moment: &str) -> Option<u32> {
        self.before(moment).map(|before| self.count - before)
    }
}

/// An account's kept stats, as its row of `customer_stats` has them (an
/// organization's row counts its people too); the dates owned, or borrowed
/// from a row for a scan of many.
#[derive(Default)]
pub(super) struct Kept<S = String> {
    pub open_due: Dated<S>,
    pub followups: Dated<S>,
    pub renewals: Dated<S>,
    pub rated: Dated<S>,
    pub csat_sum: u32,
    pub last_contact: Option<S>,
}

impl<'r> Kept<&'r str> {
    /// The `KEPT_COLUMNS` of `row` from column `at` on, borrowed; `None`
    /// when the account has no row (an account with no records).
    pub(super) fn borrow(row: &'r rusqlite::Row, at: usize) -> rusqlite::Result<Option<Self>> {
        if row.get_ref(at)?.data_type() == rusqlite::types::Type::Null {
            return Ok(None);
        }
        let dated = |[count, first, last]: [usize; 3]| {
            Dated::borrow(row, [count + at, first + at, last + at])
        };
        Ok(Some(Kept {
            open_due: dated([0, 1, 2])?,
            followups: dated([3, 4, 5])?,
            renewals: dated([6, 7, 8])?,
            last_contact: row.get_ref(at + 9)?.as_str_or_null()?,
            rated: dated([10, 12, 13])?,
            csat_sum: row.get(at + 11)?,
        }))
    }
}

impl Kept {
    /// `borrow`, the dates copied.
    pub(super) fn read(row: &rusqlite::Row, at: usize) -> rusqlite::Result<Option<Kept>> {
        Ok(Kept::borrow(row, at)?.map(|k| Kept {
            open_due: k.open_due.owned(),
            followups: k.followups.owned(),
            renewals: k.renewals.owned(),
            rated: k.rated.owned(),
            csat_sum: k.csat_sum,
            last_contact: k.last_contact.map(str::to_string),
        }))
    }
}

/// The moments a health score is taken at, as stored text: now, today,
/// and since when ratings count.
pub(super) struct Moments {
    pub now: String,
    pub today: String,
    pub ratings_since: String,
}

impl Moments {
    pub(super) fn of(store: &Store, csat_days: u32) -> Moments {
        let now = store.clock.now();
        Moments {
            now: values::ts(now),
            today: values::date(store.clock.today()),
            ratings_since: values::ts(days_before(now, csat_days)),
        }
    }
}

/// What an account's kept dates settle at some moments: each count exactly
/// (`Some`), or `None` when its records need a look.
pub(super) struct Settled {
    pub breached: Option<u32>,
    pub overdue_followups: Option<u32>,
    pub overdue_renewals: Option<u32>,
    /// The recent ratings: how many, and their average (none: `None`).
    pub recent: Option<(u32, Option<f64>)>,
}

impl<S: AsRef<str>> Kept<S> {
    pub(super) fn settled(&self, at: &Moments) -> Settled {
        Settled {
            breached: self.open_due.before(&at.now),
            overdue_followups: self.followups.before(&at.today),
            overdue_renewals: self.renewals.before(&at.today),
            // All ratings recent or none: the sum is theirs.
            recent: self.rated.since(&at.ratings_since).map(|rated| {
                let average = (rated > 0).then(|| f64::from(self.csat_sum) / f64::from(rated));
                (rated, average)
            }),
        }
    }
}

/// An account whose health is wanted: its id, its kept stats, and when it
/// was added (the silence counts from there when nobody was ever contacted).
pub(super) struct Account {
    pub id: i64,
    pub kept: Option<Kept>,
    pub created: Option<Timestamp>,
}

/// What the health inputs are read from, before they are read as days.
#[derive(Default)]
struct Raw {
    open: u32,
    breached: u32,
    overdue: u32,
    renewals: u32,
    last_contact: Option<Timestamp>,
    created: Option<Timestamp>,
    csat: Option<f64>,
    rated: u32,
}

impl Raw {
    fn inputs(self, now: Timestamp) -> HealthInputs {
        let contacted = self.last_contact.is_some();
        let since_when = self.last_contact.or(self.created).unwrap_or(now);
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

/// Timestamps as stored: one that does not read is taken as missing,
/// as a single score takes it.
pub(super) fn parse_ts(text: Option<&str>) -> Option<Timestamp> {
    text.and_then(|t| t.parse().ok())
}

/// The ids as a JSON array, for `json_each`.
pub(super) fn json_ids(ids: impl Iterator<Item = i64>) -> String {
    let mut json = String::from("[");
    for (n, id) in ids.enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push_str(&id.to_string());
    }
    json.push(']');
    json
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
        let at = Moments::of(self, csat_days);
        let raw = self
            .conn
            .prepare_cached(&INPUTS)
            .and_then(|mut stmt| {
                stmt.query_row(params![id, at.now, at.today, at.ratings_since], |r| {
                    Ok(Raw {
                        open: r.get(0)?,
                        breached: r.get(1)?,
                        overdue: r.get(2)?,
                        renewals: r.get(3)?,
                        last_contact: parse_ts(r.get_ref(4)?.as_str_or_null()?),
                        created: parse_ts(r.get_ref(5)?.as_str_or_null()?),
                        csat: r.get(6)?,
                        rated: r.get(7)?,
                    })
                })
            })
            .context("reading what a health score needs")?;
        Ok(raw.inputs(now))
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
        let accounts: Vec<Account> = self
            .conn
            .prepare_cached(&kept_many())
            .and_then(|mut stmt| {
                stmt.query_map(params![json_ids(ids.iter().copied())], |row| {
                    Ok(Account {
                        id: row.get(0)?,
                        created: parse_ts(row.get_ref(1)?.as_str_or_null()?),
                        kept: Kept::read(row, 2)?,
                    })
                })?
                .collect()
            })
            .context("reading what health scores need")?;
        let ids: Vec<i64> = accounts.iter().map(|a| a.id).collect();
        let inputs = self.settle_health_inputs(accounts, csat_days)?;
        Ok(ids.into_iter().zip(inputs).collect())
    }

    /// The health inputs of `accounts`, in their order. Most counts that
    /// need the clock (breached, overdue, recent ratings) follow from the
    /// first and last dates kept; only the accounts whose dates straddle the
    /// moment are looked at, in one grouped query per kind of record.
    pub(super) fn settle_health_inputs(
        &self,
        accounts: Vec<Account>,
        csat_days: u32,
    ) -> Result<Vec<HealthInputs>> {
        let now = self.clock.now();
        let moments = Moments::of(self, csat_days);
        let mut breaches_to_read = Vec::new();
        let mut ratings_to_read = Vec::new();
        let mut followups_to_read = Vec::new();
        let mut raws: Vec<Raw> = Vec::with_capacity(accounts.len());
        for (at, account) in accounts.iter().enumerate() {
            let mut raw = Raw {
                created: account.created,
                ..Raw::default()
            };
            if let Some(k) = &account.kept {
                raw.open = k.open_due.count;
                raw.last_contact = parse_ts(k.last_contact.as_deref());
                let settled = k.settled(&moments);
                match settled.breached {
                    Some(breached) => raw.breached = breached,
                    None => breaches_to_read.push(at),
                }
                match settled.recent {
                    Some((rated, average)) => (raw.rated, raw.csat) = (rated, average),
                    None => ratings_to_read.push(at),
                }
                match (settled.overdue_followups, settled.overdue_renewals) {
                    (Some(overdue), Some(renewals)) => {
                        raw.overdue = overdue;
                        raw.renewals = renewals;
                    }
                    _ => followups_to_read.push(at),
                }
            }
            raws.push(raw);
        }
        // An account given twice is counted once: its members would be too.
        let ids_of = |at: &[usize]| {
            let mut ids: Vec<i64> = at.iter().map(|&i| accounts[i].id).collect();
            ids.sort_unstable();
            ids.dedup();
            json_ids(ids.into_iter())
        };
        let breached = self.grouped(
            &BREACHED_MANY,
            ids_of(&breaches_to_read),
            &moments.now,
            |r| r.get::<_, u32>(1),
        )?;
        for &at in &breaches_to_read {
            raws[at].breached = breached.get(&accounts[at].id).copied().unwrap_or(0);
        }
        let rated = self.grouped(
            RATED_MANY,
            ids_of(&ratings_to_read),
            &moments.ratings_since,
            |r| Ok((r.get::<_, Option<f64>>(1)?, r.get::<_, u32>(2)?)),
        )?;
        for &at in &ratings_to_read {
            let (csat, count) = rated.get(&accounts[at].id).copied().unwrap_or((None, 0));
            raws[at].csat = csat;
            raws[at].rated = count;
        }
        let overdue = self.grouped(
            FOLLOWUPS_MANY,
            ids_of(&followups_to_read),
            &moments.today,
            |r| Ok((r.get::<_, u32>(1)?, r.get::<_, u32>(2)?)),
        )?;
        for &at in &followups_to_read {
            let (followups, renewals) = overdue.get(&accounts[at].id).copied().unwrap_or((0, 0));
            raws[at].overdue = followups;
            raws[at].renewals = renewals;
        }
        Ok(raws.into_iter().map(|raw| raw.inputs(now)).collect())
    }

    /// One of the grouped queries over the members of the accounts `ids`
    /// (a JSON array; none: no query), `moment` bound as `?2`: what `read`
    /// makes of each account's row.
    fn grouped<T>(
        &self,
        query: &str,
        ids: String,
        moment: &str,
        read: impl Fn(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<HashMap<i64, T>> {
        if ids == "[]" {
            return Ok(HashMap::new());
        }
        self.conn
            .prepare_cached(&format!("{MEMBERS} {query}"))
            .and_then(|mut stmt| {
                stmt.query_map(params![ids, moment], |row| Ok((row.get(0)?, read(row)?)))?
                    .collect()
            })
            .context("reading what health scores need")
    }
}

/// The moment `days` days before `now` (since when ratings count as recent, say).
pub(super) fn days_before(now: Timestamp, days: u32) -> Timestamp {
    now.checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(now)
}
