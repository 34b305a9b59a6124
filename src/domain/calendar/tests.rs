use super::*;
use proptest::prelude::*;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn calendar(lines: &[&str], zone: TimeZone, holidays: &[&str]) -> Calendar {
    let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let holidays: Vec<String> = holidays.iter().map(|l| l.to_string()).collect();
    Calendar::business(&lines, zone, &holidays).unwrap()
}

fn office() -> Calendar {
    calendar(&["mon-fri 09:00-17:30"], TimeZone::UTC, &["2026-12-25"])
}

/// Central European time with its DST rules, without a zone database.
fn cet() -> TimeZone {
    TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
}

#[test]
fn around_the_clock_every_hour_counts() {
    let start = at("2026-12-05T22:00:00Z");
    assert_eq!(
        Calendar::Always.add(start, hours(4)),
        at("2026-12-06T02:00:00Z")
    );
    assert_eq!(
        Calendar::Always.between(start, at("2026-12-06T02:00:00Z")),
        hours(4)
    );
    assert_eq!(
        Calendar::Always.between(at("2026-12-06T02:00:00Z"), start),
        SignedDuration::ZERO
    );
}

#[test]
fn office_hours_skip_evenings_and_weekends() {
    let c = office();
    // Friday 16:30: an hour that day, three on Monday morning.
    assert_eq!(
        c.add(at("2026-12-04T16:30:00Z"), hours(4)),
        at("2026-12-07T12:00:00Z")
    );
    // Opened on a Saturday: the clock starts Monday at nine.
    assert_eq!(
        c.add(at("2026-12-05T10:00:00Z"), hours(1)),
        at("2026-12-07T10:00:00Z")
    );
    // Opened before hours: from nine.
    assert_eq!(
        c.add(at("2026-12-08T06:00:00Z"), hours(2)),
        at("2026-12-08T11:00:00Z")
    );
    // Exactly the rest of a day ends at closing, not the next morning.
    assert_eq!(
        c.add(at("2026-12-08T17:00:00Z"), SignedDuration::from_mins(30)),
        at("2026-12-08T17:30:00Z")
    );
    // Friday 17:00 to Monday 10:00: half an hour, then one.
    assert_eq!(
        c.between(at("2026-12-04T17:00:00Z"), at("2026-12-07T10:00:00Z")),
        SignedDuration::from_mins(90)
    );
    // A whole week is five days of eight and a half hours.
    assert_eq!(
        c.between(at("2026-11-30T00:00:00Z"), at("2026-12-07T00:00:00Z")),
        SignedDuration::from_mins(5 * 510)
    );
}

#[test]
fn holidays_are_days_off() {
    let c = office();
    // Thursday 24 December 17:00, Friday 25th a holiday: Monday 28th.
    assert_eq!(
        c.add(at("2026-12-24T17:00:00Z"), hours(1)),
        at("2026-12-28T09:30:00Z")
    );
    assert_eq!(
        c.between(at("2026-12-24T17:00:00Z"), at("2026-12-28T09:30:00Z")),
        hours(1)
    );
}

#[test]
fn a_night_shift_runs_past_midnight() {
    let c = calendar(&["mon-fri 22:00-06:00"], TimeZone::UTC, &[]);
    // Tuesday 23:00 plus two hours: Wednesday 01:00.
    assert_eq!(
        c.add(at("2026-12-08T23:00:00Z"), hours(2)),
        at("2026-12-09T01:00:00Z")
    );
    // Saturday 05:00 is still Friday's shift; then Monday night.
    assert_eq!(
        c.add(at("2026-12-12T05:00:00Z"), hours(2)),
        at("2026-12-14T23:00:00Z")
    );
    assert_eq!(
        c.between(at("2026-12-12T00:00:00Z"), at("2026-12-13T00:00:00Z")),
        hours(6)
    );
}

#[test]
fn hours_follow_the_wall_clock_across_dst() {
    let zone = cet();
    // Friday 16:00 CET (15:00Z) plus two hours of 09:00-17:00: one that
    // day, one on Monday, when it is summer time (09:00 CEST = 07:00Z).
    let c = calendar(&["mon-fri 09:00-17:00"], zone.clone(), &[]);
    assert_eq!(
        c.add(at("2026-03-27T15:00:00Z"), hours(2)),
        at("2026-03-30T08:00:00Z")
    );
    // And back in October: Friday 16:00 CEST (14:00Z), Monday 10:00 CET (09:00Z).
    assert_eq!(
        c.add(at("2026-10-23T14:00:00Z"), hours(2)),
        at("2026-10-26T09:00:00Z")
    );
    // 01:00-04:00 on the night clocks go forward is two hours; on the
    // night they go back, four.
    let night = calendar(&["sun 01:00-04:00"], zone, &[]);
    let whole_day = |day: &str| {
        let start = at(&format!("{day}T00:00:00Z")) - hours(3);
        night.between(start, start + hours(30))
    };
    assert_eq!(whole_day("2026-03-29"), hours(2));
    assert_eq!(whole_day("2026-10-25"), hours(4));
    assert_eq!(whole_day("2026-11-01"), hours(3));
    // Two hours from 01:00 CET on the spring night end at 04:00 CEST.
    assert_eq!(
        night.add(at("2026-03-29T00:00:00Z"), hours(2)),
        at("2026-03-29T02:00:00Z")
    );
}

