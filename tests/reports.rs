//! `tuicrm report` through the store and the command line: a week of hand-
//! made tickets with a pinned clock gives the figures worked out by hand,
//! in JSON, CSV and the table; trashed customers' tickets are left out;
//! bad periods are refused as usage errors.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tempfile::TempDir;

use tuicrm::domain::report::{ReportBy, ReportSpec};
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, Direction, InteractionDraft, InteractionKind, Priority,
    TicketDraft, TicketStatus,
};
use tuicrm::store::Store;

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn open(dir: &TempDir, when: &str) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(when), TimeZone::UTC))
}

fn answer(store: &mut Store, customer: i64, ticket: i64, when: &str) {
    let mut reply = InteractionDraft::new(customer, "On it", at(when));
    reply.kind = InteractionKind::Email;
    reply.direction = Direction::Outbound;
    reply.ticket_id = Some(ticket);
    store.log_interaction(reply).unwrap();
}

fn resolve(store: &mut Store, ticket: i64, csat: Option<u8>) {
    let change = TicketChange {
        status: Some(TicketStatus::Resolved),
        csat,
        ..TicketChange::default()
    };
    store.change_ticket(ticket, &change).unwrap();
}

/// Week 48 (Mon 23 Nov – Sun 29 Nov 2026), read on Wed 2 Dec:
/// - urgent, answered in 30 min, resolved in 3h, rated 5;
/// - urgent, answered after 2h (late), resolved after 6h (late), rated 3;
/// - normal, never answered, still open (both clocks run out in the week);
/// - a trashed customer's urgent ticket, left out everywhere.
fn fixture(dir: &TempDir) {
    let mut store = open(dir, "2026-11-23T09:00:00Z");
    let jane = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Jane Doe"))
        .unwrap()
        .id;
    let gone = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Gone Person"))
        .unwrap()
        .id;
    let ticket = |store: &mut Store, customer: i64, priority: Priority| {
        let mut draft = TicketDraft::new(customer, "Help");
        draft.priority = priority;
        draft.assignee = Some("ana".to_string());
        store.add_ticket(draft).unwrap().id
    };
    let fast = ticket(&mut store, jane, Priority::Urgent);
    let mut store = open(dir, "2026-11-24T09:00:00Z");
    let slow = ticket(&mut store, jane, Priority::Urgent);
    let mut store = open(dir, "2026-11-25T09:00:00Z");
    ticket(&mut store, jane, Priority::Normal);
    let trashed = ticket(&mut store, gone, Priority::Urgent);
    answer(&mut store, jane, fast, "2026-11-23T09:30:00Z");
    answer(&mut store, jane, slow, "2026-11-24T11:00:00Z");
    let mut store = open(dir, "2026-11-23T12:00:00Z");
    resolve(&mut store, fast, Some(5));
    let mut store = open(dir, "2026-11-24T15:00:00Z");
    resolve(&mut store, slow, Some(3));
    resolve(&mut store, trashed, Some(1));
    store.delete_customer(gone).unwrap();
}

