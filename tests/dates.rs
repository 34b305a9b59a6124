//! Property tests for the parsers of things people type: dates, times,
//! recurrences, money and SLA targets. None of them may panic on any input.

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use proptest::prelude::*;

use tuicrm::domain::time::{parse_date, parse_time};
use tuicrm::domain::{Money, Recurrence, sla};

fn today() -> Date {
    date(2026, 11, 25)
}

fn now() -> Timestamp {
    "2026-11-25T10:00:00Z".parse().unwrap()
}

/// Strings made of the characters the parsers care about, so the fuzzing
/// reaches the number and unit branches instead of failing at the first byte.
const NEAR_MISS: &str = "[+\\-0123456789dwmyhTZ: ]{0,24}";

/// The date and time parsers on one input. Returning normally is the property.
fn parse_dates(text: &str) {
    let _ = parse_date("due", text, today());
    let _ = parse_date("due", text, date(9999, 12, 31));
    let _ = parse_date("due", text, date(-9999, 1, 1));
    let _ = parse_time("at", text, now(), &TimeZone::UTC);
    let _ = parse_time("at", text, now(), &TimeZone::fixed(jiff::tz::offset(-11)));
    let _ = parse_time("at", text, Timestamp::MAX, &TimeZone::UTC);
    let _ = parse_time("at", text, Timestamp::MIN, &TimeZone::UTC);
}

/// Recurrence, money and SLA target parsers on one input.
fn parse_others(text: &str) {
    if let Ok(Some(r)) = Recurrence::parse(text) {
        let _ = r.next_after(today());
        let _ = r.next_after(date(9999, 12, 31));
        assert_eq!(
            Recurrence::parse(&r.to_string()).unwrap(),
            Some(r),
            "{text:?}"
        );
    }
    let _ = Money::parse("12", text);
    if let Ok(m) = Money::parse(text, "USD") {
        let _ = m.display();
    }
    let _ = sla::parse_target("target", text);
}

/// "+20000y", "-999999m": the shape of the known parse_date panic (BUG).
fn is_known_large_offset_bug(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    let Some(rest) = t.strip_prefix(['+', '-']) else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let unit = &rest[digits..];
    (5..=6).contains(&digits)
        && ["m", "mo", "month", "months", "y", "year", "years"].contains(&unit)
}

proptest! {
    // Failures are reported, not saved into the source tree.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_on_anything(text in ".*") {
        parse_dates(&text);
        parse_others(&text);
    }

    #[test]
    fn other_parsers_never_panic_on_near_misses(text in NEAR_MISS) {
        parse_others(&text);
    }

    #[test]
    fn date_parsers_never_panic_on_near_misses(text in NEAR_MISS) {
        // The one known panic is tracked by the ignored tests below; skip only
        // its exact shape here so this test stays deterministic until it is fixed.
        prop_assume!(!is_known_large_offset_bug(&text));
        parse_dates(&text);
    }

    #[test]
    fn offsets_in_days_weeks_hours_never_panic(
        sign in prop::sample::select(vec!["+", "-", ""]),
        n in 0u64..10_000_000,
        unit in prop::sample::select(vec!["d", "w", "h", "min", "day", "weeks", "x", ""]),
    ) {
        let text = format!("{sign}{n}{unit}");
        parse_dates(&text);
        parse_others(&text);
    }

    #[test]
    fn month_and_year_offsets_never_panic(
        sign in prop::sample::select(vec!["+", "-"]),
        n in 0u64..1_000_000,
        unit in prop::sample::select(vec!["m", "mo", "month", "months", "y", "year", "years"]),
    ) {
        let text = format!("{sign}{n}{unit}");
        parse_dates(&text);
        parse_others(&text);
    }

    #[test]
    fn plus_n_days_is_n_days_later(n in 0i64..10_000) {
        let want = today().checked_add(jiff::Span::new().days(n)).unwrap();
        prop_assert_eq!(parse_date("due", &format!("+{n}d"), today()).unwrap(), want);
        prop_assert_eq!(parse_date("due", &format!(" +{n}D "), today()).unwrap(), want);
        let back = today().checked_sub(jiff::Span::new().days(n)).unwrap();
        prop_assert_eq!(parse_date("due", &format!("-{n}d"), today()).unwrap(), back);
    }

    #[test]
    fn plus_n_weeks_is_seven_n_days_later(n in 0i64..10_000) {
        let want = today().checked_add(jiff::Span::new().days(7 * n)).unwrap();
        prop_assert_eq!(parse_date("due", &format!("+{n}w"), today()).unwrap(), want);
    }

    #[test]
    fn iso_dates_round_trip(year in 1000i16..=9999, month in 1i8..=12, day in 1i8..=31) {
        let Ok(d) = Date::new(year, month, day) else { return Ok(()) };
        let text = d.to_string();
        prop_assert_eq!(text.len(), 10);
        let parsed = parse_date("due", &text, today()).unwrap();
        prop_assert_eq!(parsed, d);
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn invalid_calendar_days_are_errors(year in 1000i16..=9999, month in 1i8..=12, day in 29i8..=31) {
        let text = format!("{year:04}-{month:02}-{day:02}");
        let parsed = parse_date("due", &text, today());
        prop_assert_eq!(parsed.is_ok(), Date::new(year, month, day).is_ok(), "{}", text);
    }

    // From 1900 to a day after now: the times `parse_time` takes.
    #[test]
    fn rfc3339_times_round_trip(second in -2_208_988_800i64..=now().as_second() + 86_400) {
        let at = Timestamp::from_second(second).unwrap();
        let text = tuicrm::domain::time::format_timestamp(at);
        prop_assert_eq!(parse_time("at", &text, now(), &TimeZone::UTC).unwrap(), at);
    }

    #[test]
    fn money_parses_what_it_displays(minor in 0i64..1_000_000_000_000) {
        let m = Money { minor, currency: "EUR".into() };
        prop_assert_eq!(Money::parse(&m.display(), "USD").unwrap(), m);
    }

    #[test]
    fn sla_targets_scale(n in 1i64..1000) {
        prop_assert_eq!(sla::parse_target("t", &format!("{n}h")).unwrap(), jiff::SignedDuration::from_hours(n));
        prop_assert_eq!(sla::parse_target("t", &format!("{n}d")).unwrap(), jiff::SignedDuration::from_hours(24 * n));
    }
}

#[test]
fn large_month_and_year_offsets_are_errors_not_panics() {
    for text in [
        "+999999m", "-999999m", "+240000m", "+20000y", "-99999y", "+999999y",
    ] {
        assert!(parse_date("due", text, today()).is_err(), "{text}");
    }
}

#[test]
fn large_date_offsets_in_times_are_errors_not_panics() {
    for text in ["+20000y", "-99999y", "+999999mo", "+300000months"] {
        assert!(
            parse_time("at", text, now(), &TimeZone::UTC).is_err(),
            "{text}"
        );
    }
}

#[test]
fn large_clock_offsets_are_errors_not_panics() {
    for text in ["+999999w", "-999999w", "+999999d", "+999999h", "+999999min"] {
        let _ = parse_time("at", text, now(), &TimeZone::UTC);
        let _ = parse_time("at", text, Timestamp::MAX, &TimeZone::UTC);
    }
}
