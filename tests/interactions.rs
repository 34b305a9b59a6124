//! Log entries are records (issue 12.7): an interaction is corrected and
//! deleted like any other, undo brings it back with its search entry, a
//! ticket's first response follows; `tuicrm interaction ...`; Enter on a log
//! row opens it whole in the TUI.

mod common;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use serde_json::Value;
use tempfile::TempDir;

use tuicrm::app::form::FieldValue;
use tuicrm::app::{Action, Pane, Popup, State, update};
use tuicrm::config::Config;
use tuicrm::config::keymap::Keymap;
use tuicrm::domain::edit::OnConflict;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, Direction, Interaction, InteractionDraft, InteractionKind,
    TicketDraft,
};
use tuicrm::store::{InteractionQuery, Store, StoreError};
use tuicrm::ui::Theme;

const NOW: &str = "2026-11-25T10:00:00Z";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn store_in(dir: &TempDir) -> Store {
    Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(Clock::fixed(at(NOW), TimeZone::UTC))
}

fn person(store: &mut Store, name: &str, org: Option<i64>) -> i64 {
    let mut draft = CustomerDraft::new(CustomerKind::Person, name);
    draft.organization_id = org;
    store.add_customer(draft).unwrap().id
}

fn log(
    store: &mut Store,
    customer: i64,
    summary: &str,
    when: &str,
    kind: InteractionKind,
    direction: Direction,
    ticket: Option<i64>,
) -> Interaction {
    let mut draft = InteractionDraft::new(customer, summary, at(when));
    draft.kind = kind;
    draft.direction = direction;
    draft.ticket_id = ticket;
    store.log_interaction(draft).unwrap()
}

fn log_ids(store: &Store, customer: i64) -> Vec<i64> {
    let page = store.interactions_page(customer, None, 100).unwrap();
    page.items.iter().map(|i| i.id).collect()
}

fn search_ids(store: &Store, words: &str) -> Vec<i64> {
    store
        .search(words, 20)
        .unwrap()
        .iter()
        .filter(|h| h.kind == tuicrm::domain::Entity::Interaction)
        .map(|h| h.id)
        .collect()
}

fn first_response(store: &Store, ticket: i64) -> Option<Timestamp> {
    store.ticket(ticket).unwrap().first_response_at
}

// ------------------------------------------------------------------ store

#[test]
fn an_edit_merges_with_another_processs_change_and_refuses_a_clash_unless_told() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let call = log(
        &mut store,
        jane,
        "Asked for a discount",
        "2026-11-25T09:00:00Z",
        InteractionKind::Call,
        Direction::Inbound,
        None,
    );
    let base = call.edit();
    // Another process corrects the summary meanwhile.
    let mut theirs = base.clone();
    theirs.summary = "Asked for a 10% discount".into();
    store
        .edit_interaction(call.id, &base, theirs, OnConflict::Refuse)
        .unwrap();

    // Another field from the stale form: both changes stay.
    let mut body_only = base.clone();
    body_only.body = Some("Wants it before the renewal.".into());
    let saved = store
        .edit_interaction(call.id, &base, body_only, OnConflict::Refuse)
        .unwrap();
    assert_eq!(saved.summary, "Asked for a 10% discount");
    assert_eq!(saved.body.as_deref(), Some("Wants it before the renewal."));

    // The same field: refused, naming what it is now; overwritten when told.
    let mut mine = base.clone();
    mine.summary = "Asked for a discount again".into();
    let err = store
        .edit_interaction(call.id, &base, mine.clone(), OnConflict::Refuse)
        .unwrap_err();
    assert!(matches!(err, StoreError::ChangedMeanwhile { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("summary is now “Asked for a 10% discount”"),
        "{err}"
    );
    let saved = store
        .edit_interaction(call.id, &base, mine, OnConflict::Overwrite)
        .unwrap();
    assert_eq!(saved.summary, "Asked for a discount again");

    // Each edit is one undo step, field by field.
    store.undo_last().unwrap();
    assert_eq!(
        store.interaction(call.id).unwrap().summary,
        "Asked for a 10% discount"
    );
    store.undo_last().unwrap();
    assert_eq!(store.interaction(call.id).unwrap().body, None);
    // The search follows every step.
    assert_eq!(search_ids(&store, "10%"), vec![call.id]);
}

#[test]
fn an_edit_checks_what_it_saves() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let note = log(
        &mut store,
        jane,
        "Internal note",
        "2026-11-25T09:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        None,
    );
    let base = note.edit();
    let mut blank = base.clone();
    blank.summary = "   ".into();
    let err = store
        .edit_interaction(note.id, &base, blank, OnConflict::Refuse)
        .unwrap_err();
    assert_eq!(err.to_string(), "summary must not be blank");
    let mut system = base.clone();
    system.kind = InteractionKind::System;
    let err = store
        .edit_interaction(note.id, &base, system, OnConflict::Refuse)
        .unwrap_err();
    assert!(err.to_string().starts_with("kind must be"), "{err}");
    let err = store
        .edit_interaction(99, &base, base.clone(), OnConflict::Refuse)
        .unwrap_err();
    assert_eq!(err.to_string(), "interaction 99 not found");
}

