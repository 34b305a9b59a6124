//! What a customer's health is computed from. For an organization, its own
//! records and those of its people count together.

use jiff::Timestamp;
use rusqlite::params;

use super::error::{Context, Result};
use super::{Store, values};
use crate::domain::health::{self, Health, HealthInputs, HealthWeights};

const INPUTS: &str = "
    WITH members(id) AS (
        SELECT ?1 UNION SELECT id FROM customers WHERE organization_id = ?1 AND deleted_at IS NULL
    )
    SELECT
        (SELECT count(*) FROM tickets WHERE customer_id IN members AND deleted_at IS NULL
            AND status IN ('new', 'open', 'pending')),
        (SELECT count(*) FROM tickets WHERE customer_id IN members AND deleted_at IS NULL
            AND status IN ('new', 'open', 'pending') AND due_at < ?2),
        (SELECT count(*) FROM followups WHERE customer_id IN members AND deleted_at IS NULL
            AND status = 'planned' AND due_on < ?3 AND kind != 'renewal'),
        (SELECT count(*) FROM followups WHERE customer_id IN members AND deleted_at IS NULL
            AND status = 'planned' AND due_on < ?3 AND kind = 'renewal'),
        (SELECT max(occurred_at) FROM interactions WHERE customer_id IN members),
        (SELECT created_at FROM customers WHERE id = ?1),
        (SELECT avg(csat) FROM tickets WHERE customer_id IN members AND deleted_at IS NULL
            AND csat IS NOT NULL AND resolved_at >= ?4),
        (SELECT count(csat) FROM tickets WHERE customer_id IN members AND deleted_at IS NULL
            AND csat IS NOT NULL AND resolved_at >= ?4)";

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
        let row = self
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
                        Ok((
                            r.get::<_, u32>(0)?,
                            r.get::<_, u32>(1)?,
                            r.get::<_, u32>(2)?,
                            r.get::<_, u32>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, Option<String>>(5)?,
                            r.get::<_, Option<f64>>(6)?,
                            r.get::<_, u32>(7)?,
                        ))
                    },
                )
            })
            .context("reading what a health score needs")?;
        let (open, breached, overdue, renewals, last_contact, created, csat, rated) = row;
        let parse = |t: Option<String>| t.and_then(|t| t.parse::<Timestamp>().ok());
        let contacted = last_contact.is_some();
        let since_when = parse(last_contact).or(parse(created)).unwrap_or(now);
        Ok(HealthInputs {
            open_tickets: open,
            breached_tickets: breached,
            overdue_followups: overdue,
            overdue_renewals: renewals,
            days_since_contact: (now.as_second() - since_when.as_second()) / 86_400,
            contacted,
            recent_csat: csat,
            rated_tickets: rated,
        })
    }
}
