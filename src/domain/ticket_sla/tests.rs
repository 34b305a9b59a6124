use super::*;
use crate::domain::ticket::TicketChange;
use crate::domain::{Priority, TicketDraft, TicketStatus};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// A normal ticket (8h to answer, 3d to resolve) opened Monday 10:00.
fn ticket(sla: &SlaPolicy) -> Ticket {
    TicketDraft::new(1, "Printer on fire")
        .open(at("2026-12-07T10:00:00Z"), sla)
        .unwrap()
}

fn set(t: &Ticket, status: TicketStatus, now: &str, sla: &SlaPolicy) -> Ticket {
    let change = TicketChange {
        status: Some(status),
        ..TicketChange::default()
    };
    t.changed(&change, at(now), sla).unwrap()
}

#[test]
fn an_unanswered_ticket_shows_its_first_response_clock() {
    let sla = SlaPolicy::default();
    let t = ticket(&sla);
    let early = t.clocks(&sla, at("2026-12-07T11:00:00Z"));
    assert_eq!(early.first_response.state, ClockState::Ok);
    assert_eq!(early.pressing().0, ClockKind::FirstResponse);
    assert_eq!(
        early.pressing().1.words(ClockKind::FirstResponse),
        "reply in 7h"
    );
    let late = t.clocks(&sla, at("2026-12-07T19:00:00Z"));
    assert!(late.breached());
    assert_eq!(late.resolution.state, ClockState::Ok);
    let (kind, clock) = late.pressing();
    assert_eq!(
        (kind, clock.words(kind), clock.mark()),
        (ClockKind::FirstResponse, "reply 1h over".to_string(), "!")
    );
    // Answered: the resolution clock is the one told.
    let mut answered = t.clone();
    answered.first_response_at = Some(at("2026-12-07T12:00:00Z"));
    let clocks = answered.clocks(&sla, at("2026-12-07T19:00:00Z"));
    assert!(!clocks.breached());
    assert_eq!(clocks.pressing().0, ClockKind::Resolution);
    assert_eq!(clocks.first_response.state, ClockState::Met);
}

#[test]
fn pending_pauses_the_resolution_clock_and_moves_its_due_time() {
    let sla = SlaPolicy::default();
    let mut t = ticket(&sla);
    t.first_response_at = Some(at("2026-12-07T10:30:00Z"));
    let pending = set(&t, TicketStatus::Pending, "2026-12-07T11:00:00Z", &sla);
    assert_eq!(pending.paused_at, Some(at("2026-12-07T11:00:00Z")));
    // Months later: paused, never overdue.
    let clock = pending.clocks(&sla, at("2027-03-01T00:00:00Z")).resolution;
    assert_eq!(
        (clock.state, clock.paused_since),
        (ClockState::Paused, Some(at("2026-12-07T11:00:00Z")))
    );
    assert_eq!(clock.left, hours(71));
    assert!(!pending.is_breached(&sla, at("2027-03-01T00:00:00Z")));
    // The customer answers at 15:00: four hours later than planned.
    let open = set(&pending, TicketStatus::Open, "2026-12-07T15:00:00Z", &sla);
    assert_eq!(open.paused_at, None);
    assert_eq!(open.due_at, at("2026-12-10T14:00:00Z"));
    // Resolved straight from pending: the pause counts until then.
    let resolved = set(
        &pending,
        TicketStatus::Resolved,
        "2026-12-07T15:00:00Z",
        &sla,
    );
    assert_eq!(
        (resolved.due_at, resolved.paused_at),
        (at("2026-12-10T14:00:00Z"), None)
    );
    assert_eq!(
        resolved
            .clocks(&sla, at("2027-01-01T00:00:00Z"))
            .resolution
            .state,
        ClockState::Met
    );
    // Closing a resolved ticket moves nothing.
    let closed = set(
        &resolved,
        TicketStatus::Closed,
        "2026-12-20T00:00:00Z",
        &sla,
    );
    assert_eq!(closed.due_at, resolved.due_at);
}

#[test]
fn a_pause_after_the_due_time_does_not_hide_the_breach() {
    let sla = SlaPolicy::default();
    let t = ticket(&sla);
    let pending = set(&t, TicketStatus::Pending, "2026-12-11T00:00:00Z", &sla);
    let clocks = pending.clocks(&sla, at("2026-12-12T00:00:00Z"));
    assert_eq!(clocks.resolution.state, ClockState::Breached);
    let open = set(&pending, TicketStatus::Open, "2026-12-12T00:00:00Z", &sla);
    assert_eq!(open.due_at, t.due_at);
}