#[test]
fn a_deleted_interaction_leaves_log_health_search_counts_and_export_and_undo_brings_it_back() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let acme = store
        .add_customer(CustomerDraft::new(CustomerKind::Organization, "Acme"))
        .unwrap()
        .id;
    let jane = person(&mut store, "Jane Doe", Some(acme));
    let old = log(
        &mut store,
        jane,
        "Kickoff meeting",
        "2026-10-01T09:00:00Z",
        InteractionKind::Meeting,
        Direction::Outbound,
        None,
    );
    let call = log(
        &mut store,
        jane,
        "Asked for a discount",
        "2026-11-24T09:00:00Z",
        InteractionKind::Call,
        Direction::Inbound,
        None,
    );
    let days = |store: &Store| store.health_inputs(jane, 90).unwrap().days_since_contact;
    assert_eq!(days(&store), 1);
    let counted = store.counts().unwrap().interactions;

    let deleted = store.delete_interaction(call.id).unwrap();
    assert!(deleted.deleted_at.is_some());
    assert_eq!(log_ids(&store, jane), vec![old.id]);
    assert_eq!(
        log_ids(&store, acme),
        vec![old.id],
        "the organization's log"
    );
    assert_eq!(days(&store), 55, "last contact is the meeting now");
    assert!(search_ids(&store, "discount").is_empty());
    assert_eq!(store.counts().unwrap().interactions, counted - 1);
    let exported: Vec<i64> = store
        .interactions_by_id(0, 100)
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(exported, vec![old.id]);
    let listed = store
        .interactions_list(&InteractionQuery::default(), 10)
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Once is enough.
    let again = store.delete_interaction(call.id).unwrap_err();
    assert_eq!(
        again.to_string(),
        format!("interaction {} is deleted", call.id)
    );
    let mut edit = call.edit();
    edit.summary = "x".into();
    assert!(
        store
            .edit_interaction(call.id, &call.edit(), edit, OnConflict::Refuse)
            .is_err()
    );

    let undone = store.undo_last().unwrap().unwrap();
    assert_eq!(undone.table, "interactions");
    assert_eq!(
        undone.describe(),
        format!("deleting interaction {}", call.id)
    );
    assert_eq!(log_ids(&store, jane), vec![call.id, old.id]);
    assert_eq!(search_ids(&store, "discount"), vec![call.id]);
    assert_eq!(days(&store), 1);
    assert_eq!(store.counts().unwrap().interactions, counted);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

