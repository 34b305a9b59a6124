//! The service and success rules of issue 5 at fixed instants: SLA targets
//! per priority, first response, reopen, recurrence across month ends, the
//! health score and its reasons (an organization's rolling up its people's),
//! through the store; then the command line with `--json` (`customer show`'s
//! health and renewal suggestion, `ticket list --overdue`, `agenda`).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use tempfile::TempDir;

use tuicrm::domain::health::{Health, HealthBand, HealthWeights};
use tuicrm::domain::sla_clock::ClockState;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, Direction, FollowupDraft, FollowupKind, FollowupStatus,
    InteractionDraft, InteractionKind, Priority, Recurrence, SlaPolicy, TicketDraft, TicketStatus,
};
use tuicrm::store::{FollowupQuery, Store, TicketQuery};

// ---------------------------------------------------------------- helpers

fn at(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|e| panic!("bad instant {text:?}: {e}"))
}

fn clock(when: &str) -> Clock {
    Clock::fixed(at(when), TimeZone::UTC)
}

/// A fresh store in its own folder, its clock at `when`.
fn store_at(when: &str) -> (TempDir, Store) {
    let dir = TempDir::new().expect("temp dir");
    let store = Store::open(&dir.path().join("crm.db"))
        .expect("open store")
        .with_clock(clock(when));
    (dir, store)
}

/// The same store, its clock moved to `when`.
fn later(store: Store, when: &str) -> Store {
    store.with_clock(clock(when))
}

fn person(store: &mut Store, name: &str) -> i64 {
    store
        .add_customer(CustomerDraft::new(CustomerKind::Person, name))
        .expect("add person")
        .id
}

fn member(store: &mut Store, name: &str, organization: i64) -> i64 {
    let mut draft = CustomerDraft::new(CustomerKind::Person, name);
    draft.organization_id = Some(organization);
    store.add_customer(draft).expect("add member").id
}

fn organization(store: &mut Store, name: &str) -> i64 {
    store
        .add_customer(CustomerDraft::new(CustomerKind::Organization, name))
        .expect("add organization")
        .id
}

fn ticket(store: &mut Store, customer: i64, subject: &str, priority: Priority) -> i64 {
    let mut draft = TicketDraft::new(customer, subject);
    draft.priority = priority;
    store.add_ticket(draft).expect("add ticket").id
}

fn set_status(store: &mut Store, id: i64, status: TicketStatus, csat: Option<u8>) {
    store
        .change_ticket(
            id,
            &TicketChange {
                status: Some(status),
                csat,
                ..Default::default()
            },
        )
        .expect("change ticket");
}

fn followup(store: &mut Store, customer: i64, kind: FollowupKind, due_on: Date) -> i64 {
    let mut draft = FollowupDraft::new(customer, due_on);
    draft.kind = kind;
    draft.due_on = due_on;
    store.add_followup(draft).expect("add follow-up").id
}

/// Logs an interaction at `when` (the store's clock may be elsewhere).
fn log(
    store: &mut Store,
    customer: i64,
    summary: &str,
    when: &str,
    direction: Direction,
    ticket: Option<i64>,
) -> i64 {
    let mut draft = InteractionDraft::new(customer, summary, at(when));
    draft.kind = InteractionKind::Email;
    draft.direction = direction;
    draft.ticket_id = ticket;
    store.log_interaction(draft).expect("log").id
}

fn health(store: &Store, id: i64) -> Health {
    store.health(id, &HealthWeights::default()).expect("health")
}

/// The reasons as (text, points), in the order they are shown.
fn reasons(store: &Store, id: i64) -> Vec<(String, i32)> {
    health(store, id)
        .reasons
        .into_iter()
        .map(|r| (r.reason, r.points))
        .collect()
}

fn r(text: &str, points: i32) -> (String, i32) {
    (text.to_string(), points)
}

// ---------------------------------------------------------------- SLA and tickets

