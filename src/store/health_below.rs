//! Which customers score below a threshold, at a million: one read of the
//! kept stats in storage order, each account's score bounded by what its
//! kept first and last dates settle (`domain::health::score_bounds`); only
//! the accounts the bounds leave undecided are scored exactly.

use std::sync::LazyLock;

use jiff::Timestamp;
use rusqlite::params;

use super::Store;
use super::error::{Context, Result};
use super::health::{KEPT_COLUMNS, Kept, Moments, days_before, parse_ts};
use super::values;
use crate::domain::health::{self, HealthWeights, InputBounds, score_bounds};

/// The accounts that could lose more than `?12` points, by counts alone:
/// at most each cause's cap, or its count at its weight (tickets as if all
/// were past due and all waiting, every planned follow-up overdue, any
/// rating the worst, silence unless contacted since `?10`), as
/// `domain::health` takes points off. Most accounts are dropped here, before
/// their dates are read.
static KEPT_SCAN: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT s.customer_id, {KEPT_COLUMNS} FROM customer_stats s
          WHERE min(s.open_tickets * ?1, ?2) + min(s.open_tickets * ?3, ?4)
              + min(s.planned_followups * ?5, ?6) + min(s.planned_renewals * ?7, ?8)
              + CASE WHEN s.rated_tickets > 0 THEN ?9 ELSE 0 END
              + CASE WHEN s.last_contact_at > ?10 THEN 0 ELSE ?11 END > ?12"
    )
});

/// Undecided accounts scored exactly at a time.
const EXACT_BATCH: usize = 1_000;

impl Store {
    /// The ids, ascending, of the customers (in the trash too: a listing's
    /// own filters come after) whose score is below `below`. `None` when a
    /// customer without any records could score below it (silence alone
    /// costing enough): then every customer needs a look.
    pub(super) fn ids_scoring_below(
        &self,
        below: u8,
        weights: &HealthWeights,
    ) -> Result<Option<Vec<i64>>> {
        let untouched = InputBounds {
            days_since_contact: i64::MAX,
            recent_csat: Some(None),
            ..InputBounds::default()
        };
        if score_bounds(&untouched, weights).0 < below {
            return Ok(None);
        }
        let now = self.clock.now();
        let moments = Moments::of(self, weights.csat_days);
        let quiet_since = quiet_since(now, weights);
        let mut hits = Vec::new();
        let mut undecided = Vec::new();
        let what = "finding the customers scoring below a threshold";
        let mut stmt = self.conn.prepare_cached(&KEPT_SCAN).context(what)?;
        let w = weights;
        let mut rows = stmt
            .query(params![
                w.breached_ticket,
                w.breached_ticket_max,
                w.open_ticket,
                w.open_ticket_max,
                w.overdue_followup,
                w.overdue_followup_max,
                w.overdue_renewal,
                w.overdue_renewal_max,
                w.csat_max,
                quiet_since,
                w.silence_max,
                100 - i64::from(below),
            ])
            .context(what)?;
        let seen = Seen {
            now,
            moments: &moments,
            quiet_since: &quiet_since,
        };
        while let Some(row) = rows.next().context(what)? {
            let id: i64 = row.get(0).context(what)?;
            // Every account here has a row; never contacted, the silence
            // counts from when the customer was added, which the row does
            // not have: such an account is undecided.
            let kept = Kept::borrow(row, 1).context(what)?;
            match kept.and_then(|kept| seen.bounds(Some(&kept), None)) {
                Some(bounds) => {
                    let (lowest, highest) = score_bounds(&bounds, weights);
                    if highest < below {
                        hits.push(id);
                    } else if lowest < below {
                        undecided.push(id);
                    }
                }
                None => undecided.push(id),
            }
        }
        for batch in undecided.chunks(EXACT_BATCH) {
            let exact = self.health_inputs_many(batch, weights.csat_days)?;
            hits.extend(batch.iter().filter(|id| {
                exact
                    .get(id)
                    .is_some_and(|inputs| health::health(inputs, weights).score < below)
            }));
        }
        hits.sort_unstable();
        Ok(Some(hits))
    }
}

/// Since when a customer contacted counts as not quiet, as stored text.
pub(super) fn quiet_since(now: Timestamp, weights: &HealthWeights) -> String {
    values::ts(days_before(now, weights.quiet_days))
}

/// The moments an account's health inputs are bounded at.
pub(super) struct Seen<'a> {
    pub now: Timestamp,
    pub moments: &'a Moments,
    /// `quiet_since` of `now`.
    pub quiet_since: &'a str,
}

impl Seen<'_> {
    /// What an account's kept stats (`None`: it has no records) tell of its
    /// health inputs without a look at its records; `created`: when it was
    /// added, whence the silence counts when it was never contacted.
    /// `None` when they cannot tell (that time unknown or unreadable).
    pub(super) fn bounds(
        &self,
        kept: Option<&Kept<&str>>,
        created: Option<&str>,
    ) -> Option<InputBounds> {
        let days_since = |at: &str| {
            parse_ts(Some(at)).map(|at| (self.now.as_second() - at.as_second()) / 86_400)
        };
        let Some(kept) = kept else {
            return Some(InputBounds {
                days_since_contact: days_since(created?)?,
                recent_csat: Some(None),
                ..InputBounds::default()
            });
        };
        let Some(last_contact) = kept.last_contact else {
            return Some(InputBounds {
                days_since_contact: days_since(created?)?,
                ..self.counted(kept)
            });
        };
        // Contacted within the quiet days: the silence costs nothing, told
        // without reading the time (most accounts).
        let days_since_contact = if last_contact > self.quiet_since {
            0
        } else {
            days_since(last_contact)?
        };
        Some(InputBounds {
            days_since_contact,
            contacted: true,
            ..self.counted(kept)
        })
    }

    /// The counts of `bounds`, as far as the kept dates settle them.
    fn counted(&self, kept: &Kept<&str>) -> InputBounds {
        let settled = kept.settled(self.moments);
        // Not settled: anything from none to all of them.
        let between = |settled: Option<u32>, all: u32| settled.map_or((0, all), |n| (n, n));
        InputBounds {
            open_tickets: kept.open_due.count,
            breached_tickets: between(settled.breached, kept.open_due.count),
            overdue_followups: between(settled.overdue_followups, kept.followups.count),
            overdue_renewals: between(settled.overdue_renewals, kept.renewals.count),
            days_since_contact: 0,
            contacted: false,
            recent_csat: settled.recent.map(|(_, average)| average),
        }
    }
}