#[test]
fn the_first_response_follows_when_it_is_deleted_or_edited_and_undo_puts_it_back() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let ticket = store
        .add_ticket(TicketDraft::new(jane, "Login broken"))
        .unwrap()
        .id;
    let outbound = |store: &mut Store, summary: &str, when: &str| {
        log(
            store,
            jane,
            summary,
            when,
            InteractionKind::Email,
            Direction::Outbound,
            Some(ticket),
        )
    };
    let first = outbound(&mut store, "First reply", "2026-11-25T07:00:00Z");
    let second = outbound(&mut store, "Second reply", "2026-11-25T08:00:00Z");
    let inbound = log(
        &mut store,
        jane,
        "Customer wrote back",
        "2026-11-25T06:00:00Z",
        InteractionKind::Email,
        Direction::Inbound,
        Some(ticket),
    );
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // Deleted: the next reply is the first response; undo puts it back.
    store.delete_interaction(first.id).unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // Away from outbound: the same.
    let mut internal = first.edit();
    internal.direction = Direction::Internal;
    store
        .edit_interaction(first.id, &first.edit(), internal, OnConflict::Refuse)
        .unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // To a later time than the next reply: the next reply answered first.
    let mut later = first.edit();
    later.occurred_at = at("2026-11-25T09:00:00Z");
    store
        .edit_interaction(first.id, &first.edit(), later, OnConflict::Refuse)
        .unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
    store.undo_last().unwrap();

    // An inbound message corrected to our earlier reply becomes the first response.
    let mut reply = inbound.edit();
    reply.direction = Direction::Outbound;
    store
        .edit_interaction(inbound.id, &inbound.edit(), reply, OnConflict::Refuse)
        .unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T06:00:00Z"))
    );
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T07:00:00Z"))
    );

    // A summary fixed changes nothing of the ticket.
    let before = store.ticket(ticket).unwrap();
    let mut typo = second.edit();
    typo.summary = "Second reply (fixed)".into();
    store
        .edit_interaction(second.id, &second.edit(), typo, OnConflict::Refuse)
        .unwrap();
    assert_eq!(store.ticket(ticket).unwrap(), before);

    // No reply left: not answered.
    store.delete_interaction(first.id).unwrap();
    store.delete_interaction(second.id).unwrap();
    assert_eq!(first_response(&store, ticket), None);
    store.undo_last().unwrap();
    assert_eq!(
        first_response(&store, ticket),
        Some(at("2026-11-25T08:00:00Z"))
    );
}

#[test]
fn interactions_list_reads_a_customers_a_tickets_or_the_whole_log_newest_first() {
    let dir = TempDir::new().unwrap();
    let mut store = store_in(&dir);
    let jane = person(&mut store, "Jane Doe", None);
    let bob = person(&mut store, "Bob Stone", None);
    let ticket = store
        .add_ticket(TicketDraft::new(jane, "Login"))
        .unwrap()
        .id;
    let a = log(
        &mut store,
        jane,
        "a",
        "2026-11-25T07:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        Some(ticket),
    );
    let b = log(
        &mut store,
        bob,
        "b",
        "2026-11-25T08:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        None,
    );
    let c = log(
        &mut store,
        jane,
        "c",
        "2026-11-25T09:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
        None,
    );
    let ids = |q: InteractionQuery, n: usize| {
        let page = store.interactions_list(&q, n).unwrap();
        let ids: Vec<i64> = page.items.iter().map(|i| i.id).collect();
        (ids, page.next.is_some())
    };
    assert_eq!(
        ids(InteractionQuery::default(), 10),
        (vec![c.id, b.id, a.id], false)
    );
    assert_eq!(
        ids(InteractionQuery::default(), 2),
        (vec![c.id, b.id], true)
    );
    let of_jane = InteractionQuery {
        customer_id: Some(jane),
        ticket_id: None,
    };
    assert_eq!(ids(of_jane, 10), (vec![c.id, a.id], false));
    let of_ticket = InteractionQuery {
        customer_id: None,
        ticket_id: Some(ticket),
    };
    assert_eq!(ids(of_ticket, 10), (vec![a.id], false));
}

