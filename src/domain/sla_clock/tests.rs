use super::*;
use jiff::tz::TimeZone;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn opened(text: &str) -> TicketTimes {
    TicketTimes {
        opened_at: at(text),
        first_response_at: None,
        finished_at: None,
        stopped: Vec::new(),
    }
}

const ALWAYS: Calendar = Calendar::Always;

fn rules(calendar: &Calendar) -> ClockRules<'_> {
    ClockRules {
        calendar,
        warn_before: WarnBefore::default(),
    }
}

#[test]
fn a_running_clock_is_ok_then_warning_then_breached() {
    let r = rules(&ALWAYS);
    let t = opened("2026-12-07T10:00:00Z");
    let clock = |now: &str| r.resolution(&t, hours(4), at(now));
    let ok = clock("2026-12-07T11:00:00Z");
    assert_eq!(
        (ok.state, ok.left, ok.due_at),
        (ClockState::Ok, hours(3), at("2026-12-07T14:00:00Z"))
    );
    // A quarter of four hours left: warning.
    assert_eq!(clock("2026-12-07T13:00:00Z").state, ClockState::Warning);
    let over = clock("2026-12-07T15:30:00Z");
    assert_eq!(
        (over.state, over.left),
        (ClockState::Breached, -SignedDuration::from_mins(90))
    );
    // A warning by time instead of share.
    let by_time = ClockRules {
        calendar: &ALWAYS,
        warn_before: WarnBefore::Time(SignedDuration::from_mins(30)),
    };
    assert_eq!(
        by_time
            .resolution(&t, hours(4), at("2026-12-07T13:00:00Z"))
            .state,
        ClockState::Ok
    );
    assert_eq!(
        by_time
            .resolution(&t, hours(4), at("2026-12-07T13:31:00Z"))
            .state,
        ClockState::Warning
    );
}

#[test]
fn an_unanswered_ticket_breaches_its_first_response_clock() {
    let r = rules(&ALWAYS);
    let t = opened("2026-12-07T10:00:00Z");
    let now = at("2026-12-07T11:30:00Z");
    let first = r.first_response(&t, hours(1), now);
    assert_eq!(
        (first.state, first.left),
        (ClockState::Breached, -SignedDuration::from_mins(30))
    );
    // The resolution clock of the same ticket is still fine.
    assert_eq!(r.resolution(&t, hours(4), now).state, ClockState::Ok);
}

#[test]
fn finishes_in_time_and_late_stay_told_apart() {
    let r = rules(&ALWAYS);
    let now = at("2026-12-09T00:00:00Z");
    let mut t = opened("2026-12-07T10:00:00Z");
    t.first_response_at = Some(at("2026-12-07T10:20:00Z"));
    t.finished_at = Some(at("2026-12-07T16:00:00Z"));
    let first = r.first_response(&t, hours(1), now);
    assert_eq!(
        (first.state, first.left),
        (ClockState::Met, SignedDuration::ZERO)
    );
    let resolved = r.resolution(&t, hours(4), now);
    assert_eq!(
        (resolved.state, resolved.left),
        (ClockState::MetLate, -hours(2))
    );
    // Finished with no answer: the finish stops the first-response clock too.
    t.first_response_at = None;
    assert_eq!(
        r.first_response(&t, hours(1), now).state,
        ClockState::MetLate
    );
}

#[test]
fn waiting_on_the_customer_pauses_and_moves_the_due_time() {
    let r = rules(&ALWAYS);
    let mut t = opened("2026-12-07T10:00:00Z");
    // Pending from 11:00, still: paused, never overdue, however late.
    t.stopped = vec![(at("2026-12-07T11:00:00Z"), None)];
    let paused = r.resolution(&t, hours(4), at("2027-03-01T00:00:00Z"));
    assert_eq!(paused.state, ClockState::Paused);
    assert_eq!(paused.paused_since, Some(at("2026-12-07T11:00:00Z")));
    assert_eq!(paused.left, hours(3));
    // Back to open at 15:00: four hours later than planned, 18:00.
    t.stopped = vec![(at("2026-12-07T11:00:00Z"), Some(at("2026-12-07T15:00:00Z")))];
    let resumed = r.resolution(&t, hours(4), at("2026-12-07T16:00:00Z"));
    assert_eq!(
        (resumed.state, resumed.due_at),
        (ClockState::Ok, at("2026-12-07T18:00:00Z"))
    );
    // Several spans add up; one after the due time does not undo a breach.
    t.stopped = vec![
        (at("2026-12-07T11:00:00Z"), Some(at("2026-12-07T12:00:00Z"))),
        (at("2026-12-07T13:00:00Z"), Some(at("2026-12-07T14:30:00Z"))),
        (at("2026-12-08T09:00:00Z"), None),
    ];
    let late = r.resolution(&t, hours(4), at("2026-12-08T10:00:00Z"));
    assert_eq!(late.due_at, at("2026-12-07T16:30:00Z"));
    assert_eq!(late.state, ClockState::Breached);
    assert_eq!(late.paused_since, None);
    // A pause only pauses the resolution clock.
    assert_eq!(
        r.first_response(&t, hours(1), at("2026-12-07T11:30:00Z"))
            .state,
        ClockState::Breached
    );
}

#[test]
fn a_reopened_ticket_resumes_where_it_stood() {
    let r = rules(&ALWAYS);
    let mut t = opened("2026-12-07T10:00:00Z");
    // Resolved at 12:00 (two hours used), reopened the next day at 09:00.
    t.stopped = vec![(at("2026-12-07T12:00:00Z"), Some(at("2026-12-08T09:00:00Z")))];
    let clock = r.resolution(&t, hours(4), at("2026-12-08T10:00:00Z"));
    assert_eq!(clock.due_at, at("2026-12-08T11:00:00Z"));
    assert_eq!((clock.state, clock.left), (ClockState::Warning, hours(1)));
}

#[test]
fn business_hours_count_only_open_time() {
    let calendar =
        Calendar::business(&["mon-fri 09:00-17:00".to_string()], TimeZone::UTC, &[]).unwrap();
    let r = rules(&calendar);
    // Opened Friday 16:00 with 4 hours to resolve: due Monday 12:00, and
    // over the weekend three of them are still left.
    let t = opened("2026-12-04T16:00:00Z");
    let clock = r.resolution(&t, hours(4), at("2026-12-06T12:00:00Z"));
    assert_eq!(
        (clock.due_at, clock.state, clock.left),
        (at("2026-12-07T12:00:00Z"), ClockState::Ok, hours(3))
    );
    // Breached by how much: counted time too (Monday 12:00 to Tuesday 10:00 is 6 hours).
    let over = r.resolution(&t, hours(4), at("2026-12-08T10:00:00Z"));
    assert_eq!((over.state, over.left), (ClockState::Breached, -hours(6)));
    // A pause over the weekend costs nothing: its span has no open time.
    let mut paused = t.clone();
    paused.stopped = vec![(at("2026-12-04T18:00:00Z"), Some(at("2026-12-07T08:00:00Z")))];
    assert_eq!(
        r.resolution(&paused, hours(4), at("2026-12-07T10:00:00Z"))
            .due_at,
        at("2026-12-07T12:00:00Z")
    );
}
