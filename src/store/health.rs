//! What a customer's health is computed from. For an organization, its own
//! records and those of its people count together.

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
