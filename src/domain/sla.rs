//! Service-level targets per priority: how soon a ticket needs a first answer
//! and a resolution.

use jiff::{SignedDuration, Timestamp};

use super::{Priority, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaTarget {
    pub first_response: SignedDuration,
    pub resolution: SignedDuration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlaPolicy {
    pub low: SlaTarget,
    pub normal: SlaTarget,
    pub high: SlaTarget,
    pub urgent: SlaTarget,
}

impl Default for SlaPolicy {
    /// The spec's defaults: urgent 1h/4h, high 4h/1d, normal 8h/3d, low 1d/7d.
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

    /// due_at = opened_at + resolution target.
    pub fn resolution_due(&self, opened_at: Timestamp, priority: Priority) -> Timestamp {
        opened_at
            .checked_add(self.target(priority).resolution)
            .unwrap_or(opened_at)
    }

    pub fn first_response_due(&self, opened_at: Timestamp, priority: Priority) -> Timestamp {
        opened_at
            .checked_add(self.target(priority).first_response)
            .unwrap_or(opened_at)
    }
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
