//! Customer health: 0–100, always with the reasons that took points off, so
//! nobody has to trust an unexplained number. Weights come from the config.

use serde::{Deserialize, Serialize};

/// Points taken off per occurrence, and the caps that keep one cause from
/// sinking the score alone. `[health]` in the config overrides any of them.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthWeights {
    pub breached_ticket: u32,
    pub breached_ticket_max: u32,
    pub open_ticket: u32,
    pub open_ticket_max: u32,
    pub overdue_followup: u32,
    pub overdue_followup_max: u32,
    pub overdue_renewal: u32,
    pub overdue_renewal_max: u32,
    /// Days without contact before silence costs anything.
    pub quiet_days: u32,
    /// One point per this many days of silence, from the first day.
    pub days_per_point: u32,
    pub silence_max: u32,
    /// Average CSAT below this costs points ...
    pub csat_target: f64,
    /// ... this many per point below it.
    pub csat_point: u32,
    pub csat_max: u32,
    /// CSAT of tickets resolved within this many days counts.
    pub csat_days: u32,
}

impl Default for HealthWeights {
    fn default() -> Self {
        HealthWeights {
            breached_ticket: 15,
            breached_ticket_max: 45,
            open_ticket: 3,
            open_ticket_max: 15,
            overdue_followup: 10,
            overdue_followup_max: 30,
            overdue_renewal: 20,
            overdue_renewal_max: 40,
            quiet_days: 30,
            days_per_point: 3,
            silence_max: 30,
            csat_target: 4.0,
            csat_point: 5,
            csat_max: 15,
            csat_days: 90,
        }
    }
}

/// What the score is computed from, gathered by the store (for an
/// organization: its own records and its people's).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HealthInputs {
    pub open_tickets: u32,
    pub breached_tickets: u32,
    pub overdue_followups: u32,
    pub overdue_renewals: u32,
    /// Days since the last interaction (or since the customer was added, when
    /// there was none).
    pub days_since_contact: i64,
    pub contacted: bool,
    /// Average CSAT of recent rated tickets, and how many there were.
    pub recent_csat: Option<f64>,
    pub rated_tickets: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthReason {
    pub reason: String,
    /// Points taken off (negative).
    pub points: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub score: u8,
    pub reasons: Vec<HealthReason>,
}

impl Health {
    /// "2 tickets past SLA −30, no contact for 45 days −15"
    pub fn explain(&self) -> String {
        if self.reasons.is_empty() {
            return "nothing to worry about".to_string();
        }
        self.reasons
            .iter()
            .map(|r| format!("{} −{}", r.reason, -r.points))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn band(&self) -> HealthBand {
        match self.score {
            70..=100 => HealthBand::Good,
            40..=69 => HealthBand::Watch,
            _ => HealthBand::AtRisk,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthBand {
    Good,
    Watch,
    AtRisk,
}

impl HealthBand {
    /// The band as a symbol, so it shows without colour: "", "~" or "!".
    pub fn mark(self) -> &'static str {
        match self {
            HealthBand::Good => "",
            HealthBand::Watch => "~",
            HealthBand::AtRisk => "!",
        }
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub fn health(inputs: &HealthInputs, w: &HealthWeights) -> Health {
    let mut reasons = Vec::new();
    let mut take = |reason: String, points: u32| {
        if points > 0 {
            reasons.push(HealthReason {
                reason,
                points: -i32::try_from(points).unwrap_or(i32::MAX),
            });
        }
    };
    let capped = |count: u32, each: u32, max: u32| count.saturating_mul(each).min(max);
    take(
        plural(
            inputs.breached_tickets,
            "ticket past SLA",
            "tickets past SLA",
        ),
        capped(
            inputs.breached_tickets,
            w.breached_ticket,
            w.breached_ticket_max,
        ),
    );
    let waiting = inputs.open_tickets.saturating_sub(inputs.breached_tickets);
    take(
        plural(waiting, "open ticket", "open tickets"),
        capped(waiting, w.open_ticket, w.open_ticket_max),
    );
    take(
        plural(
            inputs.overdue_renewals,
            "overdue renewal follow-up",
            "overdue renewal follow-ups",
        ),
        capped(
            inputs.overdue_renewals,
            w.overdue_renewal,
            w.overdue_renewal_max,
        ),
    );
    take(
        plural(
            inputs.overdue_followups,
            "overdue follow-up",
            "overdue follow-ups",
        ),
        capped(
            inputs.overdue_followups,
            w.overdue_followup,
            w.overdue_followup_max,
        ),
    );
    let days = u32::try_from(inputs.days_since_contact.max(0)).unwrap_or(u32::MAX);
    if days >= w.quiet_days && w.days_per_point > 0 {
        let what = if inputs.contacted {
            "no contact for"
        } else {
            "never contacted in"
        };
        take(
            format!("{what} {days} days"),
            (days / w.days_per_point).min(w.silence_max),
        );
    }
    if let Some(csat) = inputs.recent_csat
        && csat < w.csat_target
    {
        let points = ((w.csat_target - csat) * f64::from(w.csat_point)).round();
        // Bounded by csat_max, so the conversion cannot overflow.
        let points = points.clamp(0.0, f64::from(w.csat_max)) as u32;
        take(format!("CSAT {csat:.1}"), points);
    }
    let lost: i32 = reasons.iter().map(|r| -r.points).sum();
    let score = u8::try_from((100 - lost).clamp(0, 100)).unwrap_or(0);
    Health { score, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(inputs: HealthInputs) -> Health {
        health(&inputs, &HealthWeights::default())
    }

    #[test]
    fn a_quiet_happy_customer_is_100() {
        let h = score(HealthInputs {
            days_since_contact: 3,
            contacted: true,
            ..Default::default()
        });
        assert_eq!(h.score, 100);
        assert!(h.reasons.is_empty());
        assert_eq!(h.explain(), "nothing to worry about");
    }

    #[test]
    fn reasons_say_what_cost_how_much() {
        let h = score(HealthInputs {
            open_tickets: 3,
            breached_tickets: 2,
            overdue_renewals: 1,
            days_since_contact: 45,
            contacted: true,
            recent_csat: Some(2.0),
            rated_tickets: 2,
            ..Default::default()
        });
        assert_eq!(
            h.explain(),
            "2 tickets past SLA −30, 1 open ticket −3, 1 overdue renewal follow-up −20, no contact for 45 days −15, CSAT 2.0 −10"
        );
        assert_eq!(h.score, 22);
        assert_eq!(h.band(), HealthBand::AtRisk);
    }

    #[test]
    fn caps_keep_one_cause_from_sinking_everything() {
        let h = score(HealthInputs {
            breached_tickets: 20,
            open_tickets: 20,
            days_since_contact: 0,
            ..Default::default()
        });
        assert_eq!(h.score, 55);
        assert_eq!(h.band(), HealthBand::Watch);
        let silent = score(HealthInputs {
            days_since_contact: 400,
            contacted: false,
            ..Default::default()
        });
        assert_eq!(silent.explain(), "never contacted in 400 days −30");
    }

    #[test]
    fn good_csat_costs_nothing_and_score_never_goes_below_zero() {
        assert_eq!(
            score(HealthInputs {
                recent_csat: Some(4.6),
                rated_tickets: 3,
                ..Default::default()
            })
            .score,
            100
        );
        let worst = score(HealthInputs {
            breached_tickets: 9,
            overdue_followups: 9,
            overdue_renewals: 9,
            days_since_contact: 999,
            contacted: true,
            recent_csat: Some(1.0),
            rated_tickets: 9,
            ..Default::default()
        });
        assert_eq!(worst.score, 0);
    }
}
