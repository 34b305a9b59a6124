//! Service-level clocks through the store and the command line: pauses
//! kept with the ticket survive a reopen of the database and undo, a paused
//! ticket costs no health and is not overdue, the kept per-account figures
//! stay equal to a recount, and business hours from the settings move due
//! times.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::domain::health::HealthWeights;
use tuicrm::domain::sla_clock::ClockState;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{Clock, CustomerDraft, CustomerKind, Priority, TicketDraft, TicketStatus};
use tuicrm::store::{Store, TicketQuery};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn open(dir: &TempDir, when: &str) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(when), TimeZone::UTC))
}

fn status(store: &mut Store, id: i64, status: TicketStatus) {
    let change = TicketChange {
        status: Some(status),
        ..TicketChange::default()
    };
    store.change_ticket(id, &change).unwrap();
}

fn overdue(store: &Store) -> Vec<i64> {
    let query = TicketQuery {
        due_before: Some(Timestamp::MAX),
        breached_at: Some(store.clock().now()),
        ..TicketQuery::default()
    };
    store
        .tickets_page(&query, None, 100)
        .unwrap()
        .items
        .iter()
        .map(|t| t.id)
        .collect()
}

#[test]
fn a_pause_survives_reopening_and_undo_and_costs_no_health() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, "2026-12-07T10:00:00Z");
    let c = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Jane Doe"))
        .unwrap()
        .id;
    let mut draft = TicketDraft::new(c, "Printer on fire");
    draft.priority = Priority::Urgent; // 1h to answer, 4h to resolve
    let id = store.add_ticket(draft).unwrap().id;
    let t = store.ticket(id).unwrap();
    assert_eq!(t.first_response_due_at, Some(at("2026-12-07T11:00:00Z")));
    assert_eq!(t.due_at, at("2026-12-07T14:00:00Z"));
    // Answered at once, waiting on the customer from 10:30.
    let mut reply = tuicrm::domain::InteractionDraft::new(c, "On it", at("2026-12-07T10:05:00Z"));
    reply.kind = tuicrm::domain::InteractionKind::Email;
    reply.direction = tuicrm::domain::Direction::Outbound;
    reply.ticket_id = Some(id);
    store.log_interaction(reply).unwrap();
    let mut store = open(&dir, "2026-12-07T10:30:00Z");
    status(&mut store, id, TicketStatus::Pending);
    drop(store);

    // The next week, after a restart: paused, not overdue, no health cost.
    let mut store = open(&dir, "2026-12-14T10:00:00Z");
    let t = store.ticket(id).unwrap();
    assert_eq!(t.paused_at, Some(at("2026-12-07T10:30:00Z")));
    let clocks = t.clocks(store.sla(), store.clock().now());
    assert_eq!(clocks.resolution.state, ClockState::Paused);
    assert!(overdue(&store).is_empty());
    assert_eq!(store.counts().unwrap().breached_tickets, 0);
    let weights = HealthWeights::default();
    let health = store.health(c, &weights).unwrap();
    assert!(
        health.reasons.iter().all(|r| !r.reason.contains("ticket")),
        "{health:?}"
    );
    assert_eq!(store.check().unwrap(), Vec::<String>::new());

    // The customer answers: the clock runs on with 3h30m left, due 13:30.
    status(&mut store, id, TicketStatus::Open);
    let t = store.ticket(id).unwrap();
    assert_eq!((t.paused_at, t.due_at), (None, at("2026-12-14T13:30:00Z")));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Undone: paused again since 10:30 last week, the due time as it was.
    store.undo_last().unwrap();
    let t = store.ticket(id).unwrap();
    assert_eq!(t.status, TicketStatus::Pending);
    assert_eq!(t.paused_at, Some(at("2026-12-07T10:30:00Z")));
    assert_eq!(t.due_at, at("2026-12-07T14:00:00Z"));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Undone again: open (as the reply made it) and running, the pause
    // undone too: the clock ran all week, overdue.
    store.undo_last().unwrap();
    let t = store.ticket(id).unwrap();
    assert_eq!((t.status, t.paused_at), (TicketStatus::Open, None));
    assert_eq!(overdue(&store), [id]);
    assert_eq!(store.counts().unwrap().breached_tickets, 1);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

/// `tuicrm --config CONFIG --db DB --json ARGS` at `now`: its output and
/// exit code.
fn tuicrm(dir: &TempDir, now: &str, args: &[&str]) -> (serde_json::Value, i32, String) {
    let home = dir.path();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tuicrm"))
        .env_remove("TUICRM_DB")
        .env_remove("TUICRM_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("xdg"))
        .env("TUICRM_NOW", now)
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::null())
        .arg("--config")
        .arg(home.join("config.toml"))
        .arg("--db")
        .arg(home.join("crm.db"))
        .arg("--json")
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (json, out.status.code().unwrap_or(-1), stderr)
}

