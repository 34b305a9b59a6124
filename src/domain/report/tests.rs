//! Report figures against a fixture worked out by hand (24×7, UTC): two
//! weeks, Mon 2026-11-16 to Sun 2026-11-29, read on 2026-12-01.

use super::*;
use crate::domain::calendar::Calendar;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

fn ticket(priority: Priority, opened: &str) -> ReportTicket {
    let sla = SlaPolicy::default();
    let opened_at = at(opened);
    ReportTicket {
        opened_at,
        first_response_at: None,
        first_response_due_at: Some(sla.first_response_due(opened_at, priority)),
        finished_at: None,
        due_at: sla.resolution_due(opened_at, priority),
        paused_at: None,
        priority,
        channel: Channel::Email,
        assignee: None,
        segment: None,
        csat: None,
    }
}

fn answered(mut t: ReportTicket, when: &str) -> ReportTicket {
    t.first_response_at = Some(at(when));
    t
}

fn finished(mut t: ReportTicket, when: &str, csat: Option<u8>) -> ReportTicket {
    t.finished_at = Some(at(when));
    t.csat = csat;
    t
}

/// A: urgent, answered in 30m, resolved in 3h, rated 5 (all week 47).
/// B: urgent, answered 2h in (1h late), resolved a week later, rated 2.
/// C: normal, never answered, still open (both clocks run out).
/// D: high, answered in 1h, waiting on the customer before its due time.
/// E: low, opened before the period, resolved in week 47 (late before it), rated 4.
/// F: normal, opened late on the last day, answered after the period.
fn fixture() -> Vec<ReportTicket> {
    let a = finished(
        answered(
            ticket(Priority::Urgent, "2026-11-16T10:00:00Z"),
            "2026-11-16T10:30:00Z",
        ),
        "2026-11-16T13:00:00Z",
        Some(5),
    );
    let mut b = finished(
        answered(
            ticket(Priority::Urgent, "2026-11-17T09:00:00Z"),
            "2026-11-17T11:00:00Z",
        ),
        "2026-11-24T09:00:00Z",
        Some(2),
    );
    b.assignee = Some("ana".into());
    let mut c = ticket(Priority::Normal, "2026-11-20T12:00:00Z");
    c.assignee = Some("ana".into());
    c.segment = Some("smb".into());
    let mut d = answered(
        ticket(Priority::High, "2026-11-25T08:00:00Z"),
        "2026-11-25T09:00:00Z",
    );
    d.paused_at = Some(at("2026-11-25T10:00:00Z"));
    d.channel = Channel::Phone;
    let e = finished(
        answered(
            ticket(Priority::Low, "2026-11-01T00:00:00Z"),
            "2026-11-01T02:00:00Z",
        ),
        "2026-11-18T10:00:00Z",
        Some(4),
    );
    let f = answered(
        ticket(Priority::Normal, "2026-11-29T23:00:00Z"),
        "2026-11-30T01:00:00Z",
    );
    vec![a, b, c, d, e, f]
}

fn spec(by: ReportBy) -> ReportSpec {
    ReportSpec {
        by,
        from: day("2026-11-16"),
        to: day("2026-11-29"),
        tz: TimeZone::UTC,
    }
}

fn run(by: ReportBy) -> Report {
    report(
        fixture(),
        &spec(by),
        &SlaPolicy::default(),
        at("2026-12-01T00:00:00Z"),
    )
}

fn share(met: u64, missed: u64) -> MetShare {
    MetShare { met, missed }
}

fn times(count: u64, median: i64, p90: i64) -> Durations {
    Durations {
        count,
        median_minutes: Some(median),
        p90_minutes: Some(p90),
    }
}