#[test]
fn late_finishes_stay_late_and_a_reopen_resumes_the_clock() {
    let sla = SlaPolicy::default();
    let t = ticket(&sla);
    // Due Thursday 10:00; resolved Thursday 12:00.
    let resolved = set(&t, TicketStatus::Resolved, "2026-12-10T12:00:00Z", &sla);
    let clock = resolved.clocks(&sla, at("2026-12-20T00:00:00Z")).resolution;
    assert_eq!((clock.state, clock.left), (ClockState::MetLate, -hours(2)));
    assert_eq!(clock.words(ClockKind::Resolution), "met 2h late");
    assert_eq!(clock.mark(), "!");
    // Resolved in time at 09:00 Thursday, reopened Friday 09:00: one hour left.
    let in_time = set(&t, TicketStatus::Resolved, "2026-12-10T09:00:00Z", &sla);
    let reopened = set(&in_time, TicketStatus::Open, "2026-12-11T09:00:00Z", &sla);
    assert_eq!(reopened.due_at, at("2026-12-11T10:00:00Z"));
    let clock = reopened.clocks(&sla, at("2026-12-11T09:30:00Z")).resolution;
    assert_eq!(
        (clock.state, clock.left),
        (ClockState::Warning, SignedDuration::from_mins(30))
    );
    // Reopened into pending: paused from the reopen, the resolved span counted out.
    let waiting = set(
        &in_time,
        TicketStatus::Pending,
        "2026-12-11T09:00:00Z",
        &sla,
    );
    assert_eq!(
        (waiting.due_at, waiting.paused_at),
        (at("2026-12-11T10:00:00Z"), Some(at("2026-12-11T09:00:00Z")))
    );
}

#[test]
fn a_new_priority_counts_from_opening_and_keeps_the_stops() {
    let sla = SlaPolicy::default();
    let t = ticket(&sla);
    let pending = set(&t, TicketStatus::Pending, "2026-12-07T11:00:00Z", &sla);
    let open = set(&pending, TicketStatus::Open, "2026-12-07T15:00:00Z", &sla);
    let change = TicketChange {
        priority: Some(Priority::High),
        ..TicketChange::default()
    };
    let high = open
        .changed(&change, at("2026-12-07T16:00:00Z"), &sla)
        .unwrap();
    // A day from opening, plus the four paused hours.
    assert_eq!(high.due_at, at("2026-12-08T14:00:00Z"));
    // Both at once: the new target first, then the pause that starts.
    let both = TicketChange {
        priority: Some(Priority::Urgent),
        status: Some(TicketStatus::Pending),
        ..TicketChange::default()
    };
    let urgent = open
        .changed(&both, at("2026-12-07T16:00:00Z"), &sla)
        .unwrap();
    assert_eq!(urgent.due_at, at("2026-12-07T18:00:00Z"));
    assert_eq!(urgent.paused_at, Some(at("2026-12-07T16:00:00Z")));
}

#[test]
fn business_hours_and_a_round_the_clock_priority() {
    let calendar = crate::domain::calendar::Calendar::business(
        &["mon-fri 09:00-17:00".to_string()],
        jiff::tz::TimeZone::UTC,
        &[],
    )
    .unwrap();
    let sla = SlaPolicy {
        calendar,
        around_the_clock: vec![Priority::Urgent],
        ..SlaPolicy::default()
    };
    // Opened Friday 16:00: 8 business hours to answer, Monday 16:00.
    let t = TicketDraft::new(1, "Down")
        .open(at("2026-12-04T16:00:00Z"), &sla)
        .unwrap();
    let clocks = t.clocks(&sla, at("2026-12-06T12:00:00Z"));
    assert_eq!(clocks.first_response.due_at, at("2026-12-07T16:00:00Z"));
    assert_eq!(clocks.first_response.left, hours(7));
    // Urgent counts every hour: resolved within 4h of opening, whatever the day.
    let mut urgent = TicketDraft::new(1, "Down");
    urgent.priority = Priority::Urgent;
    let urgent = urgent.open(at("2026-12-04T16:00:00Z"), &sla).unwrap();
    assert_eq!(urgent.due_at, at("2026-12-04T20:00:00Z"));
}

#[test]
fn an_imported_pending_ticket_is_paused_since_its_last_change() {
    let sla = SlaPolicy::default();
    let mut t = ticket(&sla);
    t.status = TicketStatus::Pending;
    t.updated_at = at("2026-12-08T00:00:00Z");
    assert_eq!(
        t.clone().with_clocks_known(&sla).paused_at,
        Some(at("2026-12-08T00:00:00Z"))
    );
    t.status = TicketStatus::Open;
    t.paused_at = Some(at("2026-12-08T00:00:00Z"));
    assert_eq!(t.with_clocks_known(&sla).paused_at, None);
}