/// The spec's defaults: urgent 1h/4h, high 4h/1d, normal 8h/3d, low 1d/7d.
#[test]
fn sla_targets_for_every_priority() {
    let (_dir, mut store) = store_at("2026-11-25T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let opened = at("2026-11-25T10:00:00Z");
    let sla = SlaPolicy::default();
    for (priority, first, resolve) in [
        (Priority::Urgent, 1, 4),
        (Priority::High, 4, 24),
        (Priority::Normal, 8, 72),
        (Priority::Low, 24, 168),
    ] {
        let id = ticket(&mut store, c, "Something", priority);
        let t = store.ticket(id).unwrap();
        assert_eq!(t.opened_at, opened);
        assert_eq!(
            t.due_at,
            opened + SignedDuration::from_hours(resolve),
            "{priority:?} resolution"
        );
        assert_eq!(
            t.first_response_due_at,
            Some(opened + SignedDuration::from_hours(first)),
            "{priority:?} first response"
        );
        // Each clock breached one second after its target, not at it.
        let state = |at: jiff::Timestamp| {
            let clocks = t.clocks(&sla, at);
            (clocks.first_response.state, clocks.resolution.state)
        };
        let first_due = opened + SignedDuration::from_hours(first);
        let second = SignedDuration::from_secs(1);
        assert_ne!(state(first_due).0, ClockState::Breached, "{priority:?}");
        assert_eq!(state(first_due + second).0, ClockState::Breached);
        assert_ne!(state(t.due_at).1, ClockState::Breached, "{priority:?}");
        assert_eq!(state(t.due_at + second).1, ClockState::Breached);
    }
}

#[test]
fn changing_priority_recomputes_due_from_the_opening_time() {
    let (_dir, store) = store_at("2026-11-25T10:00:00Z");
    let mut store = store;
    let c = person(&mut store, "Jane Doe");
    let id = ticket(&mut store, c, "Printer", Priority::Low);
    let mut store = later(store, "2026-11-26T10:00:00Z");
    let t = store
        .change_ticket(
            id,
            &TicketChange {
                priority: Some(Priority::High),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        t.due_at,
        at("2026-11-26T10:00:00Z"),
        "opened + 1d, not now + 1d"
    );
    // Its first response (4h) is long overdue; its resolution is due this
    // very moment: a warning, not yet breached.
    assert_eq!(
        t.first_response_due_at,
        Some(at("2026-11-25T14:00:00Z")),
        "the first response too"
    );
    let clocks = t.clocks(store.sla(), store.clock().now());
    assert_eq!(clocks.resolution.state, ClockState::Warning);
    assert_eq!(clocks.first_response.state, ClockState::Breached);
    let t = store
        .change_ticket(
            id,
            &TicketChange {
                priority: Some(Priority::Urgent),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(t.due_at, at("2026-11-25T14:00:00Z"));
    assert!(t.is_breached(store.sla(), store.clock().now()));
}

/// Only an outbound interaction linked to the ticket is its first response:
/// not an internal note, not an inbound message, not an outbound one that is
/// not linked; a later reply does not move it, and undo takes it back.
#[test]
fn first_response_is_the_first_outbound_interaction_on_the_ticket() {
    let (_dir, mut store) = store_at("2026-11-25T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let t = ticket(&mut store, c, "Cannot log in", Priority::High);
    let mut store = later(store, "2026-11-25T13:00:00Z");
    let first = |store: &Store| store.ticket(t).unwrap().first_response_at;

    let mut note = InteractionDraft::new(c, "Looked at the logs", at("2026-11-25T10:30:00Z"));
    note.ticket_id = Some(t);
    assert_eq!(note.direction, Direction::Internal);
    store.log_interaction(note).unwrap();
    assert_eq!(first(&store), None, "an internal note is no response");

    log(
        &mut store,
        c,
        "Still broken",
        "2026-11-25T10:45:00Z",
        Direction::Inbound,
        Some(t),
    );
    assert_eq!(first(&store), None, "an inbound message is no response");

    log(
        &mut store,
        c,
        "Newsletter",
        "2026-11-25T11:00:00Z",
        Direction::Outbound,
        None,
    );
    assert_eq!(first(&store), None, "an outbound mail not on the ticket");

    log(
        &mut store,
        c,
        "Reset it",
        "2026-11-25T12:00:00Z",
        Direction::Outbound,
        Some(t),
    );
    assert_eq!(first(&store), Some(at("2026-11-25T12:00:00Z")));
    log(
        &mut store,
        c,
        "Follow-up",
        "2026-11-25T12:30:00Z",
        Direction::Outbound,
        Some(t),
    );
    assert_eq!(
        first(&store),
        Some(at("2026-11-25T12:00:00Z")),
        "the first stays"
    );

    // Undo the later reply, then the first: first_response_at goes with it.
    store.undo_last().unwrap();
    assert_eq!(first(&store), Some(at("2026-11-25T12:00:00Z")));
    store.undo_last().unwrap();
    assert_eq!(first(&store), None);
}

#[test]
fn reopening_clears_resolved_at_and_csat() {
    let (_dir, mut store) = store_at("2026-11-25T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let t = ticket(&mut store, c, "Printer", Priority::Normal);
    let mut store = later(store, "2026-11-26T09:00:00Z");
    set_status(&mut store, t, TicketStatus::Resolved, Some(2));
    let resolved = store.ticket(t).unwrap();
    assert_eq!(resolved.resolved_at, Some(at("2026-11-26T09:00:00Z")));
    assert_eq!(resolved.csat, Some(2));
    // Closing a resolved ticket keeps when it was resolved, and its rating.
    let mut store = later(store, "2026-11-27T09:00:00Z");
    set_status(&mut store, t, TicketStatus::Closed, None);
    let closed = store.ticket(t).unwrap();
    assert_eq!(closed.resolved_at, Some(at("2026-11-26T09:00:00Z")));
    assert_eq!(closed.csat, Some(2));
    for reopened_as in [TicketStatus::Open, TicketStatus::Pending, TicketStatus::New] {
        set_status(&mut store, t, TicketStatus::Resolved, Some(5));
        set_status(&mut store, t, reopened_as, None);
        let reopened = store.ticket(t).unwrap();
        assert_eq!(reopened.status, reopened_as);
        assert_eq!(reopened.resolved_at, None, "{reopened_as:?}");
        assert_eq!(reopened.csat, None, "{reopened_as:?}");
    }
    // A reopened ticket cannot be rated.
    let refused = store.change_ticket(
        t,
        &TicketChange {
            csat: Some(4),
            ..Default::default()
        },
    );
    assert!(refused.is_err());
    for bad in [0, 6] {
        let refused = store.change_ticket(
            t,
            &TicketChange {
                status: Some(TicketStatus::Resolved),
                csat: Some(bad),
                ..Default::default()
            },
        );
        let error = refused.expect_err("out of range").to_string();
        assert!(error.contains("from 1 to 5"), "{error}");
    }
}

// ---------------------------------------------------------------- recurrence

/// Finishes the planned follow-up `id` and returns the due date of the next.
fn finish_next(store: &mut Store, id: i64) -> (i64, Date) {
    let (_, next) = store
        .finish_followup(id, FollowupStatus::Done, Some("ok"))
        .expect("finish");
    let next = next.expect("a next one");
    assert_eq!(next.status, FollowupStatus::Planned);
    (next.id, next.due_on)
}

fn recurring(store: &mut Store, customer: i64, due_on: Date, every: &str) -> i64 {
    let mut draft = FollowupDraft::new(customer, due_on);
    draft.due_on = due_on;
    draft.recurrence = Recurrence::parse(every).unwrap();
    store.add_followup(draft).unwrap().id
}

#[test]
fn monthly_follow_ups_across_month_ends() {
    let (_dir, mut store) = store_at("2026-01-31T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let id = recurring(&mut store, c, date(2026, 1, 31), "1m");
    let (id, due) = finish_next(&mut store, id);
    assert_eq!(due, date(2026, 2, 28), "January 31st + 1 month");
    // Old due + interval, each time (so the day of month stays at 28).
    let (_, due) = finish_next(&mut store, id);
    assert_eq!(due, date(2026, 3, 28));
    // A leap year has a February 29th.
    let id = recurring(&mut store, c, date(2028, 1, 31), "1m");
    assert_eq!(finish_next(&mut store, id).1, date(2028, 2, 29));
    // Quarterly from the end of November, across the year end.
    let id = recurring(&mut store, c, date(2026, 11, 30), "3m");
    assert_eq!(finish_next(&mut store, id).1, date(2027, 2, 28));
    // Weeks and days cross month and year ends exactly.
    let id = recurring(&mut store, c, date(2026, 12, 25), "2w");
    assert_eq!(finish_next(&mut store, id).1, date(2027, 1, 8));
    let id = recurring(&mut store, c, date(2026, 2, 27), "3d");
    assert_eq!(finish_next(&mut store, id).1, date(2026, 3, 2));
}

/// The next one is due at the old due date + interval, not today + interval,
/// even when the one finished was long overdue; cancelling ends the series.
#[test]
fn the_next_follow_up_counts_from_the_old_due_date() {
    let (_dir, mut store) = store_at("2026-11-25T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let id = recurring(&mut store, c, date(2026, 10, 1), "2w");
    let (next, due) = finish_next(&mut store, id);
    assert_eq!(due, date(2026, 10, 15));
    let done = store.followup(id).unwrap();
    assert_eq!(done.completed_at, Some(at("2026-11-25T10:00:00Z")));
    assert_eq!(done.outcome.as_deref(), Some("ok"));
    let (_, none) = store
        .finish_followup(next, FollowupStatus::Cancelled, None)
        .unwrap();
    assert!(none.is_none());
}

// ---------------------------------------------------------------- health

#[test]
fn health_counts_breached_tickets_and_open_ones() {
    let (_dir, mut store) = store_at("2026-11-20T09:00:00Z");
    let c = person(&mut store, "Jane Doe");
    log(
        &mut store,
        c,
        "Hello",
        "2026-11-20T09:00:00Z",
        Direction::Outbound,
        None,
    );
    let a = ticket(&mut store, c, "First", Priority::Normal);
    let b = ticket(&mut store, c, "Second", Priority::Normal);
    let d = ticket(&mut store, c, "Third", Priority::Low);
    assert_eq!(health(&store, c).score, 100 - 9);
    assert_eq!(reasons(&store, c), [r("3 open tickets", -9)]);
    // Unanswered past its first-response target (8h), a ticket is past SLA.
    let unanswered = later(store, "2026-11-20T17:00:01Z");
    assert_eq!(
        reasons(&unanswered, c),
        [r("2 tickets past SLA", -30), r("1 open ticket", -3)]
    );
    let mut store = later(unanswered, "2026-11-20T09:00:00Z");
    // Answered at once: the resolution targets are what count from here.
    for t in [a, b, d] {
        log(
            &mut store,
            c,
            "On it",
            "2026-11-20T09:00:00Z",
            Direction::Outbound,
            Some(t),
        );
    }

    // Due 2026-11-23 09:00: one second before, none is breached...
    let store = later(store, "2026-11-23T08:59:59Z");
    assert_eq!(reasons(&store, c), [r("3 open tickets", -9)]);
    // ...and after, the two normal ones are, each costing 15.
    let mut store = later(store, "2026-11-23T09:00:01Z");
    assert_eq!(
        reasons(&store, c),
        [r("2 tickets past SLA", -30), r("1 open ticket", -3)]
    );
    let h = health(&store, c);
    assert_eq!((h.score, h.band()), (67, HealthBand::Watch));
    assert_eq!(h.explain(), "2 tickets past SLA −30, 1 open ticket −3");

    // A resolved ticket costs nothing any more.
    set_status(&mut store, a, TicketStatus::Resolved, None);
    assert_eq!(
        reasons(&store, c),
        [r("1 ticket past SLA", -15), r("1 open ticket", -3)]
    );
    // Breaches are capped at 45.
    for i in 0..4 {
        ticket(&mut store, c, &format!("Urgent {i}"), Priority::Urgent);
    }
    let store = later(store, "2026-11-23T14:00:01Z");
    assert_eq!(
        reasons(&store, c),
        [r("5 tickets past SLA", -45), r("1 open ticket", -3)]
    );
    let h = health(&store, c);
    assert_eq!((h.score, h.band()), (52, HealthBand::Watch));
}

#[test]
fn health_counts_overdue_follow_ups_and_renewals_apart() {
    let (_dir, mut store) = store_at("2026-11-20T09:00:00Z");
    let c = person(&mut store, "Jane Doe");
    log(
        &mut store,
        c,
        "Hello",
        "2026-11-20T09:00:00Z",
        Direction::Outbound,
        None,
    );
    let renewal = followup(&mut store, c, FollowupKind::Renewal, date(2026, 11, 24));
    followup(&mut store, c, FollowupKind::CheckIn, date(2026, 11, 24));
    followup(&mut store, c, FollowupKind::Review, date(2026, 11, 25));
    // On the due date nothing is overdue yet.
    let store = later(store, "2026-11-24T23:00:00Z");
    assert_eq!(reasons(&store, c), []);
    let mut store = later(store, "2026-11-25T10:00:00Z");
    assert_eq!(
        reasons(&store, c),
        [
            r("1 overdue renewal follow-up", -20),
            r("1 overdue follow-up", -10)
        ]
    );
    assert_eq!(health(&store, c).score, 70);
    // Done, it no longer costs anything.
    store
        .finish_followup(renewal, FollowupStatus::Done, None)
        .unwrap();
    assert_eq!(reasons(&store, c), [r("1 overdue follow-up", -10)]);
    // Renewals are capped at 40.
    for day in [1, 2, 3] {
        followup(&mut store, c, FollowupKind::Renewal, date(2026, 11, day));
    }
    assert_eq!(
        reasons(&store, c),
        [
            r("3 overdue renewal follow-ups", -40),
            r("1 overdue follow-up", -10)
        ]
    );
}

/// Silence costs nothing for 30 days, then a point per 3 days, at most 30.
#[test]
fn health_counts_days_of_silence() {
    let (_dir, mut store) = store_at("2026-09-01T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let other = person(&mut store, "Other");
    let store = later(store, "2026-09-30T10:00:00Z");
    assert_eq!(reasons(&store, c), [], "29 days");
    let mut store = later(store, "2026-10-01T10:00:00Z");
    assert_eq!(reasons(&store, c), [r("never contacted in 30 days", -10)]);
    // Someone else's interaction is not contact with this customer.
    log(
        &mut store,
        other,
        "Hi",
        "2026-10-01T10:00:00Z",
        Direction::Outbound,
        None,
    );
    assert_eq!(reasons(&store, c), [r("never contacted in 30 days", -10)]);
    // Inbound counts as contact too.
    log(
        &mut store,
        c,
        "She called",
        "2026-10-01T10:00:00Z",
        Direction::Inbound,
        None,
    );
    assert_eq!(reasons(&store, c), []);
    let store = later(store, "2026-11-15T10:00:00Z");
    assert_eq!(reasons(&store, c), [r("no contact for 45 days", -15)]);
    assert_eq!(health(&store, c).score, 85);
    let store = later(store, "2027-01-01T10:00:00Z");
    assert_eq!(reasons(&store, c), [r("no contact for 92 days", -30)]);
    let store = later(store, "2027-06-01T10:00:00Z");
    assert_eq!(
        reasons(&store, c),
        [r("no contact for 243 days", -30)],
        "capped"
    );
}

/// The average CSAT of tickets resolved in the last 90 days, below 4,
/// costs 5 points per point below.
#[test]
fn health_counts_recent_csat() {
    let (_dir, mut store) = store_at("2026-08-01T10:00:00Z");
    let c = person(&mut store, "Jane Doe");
    let old = ticket(&mut store, c, "Old", Priority::Normal);
    set_status(&mut store, old, TicketStatus::Resolved, Some(1));
    let mut store = later(store, "2026-11-20T10:00:00Z");
    log(
        &mut store,
        c,
        "Hi",
        "2026-11-20T10:00:00Z",
        Direction::Outbound,
        None,
    );
    let two = ticket(&mut store, c, "Two", Priority::Normal);
    let three = ticket(&mut store, c, "Three", Priority::Normal);
    log(
        &mut store,
        c,
        "On it",
        "2026-11-20T10:00:00Z",
        Direction::Outbound,
        Some(two),
    );
    set_status(&mut store, two, TicketStatus::Resolved, Some(2));
    set_status(&mut store, three, TicketStatus::Closed, Some(3));
    let mut store = later(store, "2026-11-25T10:00:00Z");
    // The rating from August (116 days ago) no longer counts.
    let inputs = store.health_inputs(c, 90).unwrap();
    assert_eq!(inputs.recent_csat, Some(2.5));
    assert_eq!(inputs.rated_tickets, 2);
    assert_eq!(reasons(&store, c), [r("CSAT 2.5", -8)]);
    // With a 200-day window it does: (1 + 2 + 3) / 3 = 2.0.
    let inputs = store.health_inputs(c, 200).unwrap();
    assert_eq!((inputs.recent_csat, inputs.rated_tickets), (Some(2.0), 3));
    // Reopening drops a rating; the reopened ticket's clock resumes where
    // it stood (the months it was resolved do not count), so it is open,
    // not past its SLA; good ratings cost nothing.
    set_status(&mut store, two, TicketStatus::Open, None);
    assert_eq!(
        reasons(&store, c),
        [r("1 open ticket", -3), r("CSAT 3.0", -5)]
    );
    set_status(&mut store, two, TicketStatus::Resolved, Some(5));
    assert_eq!(reasons(&store, c), [], "average 4.0 is on target");
}

/// An organization's score counts its own records and its people's; a
/// person's counts only theirs; trashed people drop out.
#[test]
fn an_organizations_health_rolls_up_its_people() {
    let (_dir, mut store) = store_at("2026-11-01T10:00:00Z");
    let acme = organization(&mut store, "Acme Corp");
    let jane = member(&mut store, "Jane Doe", acme);
    let bob = member(&mut store, "Bob Stone", acme);
    let loner = person(&mut store, "Not A Member");
    ticket(&mut store, jane, "SSO loops", Priority::Urgent);
    followup(&mut store, bob, FollowupKind::CheckIn, date(2026, 11, 20));
    ticket(&mut store, loner, "Unrelated", Priority::Urgent);
    let mut store = later(store, "2026-12-10T10:00:00Z");
    // Only Jane was heard from, 5 days ago: that is contact with Acme too.
    log(
        &mut store,
        jane,
        "Call",
        "2026-12-05T10:00:00Z",
        Direction::Inbound,
        None,
    );

    assert_eq!(
        reasons(&store, acme),
        [r("1 ticket past SLA", -15), r("1 overdue follow-up", -10)]
    );
    assert_eq!(health(&store, acme).score, 75);
    assert_eq!(reasons(&store, jane), [r("1 ticket past SLA", -15)]);
    assert_eq!(
        reasons(&store, bob),
        [
            r("1 overdue follow-up", -10),
            r("never contacted in 39 days", -13)
        ]
    );
    // The lists an organization's detail shows include its people's too.
    let tickets = store
        .tickets_page(
            &TicketQuery {
                customer_id: Some(acme),
                ..Default::default()
            },
            None,
            10,
        )
        .unwrap()
        .items;
    assert_eq!(
        tickets.iter().map(|t| t.customer_id).collect::<Vec<_>>(),
        [jane]
    );
    let followups = store
        .followups_page(
            &FollowupQuery {
                customer_id: Some(acme),
                ..Default::default()
            },
            None,
            10,
        )
        .unwrap()
        .items;
    assert_eq!(
        followups.iter().map(|f| f.customer_id).collect::<Vec<_>>(),
        [bob]
    );
    let log_entries = store.interactions_page(acme, None, 10).unwrap().items;
    assert_eq!(
        log_entries
            .iter()
            .map(|i| i.customer_id)
            .collect::<Vec<_>>(),
        [jane]
    );
    // A person's lists stay their own.
    assert!(
        store
            .interactions_page(bob, None, 10)
            .unwrap()
            .items
            .is_empty()
    );

    // Jane goes to the trash: her ticket and her contact leave Acme's score.
    store.delete_customer(jane).unwrap();
    assert_eq!(
        reasons(&store, acme),
        [
            r("1 overdue follow-up", -10),
            r("never contacted in 39 days", -13)
        ]
    );
}

/// The trash rule of every other list: a trashed person's entries leave
/// their organization's log, as they left its tickets and its health.
#[test]
fn a_trashed_persons_interactions_leave_the_organizations_log() {
    let (_dir, mut store) = store_at("2026-11-25T10:00:00Z");
    let acme = organization(&mut store, "Acme Corp");
    let jane = member(&mut store, "Jane Doe", acme);
    log(
        &mut store,
        jane,
        "Call",
        "2026-11-25T09:00:00Z",
        Direction::Inbound,
        None,
    );
    assert_eq!(
        store.interactions_page(acme, None, 10).unwrap().items.len(),
        1
    );
    store.delete_customer(jane).unwrap();
    assert!(
        store
            .interactions_page(acme, None, 10)
            .unwrap()
            .items
            .is_empty()
    );
}

/// Weights come from `[health]` in the config; the store takes them as given.
#[test]
fn health_weights_change_the_points() {
    let (_dir, mut store) = store_at("2026-11-20T09:00:00Z");
    let c = person(&mut store, "Jane Doe");
    log(
        &mut store,
        c,
        "Hello",
        "2026-11-20T09:00:00Z",
        Direction::Outbound,
        None,
    );
    ticket(&mut store, c, "First", Priority::Urgent);
    let store = later(store, "2026-11-21T09:00:00Z");
    let weights = HealthWeights {
        breached_ticket: 40,
        breached_ticket_max: 40,
        ..HealthWeights::default()
    };
    let h = store.health(c, &weights).unwrap();
    assert_eq!(h.score, 60);
    assert_eq!(h.explain(), "1 ticket past SLA −40");
}

// ---------------------------------------------------------------- the command line

const NOW: &str = "2026-11-25T10:00:00Z";

struct Cli {
    dir: TempDir,
    db: PathBuf,
    now: String,
    config: Option<PathBuf>,
}

impl Cli {
    fn new() -> Cli {
        let dir = TempDir::new().expect("temp dir");
        let db = dir.path().join("crm.db");
        Cli {
            dir,
            db,
            now: NOW.to_string(),
            config: None,
        }
    }

    fn at(&mut self, now: &str) {
        self.now = now.to_string();
    }

    fn run(&self, args: &[&str]) -> Output {
        let home = self.dir.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tuicrm"));
        cmd.env_remove("TUICRM_DB")
            .env_remove("TUICRM_CONFIG")
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TUICRM_NOW", &self.now)
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .arg("--db")
            .arg(&self.db);
        if let Some(config) = &self.config {
            cmd.arg("--config").arg(config);
        }
        cmd.args(args).output().expect("run tuicrm")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let stdout = self.ok(&all);
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{stdout}"))
    }

    fn id(&self, args: &[&str]) -> String {
        let value = self.json(args);
        value["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {value:#}"))
            .to_string()
    }

    fn ids(&self, args: &[&str]) -> Vec<String> {
        self.json(args)
            .as_array()
            .expect("a JSON array")
            .iter()
            .map(|v| v["id"].as_i64().unwrap().to_string())
            .collect()
    }
}

#[test]
fn cli_customer_show_has_health_with_reasons_and_the_renewal_suggestion() {
    let mut cli = Cli::new();
    cli.at("2026-11-20T09:00:00Z");
    let jane = cli.id(&["customer", "add", "Jane Doe", "--renewal", "2027-03-01"]);
    cli.ok(&["log", &jane, "Kick-off", "--kind", "call"]);
    let exports = cli.id(&["ticket", "add", &jane, "Exports time out"]);
    let sso = cli.id(&["ticket", "add", &jane, "SSO loops", "--priority", "low"]);
    // Answered at once: the resolution targets count.
    for t in [&exports, &sso] {
        cli.ok(&["log", &jane, "On it", "--kind", "email", "--ticket", t]);
    }
    cli.at(NOW);

    let view = cli.json(&["customer", "show", &jane]);
    assert_eq!(
        view["health"],
        json!({
            "score": 82,
            "reasons": [
                {"reason": "1 ticket past SLA", "points": -15},
                {"reason": "1 open ticket", "points": -3},
            ]
        })
    );
    assert_eq!(view["renewal_suggestion"], "2027-01-30");
    let plain = cli.ok(&["customer", "show", &jane]);
    assert!(
        plain.contains("health: 82 (1 ticket past SLA −15, 1 open ticket −3)"),
        "{plain}"
    );
    assert!(
        plain.contains(&format!(
            "suggested: renewal follow-up due 2027-01-30: tuicrm followup add {jane} --kind renewal --due 2027-01-30"
        )),
        "{plain}"
    );

    // Planning it (as suggested) answers the suggestion.
    cli.ok(&[
        "followup",
        "add",
        &jane,
        "--kind",
        "renewal",
        "--due",
        "2027-01-30",
    ]);
    let view = cli.json(&["customer", "show", &jane]);
    assert_eq!(view["renewal_suggestion"], Value::Null);
    assert!(
        !cli.ok(&["customer", "show", &jane]).contains("suggested:"),
        "no suggestion line once planned"
    );

    // A healthy customer without a renewal: 100, no reasons, null.
    let bob = cli.id(&["customer", "add", "Bob Stone"]);
    let view = cli.json(&["customer", "show", &bob]);
    assert_eq!(view["health"], json!({"score": 100, "reasons": []}));
    assert_eq!(view["renewal_suggestion"], Value::Null);
    assert!(
        cli.ok(&["customer", "show", &bob])
            .contains("health: 100 (nothing to worry about)")
    );
}

#[test]
fn cli_renewal_suggestion_close_to_the_date_is_today_and_past_is_none() {
    let cli = Cli::new();
    let soon = cli.id(&["customer", "add", "Soon", "--renewal", "2026-12-10"]);
    assert_eq!(
        cli.json(&["customer", "show", &soon])["renewal_suggestion"],
        "2026-11-25"
    );
    let past = cli.id(&["customer", "add", "Past", "--renewal", "2026-11-01"]);
    assert_eq!(
        cli.json(&["customer", "show", &past])["renewal_suggestion"],
        Value::Null
    );
}

/// `customer show ORG`: its people's tickets in its list and in its score.
#[test]
fn cli_organization_health_rolls_up_its_people() {
    let mut cli = Cli::new();
    cli.at("2026-11-20T09:00:00Z");
    let acme = cli.id(&["customer", "add", "Acme Corp", "--organization"]);
    let jane = cli.id(&["customer", "add", "Jane Doe", "--org", &acme]);
    let t = cli.id(&["ticket", "add", &jane, "SSO loops", "--priority", "urgent"]);
    cli.ok(&["log", &jane, "Called about SSO"]);
    cli.at(NOW);
    let view = cli.json(&["customer", "show", &acme]);
    assert_eq!(view["health"]["score"], 85);
    assert_eq!(
        view["health"]["reasons"],
        json!([{"reason": "1 ticket past SLA", "points": -15}])
    );
    let tickets: Vec<String> = view["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].to_string())
        .collect();
    assert_eq!(tickets, std::slice::from_ref(&t));
    assert_eq!(view["interactions"].as_array().unwrap().len(), 1);
    assert_eq!(
        cli.ids(&["ticket", "list", "--customer", &acme]),
        [t],
        "the organization's tickets include its people's"
    );
}

/// A broken `[health]` weight is a clear error naming the file; a good one
/// changes the score.
#[test]
fn cli_health_weights_come_from_the_config() {
    let mut cli = Cli::new();
    let config = cli.dir.path().join("config.toml");
    std::fs::write(&config, "[health]\nopen_ticket = 10\n").unwrap();
    cli.config = Some(config.clone());
    let jane = cli.id(&["customer", "add", "Jane Doe"]);
    cli.ok(&["ticket", "add", &jane, "Question", "--priority", "low"]);
    let view = cli.json(&["customer", "show", &jane]);
    assert_eq!(
        view["health"],
        json!({"score": 90, "reasons": [{"reason": "1 open ticket", "points": -10}]})
    );
    std::fs::write(&config, "[health]\nopen_tickets = 10\n").unwrap();
    let out = cli.run(&["customer", "show", &jane]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("config.toml"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn cli_ticket_list_overdue() {
    let mut cli = Cli::new();
    let jane = cli.id(&["customer", "add", "Jane Doe"]);
    let urgent = cli.id(&["ticket", "add", &jane, "Down", "--priority", "urgent"]);
    let normal = cli.id(&["ticket", "add", &jane, "Slow"]);
    let solved = cli.id(&["ticket", "add", &jane, "Typo", "--priority", "urgent"]);
    cli.ok(&["ticket", "set", &solved, "--status", "resolved"]);
    // Answered at once: only the resolution clocks run (an unanswered
    // ticket is overdue after its first-response target, another test).
    for t in [&urgent, &normal] {
        cli.ok(&["log", &jane, "On it", "--kind", "email", "--ticket", t]);
    }
    // Exactly at the urgent target (4h) it is not overdue; a minute later it is.
    cli.at("2026-11-25T14:00:00Z");
    assert!(cli.ids(&["ticket", "list", "--overdue"]).is_empty());
    cli.at("2026-11-25T14:01:00Z");
    assert_eq!(
        cli.ids(&["ticket", "list", "--overdue"]),
        std::slice::from_ref(&urgent)
    );
    cli.at("2026-11-28T10:01:00Z");
    assert_eq!(
        cli.ids(&["ticket", "list", "--overdue"]),
        [urgent.clone(), normal],
        "most overdue first; the resolved one never"
    );
    // Resolving takes it off; reopening puts it back.
    cli.ok(&["ticket", "set", &urgent, "--status", "closed"]);
    assert_eq!(cli.ids(&["ticket", "list", "--overdue"]).len(), 1);
    cli.ok(&["ticket", "set", &urgent, "--status", "open"]);
    assert_eq!(cli.ids(&["ticket", "list", "--overdue"]).len(), 2);
}

#[test]
fn cli_agenda_says_why_each_line_is_there() {
    let mut cli = Cli::new();
    cli.at("2026-11-25T08:00:00Z");
    let jane = cli.id(&["customer", "add", "Jane Doe"]);
    let breached = cli.id(&["ticket", "add", &jane, "Down", "--priority", "urgent"]);
    let due_soon = cli.id(&["ticket", "add", &jane, "Slow", "--priority", "high"]);
    cli.at("2026-11-25T14:00:00Z");
    let late = cli.id(&[
        "followup",
        "add",
        &jane,
        "--kind",
        "renewal",
        "--due",
        "2026-11-22",
    ]);
    let today = cli.id(&["followup", "add", &jane, "--due", "today"]);
    let tomorrow = cli.id(&["followup", "add", &jane, "--due", "tomorrow"]);

    let agenda = cli.json(&["agenda", "--days", "7"]);
    let lines: Vec<(String, String, String, String)> = agenda
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["section"].as_str().unwrap().to_string(),
                l["kind"].as_str().unwrap().to_string(),
                l["id"].to_string(),
                l["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let line = |section: &str, kind: &str, id: &str, reason: &str| {
        (
            section.to_string(),
            kind.to_string(),
            id.to_string(),
            reason.to_string(),
        )
    };
    assert_eq!(
        lines,
        [
            line("overdue", "followup", &late, "overdue 3d"),
            // Unanswered: the first response owed comes first (urgent 1h, high 4h).
            line("overdue", "ticket", &breached, "no answer yet, due 5h ago"),
            line("overdue", "ticket", &due_soon, "no answer yet, due 2h ago"),
            line("today", "followup", &today, "due today"),
            line("upcoming", "followup", &tomorrow, "due tomorrow"),
        ],
        "{agenda:#}"
    );
    let first = &agenda[0];
    assert_eq!(first["customer"], "Jane Doe");
    assert_eq!(first["what"], "renewal follow-up");
    // Answered: their resolutions (urgent 4h, high 1d); one waiting on the
    // customer needs nothing from us and leaves the agenda.
    for t in [&breached, &due_soon] {
        cli.ok(&["log", &jane, "On it", "--kind", "email", "--ticket", t]);
    }
    let reasons = |cli: &Cli| -> Vec<(String, String)> {
        let agenda = cli.json(&["agenda", "--days", "7"]);
        agenda
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["kind"] == "ticket")
            .map(|l| {
                (
                    l["id"].to_string(),
                    l["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        reasons(&cli),
        [
            (breached.clone(), "SLA breached 2h ago".to_string()),
            (due_soon.clone(), "SLA due in 18h".to_string()),
        ]
    );
    cli.ok(&["ticket", "set", &due_soon, "--status", "pending"]);
    assert_eq!(
        reasons(&cli),
        [(breached.clone(), "SLA breached 2h ago".to_string())]
    );
}
