//! Dates and times as people type them ("+3d", "tomorrow", "2026-12-01 14:30")
//! and as they read them ("in 3d", "2h ago"). Everything takes `now` explicitly.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};

use super::ValidationError;

/// Where "now" comes from: the system clock, or a fixed instant for tests and
/// reproducible runs (`TUICRM_NOW`).
#[derive(Debug, Clone)]
pub struct Clock {
    fixed: Option<Timestamp>,
    tz: TimeZone,
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            fixed: None,
            tz: TimeZone::system(),
        }
    }

    pub fn fixed(at: Timestamp, tz: TimeZone) -> Clock {
        Clock {
            fixed: Some(at),
            tz,
        }
    }

    /// Now, truncated to whole seconds: stored times have second precision, so
    /// comparing a fresh `now` with a stored one must not depend on nanoseconds.
    pub fn now(&self) -> Timestamp {
        let at = self.fixed.unwrap_or_else(Timestamp::now);
        Timestamp::from_second(at.as_second()).unwrap_or(at)
    }

    pub fn today(&self) -> Date {
        self.now().to_zoned_datetime(self.tz.clone()).date()
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }
}

/// The one stored spelling of an instant: RFC 3339, UTC, whole seconds. Fixed
/// width, so text order is time order in SQL.
pub fn format_timestamp(at: Timestamp) -> String {
    let mut text = String::with_capacity(20);
    write_timestamp(at, &mut text);
    text
}