#[test]
fn an_interaction_logged_before_the_upgrade_is_live_after_it() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        // The schema just before interactions could be deleted (migration 13).
        tuicrm::store::migrations::migrate_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (kind, name, stage, created_at, updated_at)
               VALUES ('person', 'Jane Doe', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO customers_fts (rowid, name, email, notes) VALUES (1, 'Jane Doe', '', '');
             INSERT INTO interactions (customer_id, kind, direction, occurred_at, summary, created_at, updated_at)
               VALUES (1, 'call', 'inbound', '2026-11-01T09:00:00Z', 'Old call', '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z');
             INSERT INTO interactions_fts (rowid, summary, body) VALUES (1, 'Old call', '');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path)
        .unwrap()
        .with_clock(Clock::fixed(at(NOW), TimeZone::UTC));
    assert_eq!(store.interaction(1).unwrap().deleted_at, None);
    assert_eq!(log_ids(&store, 1), vec![1]);
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    store.delete_interaction(1).unwrap();
    assert!(search_ids(&store, "old call").is_empty());
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
}

// -------------------------------------------------------------------- CLI

fn cli_with_log() -> common::Cli {
    let cli = common::Cli::new();
    cli.ok("c.db", &["customer", "add", "Jane Doe"]);
    cli.ok("c.db", &["ticket", "add", "1", "Login broken"]);
    cli.ok(
        "c.db",
        &[
            "log",
            "1",
            "Replied with the fix",
            "--kind",
            "email",
            "--ticket",
            "1",
            "--at",
            "-2h",
            "--body",
            "Dear Jane,\nthe fix is live.\nRegards",
        ],
    );
    cli.ok(
        "c.db",
        &[
            "interaction",
            "add",
            "1",
            "Called back",
            "--kind",
            "call",
            "--at",
            "-1h",
        ],
    );
    cli
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn cli_lists_newest_first_and_says_when_it_stops_early() {
    let cli = cli_with_log();
    let table = cli.ok("c.db", &["interaction", "list"]);
    let rows: Vec<&str> = table.lines().collect();
    assert!(rows[0].starts_with("ID"), "{table}");
    assert!(rows[1].contains("Called back"), "{table}");
    assert!(rows[2].contains("Replied with the fix"), "{table}");

    let json = cli.json("c.db", &["interaction", "list", "--ticket", "1"]);
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["summary"], "Replied with the fix");
    assert_eq!(items[0]["direction"], "outbound");

    let out = cli.run_on("c.db", &["--json", "interaction", "list", "--limit", "1"]);
    assert!(out.status.success());
    let items: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert!(
        stderr(&out).contains("truncated: first 1 shown"),
        "{}",
        stderr(&out)
    );

    // A script reading a pipe gets every character of a long summary.
    let long = "A summary far longer than a table cell at a terminal would show whole";
    cli.ok("c.db", &["log", "1", long]);
    let piped = cli.ok("c.db", &["interaction", "list", "--customer", "1"]);
    assert!(piped.contains(long), "{piped}");

    let out = cli.run_on("c.db", &["interaction", "list", "--customer", "42"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: customer 42 not found\n");
}

#[test]
fn cli_shows_one_whole_and_edits_and_deletes_it() {
    let cli = cli_with_log();
    let shown = cli.ok("c.db", &["interaction", "show", "1"]);
    for line in [
        "kind: email",
        "direction: outbound",
        "when: 2026-11-25 08:00 (2h ago)",
        "ticket: 1: Login broken",
        "body: Dear Jane,",
        "the fix is live.",
    ] {
        assert!(shown.contains(line), "{line:?} in\n{shown}");
    }
    let json = cli.json("c.db", &["interaction", "show", "1"]);
    assert_eq!(json["body"], "Dear Jane,\nthe fix is live.\nRegards");

    let edited = cli.json(
        "c.db",
        &[
            "interaction",
            "edit",
            "1",
            "--summary",
            "Sent the fix",
            "--kind",
            "note",
        ],
    );
    assert_eq!(edited["summary"], "Sent the fix");
    assert_eq!(edited["kind"], "note");
    assert_eq!(
        edited["direction"], "internal",
        "the direction followed the kind"
    );
    let ticket = cli.json("c.db", &["ticket", "show", "1"]);
    assert_eq!(ticket["first_response_at"], Value::Null);
    cli.ok("c.db", &["undo"]);

    let said = cli.ok("c.db", &["interaction", "delete", "2"]);
    assert_eq!(said, "deleted interaction 2: outbound call with Jane Doe\n");
    let left = cli.json("c.db", &["interaction", "list"]);
    assert_eq!(left.as_array().unwrap().len(), 1);
    let shown = cli.ok("c.db", &["interaction", "show", "2"]);
    assert!(shown.contains("deleted: 2026-11-25 10:00"), "{shown}");
    cli.ok("c.db", &["undo"]);
    let back = cli.json("c.db", &["interaction", "list"]);
    assert_eq!(back.as_array().unwrap().len(), 2);
}

#[test]
fn cli_errors_are_one_line_with_the_right_exit_code() {
    let cli = cli_with_log();
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["interaction", "show", "99"],
            1,
            "error: interaction 99 not found",
        ),
        (
            &["interaction", "edit", "1"],
            2,
            "error: nothing to change: give --summary, --body, --kind, --direction or --at",
        ),
        (
            &["interaction", "edit", "1", "--summary", " "],
            2,
            "error: summary must not be blank",
        ),
        (
            &["interaction", "delete", "99"],
            1,
            "error: interaction 99 not found",
        ),
    ];
    for (args, code, message) in cases {
        let out = cli.run_on("c.db", args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert_eq!(stderr(&out), format!("{message}\n"), "{args:?}");
    }
    // system is not offered, nor taken.
    let out = cli.run_on("c.db", &["interaction", "edit", "1", "--kind", "system"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kind must be one of call, email, meeting, chat, note"));
    let bash = cli.ok("c.db", &["completions", "bash"]);
    assert!(bash.contains("interaction"), "completions name the command");
    let page = cli.ok("c.db", &["man", "interaction", "edit"]);
    assert!(page.contains("summary"), "{page}");
}

// -------------------------------------------------------------------- TUI

struct App {
    _dir: TempDir,
    store: Store,
    state: State,
    keymap: Keymap,
    jane: i64,
    acme: i64,
}

impl App {
    /// Acme (an organization) with Jane Doe; Jane's log: an old note and a
    /// call with a long body. Jane selected, the log focused.
    fn new() -> App {
        let dir = TempDir::new().unwrap();
        let mut store = store_in(&dir);
        let acme = store
            .add_customer(CustomerDraft::new(CustomerKind::Organization, "Acme Corp"))
            .unwrap()
            .id;
        let jane = person(&mut store, "Jane Doe", Some(acme));
        log(
            &mut store,
            jane,
            "Sent the onboarding checklist",
            "2026-11-20T09:00:00Z",
            InteractionKind::Note,
            Direction::Internal,
            None,
        );
        let mut call =
            InteractionDraft::new(jane, "Asked for a discount", at("2026-11-25T08:00:00Z"));
        call.kind = InteractionKind::Call;
        call.direction = Direction::Inbound;
        let paragraph = "Jane called about the renewal. She wants a discount of ten percent \
             because the second site in Leeds goes live later than planned, and asks \
             whether the price can follow the number of seats actually used.";
        call.body = Some(format!(
            "{paragraph}\n\nNext steps:\n- check with finance\n- call back on Friday\n\n{paragraph}\n\x1b[31mred?\x1b[0m"
        ));
        store.log_interaction(call).unwrap();
        let keymap = Keymap::from_config(&Config::defaults().keys).unwrap();
        let mut state = State::new(&store, &keymap, "USD");
        state.db_path = "~/.local/share/tuicrm/tuicrm.db".to_string();
        let mut app = App {
            _dir: dir,
            store,
            state,
            keymap,
            jane,
            acme,
        };
        // Customers by name: Acme Corp, Jane Doe.
        app.act(Action::SelectNext);
        app.act(Action::NextPane);
        app.act(Action::NextPane);
        assert_eq!(app.state.focus, Pane::Log);
        app
    }

    fn act(&mut self, action: Action) {
        update(&mut self.state, &mut self.store, action);
    }

    /// A key as the event loop hands it on.
    fn press(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        use tuicrm::app::update::{key_is_text, type_key};
        let event = KeyEvent::new(code, modifiers);
        if self.state.takes_text() && key_is_text(&self.state, &event) {
            return type_key(&mut self.state, &mut self.store, event);
        }
        match self.keymap.action_for(self.state.key_context(), event) {
            Some(action) => {
                update(&mut self.state, &mut self.store, action);
            }
            None if self.state.takes_text() => type_key(&mut self.state, &mut self.store, event),
            None => {}
        }
    }

    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.press(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    fn summaries(&self) -> Vec<String> {
        self.state.log.iter().map(|i| i.summary.clone()).collect()
    }

    fn screen(&mut self, width: u16, height: u16) -> String {
        tuicrm::ui::fit(&mut self.state, Rect::new(0, 0, width, height));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| tuicrm::ui::draw(frame, &self.state, &Theme::plain()))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                let row: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
                row.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn popup_summary(&self) -> Option<String> {
        match &self.state.popup {
            Some(Popup::Interaction(view)) => Some(view.interaction.summary.clone()),
            _ => None,
        }
    }
}

#[test]
fn enter_on_a_log_row_opens_the_interaction_whole() {
    let mut app = App::new();
    assert_eq!(app.summaries()[0], "Asked for a discount");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.popup_summary().as_deref(), Some("Asked for a discount"));
    let screen = app.screen(120, 40);
    assert!(screen.contains("Interaction #2"), "{screen}");
    assert!(!screen.contains('\x1b'), "escape sequences are made inert");
    insta::assert_snapshot!("interaction_popup_120x40", screen);
    let small = app.screen(80, 24);
    insta::assert_snapshot!("interaction_popup_80x24", small);
    let tiny = app.screen(40, 12);
    assert!(tiny.contains("Interaction #2"), "{tiny}");
    // On a small screen it scrolls to its end and no further.
    app.screen(60, 16);
    app.keys(&"j".repeat(50));
    let Some(Popup::Interaction(view)) = &app.state.popup else {
        panic!("the popup stays open");
    };
    assert!(
        view.scroll > 0 && view.scroll == view.scroll_max,
        "{view:?}"
    );
    let end = app.screen(60, 16);
    assert!(end.contains("red?"), "{end}");
    app.press(KeyCode::Esc, KeyModifiers::NONE);
    assert!(app.state.popup.is_none());
    // The other row opens the other entry.
    app.keys("j");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        app.popup_summary().as_deref(),
        Some("Sent the onboarding checklist")
    );
}

#[test]
fn e_in_the_popup_edits_the_interaction_and_u_undoes_it() {
    let mut app = App::new();
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    app.keys("e");
    let Some(Popup::Form(form)) = &app.state.popup else {
        panic!("an edit form, not {:?}", app.state.popup);
    };
    assert_eq!(form.title, "Edit the call “Asked for a discount”");
    assert_eq!(form.value("at"), "2026-11-25 08:00");
    // The kind offers no system entry.
    let FieldValue::Choice { options, .. } = &form.fields[1].value else {
        panic!("kind is a choice");
    };
    assert_eq!(options, &["call", "email", "meeting", "chat", "note"]);
    app.press(KeyCode::End, KeyModifiers::NONE);
    app.keys(" (10%)");
    app.press(KeyCode::Tab, KeyModifiers::NONE);
    app.press(KeyCode::Right, KeyModifiers::NONE);
    let Some(Popup::Form(form)) = &app.state.popup else {
        panic!("the form stays");
    };
    assert_eq!(form.value("kind"), "email");
    // The body goes to $EDITOR with ctrl-e, as every long text does.
    for _ in 0..3 {
        app.press(KeyCode::Tab, KeyModifiers::NONE);
    }
    let effect = update(&mut app.state, &mut app.store, Action::ExternalEditor);
    let tuicrm::app::Effect::EditText(body) = effect else {
        panic!("ctrl-e hands out the body, not {effect:?}");
    };
    assert!(body.starts_with("Jane called about the renewal."), "{body}");
    app.press(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.state.popup.is_none(), "{:?}", app.state.popup);
    assert_eq!(
        app.status(),
        "Saved the email “Asked for a discount (10%)” — u undoes"
    );
    assert_eq!(app.summaries()[0], "Asked for a discount (10%)");
    let saved = app.store.interaction(app.state.log[0].id).unwrap();
    assert_eq!(saved.kind, InteractionKind::Email);
    assert_eq!(saved.direction, Direction::Inbound, "set by hand, kept");
    assert_eq!(saved.occurred_at, at("2026-11-25T08:00:00Z"));
    app.keys("u");
    assert_eq!(
        app.status(),
        "Undid editing the call “Asked for a discount”"
    );
    assert_eq!(app.summaries()[0], "Asked for a discount");
}

#[test]
fn an_edit_form_saved_over_another_processs_change_asks_first() {
    let mut app = App::new();
    app.keys("e");
    let id = app.state.log[0].id;
    let current = app.store.interaction(id).unwrap();
    let mut theirs = current.edit();
    theirs.summary = "Asked for a discount (theirs)".into();
    app.store
        .edit_interaction(id, &current.edit(), theirs, OnConflict::Refuse)
        .unwrap();
    app.keys("!");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    let Some(Popup::Form(form)) = &app.state.popup else {
        panic!("the form stays open");
    };
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("changed by another process"), "{error}");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.state.popup.is_none());
    assert_eq!(
        app.store.interaction(id).unwrap().summary,
        "Asked for a discount!"
    );
}