#[test]
fn business_hours_from_the_settings_move_due_times() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[sla.calendar]\nhours = [\"mon-fri 09:00-17:00\"]\nzone = \"UTC\"\n\
         [sla.urgent]\ncalendar = \"24x7\"\n",
    )
    .unwrap();
    // Friday 16:00.
    let friday = "2026-12-04T16:00:00Z";
    let ok = |now: &str, args: &[&str]| {
        let (json, code, stderr) = tuicrm(&dir, now, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        json
    };
    let jane = ok(friday, &["customer", "add", "Jane Doe"])["id"].to_string();
    let normal = ok(friday, &["ticket", "add", &jane, "Slow"]);
    // 8 business hours to answer: one on Friday, seven on Monday.
    assert_eq!(normal["first_response_due_at"], "2026-12-07T16:00:00Z");
    // 3 days of targets are 72 business hours: nine working days on.
    assert_eq!(normal["due_at"], "2026-12-17T16:00:00Z");
    let urgent = ok(
        friday,
        &["ticket", "add", &jane, "Down", "--priority", "urgent"],
    );
    assert_eq!(urgent["due_at"], "2026-12-04T20:00:00Z");
    // On Saturday the normal ticket's first-response clock stands at 7h left.
    let id = normal["id"].to_string();
    let shown = ok("2026-12-05T12:00:00Z", &["ticket", "show", &id]);
    assert_eq!(shown["sla"]["first_response"]["state"], "ok");
    assert_eq!(shown["sla"]["first_response"]["minutes_left"], 7 * 60);
    // The urgent one, every hour counting, is past both its clocks.
    let overdue = ok("2026-12-05T12:00:00Z", &["ticket", "list", "--overdue"]);
    let ids: Vec<String> = overdue
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].to_string())
        .collect();
    assert_eq!(ids, [urgent["id"].to_string()]);
    // A setting that does not read is one clear line naming it.
    std::fs::write(
        dir.path().join("config.toml"),
        "[sla.calendar]\nhours = [\"weekdays\"]\n",
    )
    .unwrap();
    let (_, code, stderr) = tuicrm(&dir, friday, &["ticket", "list"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("sla.calendar.hours"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

/// New targets or a calendar in the settings: the unfinished tickets' due
/// times are worked out again from their opening, keeping the pauses their
/// status history tells of; finished ones keep theirs; once only.
#[test]
fn new_service_levels_in_the_settings_move_unfinished_tickets_due_times() {
    let dir = TempDir::new().unwrap();
    let mut store = open(&dir, "2026-12-07T10:00:00Z"); // a Monday
    let c = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Jane Doe"))
        .unwrap()
        .id;
    let mut draft = TicketDraft::new(c, "Printer on fire");
    draft.priority = Priority::Urgent; // 1h / 4h, 24x7
    let paused = store.add_ticket(draft.clone()).unwrap().id;
    let done = store.add_ticket(draft).unwrap().id;
    // Waiting on the customer from 11:00 to 13:00: due 14:00 moves to 16:00.
    let mut store = open(&dir, "2026-12-07T11:00:00Z");
    status(&mut store, paused, TicketStatus::Pending);
    status(&mut store, done, TicketStatus::Resolved);
    let mut store = open(&dir, "2026-12-07T13:00:00Z");
    status(&mut store, paused, TicketStatus::Open);
    assert_eq!(
        store.ticket(paused).unwrap().due_at,
        at("2026-12-07T16:00:00Z")
    );
    let done_due = store.ticket(done).unwrap().due_at;
    // The same settings again change nothing.
    assert_eq!(store.settle_sla().unwrap(), 0);
    drop(store);

    // Urgent now gets 8h to resolve, in business hours 09:00-17:00.
    let mut sla = tuicrm::domain::SlaPolicy {
        calendar: tuicrm::domain::calendar::Calendar::business(
            &["mon-fri 09:00-17:00".to_string()],
            TimeZone::UTC,
            &[],
        )
        .unwrap(),
        ..tuicrm::domain::SlaPolicy::default()
    };
    sla.urgent.resolution = jiff::SignedDuration::from_hours(8);
    let mut store = open(&dir, "2026-12-07T14:00:00Z").with_sla(sla.clone());
    assert_eq!(store.settle_sla().unwrap(), 1);
    let t = store.ticket(paused).unwrap();
    // 8 business hours from Mon 10:00 is Tue 10:00, the 2h pause on: 12:00.
    assert_eq!(t.due_at, at("2026-12-08T12:00:00Z"));
    assert_eq!(t.first_response_due_at, Some(at("2026-12-07T11:00:00Z")));
    assert_eq!(
        store.ticket(done).unwrap().due_at,
        done_due,
        "finished ones keep theirs"
    );
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    assert_eq!(store.settle_sla().unwrap(), 0, "once");
    // Not an undo step: undo takes back the reopening, and says the due
    // times stay.
    let undone = store.undo_last().unwrap().unwrap();
    let t = store.ticket(paused).unwrap();
    assert_eq!(t.status, TicketStatus::Pending);
    assert!(!undone.passed_over.is_empty());
    // What undo put back is worked out under the settings of now, not of
    // then: 8 business hours from Monday 10:00, waiting since 11:00.
    assert_eq!(t.due_at, at("2026-12-08T10:00:00Z"));
    assert_eq!(t.paused_at, Some(at("2026-12-07T11:00:00Z")));
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Back to the defaults: back to the first due times.
    let mut store = open(&dir, "2026-12-07T14:00:00Z");
    status(&mut store, paused, TicketStatus::Open);
    store.settle_sla().unwrap();
    assert_eq!(
        store.ticket(paused).unwrap().due_at,
        at("2026-12-07T17:00:00Z")
    );
}