/// `format_timestamp` into `out` (cleared first), so a bulk load can reuse
/// one buffer for its millions of times.
pub fn write_timestamp(at: Timestamp, out: &mut String) {
    // Written by hand: bulk loads format millions of these, and a general
    // strftime (or even `format!`) costs several times more than this.
    let seconds = at.as_second();
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    out.clear();
    if !(0..=9999).contains(&year) {
        use std::fmt::Write as _;
        let _ = write!(
            out,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            second_of_day / 3600,
            second_of_day / 60 % 60,
            second_of_day % 60
        );
        return;
    }
    let mut text = *b"0000-00-00T00:00:00Z";
    let digits = |at: &mut [u8], value: i64| {
        let mut value = value;
        for slot in at.iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    digits(&mut text[0..4], year);
    digits(&mut text[5..7], month);
    digits(&mut text[8..10], day);
    digits(&mut text[11..13], second_of_day / 3600);
    digits(&mut text[14..16], second_of_day / 60 % 60);
    digits(&mut text[17..19], second_of_day % 60);
    // Digits and separators only: always ASCII.
    if let Ok(text) = std::str::from_utf8(&text) {
        out.push_str(text);
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub fn parse_stored_timestamp(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}

const DATE_FORMS: &str = "YYYY-MM-DD, today, tomorrow, yesterday, +3d, +2w, +1m or +1y";

/// A calendar date from `YYYY-MM-DD`, `today`, `tomorrow`, `yesterday` or an
/// offset such as `+3d`, `-2w`, `+1m`, `+1y`.
pub fn parse_date(field: &'static str, text: &str, today: Date) -> Result<Date, ValidationError> {
    let input = text.trim().to_ascii_lowercase();
    let bad = || {
        ValidationError::new(
            field,
            format!("must be a date ({DATE_FORMS}), not {text:?}"),
        )
    };
    match input.as_str() {
        "today" => return Ok(today),
        "tomorrow" => return today.checked_add(1.day()).map_err(|_| bad()),
        "yesterday" => return today.checked_sub(1.day()).map_err(|_| bad()),
        _ => {}
    }
    if let Some(span) = parse_offset(&input, OffsetUnits::Calendar) {
        return today.checked_add(span).map_err(|_| bad());
    }
    // Only the strict form: jiff would also take a time or an offset here.
    if input.len() == 10 && input.as_bytes().get(4) == Some(&b'-') {
        return input.parse::<Date>().map_err(|_| bad());
    }
    Err(bad())
}

const TIME_FORMS: &str =
    "RFC 3339, YYYY-MM-DD HH:MM (local), now, -2h, -3d or a date such as yesterday";

/// The earliest year a typed time may fall in: anything before is a typo.
const EARLIEST_YEAR: i16 = 1900;

/// An instant from RFC 3339, `YYYY-MM-DD HH:MM` or `YYYY-MM-DDTHH:MM` in local time,
/// `now`, an offset (`-2h`, `-30min`, `+1d`), or a date form (start of that local day).
/// It must lie between 1900 and a day after `now`: what is logged has happened
/// (a day of slack for clocks and time zones), and years before are typos.
pub fn parse_time(
    field: &'static str,
    text: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Timestamp, ValidationError> {
    let at = parse_time_form(field, text, now, tz)?;
    let local = at.to_zoned_datetime(tz.clone());
    let shown = local.strftime("%Y-%m-%d %H:%M");
    if at.as_second() > now.as_second() + 86_400 {
        return Err(ValidationError::new(
            field,
            format!(
                "must not be more than a day ahead of now: {text:?} is {shown}, \
                 and only what has happened is logged"
            ),
        ));
    }
    if local.year() < EARLIEST_YEAR {
        return Err(ValidationError::new(
            field,
            format!("must not be before {EARLIEST_YEAR}: {text:?} is {shown}"),
        ));
    }
    Ok(at)
}

fn parse_time_form(
    field: &'static str,
    text: &str,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<Timestamp, ValidationError> {
    let input = text.trim();
    let bad = || {
        ValidationError::new(
            field,
            format!("must be a time ({TIME_FORMS}), not {text:?}"),
        )
    };
    let lower = input.to_ascii_lowercase();
    if lower == "now" {
        return Ok(now);
    }
    if let Some(span) = parse_offset(&lower, OffsetUnits::Clock) {
        return now
            .to_zoned_datetime(tz.clone())
            .checked_add(span)
            .map(|z| z.timestamp())
            .map_err(|_| bad());
    }
    if let Ok(at) = input.parse::<Timestamp>() {
        return Ok(at);
    }
    let today = now.to_zoned_datetime(tz.clone()).date();
    if let Ok(date) = parse_date(field, input, today) {
        return date
            .to_zoned_datetime(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|_| bad());
    }
    let normalised = input.replacen(' ', "T", 1);
    let local: DateTime = normalised.parse().map_err(|_| bad())?;
    local
        .to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|_| bad())
}

#[derive(Clone, Copy)]
enum OffsetUnits {
    /// d, w, m (months), y
    Calendar,
    /// min, h, d, w, also m for minutes as in "-30m"
    Clock,
}

/// "+3d" / "-2w" / "+1m": sign, number, unit. Bounded so no input can overflow.
fn parse_offset(text: &str, units: OffsetUnits) -> Option<Span> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1i64, &text[1..]),
        b'-' => (-1i64, &text[1..]),
        _ => return None,
    };
    let digits_end = rest.find(|c: char| !c.is_ascii_digit())?;
    if digits_end == 0 || digits_end > 6 {
        return None;
    }
    let amount: i64 = rest[..digits_end].parse().ok()?;
    let amount = sign * amount;
    // The fallible setters: jiff refuses spans past its range (about ±20,000
    // years), and a typed "+999999m" must be an error, not a crash.
    let empty = Span::new();
    let span = match (units, &rest[digits_end..]) {
        (_, "d" | "day" | "days") => empty.try_days(amount),
        (_, "w" | "week" | "weeks") => empty.try_weeks(amount),
        (OffsetUnits::Calendar, "m" | "mo" | "month" | "months") => empty.try_months(amount),
        (OffsetUnits::Calendar, "y" | "year" | "years") => empty.try_years(amount),
        (OffsetUnits::Clock, "h" | "hour" | "hours") => empty.try_hours(amount),
        (OffsetUnits::Clock, "m" | "min" | "mins" | "minute" | "minutes") => {
            empty.try_minutes(amount)
        }
        _ => return None,
    };
    span.ok()
}

/// "just now", "5m ago", "in 2h", "3d ago", "in 2mo".
pub fn relative_time(at: Timestamp, now: Timestamp) -> String {
    let seconds = at.as_second() - now.as_second();
    if seconds.abs() < 60 {
        return "just now".to_string();
    }
    let amount = compact_duration(seconds.unsigned_abs());
    if seconds > 0 {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// "45m", "2h", "3d", "5w", "2mo", "1y".
pub fn compact_duration(seconds: u64) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    match seconds {
        s if s < HOUR => format!("{}m", s / MIN),
        s if s < DAY => format!("{}h", s / HOUR),
        s if s < 60 * DAY => format!("{}d", s / DAY),
        s if s < 730 * DAY => format!("{}mo", s / (30 * DAY)),
        s => format!("{}y", s / (365 * DAY)),
    }
}

/// "today", "tomorrow", "yesterday", "in 3d", "3d ago".
pub fn relative_date(date: Date, today: Date) -> String {
    match days_until(date, today) {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        d if d > 0 => format!("in {d}d"),
        d => format!("{}d ago", -d),
    }
}

/// Whole days from `today` until `date` (negative when past).
pub fn days_until(date: Date, today: Date) -> i64 {
    date.since(today).map(|s| s.get_days() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn today() -> Date {
        date(2026, 11, 25)
    }

    #[test]
    fn date_forms() {
        assert_eq!(parse_date("due", "today", today()).unwrap(), today());
        assert_eq!(
            parse_date("due", "Tomorrow", today()).unwrap(),
            date(2026, 11, 26)
        );
        assert_eq!(
            parse_date("due", "+7d", today()).unwrap(),
            date(2026, 12, 2)
        );
        assert_eq!(
            parse_date("due", "+2w", today()).unwrap(),
            date(2026, 12, 9)
        );
        assert_eq!(
            parse_date("due", "+1m", today()).unwrap(),
            date(2026, 12, 25)
        );
        assert_eq!(
            parse_date("due", "-1y", today()).unwrap(),
            date(2025, 11, 25)
        );
        assert_eq!(
            parse_date("due", "2026-12-01", today()).unwrap(),
            date(2026, 12, 1)
        );
    }

    #[test]
    fn bad_dates_say_why() {
        for bad in [
            "",
            "soon",
            "2026-13-01",
            "+d",
            "+3x",
            "2026-12-01T10:00",
            "+9999999d",
        ] {
            let err = parse_date("due", bad, today()).unwrap_err();
            assert!(
                err.to_string().starts_with("due must be a date"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn time_forms() {
        let tz = TimeZone::fixed(jiff::tz::offset(1));
        let now: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
        let at = |s: &str| format_timestamp(parse_time("at", s, now, &tz).unwrap());
        assert_eq!(at("now"), "2026-11-25T10:00:00Z");
        assert_eq!(at("-2h"), "2026-11-25T08:00:00Z");
        assert_eq!(at("-30m"), "2026-11-25T09:30:00Z");
        assert_eq!(at("2026-11-20 14:30"), "2026-11-20T13:30:00Z");
        assert_eq!(at("2026-11-20T14:30"), "2026-11-20T13:30:00Z");
        assert_eq!(at("2026-11-20T14:30:00Z"), "2026-11-20T14:30:00Z");
        assert_eq!(at("yesterday"), "2026-11-23T23:00:00Z");
        assert!(parse_time("at", "later", now, &tz).is_err());
    }

    #[test]
    fn stored_format_matches_jiff_everywhere() {
        for seconds in [
            0,
            1,
            59,
            86_399,
            86_400,
            951_782_400,
            1_709_251_199,
            4_102_444_800,
            -1,
            -86_401,
        ] {
            let at = Timestamp::from_second(seconds).unwrap();
            assert_eq!(
                format_timestamp(at),
                at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                "{seconds}"
            );
        }
        let mut seconds = -2_000_000_000i64;
        while seconds < 5_000_000_000 {
            let at = Timestamp::from_second(seconds).unwrap();
            assert_eq!(
                format_timestamp(at),
                at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
            seconds += 7_777_777;
        }
    }

    #[test]
    fn relative_forms() {
        let now: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
        let ago = |s: i64| relative_time(Timestamp::from_second(now.as_second() + s).unwrap(), now);
        assert_eq!(ago(-10), "just now");
        assert_eq!(ago(-7200), "2h ago");
        assert_eq!(ago(3 * 86400), "in 3d");
        assert_eq!(relative_date(date(2026, 11, 22), today()), "3d ago");
        assert_eq!(relative_date(date(2026, 11, 26), today()), "tomorrow");
        assert_eq!(relative_date(date(2027, 1, 25), today()), "in 61d");
    }
}
