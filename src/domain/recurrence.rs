//! "every N days/weeks/months" for follow-ups that come back.

use std::fmt;

use jiff::ToSpan;
use jiff::civil::Date;

use super::ValidationError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecurrenceUnit {
    Days,
    Weeks,
    Months,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub every: u32,
    pub unit: RecurrenceUnit,
}

impl Recurrence {
    /// Accepts "3d", "2w", "1m", "every 2 weeks", "weekly", "monthly"; also
    /// "none"/"" for no recurrence (`Ok(None)`).
    pub fn parse(text: &str) -> Result<Option<Recurrence>, ValidationError> {
        let bad = || {
            ValidationError::new(
                "recurrence",
                format!("must be like 3d, 2w or 1m (every N days, weeks or months), not {text:?}"),
            )
        };
        let lower = text.trim().to_ascii_lowercase();
        let lower = lower
            .strip_prefix("every")
            .unwrap_or(&lower)
            .trim()
            .to_string();
        let (every, unit_word) = match lower.as_str() {
            "" | "none" | "never" => return Ok(None),
            "daily" | "day" => (1, "d"),
            "weekly" | "week" => (1, "w"),
            "monthly" | "month" => (1, "m"),
            "quarterly" => (3, "m"),
            _ => {
                let end = lower.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
                if end == 0 || end > 4 {
                    return Err(bad());
                }
                let every: u32 = lower[..end].parse().map_err(|_| bad())?;
                (every, lower[end..].trim())
            }
        };
        let unit = match unit_word {
            "d" | "day" | "days" => RecurrenceUnit::Days,
            "w" | "week" | "weeks" => RecurrenceUnit::Weeks,
            "m" | "mo" | "month" | "months" => RecurrenceUnit::Months,
            _ => return Err(bad()),
        };
        if every == 0 {
            return Err(bad());
        }
        Ok(Some(Recurrence { every, unit }))
    }

    /// The next due date after `due`. Month steps clamp to the month's last day
    /// (Jan 31 + 1m = Feb 28), as a person would expect.
    pub fn next_after(self, due: Date) -> Option<Date> {
        let n = i64::from(self.every);
        let span = match self.unit {
            RecurrenceUnit::Days => n.days(),
            RecurrenceUnit::Weeks => n.weeks(),
            RecurrenceUnit::Months => n.months(),
        };
        due.checked_add(span).ok()
    }
}

/// Stored and printed as "2w".
impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            RecurrenceUnit::Days => 'd',
            RecurrenceUnit::Weeks => 'w',
            RecurrenceUnit::Months => 'm',
        };
        write!(f, "{}{unit}", self.every)
    }
}

impl serde::Serialize for Recurrence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Recurrence {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Recurrence::parse(&text)
            .map_err(serde::de::Error::custom)?
            .ok_or_else(|| serde::de::Error::custom("recurrence must not be none here"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn parses_and_prints() {
        for (text, shown) in [
            ("2w", "2w"),
            ("every 3 days", "3d"),
            ("monthly", "1m"),
            ("1M", "1m"),
        ] {
            assert_eq!(Recurrence::parse(text).unwrap().unwrap().to_string(), shown);
        }
        assert_eq!(Recurrence::parse("none").unwrap(), None);
        assert!(Recurrence::parse("0d").is_err());
        assert!(Recurrence::parse("2x").is_err());
        assert!(Recurrence::parse("w").is_err());
    }

    #[test]
    fn months_clamp_at_month_end() {
        let monthly = Recurrence::parse("1m").unwrap().unwrap();
        assert_eq!(
            monthly.next_after(date(2026, 1, 31)),
            Some(date(2026, 2, 28))
        );
        assert_eq!(
            monthly.next_after(date(2028, 1, 31)),
            Some(date(2028, 2, 29))
        );
        let fortnight = Recurrence::parse("2w").unwrap().unwrap();
        assert_eq!(
            fortnight.next_after(date(2026, 12, 25)),
            Some(date(2027, 1, 8))
        );
    }
}