fn tuicrm(dir: &TempDir, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tuicrm"))
        .env_remove("TUICRM_DB")
        .env_remove("TUICRM_CONFIG")
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
        .env("TUICRM_NOW", "2026-12-02T12:00:00Z")
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::null())
        .arg("--db")
        .arg(dir.path().join("crm.db"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(dir: &TempDir, args: &[&str]) -> String {
    let out = tuicrm(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_gives_the_figures_worked_out_by_hand() {
    let dir = TempDir::new().unwrap();
    fixture(&dir);
    let text = stdout(
        &dir,
        &[
            "--json",
            "report",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-29",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["by"], "week");
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let w48 = &rows[0];
    assert_eq!(w48["bucket"], "2026-W48");
    assert_eq!(
        (w48["from"].as_str(), w48["to"].as_str()),
        (Some("2026-11-23"), Some("2026-11-29"))
    );
    assert_eq!(
        (w48["opened"].as_u64(), w48["resolved"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(w48["first_response"]["count"], 2);
    assert_eq!(w48["first_response"]["median_minutes"], 30);
    assert_eq!(w48["first_response"]["p90_minutes"], 120);
    assert_eq!(w48["resolution"]["median_minutes"], 180);
    assert_eq!(w48["resolution"]["p90_minutes"], 360);
    // Met: the fast one; missed: the slow one and the unanswered one.
    assert_eq!(w48["first_response_sla"]["met"], 1);
    assert_eq!(w48["first_response_sla"]["missed"], 2);
    assert_eq!(w48["first_response_sla"]["met_percent"], 33.3);
    // The normal one's 3 days run out on Saturday the 28th.
    assert_eq!(w48["resolution_sla"]["missed"], 2);
    assert_eq!(w48["backlog"]["open"], 1);
    assert_eq!(w48["backlog"]["1d_to_7d"], 1);
    assert_eq!(w48["csat_average"], 4.0);
    assert_eq!(w48["csat_ratings"], 2);
    assert_eq!(json["total"]["opened"], 3);
    assert_eq!(json["total"]["bucket"], "total");
}

#[test]
fn the_store_and_the_cli_agree_and_groups_split_the_total() {
    let dir = TempDir::new().unwrap();
    fixture(&dir);
    let store = open(&dir, "2026-12-02T12:00:00Z");
    let spec = ReportSpec {
        by: ReportBy::Priority,
        from: "2026-11-23".parse().unwrap(),
        to: "2026-11-29".parse().unwrap(),
        tz: TimeZone::UTC,
    };
    let report = store.report(&spec).unwrap();
    let names: Vec<_> = report.rows.iter().map(|r| r.bucket.as_str()).collect();
    assert_eq!(names, ["urgent", "normal"]);
    assert_eq!(report.rows[0].opened, 2);
    let text = stdout(
        &dir,
        &[
            "--json",
            "report",
            "--by",
            "priority",
            "--from",
            "2026-11-23",
            "--to",
            "2026-11-29",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json, serde_json::to_value(&report).unwrap());
}

#[test]
fn the_reports_tab_shows_what_the_cli_prints_for_its_period() {
    let dir = TempDir::new().unwrap();
    fixture(&dir);
    let store = open(&dir, "2026-12-02T12:00:00Z");
    let keymap =
        tuicrm::config::keymap::Keymap::from_config(&tuicrm::config::Config::defaults().keys)
            .unwrap();
    let mut state = tuicrm::app::State::new(&store, &keymap, "USD");
    let mut store = store;
    tuicrm::app::update(&mut state, &mut store, tuicrm::app::Action::TabReports);
    assert!(state.reports.loading());
    tuicrm::app::reports::read_wanted(&mut state, &store);
    let shown = state.reports.report.clone().unwrap();
    assert_eq!(
        (shown.from.to_string(), shown.to.to_string()),
        ("2026-09-14".into(), "2026-12-02".into())
    );
    let text = stdout(&dir, &["--json", "report", "--from", "2026-09-14"]);
    let printed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(printed, serde_json::to_value(&shown).unwrap());
    assert_eq!(shown.total.opened, 3);
}

#[test]
fn csv_and_the_table_carry_every_row_and_the_total() {
    let dir = TempDir::new().unwrap();
    fixture(&dir);
    let csv = stdout(
        &dir,
        &[
            "report",
            "--csv",
            "--from",
            "2026-11-16",
            "--to",
            "2026-11-29",
        ],
    );
    let lines: Vec<_> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("bucket,from,to,opened,resolved,first_response_count"));
    assert!(
        lines[1].starts_with("2026-W47,2026-11-16,2026-11-22,0,0,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("2026-W48,2026-11-23,2026-11-29,3,2,2,30,120,"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("total,2026-11-16,2026-11-29,3,2,"),
        "{}",
        lines[3]
    );

    let out = tuicrm(
        &dir,
        &["report", "--by", "assignee", "--from", "2026-11-23"],
    );
    let table = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("tickets from 2026-11-23 to 2026-12-02, by assignee"),
        "{stderr}"
    );
    assert!(
        table.starts_with("ASSIGNEE  OPENED  RESOLVED  REPLY MED/P90"),
        "{table}"
    );
    assert!(table.contains("\nana "), "{table}");
    assert!(table.contains("30m / 2h"), "{table}");
    assert!(
        table.lines().last().unwrap().starts_with("total"),
        "{table}"
    );
}

#[test]
fn bad_periods_and_groupings_are_usage_errors() {
    let dir = TempDir::new().unwrap();
    stdout(&dir, &["init"]);
    for args in [
        &["report", "--from", "2026-12-01", "--to", "2026-11-01"][..],
        &["report", "--by", "year"],
        &["report", "--from", "last tuesday"],
        &["--json", "report", "--csv"],
    ] {
        let out = tuicrm(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
    }
    // An empty database reports nothing, in every form, without failing.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&dir, &["--json", "report"])).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 12);
    assert_eq!(
        json["total"]["first_response_sla"]["met_percent"],
        serde_json::Value::Null
    );
}
