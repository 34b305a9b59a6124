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

/// Points a count of something costs: so many each, up to a cap.
fn capped(count: u32, each: u32, max: u32) -> u32 {
    count.saturating_mul(each).min(max)
}

/// Points tickets cost: those past due, and those still waiting.
fn ticket_points(open: u32, breached: u32, w: &HealthWeights) -> (u32, u32) {
    let waiting = open.saturating_sub(breached);
    (
        capped(breached, w.breached_ticket, w.breached_ticket_max),
        capped(waiting, w.open_ticket, w.open_ticket_max),
    )
}

/// Points overdue follow-ups (renewals apart) cost.
fn followup_points(count: u32, w: &HealthWeights) -> u32 {
    capped(count, w.overdue_followup, w.overdue_followup_max)
}

/// Points overdue renewal follow-ups cost.
fn renewal_points(count: u32, w: &HealthWeights) -> u32 {
    capped(count, w.overdue_renewal, w.overdue_renewal_max)
}

/// Points silence costs, after the quiet days.
fn silence_points(days: u32, w: &HealthWeights) -> u32 {
    if days >= w.quiet_days && w.days_per_point > 0 {
        (days / w.days_per_point).min(w.silence_max)
    } else {
        0
    }
}

/// Points a recent average rating under the target costs.
fn csat_points(csat: Option<f64>, w: &HealthWeights) -> u32 {
    match csat {
        Some(csat) if csat < w.csat_target => {
            let points = ((w.csat_target - csat) * f64::from(w.csat_point)).round();
            // Bounded by csat_max, so the conversion cannot overflow.
            points.clamp(0.0, f64::from(w.csat_max)) as u32
        }
        _ => 0,
    }
}

fn days_of(inputs_days: i64) -> u32 {
    u32::try_from(inputs_days.max(0)).unwrap_or(u32::MAX)
}

/// The score left after `lost` points.
fn score_after(lost: u32) -> u8 {
    u8::try_from(100u32.saturating_sub(lost)).unwrap_or(0)
}

pub fn health(inputs: &HealthInputs, w: &HealthWeights) -> Health {
    let mut reasons = Vec::new();
    // The reason is written only when it costs something: most customers
    // of a long list cost nothing.
    let mut take = |points: u32, reason: &dyn Fn() -> String| {
        if points > 0 {
            reasons.push(HealthReason {
                reason: reason(),
                points: -i32::try_from(points).unwrap_or(i32::MAX),
            });
        }
    };
    let (breached, waiting) = ticket_points(inputs.open_tickets, inputs.breached_tickets, w);
    take(breached, &|| {
        plural(
            inputs.breached_tickets,
            "ticket past SLA",
            "tickets past SLA",
        )
    });
    take(waiting, &|| {
        let open_waiting = inputs.open_tickets.saturating_sub(inputs.breached_tickets);
        plural(open_waiting, "open ticket", "open tickets")
    });
    take(renewal_points(inputs.overdue_renewals, w), &|| {
        plural(
            inputs.overdue_renewals,
            "overdue renewal follow-up",
            "overdue renewal follow-ups",
        )
    });
    take(followup_points(inputs.overdue_followups, w), &|| {
        plural(
            inputs.overdue_followups,
            "overdue follow-up",
            "overdue follow-ups",
        )
    });
    let days = days_of(inputs.days_since_contact);
    take(silence_points(days, w), &|| {
        let what = if inputs.contacted {
            "no contact for"
        } else {
            "never contacted in"
        };
        format!("{what} {days} days")
    });
    if let Some(csat) = inputs.recent_csat {
        take(csat_points(Some(csat), w), &|| format!("CSAT {csat:.1}"));
    }
    let lost: u32 = reasons.iter().map(|r| r.points.unsigned_abs()).sum();
    Health {
        score: score_after(lost),
        reasons,
    }
}

/// What is known of a customer's health inputs without looking at its
/// records: counts the kept first and last dates settle exactly, others
/// only between bounds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputBounds {
    pub open_tickets: u32,
    /// Fewest and most of the open tickets that may be past due.
    pub breached_tickets: (u32, u32),
    pub overdue_followups: (u32, u32),
    pub overdue_renewals: (u32, u32),
    pub days_since_contact: i64,
    pub contacted: bool,
    /// The recent ratings when known (`Some(None)`: none recent); `None`:
    /// not known, anything from none to the worst.
    pub recent_csat: Option<Option<f64>>,
}

/// The lowest and highest score `bounds` allow, each as `health` would
/// give it: every cause takes off points on its own (the score only clamps
/// their sum), so the extremes are those of each cause.
pub fn score_bounds(bounds: &InputBounds, w: &HealthWeights) -> (u8, u8) {
    // Past due and waiting tickets cost differently: every split counts.
    let (low_breached, high_breached) = bounds.breached_tickets;
    let (tickets_least, tickets_most) = (low_breached..=high_breached.max(low_breached))
        .map(|breached| {
            let (b, waiting) =
                ticket_points(bounds.open_tickets, breached.min(bounds.open_tickets), w);
            b + waiting
        })
        .fold((u32::MAX, 0), |(lo, hi), p| (lo.min(p), hi.max(p)));
    let silence = silence_points(days_of(bounds.days_since_contact), w);
    let (csat_least, csat_most) = match bounds.recent_csat {
        Some(known) => (csat_points(known, w), csat_points(known, w)),
        None => (0, w.csat_max),
    };
    let least = tickets_least
        + followup_points(bounds.overdue_followups.0, w)
        + renewal_points(bounds.overdue_renewals.0, w)
        + silence
        + csat_least;
    let most = tickets_most
        + followup_points(bounds.overdue_followups.1, w)
        + renewal_points(bounds.overdue_renewals.1, w)
        + silence
        + csat_most;
    (score_after(most), score_after(least))
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

    #[test]
    fn bounds_hold_every_score_they_allow() {
        let w = HealthWeights::default();
        let bounds = InputBounds {
            open_tickets: 6,
            breached_tickets: (1, 5),
            overdue_followups: (0, 2),
            overdue_renewals: (1, 1),
            days_since_contact: 50,
            contacted: true,
            recent_csat: None,
        };
        let (low, high) = score_bounds(&bounds, &w);
        let mut seen = (u8::MAX, 0);
        for breached in 1..=5 {
            for followups in 0..=2 {
                for csat in [None, Some(1.0), Some(3.5), Some(5.0)] {
                    let s = health(
                        &HealthInputs {
                            open_tickets: 6,
                            breached_tickets: breached,
                            overdue_followups: followups,
                            overdue_renewals: 1,
                            days_since_contact: 50,
                            contacted: true,
                            recent_csat: csat,
                            rated_tickets: u32::from(csat.is_some()),
                        },
                        &w,
                    )
                    .score;
                    assert!((low..=high).contains(&s), "{s} outside {low}..={high}");
                    seen = (seen.0.min(s), seen.1.max(s));
                }
            }
        }
        // Tight: the extremes are scores some inputs give.
        assert_eq!(seen, (low, high));
        // Known exactly: one score, the one `health` gives.
        let exact = InputBounds {
            breached_tickets: (2, 2),
            overdue_followups: (1, 1),
            recent_csat: Some(Some(2.5)),
            ..bounds
        };
        let one = health(
            &HealthInputs {
                open_tickets: 6,
                breached_tickets: 2,
                overdue_followups: 1,
                overdue_renewals: 1,
                days_since_contact: 50,
                contacted: true,
                recent_csat: Some(2.5),
                rated_tickets: 3,
            },
            &w,
        )
        .score;
        assert_eq!(score_bounds(&exact, &w), (one, one));
    }
}