#[test]
fn d_deletes_the_interaction_from_the_popup_or_the_row_and_u_brings_it_back() {
    let mut app = App::new();
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    app.keys("d");
    assert!(app.state.popup.is_none());
    assert_eq!(
        app.status(),
        "Deleted the call “Asked for a discount” — u undoes"
    );
    assert_eq!(app.summaries(), vec!["Sent the onboarding checklist"]);
    assert_eq!(app.state.focus, Pane::Log);
    app.keys("u");
    assert_eq!(
        app.status(),
        "Undid deleting the call “Asked for a discount”"
    );
    assert_eq!(app.summaries().len(), 2);
    assert_eq!(search_ids(&app.store, "discount").len(), 1);

    // Straight from the row, the second one.
    app.keys("j");
    app.keys("d");
    assert_eq!(
        app.status(),
        "Deleted the note “Sent the onboarding checklist” — u undoes"
    );
    assert_eq!(app.summaries(), vec!["Asked for a discount"]);
    assert_eq!(app.state.log_scroll, 0, "the selection stays on a row");
    // u inside the popup undoes too, and closes it.
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    app.keys("u");
    assert!(app.state.popup.is_none());
    assert_eq!(app.summaries().len(), 2);
}

#[test]
fn an_organizations_log_opens_its_peoples_entries() {
    let mut app = App::new();
    // Back to the list, up to Acme Corp, then its log.
    app.act(Action::NextPane);
    app.act(Action::SelectPrev);
    assert_eq!(app.state.detail.customer().map(|c| c.id), Some(app.acme));
    app.act(Action::NextPane);
    app.act(Action::NextPane);
    assert_eq!(app.summaries()[0], "Asked for a discount");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    let Some(Popup::Interaction(view)) = &app.state.popup else {
        panic!("the popup opens");
    };
    assert_eq!(view.interaction.customer_id, app.jane);
    let screen = app.screen(120, 40);
    assert!(screen.contains("Jane Doe"), "{screen}");
    app.keys("d");
    assert_eq!(app.summaries(), vec!["Sent the onboarding checklist"]);
}

#[test]
fn keys_on_an_empty_log_say_what_to_do() {
    let mut app = App::new();
    for i in app.state.log.clone() {
        app.store.delete_interaction(i.id).unwrap();
    }
    app.state.refresh(&app.store);
    app.state.focus = Pane::Log;
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.state.popup.is_none());
    assert_eq!(app.status(), "no interaction here — l logs one");
}