#[test]
fn hours_read_and_bad_ones_are_told() {
    let c = calendar(
        &[
            "Mon-Wed 09:00-12:00, 13:00-17:00",
            "sat 10:00-13:00",
            "friday 09:00-10:00",
        ],
        TimeZone::UTC,
        &[],
    );
    // Monday 2026-12-07: seven hours; Thursday none; Friday one; Saturday three.
    let day = |d: &str| c.between(at(&format!("{d}T00:00:00Z")), at(&format!("{d}T23:59:59Z")));
    assert_eq!(day("2026-12-07"), hours(7));
    assert_eq!(day("2026-12-10"), SignedDuration::ZERO);
    assert_eq!(day("2026-12-11"), hours(1));
    assert_eq!(day("2026-12-12"), hours(3));
    // Overlapping spans count once.
    let twice = calendar(&["mon 09:00-12:00", "mon 11:00-13:00"], TimeZone::UTC, &[]);
    assert_eq!(
        twice.between(at("2026-12-07T00:00:00Z"), at("2026-12-08T00:00:00Z")),
        hours(4)
    );
    for bad in [
        "mon-fri",
        "xyz 09:00-10:00",
        "mon 25:00-26:00",
        "mon 09:00-09:00",
        "mon 9-17",
        "mö 09:00-10:00",
        "mondayy 09:00-10:00",
        "",
    ] {
        let err = Calendar::business(&[bad.to_string()], TimeZone::UTC, &[]).unwrap_err();
        assert!(
            err.to_string().contains("sla.calendar.hours"),
            "{bad}: {err}"
        );
    }
    let err = Calendar::business(&[], TimeZone::UTC, &[]).unwrap_err();
    assert!(err.to_string().contains("no open hours"), "{err}");
    let err = Calendar::business(
        &["mon 09:00-17:00".to_string()],
        TimeZone::UTC,
        &["25 Dec".to_string()],
    )
    .unwrap_err();
    assert!(err.to_string().contains("2026-12-25"), "{err}");
}

#[test]
fn a_calendar_of_holidays_only_is_never_due() {
    let c = calendar(&["mon 09:00-10:00"], TimeZone::UTC, &["2026-12-07"]);
    // The next Monday is open.
    assert_eq!(
        c.add(at("2026-12-07T09:00:00Z"), hours(1)),
        at("2026-12-14T10:00:00Z")
    );
}

fn moment() -> impl Strategy<Value = Timestamp> {
    // Two years around now, to the minute.
    (0i64..(2 * 366 * 24 * 60))
        .prop_map(|m| at("2026-01-01T00:00:00Z") + SignedDuration::from_mins(m))
}

fn any_calendar() -> impl Strategy<Value = Calendar> {
    prop_oneof![
        Just(Calendar::Always),
        Just(office()),
        Just(calendar(
            &["mon-fri 22:00-06:00", "sat 10:00-14:00"],
            cet(),
            &["2026-12-25", "2027-01-01"]
        )),
        Just(calendar(&["mon-sun 08:00-20:00"], cet(), &[])),
    ]
}

proptest! {
    #[test]
    fn business_time_adds_up_and_is_never_negative(
        c in any_calendar(), a in moment(), b in moment(), m in moment()
    ) {
        let (a, b) = (a.min(b), a.max(b));
        let m = m.clamp(a, b);
        prop_assert!(c.between(a, b) >= SignedDuration::ZERO);
        prop_assert_eq!(c.between(b, a), SignedDuration::ZERO);
        prop_assert_eq!(c.between(a, m) + c.between(m, b), c.between(a, b));
    }

    #[test]
    fn the_latest_start_is_that_much_counted_time_before(
        c in any_calendar(), now in moment(), minutes in 1i64..(30 * 24 * 60)
    ) {
        let work = SignedDuration::from_mins(minutes);
        let start = c.latest_start(now, work);
        prop_assert!(start <= now);
        prop_assert_eq!(c.between(start, now), work);
        // Any later start has less behind it by now.
        prop_assert!(c.between(start + SignedDuration::from_secs(1), now) < work);
        // A clock started just before it with that target is due by now.
        prop_assert!(c.add(start - SignedDuration::from_secs(1), work) <= now);
    }

    #[test]
    fn adding_business_time_gives_back_what_was_added(
        c in any_calendar(), start in moment(), minutes in 1i64..(30 * 24 * 60)
    ) {
        let work = SignedDuration::from_mins(minutes);
        let due = c.add(start, work);
        prop_assert!(due >= start);
        prop_assert_eq!(c.between(start, due), work);
        // Nothing earlier would do.
        prop_assert!(c.between(start, due - SignedDuration::from_secs(1)) < work);
    }
}
