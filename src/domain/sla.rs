//! Service-level targets per priority: how soon a ticket needs a first answer
//! and a resolution.

use jiff::{SignedDuration, Timestamp};

use super::calendar::Calendar;
use super::sla_clock::{ClockRules, WarnBefore};
use super::{Priority, TicketStatus, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaTarget {
    pub first_response: SignedDuration,
    pub resolution: SignedDuration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    pub low: SlaTarget,
    pub normal: SlaTarget,
    pub high: SlaTarget,
    pub urgent: SlaTarget,
    /// When targets count (`[sla.calendar]`; default: every hour).
    pub calendar: Calendar,
    /// Priorities whose targets count every hour whatever the calendar
    /// (`[sla.urgent] calendar = "24x7"`).
    pub around_the_clock: Vec<Priority>,
    /// Statuses that wait on the customer: the resolution clock stands still.
    pub pause_on: Vec<TicketStatus>,
    pub warn_before: WarnBefore,
}

impl Default for SlaPolicy {
    /// The spec's defaults: urgent 1h/4h, high 4h/1d, normal 8h/3d, low 1d/7d,
    /// every hour counting, `pending` pausing, a warning at a quarter left.
    fn default() -> Self {
        let target = |first: i64, resolve: i64| SlaTarget {
            first_response: SignedDuration::from_hours(first),
            resolution: SignedDuration::from_hours(resolve),
        };
        SlaPolicy {
            urgent: target(1, 4),
            high: target(4, 24),
            normal: target(8, 72),
            low: target(24, 168),
            calendar: Calendar::Always,
            around_the_clock: Vec::new(),
            pause_on: vec![TicketStatus::Pending],
            warn_before: WarnBefore::default(),
        }
    }
}

impl SlaPolicy {
    pub fn target(&self, priority: Priority) -> SlaTarget {
        match priority {
            Priority::Low => self.low,
            Priority::Normal => self.normal,
            Priority::High => self.high,
            Priority::Urgent => self.urgent,
        }
    }

    pub fn target_mut(&mut self, priority: Priority) -> &mut SlaTarget {
        match priority {
            Priority::Low => &mut self.low,
            Priority::Normal => &mut self.normal,
            Priority::High => &mut self.high,
            Priority::Urgent => &mut self.urgent,
        }
    }

    /// The calendar a priority's targets count on.
    pub fn calendar_of(&self, priority: Priority) -> &Calendar {
        if self.around_the_clock.contains(&priority) {
            &Calendar::Always
        } else {
            &self.calendar
        }
    }

    /// How a priority's clocks count.
    pub fn rules(&self, priority: Priority) -> ClockRules<'_> {
        ClockRules {
            calendar: self.calendar_of(priority),
            warn_before: self.warn_before,
        }
    }

    /// Whether a ticket in `status` waits on the customer.
    pub fn pauses(&self, status: TicketStatus) -> bool {
        self.pause_on.contains(&status)
    }

    /// The resolution target after `opened_at`, in counted time.
    pub fn resolution_due(&self, opened_at: Timestamp, priority: Priority) -> Timestamp {
        let target = self.target(priority).resolution;
        self.calendar_of(priority).add(opened_at, target)
    }

    pub fn first_response_due(&self, opened_at: Timestamp, priority: Priority) -> Timestamp {
        let target = self.target(priority).first_response;
        self.calendar_of(priority).add(opened_at, target)
    }
}

/// Reads `warn_before`: a share of the target ("25%") or a duration ("30m").
pub fn parse_warn_before(text: &str) -> Result<WarnBefore, ValidationError> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        return match percent.trim().parse::<u8>() {
            Ok(share) if share <= 100 => Ok(WarnBefore::Share(share)),
            _ => Err(ValidationError::new(
                "warn_before",
                format!("must be a share from 0% to 100% or a duration such as 30m, not {text:?}"),
            )),
        };
    }
    parse_target("warn_before", text).map(WarnBefore::Time)
}

/// Reads a target such as "30m", "4h", "1d", "2w".
pub fn parse_target(field: &'static str, text: &str) -> Result<SignedDuration, ValidationError> {
    let bad = || {
        ValidationError::new(
            field,
            format!("must be a duration such as 30m, 4h, 1d or 2w, not {text:?}"),
        )
    };
    let text = text.trim();
    let end = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    if end == 0 || end > 6 {
        return Err(bad());
    }
    let n: i64 = text[..end].parse().map_err(|_| bad())?;
    let minutes = match &text[end..] {
        "m" | "min" => n,
        "h" => n * 60,
        "d" => n * 60 * 24,
        "w" => n * 60 * 24 * 7,
        _ => return Err(bad()),
    };
    if minutes == 0 {
        return Err(bad());
    }
    Ok(SignedDuration::from_mins(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_follow_priority() {
        let sla = SlaPolicy::default();
        let opened: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
        let due = |p| sla.resolution_due(opened, p).to_string();
        assert_eq!(due(Priority::Urgent), "2026-11-25T14:00:00Z");
        assert_eq!(due(Priority::High), "2026-11-26T10:00:00Z");
        assert_eq!(due(Priority::Normal), "2026-11-28T10:00:00Z");
        assert_eq!(due(Priority::Low), "2026-12-02T10:00:00Z");
        assert_eq!(
            sla.first_response_due(opened, Priority::Normal).to_string(),
            "2026-11-25T18:00:00Z"
        );
    }

    #[test]
    fn targets_parse() {
        assert_eq!(
            parse_target("x", "4h").unwrap(),
            SignedDuration::from_hours(4)
        );
        assert_eq!(
            parse_target("x", "1d").unwrap(),
            SignedDuration::from_hours(24)
        );
        assert!(parse_target("x", "0h").is_err());
        assert!(parse_target("x", "h").is_err());
        assert!(parse_target("x", "4 hours").is_err());
    }
}