#[test]
fn weeks_count_each_event_where_it_happened() {
    let report = run(ReportBy::Week);
    let labels: Vec<_> = report.rows.iter().map(|r| r.bucket.as_str()).collect();
    assert_eq!(labels, ["2026-W47", "2026-W48"]);
    let w47 = &report.rows[0];
    assert_eq!(
        (w47.from, w47.to),
        (Some(day("2026-11-16")), Some(day("2026-11-22")))
    );
    assert_eq!((w47.opened, w47.resolved), (3, 2));
    assert_eq!(w47.first_response, times(2, 30, 120));
    assert_eq!(w47.resolution, times(2, 180, 25_080));
    assert_eq!(w47.first_response_sla, share(1, 2));
    assert_eq!(w47.resolution_sla, share(1, 1));
    assert_eq!(
        w47.backlog,
        Backlog {
            open: 2,
            days_1_to_7: 2,
            ..Backlog::default()
        }
    );
    assert_eq!((w47.csat_average, w47.csat_ratings), (Some(4.5), 2));

    let w48 = &report.rows[1];
    assert_eq!((w48.opened, w48.resolved), (2, 1));
    assert_eq!(w48.first_response, times(1, 60, 60));
    assert_eq!(w48.resolution, times(1, 10_080, 10_080));
    assert_eq!(w48.first_response_sla, share(1, 0));
    // C's resolution ran out on Monday of week 48; D waits on the customer.
    assert_eq!(w48.resolution_sla, share(0, 1));
    assert_eq!(
        w48.backlog,
        Backlog {
            open: 3,
            under_1d: 1,
            days_1_to_7: 1,
            days_7_to_30: 1,
            over_30d: 0
        }
    );
    assert_eq!((w48.csat_average, w48.csat_ratings), (Some(2.0), 1));
}

#[test]
fn the_total_takes_medians_over_the_whole_period() {
    let total = run(ReportBy::Week).total;
    assert_eq!(total.bucket, "total");
    assert_eq!((total.opened, total.resolved), (5, 3));
    assert_eq!(total.first_response, times(3, 60, 120));
    assert_eq!(total.resolution, times(3, 10_080, 25_080));
    assert_eq!(total.first_response_sla, share(2, 2));
    assert_eq!(total.resolution_sla, share(1, 2));
    assert_eq!(total.backlog.open, 3);
    assert_eq!(total.csat_ratings, 3);
    assert!((total.csat_average.unwrap() - 11.0 / 3.0).abs() < 1e-9);
    assert_eq!(total.first_response_sla.percent(), Some(50.0));
}

#[test]
fn groups_split_the_period_and_sum_to_the_total() {
    let report = run(ReportBy::Priority);
    let labels: Vec<_> = report.rows.iter().map(|r| r.bucket.as_str()).collect();
    assert_eq!(labels, ["urgent", "high", "normal", "low"]);
    let urgent = &report.rows[0];
    assert_eq!((urgent.opened, urgent.resolved), (2, 2));
    assert_eq!(urgent.first_response_sla, share(1, 1));
    assert_eq!(urgent.backlog.open, 0);
    for by in [
        ReportBy::Assignee,
        ReportBy::Channel,
        ReportBy::Segment,
        ReportBy::Priority,
    ] {
        let report = run(by);
        let opened: u64 = report.rows.iter().map(|r| r.opened).sum();
        let backlog: u64 = report.rows.iter().map(|r| r.backlog.open).sum();
        let missed: u64 = report
            .rows
            .iter()
            .map(|r| r.first_response_sla.missed)
            .sum();
        assert_eq!(opened, report.total.opened, "{by:?}");
        assert_eq!(backlog, report.total.backlog.open, "{by:?}");
        assert_eq!(missed, report.total.first_response_sla.missed, "{by:?}");
    }
    let by_assignee = run(ReportBy::Assignee);
    let names: Vec<_> = by_assignee.rows.iter().map(|r| r.bucket.as_str()).collect();
    assert_eq!(names, ["ana", "(none)"]);
    let channels: Vec<_> = run(ReportBy::Channel)
        .rows
        .into_iter()
        .map(|r| r.bucket)
        .collect();
    assert_eq!(channels, ["email", "phone"]);
}

#[test]
fn resolution_time_leaves_out_the_pauses() {
    let sla = SlaPolicy::default();
    // Normal (3d), paused a day: its due time moved from the 19th to the 20th.
    let mut t = ticket(Priority::Normal, "2026-11-16T00:00:00Z");
    t.due_at = at("2026-11-20T00:00:00Z");
    let t = finished(t, "2026-11-19T12:00:00Z", None);
    let report = report(
        vec![t],
        &spec(ReportBy::Week),
        &sla,
        at("2026-12-01T00:00:00Z"),
    );
    // 3.5 days open, 1 of them paused.
    assert_eq!(report.total.resolution, times(1, 3_600, 3_600));
    assert_eq!(report.total.resolution_sla, share(1, 0));
}