#[test]
fn a_flag_tells_the_pressing_clock_or_a_late_finish() {
    let sla = SlaPolicy::default();
    let mut t = ticket(&sla);
    let flag = |t: &Ticket, now: &str| t.sla_flag(&sla, at(now));
    assert_eq!(
        flag(&t, "2026-12-07T11:00:00Z"),
        ("reply in 7h".to_string(), FlagLevel::Plain)
    );
    assert_eq!(
        flag(&t, "2026-12-07T17:00:00Z"),
        ("~ reply in 1h".to_string(), FlagLevel::Warning)
    );
    assert_eq!(
        flag(&t, "2026-12-07T19:00:00Z"),
        ("! reply 1h over".to_string(), FlagLevel::Danger)
    );
    t.first_response_at = Some(at("2026-12-07T10:30:00Z"));
    assert_eq!(
        flag(&t, "2026-12-07T19:00:00Z"),
        ("in 2d".to_string(), FlagLevel::Plain)
    );
    assert_eq!(
        flag(&t, "2026-12-10T12:00:00Z"),
        ("! 2h over".to_string(), FlagLevel::Danger)
    );
    let pending = set(&t, TicketStatus::Pending, "2026-12-08T00:00:00Z", &sla);
    assert_eq!(
        flag(&pending, "2027-01-01T00:00:00Z"),
        ("paused".to_string(), FlagLevel::Muted)
    );
    let late = set(&t, TicketStatus::Resolved, "2026-12-10T12:00:00Z", &sla);
    assert_eq!(
        flag(&late, "2026-12-20T00:00:00Z"),
        ("! resolved 2h late".to_string(), FlagLevel::Danger)
    );
    let fine = set(&t, TicketStatus::Closed, "2026-12-08T12:00:00Z", &sla);
    assert_eq!(
        flag(&fine, "2026-12-20T00:00:00Z"),
        ("closed".to_string(), FlagLevel::Muted)
    );
}

#[test]
fn recomputed_clocks_keep_the_pauses_and_a_reopen_of_the_history() {
    let sla = SlaPolicy::default();
    let t = ticket(&sla); // normal: 3d from Mon 10:00, due Thu 10:00
    let history = [
        (
            at("2026-12-07T12:00:00Z"),
            TicketStatus::New,
            TicketStatus::Pending,
        ),
        (
            at("2026-12-07T14:00:00Z"),
            TicketStatus::Pending,
            TicketStatus::Open,
        ),
        (
            at("2026-12-08T10:00:00Z"),
            TicketStatus::Open,
            TicketStatus::Resolved,
        ),
        (
            at("2026-12-08T16:00:00Z"),
            TicketStatus::Resolved,
            TicketStatus::Open,
        ),
    ];
    let mut open = t.clone();
    open.status = TicketStatus::Open;
    let again = open.clone().with_clocks_recomputed(&history, &sla);
    // 2h paused and 6h resolved before the reopen: 8h later.
    assert_eq!(again.due_at, at("2026-12-10T18:00:00Z"));
    assert_eq!(again.paused_at, None);
    assert_eq!(
        again.first_response_due_at,
        Some(at("2026-12-07T18:00:00Z"))
    );
    // Waiting on the customer now: paused since the last step into it.
    let mut waiting = t;
    waiting.status = TicketStatus::Pending;
    let later = [(
        at("2026-12-09T09:00:00Z"),
        TicketStatus::Open,
        TicketStatus::Pending,
    )];
    let again = waiting.with_clocks_recomputed(&[&history[..], &later[..]].concat(), &sla);
    assert_eq!(again.paused_at, Some(at("2026-12-09T09:00:00Z")));
    assert_eq!(again.due_at, at("2026-12-10T18:00:00Z"));
}

#[test]
fn recomputed_clocks_of_a_ticket_imported_waiting_count_the_pause_from_its_opening() {
    let sla = SlaPolicy::default();
    let mut t = ticket(&sla); // normal: 3d from Mon 10:00
    t.status = TicketStatus::Open;
    let history = [(
        at("2026-12-08T10:00:00Z"),
        TicketStatus::Pending,
        TicketStatus::Open,
    )];
    let again = t.with_clocks_recomputed(&history, &sla);
    assert_eq!(
        again.due_at,
        at("2026-12-11T10:00:00Z"),
        "a day waiting, a day later"
    );
}