#[test]
fn business_hours_count_only_open_time() {
    let calendar =
        Calendar::business(&["mon-fri 09:00-17:00".to_string()], TimeZone::UTC, &[]).unwrap();
    let sla = SlaPolicy {
        calendar,
        ..SlaPolicy::default()
    };
    // Friday 16:00, answered Monday 10:00: one hour on Friday, one on Monday.
    let opened = at("2026-11-20T16:00:00Z");
    let t = ReportTicket {
        first_response_due_at: Some(sla.first_response_due(opened, Priority::Normal)),
        due_at: sla.resolution_due(opened, Priority::Normal),
        ..answered(
            ticket(Priority::Normal, "2026-11-20T16:00:00Z"),
            "2026-11-23T10:00:00Z",
        )
    };
    let report = report(
        vec![t],
        &spec(ReportBy::Week),
        &sla,
        at("2026-12-01T00:00:00Z"),
    );
    assert_eq!(report.total.first_response, times(1, 120, 120));
    assert_eq!(report.total.first_response_sla, share(1, 0));
}

#[test]
fn a_period_cut_mid_week_keeps_its_weeks_whole_labels() {
    let spec = ReportSpec {
        from: day("2026-11-18"),
        to: day("2026-11-25"),
        ..spec(ReportBy::Week)
    };
    let report = report(
        fixture(),
        &spec,
        &SlaPolicy::default(),
        at("2026-12-01T00:00:00Z"),
    );
    let days: Vec<_> = report
        .rows
        .iter()
        .map(|r| (r.from.unwrap(), r.to.unwrap()))
        .collect();
    assert_eq!(
        days,
        [
            (day("2026-11-18"), day("2026-11-22")),
            (day("2026-11-23"), day("2026-11-25"))
        ]
    );
    // A and B were opened before the cut.
    assert_eq!(report.rows[0].opened, 1);
}

#[test]
fn months_and_the_default_periods() {
    let spec = ReportSpec {
        from: day("2026-10-20"),
        ..spec(ReportBy::Month)
    };
    let report = report(
        fixture(),
        &spec,
        &SlaPolicy::default(),
        at("2026-12-01T00:00:00Z"),
    );
    let labels: Vec<_> = report.rows.iter().map(|r| r.bucket.as_str()).collect();
    assert_eq!(labels, ["2026-10", "2026-11"]);
    assert_eq!(report.rows[0].to, Some(day("2026-10-31")));
    assert_eq!(report.rows[0].opened, 0);
    assert_eq!(report.rows[1].opened, 6);

    let today = day("2026-12-03");
    assert_eq!(
        ReportBy::Week.default_period(today),
        (day("2026-09-14"), today)
    );
    assert_eq!(
        ReportBy::Month.default_period(today),
        (day("2026-01-01"), today)
    );
}

#[test]
fn nothing_to_report_has_no_figures() {
    let report = report(
        Vec::new(),
        &spec(ReportBy::Week),
        &SlaPolicy::default(),
        at("2026-12-01T00:00:00Z"),
    );
    assert_eq!(report.rows.len(), 2);
    assert_eq!(report.total.first_response, Durations::default());
    assert_eq!(report.total.first_response_sla.percent(), None);
    assert_eq!(report.total.csat_average, None);
    assert!(
        run(ReportBy::Segment)
            .rows
            .iter()
            .any(|r| r.bucket == "smb")
    );
}

#[test]
fn durations_read_in_two_units_at_most() {
    assert_eq!(report_duration(45), "45m");
    assert_eq!(report_duration(120), "2h");
    assert_eq!(report_duration(200), "3h 20m");
    assert_eq!(report_duration(2 * 1440), "2d");
    assert_eq!(report_duration(2 * 1440 + 250), "2d 4h");
}

#[test]
fn by_parses_its_words() {
    assert_eq!(ReportBy::parse(" Month ").unwrap(), ReportBy::Month);
    let err = ReportBy::parse("year").unwrap_err();
    assert!(err.to_string().contains("week, month, assignee"), "{err}");
}

#[test]
fn a_ticket_opened_this_second_is_in_the_backlog_now() {
    let now = "2026-11-29T18:00:00Z";
    let t = ticket(Priority::Normal, now);
    let report = report(
        vec![t],
        &spec(ReportBy::Week),
        &SlaPolicy::default(),
        at(now),
    );
    assert_eq!(report.total.backlog.open, 1);
    assert_eq!(report.rows[1].backlog.under_1d, 1);
}

#[test]
fn a_ticket_opened_at_midnight_monday_is_the_new_weeks() {
    let t = ticket(Priority::Normal, "2026-11-23T00:00:00Z");
    let report = report(
        vec![t],
        &spec(ReportBy::Week),
        &SlaPolicy::default(),
        at("2026-12-01T00:00:00Z"),
    );
    assert_eq!(
        report.rows[0].backlog.open, 0,
        "not open at the end of week 47"
    );
    assert_eq!((report.rows[1].opened, report.rows[1].backlog.open), (1, 1));
}
