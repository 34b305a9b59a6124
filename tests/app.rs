//! Tests of `app::update`: every `Action`, fed to a `State` over a temp DB
//! with a pinned clock, asserting what changes on screen (`State`) and in the
//! database. Keys go through the default keymap exactly as the event loop
//! sends them, so the shortest paths of the spec (`a`, type, Enter) are
//! tested as a person would press them.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use tuicrm::app::form::{FieldValue, Form, FormKind};
use tuicrm::app::{
    Action, ChoicePopup, ChoicePurpose, Detail, Effect, Pane, Popup, State, Tab, update,
};
use tuicrm::config::Config;
use tuicrm::config::keymap::{KeyContext, Keymap};
use tuicrm::domain::agenda::Section;
use tuicrm::domain::bulk::{Account, BulkCustomer};
use tuicrm::domain::{
    Channel, Clock, Customer, CustomerDraft, CustomerKind, Direction, FollowupDraft, FollowupKind,
    FollowupStatus, InteractionKind, Priority, Recurrence, TicketDraft, TicketStatus,
};
use tuicrm::store::{CustomerQuery, FollowupQuery, Store, TicketQuery};

const NOW: &str = "2026-11-25T10:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn today() -> Date {
    date(2026, 11, 25)
}

fn open_store(path: &std::path::Path) -> Store {
    Store::open(path)
        .unwrap_or_else(|e| panic!("opening {}: {e}", path.display()))
        .with_clock(Clock::fixed(now(), TimeZone::UTC))
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// A state over a private DB, with the default keymap.
struct App {
    _dir: TempDir,
    path: PathBuf,
    store: Store,
    state: State,
    keymap: Keymap,
}

impl App {
    fn new() -> App {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("crm.db");
        let store = open_store(&path);
        App::over(dir, path, store)
    }

    fn over(dir: TempDir, path: PathBuf, store: Store) -> App {
        let keymap = Keymap::from_config(&Config::defaults().keys).expect("default keymap");
        let mut state = State::new(&store, &keymap, "USD");
        state.list_height = 10;
        App {
            _dir: dir,
            path,
            store,
            state,
            keymap,
        }
    }

    /// An app whose DB holds these customers (people), added in this order.
    fn with_customers(names: &[&str]) -> App {
        let mut app = App::new();
        for name in names {
            app.add_customer(name);
        }
        app.refresh();
        app
    }

    fn add_customer(&mut self, name: &str) -> Customer {
        self.store
            .add_customer(CustomerDraft::new(CustomerKind::Person, name))
            .expect("add customer")
    }

    fn refresh(&mut self) {
        self.state.refresh(&self.store);
    }

    fn act(&mut self, action: Action) -> Effect {
        update(&mut self.state, &mut self.store, action)
    }

    fn repeat(&mut self, action: Action, times: usize) {
        for _ in 0..times {
            self.act(action);
        }
    }

    /// Text typed into whatever field or filter has the keyboard.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            tuicrm::app::update::type_key(&mut self.state, &mut self.store, key(KeyCode::Char(c)));
        }
    }

    /// One key as the event loop handles it (`tui::on_key`): text where text
    /// is typed, otherwise the action the keymap binds in this context.
    fn press(&mut self, event: KeyEvent) -> Effect {
        use tuicrm::app::update::{key_is_text, type_key};
        if self.state.takes_text() && key_is_text(&self.state, &event) {
            type_key(&mut self.state, &mut self.store, event);
            return Effect::None;
        }
        match self.keymap.action_for(self.state.key_context(), event) {
            Some(action) => update(&mut self.state, &mut self.store, action),
            None if self.state.takes_text() => {
                type_key(&mut self.state, &mut self.store, event);
                Effect::None
            }
            None => Effect::None,
        }
    }

    /// Presses every character of `keys` in turn.
    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.press(key(KeyCode::Char(c)));
        }
    }

    fn enter(&mut self) {
        self.press(key(KeyCode::Enter));
    }

    fn form(&self) -> &Form {
        match &self.state.popup {
            Some(Popup::Form(form)) => form,
            other => panic!("expected a form, found {other:?}"),
        }
    }

    fn choice(&self) -> &ChoicePopup {
        match &self.state.popup {
            Some(Popup::Choice(choice)) => choice,
            other => panic!("expected a choice popup, found {other:?}"),
        }
    }

    fn focused_key(&self) -> &'static str {
        let form = self.form();
        form.fields[form.focus].key
    }

    /// Moves the form's focus to the field named `key`.
    fn focus_field(&mut self, key: &str) {
        for _ in 0..self.form().fields.len() {
            if self.focused_key() == key {
                return;
            }
            self.act(Action::NextField);
        }
        panic!("no field {key:?} in the form");
    }

    /// Empties the focused text field (Ctrl-u deletes to the line start).
    fn clear_field(&mut self) {
        tuicrm::app::update::type_key(&mut self.state, &mut self.store, key(KeyCode::End));
        tuicrm::app::update::type_key(&mut self.state, &mut self.store, ctrl('u'));
    }

    fn field_error(&self, key: &str) -> Option<String> {
        self.form()
            .fields
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("no field {key:?}"))
            .error
            .clone()
    }

    fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    fn status_is_error(&self) -> bool {
        self.state.status.as_ref().is_some_and(|s| s.is_error)
    }

    fn selected_name(&self) -> Option<String> {
        self.state.customers.selected_row().map(|c| c.name.clone())
    }

    fn detail_name(&self) -> Option<String> {
        self.state.detail.customer().map(|c| c.name.clone())
    }

    fn customer_names(&self) -> Vec<String> {
        self.state
            .customers
            .rows
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// Every live customer in the DB, in name order.
    fn db_customers(&self) -> Vec<Customer> {
        self.store
            .customers_page(&CustomerQuery::default(), None, 10_000)
            .expect("customers")
            .items
    }

    fn ticket_id(&mut self, customer_id: i64, subject: &str, priority: Priority) -> i64 {
        let mut draft = TicketDraft::new(customer_id, subject);
        draft.priority = priority;
        self.store.add_ticket(draft).expect("add ticket").id
    }
}

/// Acme Corp with one check-in follow-up (due in 7 days): the app, the
/// customer's id and the follow-up.
fn app_with_a_check_in() -> (App, i64, tuicrm::domain::Followup) {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let f = app
        .store
        .add_followup(FollowupDraft::new(id, today()))
        .unwrap();
    (app, id, f)
}

/// `n` customers named "Customer 000".."Customer {n-1}", inserted in a
/// shuffled order so that name order is not id order.
fn app_with_numbered_customers(n: usize) -> App {
    let mut app = App::new();
    let accounts: Vec<Account> = (0..n)
        .map(|i| {
            let shuffled = (i * 7919) % n;
            Account {
                organization: None,
                people: vec![BulkCustomer {
                    draft: CustomerDraft::new(
                        CustomerKind::Person,
                        format!("Customer {shuffled:04}"),
                    ),
                    created_at: now(),
                    tickets: Vec::new(),
                    followups: Vec::new(),
                    interactions: Vec::new(),
                }],
            }
        })
        .collect();
    app.store
        .insert_accounts("test", &accounts)
        .expect("bulk insert");
    app.refresh();
    app
}

fn numbered(i: usize) -> String {
    format!("Customer {i:04}")
}

/// The selection is on screen: within the `list_height` rows from `offset`.
fn assert_selection_visible(app: &App) {
    let list = &app.state.customers;
    assert!(
        list.selected >= list.offset && list.selected < list.offset + app.state.list_height,
        "selected {} not within offset {} + {}",
        list.selected,
        list.offset,
        app.state.list_height
    );
}

/// The screen as the UI draws it at `width` × `height`, the list height set
/// as the event loop sets it after a resize.
fn render(app: &mut App, width: u16, height: u16) -> String {
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    tuicrm::ui::fit(&mut app.state, area);
    app.state.fill_health(&app.store);
    let theme = tuicrm::ui::Theme::from_config(&Config::defaults().theme, true);
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test terminal");
    terminal
        .draw(|frame| tuicrm::ui::draw(frame, &app.state, &theme))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ------------------------------------------------------------ every action

/// Each action and the test that shows its effect: a new variant fails here
/// until a test is written for it.
const COVERED: &[(Action, &str)] = &[
    (Action::Quit, "quit_sets_should_quit_in_every_context"),
    (Action::Help, "help_opens_scrolls_and_closes"),
    (Action::TabCustomers, "number_keys_switch_tabs"),
    (Action::TabTickets, "number_keys_switch_tabs"),
    (Action::TabFollowups, "number_keys_switch_tabs"),
    (Action::TabAgenda, "number_keys_switch_tabs"),
    (Action::TabReports, "number_keys_switch_tabs"),
    (
        Action::ReportBy,
        "the_reports_tab_groups_sets_its_period_and_reads_again_after_a_change",
    ),
    (
        Action::ReportPeriod,
        "the_reports_tab_groups_sets_its_period_and_reads_again_after_a_change",
    ),
    (Action::NextTab, "brackets_cycle_tabs_and_wrap"),
    (Action::PrevTab, "brackets_cycle_tabs_and_wrap"),
    (Action::NextPane, "panes_cycle_both_ways"),
    (Action::PrevPane, "panes_cycle_both_ways"),
    (
        Action::SelectNext,
        "select_next_walks_350_rows_in_name_order",
    ),
    (
        Action::SelectPrev,
        "select_next_walks_350_rows_in_name_order",
    ),
    (
        Action::SelectFirst,
        "select_first_and_last_jump_to_the_ends",
    ),
    (Action::SelectLast, "select_first_and_last_jump_to_the_ends"),
    (Action::PageDown, "page_down_and_up_move_a_screenful"),
    (Action::PageUp, "page_down_and_up_move_a_screenful"),
    (
        Action::Filter,
        "filter_searches_as_you_type_and_cancel_clears",
    ),
    (Action::Open, "open_focuses_the_detail"),
    (
        Action::Add,
        "add_opens_a_form_on_name_and_submit_selects_it",
    ),
    (Action::Edit, "edit_changes_a_customer_field"),
    (Action::Delete, "delete_moves_to_trash_and_undo_restores"),
    (
        Action::Undo,
        "undo_reverses_add_edit_status_and_log_in_turn",
    ),
    (Action::LogInteraction, "l_logs_an_internal_note_now"),
    (
        Action::NewTicket,
        "t_opens_a_normal_ticket_on_channel_other",
    ),
    (Action::NewFollowup, "f_plans_a_check_in_in_seven_days"),
    (
        Action::SetStatus,
        "set_status_applies_the_chosen_ticket_status",
    ),
    (
        Action::CompleteFollowup,
        "complete_followup_plans_the_next_recurring_one",
    ),
    (
        Action::PlanRenewal,
        "plan_renewal_creates_the_suggested_follow_up_and_undo_removes_it",
    ),
    (
        Action::Merge,
        "merge_offers_likely_duplicates_asks_and_undo_splits_them_again",
    ),
    (Action::CycleSort, "cycle_sort_toggles_customer_order"),
    (
        Action::AgendaWindow,
        "the_agenda_pages_past_its_first_page_counts_sections_and_w_widens_it",
    ),
    (Action::LoadDemo, "load_demo_fills_an_empty_db_only"),
    (
        Action::CycleScope,
        "v_shows_resolved_then_closed_tickets_then_all_then_open_again",
    ),
    (Action::NextField, "next_and_prev_field_wrap"),
    (Action::PrevField, "next_and_prev_field_wrap"),
    (Action::ChoiceNext, "choice_next_and_prev_cycle_a_choice"),
    (Action::ChoicePrev, "choice_next_and_prev_cycle_a_choice"),
    (
        Action::Submit,
        "add_opens_a_form_on_name_and_submit_selects_it",
    ),
    (Action::Cancel, "cancel_with_changes_asks_first"),
    (
        Action::ExternalEditor,
        "external_editor_hands_out_the_text_and_takes_it_back",
    ),
    (
        Action::Reload,
        "a_form_saved_over_another_processs_change_of_the_same_field_asks_and_reload_shows_theirs",
    ),
    (
        Action::Rate1,
        "the_satisfaction_popup_takes_the_digit_of_the_rating",
    ),
    (
        Action::Rate2,
        "the_satisfaction_popup_takes_the_digit_of_the_rating",
    ),
    (
        Action::Rate3,
        "the_satisfaction_popup_takes_the_digit_of_the_rating",
    ),
    (
        Action::Rate4,
        "the_satisfaction_popup_takes_the_digit_of_the_rating",
    ),
    (
        Action::Rate5,
        "the_satisfaction_popup_takes_the_digit_of_the_rating",
    ),
    (Action::Confirm, "cancel_with_changes_asks_first"),
    (Action::Deny, "cancel_with_changes_asks_first"),
];

#[test]
fn every_action_has_a_test() {
    for action in Action::ALL {
        assert!(
            COVERED.iter().any(|(a, _)| a == action),
            "no test covers Action::{action:?} ({})",
            action.name()
        );
    }
}

/// No action panics in any context, on an empty DB or with data.
#[test]
fn every_action_in_every_context_is_safe() {
    let setups: &[fn(&mut App)] = &[
        |_| {},
        |app| app.state.filtering = true,
        |app| {
            app.act(Action::Add);
        },
        |app| {
            app.act(Action::Add);
            app.type_text("x");
            app.act(Action::Cancel);
        },
        |app| {
            app.act(Action::Help);
        },
        |app| {
            app.act(Action::TabTickets);
            app.act(Action::SetStatus);
        },
        |app| {
            app.act(Action::TabAgenda);
        },
        |app| {
            app.act(Action::TabFollowups);
            app.act(Action::NextPane);
        },
        // The satisfaction question after resolving a ticket (a fresh one
        // each time: the last action may have resolved the one before).
        |app| {
            if let Some(c) = app.db_customers().first() {
                app.ticket_id(c.id, "Fresh", Priority::Low);
            }
            app.act(Action::TabTickets);
            app.act(Action::SetStatus);
            app.repeat(Action::SelectNext, 3);
            app.act(Action::Submit);
        },
        // The outcome form of a follow-up.
        |app| {
            app.act(Action::TabFollowups);
            app.act(Action::CompleteFollowup);
        },
    ];
    for with_data in [false, true] {
        for (i, setup) in setups.iter().enumerate() {
            // One DB per setup (creating one is the slow part); a fresh
            // State for each action. Writes pile up in the DB, which only
            // varies the data the next action meets.
            let mut app = App::new();
            if with_data {
                let c = app.add_customer("Acme Corp");
                app.ticket_id(c.id, "Printer on fire", Priority::High);
                let mut f = FollowupDraft::new(c.id, today());
                f.recurrence = Recurrence::parse("1w").unwrap();
                app.store.add_followup(f).unwrap();
            }
            for action in Action::ALL {
                if *action == Action::LoadDemo {
                    continue; // slow; has its own test
                }
                app.state = State::new(&app.store, &app.keymap, "USD");
                app.state.list_height = 10;
                setup(&mut app);
                app.act(*action);
                assert!(
                    !app.status_is_error(),
                    "setup {i}, data {with_data}, {action:?}: error {:?}",
                    app.status()
                );
            }
        }
    }
}

// ------------------------------------------------------------ quit, help, tabs, panes

#[test]
fn quit_sets_should_quit_in_every_context() {
    let mut app = App::new();
    assert!(!app.state.should_quit);
    app.act(Action::Quit);
    assert!(app.state.should_quit);

    let mut app = App::new();
    app.act(Action::Filter);
    app.act(Action::Quit);
    assert!(app.state.should_quit, "quit while filtering");

    let mut app = App::new();
    app.act(Action::Help);
    app.act(Action::Quit);
    assert!(app.state.should_quit, "quit from help");
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut app = App::new();
    app.act(Action::Help);
    assert_eq!(app.state.popup, Some(Popup::Help { scroll: 0 }));
    assert_eq!(app.state.key_context(), KeyContext::Popup);
    assert!(
        app.state
            .help
            .iter()
            .any(|l| l.key == "q" && l.description == Action::Quit.describe()),
        "help lists the live keymap"
    );
    app.act(Action::SelectNext);
    app.act(Action::SelectNext);
    app.act(Action::SelectPrev);
    assert_eq!(app.state.popup, Some(Popup::Help { scroll: 1 }));
    app.act(Action::Confirm);
    assert!(app.state.popup.is_some(), "y means nothing in help");
    app.act(Action::Cancel);
    assert_eq!(app.state.popup, None);

    for close in [Action::Submit, Action::Deny] {
        app.act(Action::Help);
        app.act(close);
        assert_eq!(app.state.popup, None, "{close:?} closes help");
    }
    // `?` and `q` close it too, through the popup keymap.
    app.keys("?");
    assert!(matches!(app.state.popup, Some(Popup::Help { .. })));
    app.keys("?");
    assert_eq!(app.state.popup, None);
    app.keys("?q");
    assert_eq!(app.state.popup, None);
    assert!(!app.state.should_quit, "q closes help, does not quit");
}

#[test]
fn number_keys_switch_tabs() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::NextPane);
    for (action, tab) in [
        (Action::TabTickets, Tab::Tickets),
        (Action::TabFollowups, Tab::Followups),
        (Action::TabAgenda, Tab::Agenda),
        (Action::TabReports, Tab::Reports),
        (Action::TabCustomers, Tab::Customers),
    ] {
        app.act(action);
        assert_eq!(app.state.tab, tab);
        assert_eq!(app.state.focus, Pane::List, "a new tab starts on its list");
    }
    for (keys, tab) in [
        ("2", Tab::Tickets),
        ("3", Tab::Followups),
        ("4", Tab::Agenda),
        ("5", Tab::Reports),
        ("1", Tab::Customers),
    ] {
        app.keys(keys);
        assert_eq!(app.state.tab, tab, "key {keys}");
    }
}

#[test]
fn the_reports_tab_groups_sets_its_period_and_reads_again_after_a_change() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let acme = app.state.customers.rows[0].id;
    app.store
        .add_ticket(tuicrm::domain::TicketDraft::new(acme, "Printer on fire"))
        .unwrap();
    app.keys("5");
    assert!(
        app.state.reports.loading(),
        "asked for, read by the event loop"
    );
    tuicrm::app::reports::read_wanted(&mut app.state, &app.store);
    let report = app.state.reports.report.clone().unwrap();
    assert_eq!((report.by, report.rows.len()), ("week", 12));
    assert_eq!(report.total.opened, 1);
    // b: by month, then by assignee; p: 26 weeks.
    app.keys("b");
    tuicrm::app::reports::read_wanted(&mut app.state, &app.store);
    assert_eq!(app.state.reports.report.as_ref().unwrap().by, "month");
    app.keys("p");
    tuicrm::app::reports::read_wanted(&mut app.state, &app.store);
    assert_eq!(app.state.reports.weeks(), 26);
    // An answer to an earlier question is not shown over a later one.
    app.keys("b");
    let earlier = app.state.reports.wanted.take().unwrap();
    app.keys("b");
    let stale = app.store.report(&earlier.spec);
    tuicrm::app::reports::received(&mut app.state, &earlier, stale);
    assert!(app.state.reports.loading());
    assert_eq!(app.state.reports.report.as_ref().unwrap().by, "month");
    tuicrm::app::reports::read_wanted(&mut app.state, &app.store);
    assert_eq!(app.state.reports.report.as_ref().unwrap().by, "priority");
    // Elsewhere the keys say where they belong.
    app.keys("1b");
    assert!(app.state.status.as_ref().unwrap().text.contains("Reports"));
}

#[test]
fn brackets_cycle_tabs_and_wrap() {
    let mut app = App::new();
    let mut seen = Vec::new();
    for _ in 0..5 {
        app.act(Action::NextTab);
        seen.push(app.state.tab);
    }
    assert_eq!(
        seen,
        [
            Tab::Tickets,
            Tab::Followups,
            Tab::Agenda,
            Tab::Reports,
            Tab::Customers
        ]
    );
    app.act(Action::PrevTab);
    assert_eq!(app.state.tab, Tab::Reports, "[ from the first tab wraps");
    app.keys("]");
    assert_eq!(app.state.tab, Tab::Customers, "] from the last tab wraps");
    app.keys("[[[");
    assert_eq!(app.state.tab, Tab::Followups);
}

#[test]
fn panes_cycle_both_ways() {
    let mut app = App::with_customers(&["Acme Corp"]);
    assert_eq!(app.state.focus, Pane::List);
    let mut seen = Vec::new();
    for _ in 0..3 {
        app.act(Action::NextPane);
        seen.push(app.state.focus);
    }
    assert_eq!(seen, [Pane::Detail, Pane::Log, Pane::List]);
    app.act(Action::PrevPane);
    assert_eq!(app.state.focus, Pane::Log);
    app.press(key(KeyCode::BackTab));
    assert_eq!(app.state.focus, Pane::Detail);
    app.press(key(KeyCode::Tab));
    assert_eq!(app.state.focus, Pane::Log);
}

#[test]
fn open_focuses_the_detail() {
    let mut app = App::with_customers(&["Acme Corp", "Beta Ltd"]);
    app.act(Action::Open);
    assert_eq!(app.state.focus, Pane::Detail);
    assert_eq!(app.detail_name().as_deref(), Some("Acme Corp"));
    // Moving now scrolls the detail, not the list.
    app.act(Action::SelectNext);
    assert_eq!(app.selected_name().as_deref(), Some("Acme Corp"));
    assert_eq!(app.state.detail_scroll, 1);
    app.act(Action::Open);
    assert_eq!(app.state.focus, Pane::Detail, "Enter in the detail stays");
}

// ------------------------------------------------------------ moving through long lists

#[test]
fn select_first_and_last_jump_to_the_ends() {
    let mut app = app_with_numbered_customers(350);
    assert_eq!(app.selected_name(), Some(numbered(0)));
    app.act(Action::SelectLast);
    assert_eq!(app.selected_name(), Some(numbered(349)));
    assert_eq!(app.detail_name(), Some(numbered(349)), "the detail follows");
    assert_selection_visible(&app);
    app.act(Action::SelectFirst);
    assert_eq!(app.selected_name(), Some(numbered(0)));
    assert_eq!(app.detail_name(), Some(numbered(0)));
    assert_selection_visible(&app);
    app.keys("G");
    assert_eq!(app.selected_name(), Some(numbered(349)));
    app.keys("g");
    assert_eq!(app.selected_name(), Some(numbered(0)));
}

#[test]
fn select_next_walks_350_rows_in_name_order() {
    let mut app = app_with_numbered_customers(350);
    for i in 1..=150 {
        app.act(Action::SelectNext);
        assert_eq!(app.selected_name(), Some(numbered(i)), "after {i} × next");
        assert_selection_visible(&app);
    }
    assert_eq!(app.detail_name(), Some(numbered(150)));
    // On to the end and one more: the selection stays on the last row.
    for i in 151..=349 {
        app.act(Action::SelectNext);
        assert_eq!(app.selected_name(), Some(numbered(i)));
    }
    app.act(Action::SelectNext);
    assert_eq!(app.selected_name(), Some(numbered(349)));
    // And back up across the same page boundaries.
    for i in (0..349).rev() {
        app.act(Action::SelectPrev);
        assert_eq!(app.selected_name(), Some(numbered(i)), "back at {i}");
        assert_selection_visible(&app);
    }
    app.act(Action::SelectPrev);
    assert_eq!(app.selected_name(), Some(numbered(0)));
}

/// Starting from the end loads the last page only; moving up must prepend
/// the earlier pages without repeating or skipping a row.
#[test]
fn select_prev_from_the_end_pages_upward_without_gaps() {
    let mut app = app_with_numbered_customers(350);
    app.act(Action::SelectLast);
    for i in (0..349).rev() {
        app.act(Action::SelectPrev);
        assert_eq!(app.selected_name(), Some(numbered(i)), "up to {i}");
        assert_selection_visible(&app);
    }
    let window = app.customer_names();
    let mut unique = window.clone();
    unique.dedup();
    assert_eq!(window, unique, "no duplicate rows in the window");
    assert_eq!(window, (0..350).map(numbered).collect::<Vec<_>>());
    for i in 1..350 {
        app.act(Action::SelectNext);
        assert_eq!(app.selected_name(), Some(numbered(i)), "down to {i}");
    }
}

/// More rows than the window keeps (500): the far end is dropped and read
/// again when the selection comes back.
#[test]
fn a_long_walk_down_and_up_keeps_every_row_once() {
    let n = 650;
    let mut app = app_with_numbered_customers(n);
    for i in 1..n {
        app.act(Action::SelectNext);
        assert_eq!(app.selected_name(), Some(numbered(i)), "down to {i}");
    }
    assert!(
        app.state.customers.rows.len() <= 500,
        "the window is bounded"
    );
    for i in (0..n - 1).rev() {
        app.act(Action::SelectPrev);
        assert_eq!(app.selected_name(), Some(numbered(i)), "up to {i}");
        assert_selection_visible(&app);
    }
    let window = app.customer_names();
    let expected: Vec<String> = (0..window.len()).map(numbered).collect();
    assert_eq!(window, expected, "window is contiguous after paging back");
}

#[test]
fn page_down_and_up_move_a_screenful() {
    let mut app = app_with_numbered_customers(350);
    let page = app.state.page_size() as usize;
    assert_eq!(
        page, 9,
        "a screen of 10 rows pages by 9, keeping one in view"
    );
    app.act(Action::PageDown);
    assert_eq!(app.selected_name(), Some(numbered(page)));
    assert_selection_visible(&app);
    for _ in 1..20 {
        app.act(Action::PageDown);
    }
    assert_eq!(app.selected_name(), Some(numbered(20 * page)));
    assert_selection_visible(&app);
    app.act(Action::PageUp);
    assert_eq!(app.selected_name(), Some(numbered(19 * page)));
    for _ in 0..30 {
        app.act(Action::PageUp);
    }
    assert_eq!(
        app.selected_name(),
        Some(numbered(0)),
        "page up stops at the top"
    );
    app.press(ctrl('d'));
    assert_eq!(app.selected_name(), Some(numbered(page)));
    app.press(key(KeyCode::PageDown));
    assert_eq!(app.selected_name(), Some(numbered(2 * page)));
    app.press(ctrl('u'));
    assert_eq!(app.selected_name(), Some(numbered(page)));
    app.act(Action::SelectLast);
    app.act(Action::PageDown);
    assert_eq!(
        app.selected_name(),
        Some(numbered(349)),
        "page down stops at the end"
    );
    app.act(Action::PageUp);
    assert_eq!(app.selected_name(), Some(numbered(349 - page)));
}

#[test]
fn moving_in_the_log_pane_scrolls_the_log() {
    let mut app = App::with_customers(&["Acme Corp"]);
    for summary in ["one", "two", "three"] {
        app.keys("l");
        app.type_text(summary);
        app.enter();
    }
    assert_eq!(app.state.log.len(), 3);
    app.act(Action::PrevPane);
    assert_eq!(app.state.focus, Pane::Log);
    app.repeat(Action::SelectNext, 5);
    assert_eq!(app.state.log_scroll, 2, "stops at the last entry");
    app.act(Action::SelectFirst);
    assert_eq!(app.state.log_scroll, 0);
    app.act(Action::SelectLast);
    assert_eq!(app.state.log_scroll, 2);
}

// ------------------------------------------------------------ filter and sort

#[test]
fn filter_searches_as_you_type_and_cancel_clears() {
    let mut app = App::with_customers(&["Acme Corp", "Zephyr Labs", "Acme Labs", "Beta"]);
    app.act(Action::Filter);
    assert!(app.state.filtering);
    assert_eq!(app.state.key_context(), KeyContext::Filter);
    app.type_text("acm");
    assert_eq!(app.state.filter().value(), "acm");
    // Matches stream from the search index, newest first.
    assert_eq!(app.customer_names(), ["Acme Labs", "Acme Corp"]);
    assert_eq!(app.detail_name().as_deref(), Some("Acme Labs"));
    app.act(Action::SelectNext);
    assert_eq!(app.selected_name().as_deref(), Some("Acme Corp"));
    // Enter keeps the filter and hands the keys back to the list.
    app.act(Action::Submit);
    assert!(!app.state.filtering);
    assert_eq!(app.customer_names(), ["Acme Labs", "Acme Corp"]);
    // `/` again and Esc clear it.
    app.keys("/");
    assert!(app.state.filtering);
    app.act(Action::Cancel);
    assert!(!app.state.filtering);
    assert_eq!(app.state.filter().value(), "");
    assert_eq!(
        app.customer_names(),
        ["Acme Corp", "Acme Labs", "Beta", "Zephyr Labs"]
    );
}

#[test]
fn filter_with_no_match_is_not_the_welcome_screen() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::Filter);
    app.type_text("zzz");
    assert!(app.customer_names().is_empty());
    assert!(!app.state.empty, "an empty result is not an empty DB");
    assert_eq!(app.state.detail, Detail::None);
}

#[test]
fn filter_is_refused_on_the_agenda() {
    let mut app = App::new();
    app.act(Action::TabAgenda);
    app.act(Action::Filter);
    assert!(!app.state.filtering);
    assert!(app.status().contains("no filter"), "{}", app.status());
}

#[test]
fn cycle_sort_toggles_customer_order() {
    // Same clock for every insert: "recent" falls back to the newest id.
    let mut app = App::with_customers(&["Beta", "Gamma", "Alpha"]);
    assert_eq!(app.customer_names(), ["Alpha", "Beta", "Gamma"]);
    app.act(Action::CycleSort);
    assert_eq!(app.status(), "Sorted recently updated first");
    assert_eq!(app.customer_names(), ["Alpha", "Gamma", "Beta"]);
    assert_eq!(app.detail_name().as_deref(), Some("Alpha"));
    app.keys("o");
    assert_eq!(app.status(), "Sorted newest first");
    assert_eq!(app.customer_names(), ["Alpha", "Gamma", "Beta"]);
    app.keys("o");
    assert_eq!(app.status(), "Sorted by name");
    assert_eq!(app.customer_names(), ["Alpha", "Beta", "Gamma"]);
}

#[test]
fn cycle_sort_toggles_ticket_order() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let urgent = app.ticket_id(id, "Server down", Priority::Urgent);
    let low = app.ticket_id(id, "Typo on invoice", Priority::Low);
    app.act(Action::TabTickets);
    let ids = |app: &App| -> Vec<i64> { app.state.tickets.rows.iter().map(|t| t.id).collect() };
    assert_eq!(ids(&app), [low, urgent], "newest first");
    app.act(Action::CycleSort);
    assert_eq!(app.status(), "Sorted by SLA due time");
    assert_eq!(ids(&app), [urgent, low], "soonest due first");
    app.act(Action::CycleSort);
    assert_eq!(app.status(), "Sorted by newest");
    assert_eq!(ids(&app), [low, urgent]);
}

// ------------------------------------------------------------ forms: add and the shortest paths

#[test]
fn add_opens_a_form_on_name_and_submit_selects_it() {
    let mut app = App::with_customers(&["Acme Corp", "Zephyr Labs"]);
    app.act(Action::Add);
    assert_eq!(app.form().kind, FormKind::AddCustomer);
    assert_eq!(
        app.focused_key(),
        "name",
        "the cursor starts in the main field"
    );
    assert_eq!(app.state.key_context(), KeyContext::Form);
    app.type_text("Mango Inc");
    assert_eq!(app.form().value("name"), "Mango Inc");
    app.act(Action::Submit);
    assert_eq!(app.state.popup, None);
    assert_eq!(app.status(), "Saved Mango Inc");
    assert_eq!(app.selected_name().as_deref(), Some("Mango Inc"));
    assert_eq!(app.detail_name().as_deref(), Some("Mango Inc"));
    let saved = app
        .db_customers()
        .into_iter()
        .find(|c| c.name == "Mango Inc")
        .expect("saved in the DB");
    assert_eq!(saved.kind, CustomerKind::Person);
    assert_eq!(saved.created_at, now());
}

#[test]
fn a_type_enter_adds_the_first_customer_from_the_welcome_screen() {
    let mut app = App::new();
    assert!(app.state.empty, "an empty DB shows the welcome screen");
    app.keys("a");
    app.keys("Quentin quux"); // q is a letter here, not quit
    app.enter();
    assert!(!app.state.should_quit);
    assert_eq!(app.state.popup, None);
    assert!(!app.state.empty);
    assert_eq!(app.selected_name().as_deref(), Some("Quentin quux"));
    let names: Vec<_> = app.db_customers().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["Quentin quux"]);
}

#[test]
fn add_on_the_tickets_tab_opens_a_ticket_form() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.ticket_id(id, "First", Priority::Normal);
    app.act(Action::TabTickets);
    app.act(Action::Add);
    assert!(matches!(app.form().kind, FormKind::AddTicket { customer_id } if customer_id == id));
}

#[test]
fn t_opens_a_normal_ticket_on_channel_other() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.keys("t");
    assert_eq!(app.form().kind, FormKind::AddTicket { customer_id: id });
    assert_eq!(app.focused_key(), "subject");
    app.keys("Cannot log in");
    app.enter();
    assert_eq!(app.state.popup, None);
    assert!(app.status().starts_with("Saved ticket"), "{}", app.status());
    let tickets = app
        .store
        .tickets_page(
            &TicketQuery {
                customer_id: Some(id),
                ..TicketQuery::default()
            },
            None,
            10,
        )
        .unwrap()
        .items;
    assert_eq!(tickets.len(), 1);
    let t = &tickets[0];
    assert_eq!(t.subject, "Cannot log in");
    assert_eq!(t.priority, Priority::Normal);
    assert_eq!(t.channel, Channel::Other);
    assert_eq!(t.status, TicketStatus::New);
    assert_eq!(t.opened_at, now());
    // The customer's detail lists it as open.
    match &app.state.detail {
        Detail::Customer { tickets, .. } => assert_eq!(tickets.len(), 1),
        other => panic!("expected the customer detail, got {other:?}"),
    }
}

#[test]
fn t_without_a_customer_says_so() {
    let mut app = App::new();
    for k in ["t", "f", "l", "e", "d"] {
        app.keys(k);
        assert_eq!(app.state.popup, None, "{k} on an empty list");
        assert!(!app.status().is_empty(), "{k} explains why nothing happens");
        assert!(!app.status_is_error());
    }
}

#[test]
fn f_plans_a_check_in_in_seven_days() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.keys("f");
    assert_eq!(app.form().kind, FormKind::AddFollowup { customer_id: id });
    assert_eq!(app.focused_key(), "note");
    assert_eq!(app.form().value("kind"), "check_in");
    app.keys("Ask about the rollout");
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(app.status(), "Saved check-in follow-up due 2026-12-02");
    let followups = app
        .store
        .followups_page(&Default::default(), None, 10)
        .unwrap()
        .items;
    assert_eq!(followups.len(), 1);
    let f = &followups[0];
    assert_eq!(f.kind, FollowupKind::CheckIn);
    assert_eq!(f.due_on, date(2026, 12, 2));
    assert_eq!(f.status, FollowupStatus::Planned);
    assert_eq!(f.recurrence, None);
    assert_eq!(f.note.as_deref(), Some("Ask about the rollout"));
}

#[test]
fn l_logs_an_internal_note_now() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.keys("l");
    assert_eq!(
        app.form().kind,
        FormKind::LogInteraction {
            customer_id: id,
            ticket_id: None,
            followup_id: None
        }
    );
    assert_eq!(app.focused_key(), "summary");
    app.keys("Called about pricing");
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(app.status(), "Logged");
    let log = app.store.interactions_page(id, None, 10).unwrap().items;
    assert_eq!(log.len(), 1);
    let i = &log[0];
    assert_eq!(i.summary, "Called about pricing");
    assert_eq!(i.kind, InteractionKind::Note);
    assert_eq!(i.direction, Direction::Internal);
    assert_eq!(i.occurred_at, now());
    assert_eq!((i.ticket_id, i.followup_id), (None, None));
    assert_eq!(app.state.log, log, "the log pane shows it at once");
}

#[test]
fn l_on_the_tickets_tab_links_the_selected_ticket() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Printer on fire", Priority::High);
    app.keys("2");
    assert!(matches!(&app.state.detail, Detail::Ticket { ticket: t, .. } if t.id == ticket));
    app.keys("l");
    assert_eq!(
        app.form().kind,
        FormKind::LogInteraction {
            customer_id: id,
            ticket_id: Some(ticket),
            followup_id: None
        }
    );
    app.keys("Sent a new toner");
    app.enter();
    assert_eq!(app.status(), "Logged");
    let log = app.store.ticket_interactions(ticket).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].ticket_id, Some(ticket));
    assert_eq!(log[0].summary, "Sent a new toner");
    assert_eq!(app.state.log.len(), 1, "the ticket's log pane shows it");
}

#[test]
fn l_on_the_followups_tab_links_the_selected_followup() {
    let (mut app, id, f) = app_with_a_check_in();
    app.keys("3l");
    app.keys("Booked the call");
    app.enter();
    let log = app.store.interactions_page(id, None, 10).unwrap().items;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].followup_id, Some(f.id));
}

// ------------------------------------------------------------ forms: edit, errors, fields

#[test]
fn edit_changes_a_customer_field() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.keys("e");
    assert_eq!(app.form().kind, FormKind::EditCustomer(id));
    assert_eq!(app.form().value("name"), "Acme Corp");
    app.focus_field("email");
    app.keys("ops@acme.example");
    app.focus_field("segment");
    app.keys("Enterprise");
    app.enter();
    assert_eq!(app.state.popup, None, "{:?}", app.state.popup);
    assert_eq!(app.status(), "Saved Acme Corp");
    let c = app.store.customer(id).unwrap();
    assert_eq!(c.email.as_deref(), Some("ops@acme.example"));
    assert_eq!(c.segment.as_deref(), Some("Enterprise"));
    assert_eq!(
        app.state.detail.customer().and_then(|c| c.email.clone()),
        Some("ops@acme.example".to_string()),
        "the detail shows the new value"
    );
}

#[test]
fn editing_keeps_details_the_form_has_no_field_for() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let mut draft = app.store.customer(id).unwrap().draft();
    draft
        .extra
        .insert("ADR".into(), vec![";;1 Main St;Springfield;;;".into()]);
    draft.extra.insert("UID".into(), vec!["abc-123".into()]);
    app.store.replace_customer(id, draft).unwrap();
    app.keys("e");
    app.focus_field("email");
    app.keys("ops@acme.example");
    app.enter();
    let c = app.store.customer(id).unwrap();
    assert_eq!(c.email.as_deref(), Some("ops@acme.example"));
    assert_eq!(c.extra["ADR"], [";;1 Main St;Springfield;;;"]);
    assert_eq!(c.extra["UID"], ["abc-123"]);
}

#[test]
fn a_change_made_by_another_process_shows_without_a_key() {
    let mut app = App::with_customers(&["Beta", "Delta"]);
    app.keys("j");
    assert!(
        !tuicrm::app::update::outside_change(&mut app.state, &app.store),
        "nothing yet"
    );
    // The CLI in another terminal adds a customer.
    let mut other = open_store(&app.path);
    other
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Alpha"))
        .unwrap();
    assert!(tuicrm::app::update::outside_change(
        &mut app.state,
        &app.store
    ));
    assert_eq!(app.customer_names(), ["Alpha", "Beta", "Delta"]);
    assert_eq!(
        app.selected_name().as_deref(),
        Some("Delta"),
        "the selection stays"
    );
    // A form being filled in is not disturbed; the change shows after it.
    app.keys("e");
    other
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Gamma"))
        .unwrap();
    assert!(!tuicrm::app::update::outside_change(
        &mut app.state,
        &app.store
    ));
    app.act(Action::Cancel);
    assert!(tuicrm::app::update::outside_change(
        &mut app.state,
        &app.store
    ));
    assert_eq!(app.customer_names(), ["Alpha", "Beta", "Delta", "Gamma"]);
}

/// The TUI's own background work (merging the search index, on its own
/// connection) commits without recording a change: the screen stays as it
/// is, no refresh and no redraw every second of an idle app.
#[test]
fn housekeeping_commits_are_not_another_processs_change() {
    let mut app = App::with_customers(&["Beta", "Delta"]);
    app.keys("j");
    let housekeeping = rusqlite::Connection::open(&app.path).unwrap();
    housekeeping
        .execute(
            "INSERT INTO customers_fts (customers_fts, rank) VALUES ('merge', 64)",
            [],
        )
        .unwrap();
    housekeeping
        .execute(
            "INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 0)",
            [],
        )
        .unwrap();
    assert_ne!(
        app.store.data_version().unwrap(),
        app.state.data_version,
        "the housekeeping did commit"
    );
    app.state.status = Some(tuicrm::app::Status {
        text: "kept".into(),
        is_error: false,
    });
    assert!(!tuicrm::app::update::outside_change(
        &mut app.state,
        &app.store
    ));
    assert_eq!(app.status(), "kept", "nothing was read again");
    // A real change after it still shows.
    let mut other = open_store(&app.path);
    other
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Alpha"))
        .unwrap();
    assert!(tuicrm::app::update::outside_change(
        &mut app.state,
        &app.store
    ));
    assert_eq!(app.customer_names(), ["Alpha", "Beta", "Delta"]);
}

#[test]
fn edit_renames_and_the_list_follows() {
    let mut app = App::with_customers(&["Acme Corp", "Beta"]);
    app.act(Action::Edit);
    app.clear_field();
    app.type_text("Zulu Corp");
    app.act(Action::Submit);
    assert_eq!(app.customer_names(), ["Beta", "Zulu Corp"]);
    assert_eq!(app.selected_name().as_deref(), Some("Zulu Corp"));
}

#[test]
fn edit_a_ticket_and_a_followup() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Printer", Priority::Normal);
    let f = app
        .store
        .add_followup(FollowupDraft::new(id, today()))
        .unwrap();

    app.keys("2e");
    assert_eq!(app.form().kind, FormKind::EditTicket(ticket));
    app.type_text(" on fire");
    app.focus_field("priority");
    app.act(Action::ChoiceNext); // normal → high
    app.act(Action::Submit);
    assert_eq!(app.state.popup, None);
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!(t.subject, "Printer on fire");
    assert_eq!(t.priority, Priority::High);

    app.keys("3e");
    assert!(matches!(app.form().kind, FormKind::EditFollowup { id, .. } if id == f.id));
    app.focus_field("due");
    app.clear_field();
    app.type_text("+3d");
    app.focus_field("recurrence");
    app.type_text("2w");
    app.act(Action::Submit);
    assert_eq!(app.state.popup, None, "{:?}", app.state.popup);
    let f = app.store.followup(f.id).unwrap();
    assert_eq!(f.due_on, date(2026, 11, 28));
    assert_eq!(f.recurrence.map(|r| r.to_string()).as_deref(), Some("2w"));
}

#[test]
fn a_bad_email_keeps_the_form_open_with_the_reason_beside_it() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::Add);
    app.type_text("Nope Inc");
    app.focus_field("email");
    app.type_text("nope");
    app.act(Action::PrevField); // away from the field: the error must bring us back
    app.act(Action::Submit);
    assert!(app.state.popup.is_some(), "the form stays open");
    let error = app.field_error("email").expect("email has an error");
    assert!(error.contains("name@example.com"), "{error}");
    assert_eq!(app.focused_key(), "email", "focus moves to the bad field");
    assert_eq!(app.field_error("name"), None);
    assert_eq!(app.db_customers().len(), 1, "nothing saved");
    // Fixing it saves, and the error goes.
    app.clear_field();
    app.type_text("hello@nope.example");
    app.act(Action::Submit);
    assert_eq!(app.state.popup, None);
    assert_eq!(app.db_customers().len(), 2);
}

#[test]
fn an_empty_name_is_refused_beside_the_name() {
    let mut app = App::new();
    app.keys("a");
    app.enter();
    assert!(app.state.popup.is_some());
    assert!(app.field_error("name").is_some());
    assert!(app.db_customers().is_empty());
}

#[test]
fn a_bad_due_date_is_refused_beside_due() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.keys("f");
    app.focus_field("due");
    app.clear_field();
    app.type_text("soonish");
    app.act(Action::Submit);
    assert!(app.state.popup.is_some());
    let error = app.field_error("due").expect("due has an error");
    assert!(!error.is_empty());
    assert_eq!(app.focused_key(), "due");
    assert!(
        app.store
            .followups_page(&Default::default(), None, 10)
            .unwrap()
            .items
            .is_empty()
    );
}

#[test]
fn a_bad_recurrence_and_a_bad_time_are_refused_beside_their_fields() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.keys("f");
    app.focus_field("recurrence");
    app.type_text("fortnightly-ish");
    app.act(Action::Submit);
    assert!(app.field_error("recurrence").is_some());

    let mut app = App::with_customers(&["Acme Corp"]);
    app.keys("l");
    app.type_text("Call");
    app.focus_field("at");
    app.clear_field();
    app.type_text("yesterday-ish");
    app.act(Action::Submit);
    assert!(app.field_error("at").is_some(), "{:?}", app.form());
}

#[test]
fn cancel_with_changes_asks_first() {
    let mut app = App::with_customers(&["Acme Corp"]);
    // No changes: Esc just closes.
    app.act(Action::Add);
    app.act(Action::Cancel);
    assert_eq!(app.state.popup, None);

    app.act(Action::Add);
    app.type_text("Half typed");
    app.act(Action::Cancel);
    assert!(app.form().confirming_discard, "asks before discarding");
    assert_eq!(app.state.key_context(), KeyContext::Popup);
    // n: back to the form, the text still there.
    app.act(Action::Deny);
    assert!(!app.form().confirming_discard);
    assert_eq!(app.form().value("name"), "Half typed");
    assert_eq!(app.state.key_context(), KeyContext::Form);
    // Esc on the question also goes back.
    app.act(Action::Cancel);
    app.act(Action::Cancel);
    assert!(!app.form().confirming_discard);
    // y: discarded, nothing saved.
    app.act(Action::Cancel);
    app.act(Action::Confirm);
    assert_eq!(app.state.popup, None);
    assert_eq!(app.db_customers().len(), 1);
    // Enter on the question discards too, through the keymap.
    app.keys("a");
    app.keys("x");
    app.press(key(KeyCode::Esc));
    assert!(app.form().confirming_discard);
    app.keys("n");
    assert_eq!(app.form().value("name"), "x", "n is an answer, not typed");
    app.press(key(KeyCode::Esc));
    app.enter();
    assert_eq!(app.state.popup, None);
}

#[test]
fn choice_next_and_prev_cycle_a_choice() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::Add);
    app.focus_field("kind");
    assert_eq!(app.form().value("kind"), "person");
    app.act(Action::ChoiceNext);
    assert_eq!(app.form().value("kind"), "organization");
    app.act(Action::ChoiceNext);
    assert_eq!(app.form().value("kind"), "person", "wraps forward");
    app.act(Action::ChoicePrev);
    assert_eq!(app.form().value("kind"), "organization", "wraps backward");
    app.press(key(KeyCode::Left));
    assert_eq!(app.form().value("kind"), "person");
    // In a text field Left/Right move the cursor instead.
    app.focus_field("name");
    app.type_text("ac");
    app.act(Action::ChoicePrev);
    app.type_text("b");
    assert_eq!(app.form().value("name"), "abc");
    app.act(Action::ChoiceNext);
    app.type_text("!");
    assert_eq!(app.form().value("name"), "abc!");
    // An organization saves as one.
    app.focus_field("kind");
    app.act(Action::ChoiceNext);
    app.act(Action::Submit);
    let saved = app.db_customers().into_iter().find(|c| c.name == "abc!");
    assert_eq!(saved.map(|c| c.kind), Some(CustomerKind::Organization));
}

#[test]
fn next_and_prev_field_wrap() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::Add);
    let n = app.form().fields.len();
    assert_eq!(app.form().focus, 0);
    app.act(Action::PrevField);
    assert_eq!(
        app.form().focus,
        n - 1,
        "Shift-Tab from the first goes to the last"
    );
    app.act(Action::NextField);
    assert_eq!(app.form().focus, 0, "Tab from the last goes to the first");
    app.repeat(Action::NextField, 3);
    assert_eq!(app.form().focus, 3);
    app.press(key(KeyCode::Tab));
    app.press(key(KeyCode::Down));
    assert_eq!(app.form().focus, 5);
    app.press(key(KeyCode::BackTab));
    app.press(key(KeyCode::Up));
    assert_eq!(app.form().focus, 3);
}

#[test]
fn enter_in_a_multiline_field_is_a_new_line_and_ctrl_s_saves() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.keys("t");
    app.keys("Slow exports");
    app.focus_field("body");
    app.keys("line one");
    app.enter();
    app.keys("line two");
    assert!(app.state.popup.is_some(), "Enter in the body does not save");
    assert_eq!(app.form().value("body"), "line one\nline two");
    app.press(ctrl('s'));
    assert_eq!(app.state.popup, None);
    let ticket = app.store.ticket(1).unwrap();
    assert_eq!(ticket.body.as_deref(), Some("line one\nline two"));
}

#[test]
fn external_editor_hands_out_the_text_and_takes_it_back() {
    use tuicrm::app::update::editor_done;
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::Add);
    app.type_text("Draft name");
    assert_eq!(
        app.act(Action::ExternalEditor),
        Effect::EditText("Draft name".to_string())
    );
    assert_eq!(app.press(ctrl('e')), Effect::EditText("Draft name".into()));
    editor_done(&mut app.state, Some("new text\n".to_string()));
    assert_eq!(
        app.form().value("name"),
        "new text",
        "trailing newline dropped"
    );
    // The editor failed: the text stays and the form says so.
    editor_done(&mut app.state, None);
    assert_eq!(app.form().value("name"), "new text");
    assert!(app.form().error.is_some());
    // A choice field has no text to edit.
    app.focus_field("kind");
    assert_eq!(app.act(Action::ExternalEditor), Effect::None);
    // Multi-line text comes back whole.
    app.focus_field("notes");
    assert_eq!(
        app.act(Action::ExternalEditor),
        Effect::EditText(String::new())
    );
    editor_done(&mut app.state, Some("first\nsecond\n".into()));
    assert_eq!(app.form().value("notes"), "first\nsecond");
    app.act(Action::Submit);
    let c = app
        .db_customers()
        .into_iter()
        .find(|c| c.name == "new text")
        .expect("saved");
    assert_eq!(c.notes.as_deref(), Some("first\nsecond"));
    // Outside a form, nothing to edit.
    assert_eq!(app.act(Action::ExternalEditor), Effect::None);
}

// ------------------------------------------------------------ delete and undo

#[test]
fn delete_moves_to_trash_and_undo_restores() {
    let mut app = App::with_customers(&["Acme Corp", "Beta"]);
    let id = app.db_customers()[0].id;
    app.act(Action::Delete);
    assert!(app.status().contains("u to undo"), "{}", app.status());
    assert!(app.status().contains("Acme Corp"), "{}", app.status());
    assert!(app.store.customer(id).unwrap().deleted_at.is_some());
    assert_eq!(app.customer_names(), ["Beta"]);
    assert_eq!(app.selected_name().as_deref(), Some("Beta"));
    app.keys("u");
    assert_eq!(app.status(), "Undid deleting Acme Corp");
    assert!(app.store.customer(id).unwrap().deleted_at.is_none());
    assert_eq!(app.customer_names(), ["Acme Corp", "Beta"]);
}

/// The welcome screen is for a DB with no customer at all; one in the trash
/// still counts (`D` would refuse), so the list shows empty instead.
#[test]
fn deleting_the_last_customer_leaves_an_empty_list() {
    let mut app = App::with_customers(&["Solo"]);
    app.keys("d");
    assert!(!app.state.empty, "the trash is not empty");
    assert!(app.state.customers.is_empty());
    assert_eq!(app.state.detail, Detail::None);
    assert!(app.state.log.is_empty());
    app.keys("u");
    assert_eq!(app.selected_name().as_deref(), Some("Solo"));
    assert_eq!(app.detail_name().as_deref(), Some("Solo"));
}

#[test]
fn delete_a_ticket_and_a_followup() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.ticket_id(id, "Printer", Priority::Normal);
    let f = app
        .store
        .add_followup(FollowupDraft::new(id, today()))
        .unwrap();
    app.keys("2d");
    assert_eq!(app.status(), "Deleted ticket “Printer” — u to undo");
    assert!(app.state.tickets.is_empty());
    app.keys("3d");
    assert_eq!(
        app.status(),
        format!("Deleted the {} with {} — u to undo", f.kind, "Acme Corp")
    );
    assert!(app.state.followups.is_empty());
    app.keys("u");
    assert_eq!(app.state.followups.rows.len(), 1);
    app.keys("2u");
    assert_eq!(app.state.tickets.rows.len(), 1);
}

#[test]
fn undo_reverses_add_edit_status_and_log_in_turn() {
    let mut app = App::new();
    // add
    app.keys("a");
    app.keys("Acme");
    app.enter();
    let id = app.db_customers()[0].id;
    // edit
    app.keys("e");
    app.focus_field("stage");
    app.act(Action::ChoiceNext);
    app.enter();
    assert_eq!(app.store.customer(id).unwrap().stage.as_str(), "onboarding");
    // ticket and a status change
    app.keys("t");
    app.keys("Help");
    app.enter();
    app.keys("2s");
    app.act(Action::SelectNext);
    app.act(Action::Submit);
    let ticket = app.state.tickets.rows[0].id;
    assert_eq!(app.store.ticket(ticket).unwrap().status, TicketStatus::Open);
    // log
    app.keys("l");
    app.keys("Called back");
    app.enter();
    assert_eq!(app.store.ticket_interactions(ticket).unwrap().len(), 1);

    app.keys("u");
    assert!(
        app.status().starts_with("Undid logging"),
        "{}",
        app.status()
    );
    assert!(app.store.ticket_interactions(ticket).unwrap().is_empty());
    assert!(app.state.log.is_empty(), "the log pane follows");
    app.keys("u");
    assert!(
        app.status().starts_with("Undid changing “Help"),
        "{}",
        app.status()
    );
    assert_eq!(app.store.ticket(ticket).unwrap().status, TicketStatus::New);
    app.keys("u");
    assert!(
        app.status().starts_with("Undid adding ticket"),
        "{}",
        app.status()
    );
    assert!(app.state.tickets.is_empty());
    app.keys("u");
    assert_eq!(app.status(), "Undid editing Acme");
    assert_eq!(app.store.customer(id).unwrap().stage.as_str(), "prospect");
    app.keys("u");
    assert_eq!(app.status(), format!("Undid adding customer {id}"));
    app.keys("1");
    assert!(app.db_customers().is_empty());
    assert!(app.state.empty, "back to the welcome screen");
    app.keys("u");
    assert_eq!(app.status(), "Nothing to undo");
}

// ------------------------------------------------------------ ticket status, follow-ups

#[test]
fn set_status_applies_the_chosen_ticket_status() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Printer", Priority::Normal);
    app.act(Action::TabTickets);
    app.act(Action::SetStatus);
    let choice = app.choice();
    assert_eq!(
        choice.options,
        ["new", "open", "pending", "resolved", "closed"]
    );
    assert_eq!(
        choice.options[choice.selected], "new",
        "starts on the current"
    );
    assert_eq!(choice.purpose, ChoicePurpose::TicketStatus(ticket));
    // Esc: nothing changes.
    app.act(Action::Cancel);
    assert_eq!(app.state.popup, None);
    assert_eq!(app.store.ticket(ticket).unwrap().status, TicketStatus::New);
    // j j Enter: pending, and no satisfaction question for an open ticket.
    app.keys("s");
    app.keys("jj");
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(app.status(), "“Printer” is pending — u to undo");
    assert_eq!(
        app.store.ticket(ticket).unwrap().status,
        TicketStatus::Pending
    );
    // y confirms too; resolving sets resolved_at and leaves the open queue,
    // then asks for the satisfaction score, "skip" first.
    app.keys("s");
    app.keys("j");
    app.keys("y");
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!(t.status, TicketStatus::Resolved);
    assert_eq!(t.resolved_at, Some(now()));
    assert!(
        app.state.tickets.is_empty(),
        "resolved tickets leave the queue"
    );
    assert_eq!(app.choice().purpose, ChoicePurpose::TicketCsat(ticket));
    assert_eq!(app.status(), "“Printer” is resolved — u to undo");
    // Enter on "skip" rates nothing.
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(app.store.ticket(ticket).unwrap().csat, None);
    // n closes without applying.
    app.keys("u");
    assert_eq!(
        app.store.ticket(ticket).unwrap().status,
        TicketStatus::Pending
    );
    app.keys("2s");
    app.keys("kn");
    assert_eq!(app.state.popup, None);
    assert_eq!(
        app.store.ticket(ticket).unwrap().status,
        TicketStatus::Pending
    );
}

#[test]
fn resolving_a_ticket_asks_for_csat_and_stores_the_rating() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Printer", Priority::Normal);
    app.keys("2s");
    app.keys("jjj"); // resolved
    app.enter();
    let choice = app.choice();
    assert_eq!(
        choice.title,
        format!("Satisfaction (CSAT) of ticket {ticket}")
    );
    assert_eq!(choice.options, ["skip", "5", "4", "3", "2", "1"]);
    assert_eq!(choice.selected, 0, "skip is the default");
    assert_eq!(app.state.key_context(), KeyContext::Popup);
    app.keys("jj"); // 4
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(app.status(), "“Printer” rated 4/5");
    assert!(!app.status_is_error());
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!((t.status, t.csat), (TicketStatus::Resolved, Some(4)));
    // The rating is its own change: u takes it back first, then the status.
    app.keys("u");
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!((t.status, t.csat), (TicketStatus::Resolved, None));
    app.keys("u");
    assert_eq!(app.store.ticket(ticket).unwrap().status, TicketStatus::New);
}

#[test]
fn closing_asks_for_csat_too_and_esc_skips_it() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Printer", Priority::Normal);
    app.keys("2s");
    app.keys("jjjj"); // closed
    app.enter();
    assert_eq!(app.choice().purpose, ChoicePurpose::TicketCsat(ticket));
    app.press(key(KeyCode::Esc));
    assert_eq!(app.state.popup, None);
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!((t.status, t.csat), (TicketStatus::Closed, None));
    // The lowest score is at the end of the list.
    let other = app.ticket_id(id, "Scanner", Priority::Low);
    app.keys("2s");
    app.keys("jjj");
    app.enter();
    assert_eq!(app.choice().purpose, ChoicePurpose::TicketCsat(other));
    app.keys("jjjjj");
    app.keys("y");
    assert_eq!(app.store.ticket(other).unwrap().csat, Some(1));
}

#[test]
fn set_status_is_refused_on_the_customers_tab() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::SetStatus);
    assert_eq!(app.state.popup, None);
    assert_eq!(
        app.status(),
        "s changes the status of a ticket or a follow-up: select one"
    );
    assert!(!app.status_is_error());
}

#[test]
fn set_status_on_a_followup_offers_done_skipped_cancelled() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let mut draft = FollowupDraft::new(id, today());
    draft.recurrence = Recurrence::parse("2w").unwrap();
    let f = app.store.add_followup(draft).unwrap();
    app.keys("3s");
    let choice = app.choice();
    assert_eq!(choice.title, format!("Finish follow-up {}", f.id));
    assert_eq!(choice.options, ["done", "skipped", "cancelled"]);
    assert_eq!(choice.selected, 0);
    assert_eq!(choice.purpose, ChoicePurpose::FollowupStatus(f.id));
    // Skipped: the outcome form, then the next one of the series.
    app.keys("j");
    app.enter();
    assert_eq!(
        app.form().kind,
        FormKind::FinishFollowup {
            id: f.id,
            status: FollowupStatus::Skipped
        }
    );
    assert_eq!(app.form().title, "Skip: check-in with Acme Corp");
    app.keys("On holiday");
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(
        app.status(),
        "Skipped check-in with Acme Corp · outcome logged — next due 2026-12-16"
    );
    let skipped = app.store.followup(f.id).unwrap();
    assert_eq!(skipped.status, FollowupStatus::Skipped);
    assert_eq!(skipped.outcome.as_deref(), Some("On holiday"));
    assert_eq!(skipped.completed_at, Some(now()));
    // Cancelled ends the series.
    let next = app.state.followups.rows[0].clone();
    assert_eq!(next.due_on, date(2026, 12, 16));
    app.keys("s");
    app.keys("jj");
    app.enter();
    assert_eq!(
        app.form().kind,
        FormKind::FinishFollowup {
            id: next.id,
            status: FollowupStatus::Cancelled
        }
    );
    app.enter();
    assert_eq!(app.status(), "Cancelled check-in with Acme Corp");
    assert_eq!(
        app.store.followup(next.id).unwrap().status,
        FollowupStatus::Cancelled
    );
    assert!(app.state.followups.is_empty());
    // Esc on the choice changes nothing.
    let one_off = app
        .store
        .add_followup(FollowupDraft::new(id, today()))
        .unwrap();
    app.keys("3s");
    app.press(key(KeyCode::Esc));
    assert_eq!(app.state.popup, None);
    assert_eq!(
        app.store.followup(one_off.id).unwrap().status,
        FollowupStatus::Planned
    );
}

#[test]
fn complete_followup_marks_a_one_off_done() {
    let (mut app, _, f) = app_with_a_check_in();
    app.act(Action::CompleteFollowup);
    assert!(
        app.status().contains("select a follow-up"),
        "{}",
        app.status()
    );
    assert_eq!(app.state.popup, None);
    // x asks what came of it, in a one-field form; Enter with nothing saves.
    app.keys("3x");
    assert_eq!(
        app.form().kind,
        FormKind::FinishFollowup {
            id: f.id,
            status: FollowupStatus::Done
        }
    );
    assert_eq!(app.form().fields.len(), 1);
    assert_eq!(app.focused_key(), "outcome");
    assert_eq!(
        app.store.followup(f.id).unwrap().status,
        FollowupStatus::Planned,
        "nothing is saved before Enter"
    );
    app.enter();
    assert_eq!(app.state.popup, None);
    assert_eq!(app.status(), "Done check-in with Acme Corp");
    let done = app.store.followup(f.id).unwrap();
    assert_eq!(done.status, FollowupStatus::Done);
    assert_eq!(done.completed_at, Some(now()));
    assert_eq!(done.outcome, None);
    assert!(app.state.followups.is_empty(), "done leaves the to-do list");
    // And u takes it back.
    app.keys("u");
    assert_eq!(
        app.store.followup(f.id).unwrap().status,
        FollowupStatus::Planned
    );
}

#[test]
fn complete_followup_plans_the_next_recurring_one() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let mut draft = FollowupDraft::new(id, today());
    draft.recurrence = Recurrence::parse("1w").unwrap();
    let f = app.store.add_followup(draft).unwrap();
    assert_eq!(f.due_on, date(2026, 12, 2));
    app.keys("3");
    app.act(Action::CompleteFollowup);
    assert_eq!(app.form().title, "Done: check-in with Acme Corp");
    app.keys("Rollout on track");
    app.act(Action::Submit);
    assert_eq!(
        app.status(),
        "Done check-in with Acme Corp · outcome logged — next due 2026-12-09"
    );
    let done = app.store.followup(f.id).unwrap();
    assert_eq!(done.status, FollowupStatus::Done);
    assert_eq!(done.outcome.as_deref(), Some("Rollout on track"));
    let next = &app.state.followups.rows;
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].due_on, date(2026, 12, 9));
    assert_eq!(next[0].status, FollowupStatus::Planned);
    assert_eq!(next[0].recurrence, f.recurrence);
    assert!(
        matches!(&app.state.detail, Detail::Followup { followup, .. } if followup.id == next[0].id),
        "the next one is selected"
    );
}

#[test]
fn esc_on_the_outcome_form_leaves_the_followup_planned() {
    let (mut app, _, f) = app_with_a_check_in();
    app.keys("3x");
    app.press(key(KeyCode::Esc));
    assert_eq!(app.state.popup, None, "an untouched form just closes");
    app.keys("x");
    app.keys("half");
    app.press(key(KeyCode::Esc));
    assert!(app.form().confirming_discard, "typed text is asked about");
    app.keys("y");
    assert_eq!(app.state.popup, None);
    let f = app.store.followup(f.id).unwrap();
    assert_eq!((f.status, f.outcome), (FollowupStatus::Planned, None));
}

// ------------------------------------------------------------ renewal suggestion

/// A customer renewing on `renewal_on`, selected on the customers tab.
fn app_with_renewal(renewal_on: Date) -> (App, i64) {
    let mut app = App::new();
    let mut draft = CustomerDraft::new(CustomerKind::Person, "Renewing Co");
    draft.renewal_on = Some(renewal_on);
    let id = app.store.add_customer(draft).unwrap().id;
    app.refresh();
    (app, id)
}

fn planned_renewals(app: &App, customer_id: i64) -> Vec<tuicrm::domain::Followup> {
    app.store
        .followups_page(
            &FollowupQuery {
                customer_id: Some(customer_id),
                ..FollowupQuery::default()
            },
            None,
            50,
        )
        .unwrap()
        .items
        .into_iter()
        .filter(|f| f.kind == FollowupKind::Renewal)
        .collect()
}

#[test]
fn plan_renewal_creates_the_suggested_follow_up_and_undo_removes_it() {
    let (mut app, id) = app_with_renewal(date(2027, 3, 1));
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("suggested: renewal follow-up due 2027-01-30 — R to plan it"),
        "{screen}"
    );
    app.keys("R");
    assert!(!app.status_is_error(), "{}", app.status());
    assert_eq!(
        app.status(),
        "Planned renewal follow-up due 2027-01-30 — u to undo"
    );
    let planned = planned_renewals(&app, id);
    assert_eq!(planned.len(), 1);
    let f = &planned[0];
    assert_eq!(f.due_on, date(2027, 1, 30));
    assert_eq!(f.status, FollowupStatus::Planned);
    assert_eq!(f.recurrence, None);
    assert_eq!(f.note.as_deref(), Some("Renewal on 2027-03-01"));
    // The detail lists it and stops suggesting it; R again plans nothing.
    match &app.state.detail {
        Detail::Customer { followups, .. } => {
            assert_eq!(followups.iter().map(|f| f.id).collect::<Vec<_>>(), [f.id])
        }
        other => panic!("expected the customer detail, got {other:?}"),
    }
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("suggested:"), "{screen}");
    app.act(Action::PlanRenewal);
    assert_eq!(app.status(), "no renewal follow-up to suggest here");
    assert_eq!(planned_renewals(&app, id).len(), 1);
    // u takes it back and the suggestion returns.
    app.keys("u");
    assert!(app.status().starts_with("Undid adding"), "{}", app.status());
    assert!(planned_renewals(&app, id).is_empty());
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("suggested: renewal follow-up"), "{screen}");
}

#[test]
fn plan_renewal_close_to_the_date_is_due_today() {
    let (mut app, id) = app_with_renewal(date(2026, 12, 10));
    app.act(Action::PlanRenewal);
    let planned = planned_renewals(&app, id);
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].due_on, today(), "less than 30 days' notice");
    assert_eq!(planned[0].note.as_deref(), Some("Renewal on 2026-12-10"));
}

#[test]
fn plan_renewal_says_why_when_there_is_nothing_to_plan() {
    // A renewal already past: nothing to suggest.
    let (mut app, id) = app_with_renewal(date(2026, 11, 1));
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("suggested:"), "{screen}");
    app.act(Action::PlanRenewal);
    assert_eq!(app.status(), "no renewal follow-up to suggest here");
    assert!(planned_renewals(&app, id).is_empty());
    // No renewal date at all.
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::PlanRenewal);
    assert_eq!(app.status(), "no renewal follow-up to suggest here");
    // A renewal follow-up planned before the date already answers it.
    let (mut app, id) = app_with_renewal(date(2027, 3, 1));
    let mut draft = FollowupDraft::new(id, today());
    draft.kind = FollowupKind::Renewal;
    draft.due_on = date(2027, 2, 1);
    app.store.add_followup(draft).unwrap();
    app.refresh();
    app.act(Action::PlanRenewal);
    assert_eq!(app.status(), "no renewal follow-up to suggest here");
    assert_eq!(planned_renewals(&app, id).len(), 1);
    // Not a customer: R explains itself, no error.
    let (mut app, id) = app_with_renewal(date(2027, 3, 1));
    app.ticket_id(id, "Printer", Priority::Normal);
    app.keys("2R");
    assert_eq!(
        app.status(),
        "R plans a renewal follow-up: select a customer with a renewal date"
    );
    assert!(!app.status_is_error());
    assert!(planned_renewals(&app, id).is_empty());
}

// ------------------------------------------------------------ demo data

#[test]
fn load_demo_fills_an_empty_db_only() {
    let mut app = App::new();
    assert!(app.state.empty);
    app.keys("D");
    assert_eq!(app.status(), "Loaded 1000 demo customers");
    assert!(!app.state.empty);
    assert_eq!(app.store.counts().unwrap().customers, 1000);
    assert!(!app.state.customers.is_empty());
    assert!(app.state.detail.customer().is_some());
    // Again: refused, nothing added.
    app.act(Action::LoadDemo);
    assert!(app.status().contains("empty database"), "{}", app.status());
    assert_eq!(app.store.counts().unwrap().customers, 1000);
}

#[test]
fn load_demo_is_refused_with_one_customer() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::LoadDemo);
    assert!(app.status().contains("empty database"), "{}", app.status());
    assert_eq!(app.db_customers().len(), 1);
}

// ------------------------------------------------------------ popups and stray actions

#[test]
fn popup_actions_mean_nothing_on_the_list() {
    let mut app = App::with_customers(&["Acme Corp", "Beta"]);
    for action in [
        Action::Confirm,
        Action::Deny,
        Action::Submit,
        Action::Cancel,
        Action::NextField,
        Action::PrevField,
        Action::ChoiceNext,
        Action::ChoicePrev,
    ] {
        app.act(action);
        assert_eq!(app.state.popup, None, "{action:?}");
        assert_eq!(app.selected_name().as_deref(), Some("Acme Corp"));
        assert_eq!(app.db_customers().len(), 2);
    }
}

#[test]
fn list_actions_do_not_leak_into_a_form() {
    let mut app = App::with_customers(&["Acme Corp", "Beta"]);
    app.act(Action::Add);
    for action in [
        Action::Delete,
        Action::SelectNext,
        Action::TabTickets,
        Action::Undo,
        Action::LoadDemo,
        Action::Help,
    ] {
        app.act(action);
        assert!(
            matches!(app.state.popup, Some(Popup::Form(_))),
            "{action:?}"
        );
    }
    assert_eq!(app.state.tab, Tab::Customers);
    assert_eq!(app.db_customers().len(), 2);
}

#[test]
fn choice_popup_moves_within_bounds() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.ticket_id(id, "Printer", Priority::Normal);
    app.keys("2s");
    app.repeat(Action::SelectPrev, 3);
    let selected = |app: &App| match &app.state.popup {
        Some(Popup::Choice(c)) => c.selected,
        _ => usize::MAX,
    };
    assert_eq!(selected(&app), 0);
    app.repeat(Action::SelectNext, 10);
    assert_eq!(selected(&app), 4);
    app.act(Action::Deny);
    assert_eq!(app.state.popup, None);
}

// ------------------------------------------------------------ the keymap per context

#[test]
fn keys_mean_what_their_context_says() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let q = key(KeyCode::Char('q'));
    let j = key(KeyCode::Char('j'));
    let lookup = |app: &App, k| app.keymap.action_for(app.state.key_context(), k);
    assert_eq!(lookup(&app, q), Some(Action::Quit), "q quits from the list");
    assert_eq!(lookup(&app, j), Some(Action::SelectNext));
    assert_eq!(lookup(&app, ctrl('c')), Some(Action::Quit));

    app.act(Action::Add);
    assert_eq!(lookup(&app, q), None, "q in a form is a letter");
    assert_eq!(
        lookup(&app, key(KeyCode::Char('1'))),
        None,
        "digits are typed"
    );
    assert_eq!(lookup(&app, key(KeyCode::Char('?'))), None);
    assert_eq!(lookup(&app, key(KeyCode::Enter)), Some(Action::Submit));
    assert_eq!(lookup(&app, key(KeyCode::Esc)), Some(Action::Cancel));
    assert_eq!(lookup(&app, ctrl('c')), Some(Action::Cancel));
    app.keys("q1?");
    assert_eq!(app.form().value("name"), "q1?");
    assert!(!app.state.should_quit);
    app.act(Action::Cancel);
    app.act(Action::Confirm);

    app.act(Action::Filter);
    assert_eq!(lookup(&app, j), None, "j in the filter is a letter");
    assert_eq!(lookup(&app, q), None);
    assert_eq!(lookup(&app, key(KeyCode::Down)), Some(Action::SelectNext));
    app.keys("jq");
    assert_eq!(app.state.filter().value(), "jq");
    assert!(!app.state.should_quit);
    app.press(key(KeyCode::Esc));

    app.act(Action::Help);
    assert_eq!(lookup(&app, q), Some(Action::Cancel), "q closes a popup");
    // Digits rate a ticket in the satisfaction popup; none switches tabs.
    assert_eq!(
        lookup(&app, key(KeyCode::Char('1'))),
        Some(Action::Rate1),
        "no tab switch under a popup"
    );
    app.act(Action::Rate1);
    assert_eq!(
        app.state.popup,
        Some(Popup::Help { scroll: 0 }),
        "the help stays"
    );
}

// ------------------------------------------------------------ failures become messages

#[test]
fn editing_a_customer_deleted_elsewhere_is_an_error_not_a_panic() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let mut other = open_store(&app.path);
    other
        .delete_customer(id)
        .expect("delete from a second connection");

    app.act(Action::Edit);
    app.type_text(" Ltd");
    app.act(Action::Submit);
    let form = app.form();
    let error = form.error.clone().expect("the form says why");
    assert!(error.contains("trash"), "{error}");
    assert_eq!(app.store.customer(id).unwrap().name, "Acme Corp");
}

#[test]
fn deleting_a_customer_deleted_elsewhere_is_a_status_error() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    open_store(&app.path).delete_customer(id).unwrap();
    app.act(Action::Delete);
    assert!(app.status_is_error(), "{:?}", app.state.status);
    assert!(
        app.status().contains("already in the trash"),
        "{}",
        app.status()
    );
}

#[test]
fn logging_for_a_customer_deleted_elsewhere_does_not_panic() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Printer", Priority::Normal);
    app.keys("2");
    let mut other = open_store(&app.path);
    other.delete_ticket(ticket).unwrap();
    // The state still shows the ticket; its status change must fail politely.
    app.keys("s");
    app.keys("j");
    app.enter();
    assert!(app.status_is_error(), "{:?}", app.state.status);
    // Completing a follow-up removed behind our back: a message, too.
    let f = app
        .store
        .add_followup(FollowupDraft::new(id, today()))
        .unwrap();
    app.keys("3");
    other.delete_followup(f.id).unwrap();
    // x opens the outcome form from what the screen shows; saving it fails
    // with the reason in the form, which stays open.
    app.keys("x");
    app.enter();
    let error = app.form().error.clone().expect("the form says why");
    assert!(error.contains("trash"), "{error}");
    assert_eq!(
        app.store.followup(f.id).unwrap().status,
        FollowupStatus::Planned
    );
}

/// `tuicrm undo` in another terminal takes back the add of a customer the
/// TUI still lists: saving an edit of it is a form error.
#[test]
fn editing_a_customer_undone_elsewhere_is_a_form_error() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let mut other = open_store(&app.path);
    other.undo_last().unwrap().expect("undid the add");
    app.act(Action::Edit);
    app.type_text(" Ltd");
    app.act(Action::Submit);
    assert_eq!(app.form().error.as_deref(), Some("customer 1 not found"));
    app.act(Action::Cancel);
    app.act(Action::Confirm);
    // Moving reads the DB again: an error message, no panic.
    app.act(Action::SelectNext);
    assert!(!app.state.should_quit);
}

/// The same, but the user moves onto the vanished row: the detail fails to
/// load and keeps showing the record selected before, so every action
/// (`d`, `e`, `l`, `t`, `f`) then works on a record that is not highlighted.
#[test]
fn actions_never_target_a_record_other_than_the_highlighted_one() {
    let mut app = App::with_customers(&["Acme Corp", "Beta"]);
    let acme = app.db_customers()[0].id;
    // Another process undoes the last change: adding Beta.
    open_store(&app.path).undo_last().unwrap();
    app.keys("j"); // onto the stale "Beta" row
    assert_eq!(app.selected_name().as_deref(), Some("Beta"));
    assert!(app.status_is_error(), "{:?}", app.state.status);
    assert_ne!(
        app.detail_name().as_deref(),
        Some("Acme Corp"),
        "the detail must not show a record other than the highlighted one"
    );
    app.keys("d");
    assert!(
        app.store.customer(acme).unwrap().deleted_at.is_none(),
        "d deleted Acme Corp while Beta was highlighted ({})",
        app.status()
    );
}

#[test]
fn text_fields_ignore_control_keys_they_do_not_know() {
    let mut app = App::new();
    app.act(Action::Add);
    tuicrm::app::update::type_key(&mut app.state, &mut app.store, ctrl('x'));
    tuicrm::app::update::type_key(&mut app.state, &mut app.store, key(KeyCode::F(5)));
    assert_eq!(app.form().value("name"), "");
    match &app.form().fields[0].value {
        FieldValue::Text(input) => assert_eq!(input.cursor(), 0),
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------ what the screen shows

/// After `G` the last row sits at the bottom of a full list, as in any
/// pager; not alone at the top with the rest of the pane blank.
#[test]
fn select_last_fills_the_list_view() {
    // 120 columns: at 100 the HEALTH column leaves the names 11 cells, and
    // "Customer 0…" no longer tells the rows apart.
    let mut app = app_with_numbered_customers(350);
    render(&mut app, 120, 30);
    let height = app.state.list_height;
    assert!(height > 5, "{height}");
    app.act(Action::SelectLast);
    let screen = render(&mut app, 120, 30);
    assert!(screen.contains(&numbered(349)), "{screen}");
    let list = &app.state.customers;
    assert_eq!(
        list.offset + height,
        list.selected + 1,
        "the last row is at the bottom of the pane"
    );
    assert!(
        screen.contains(&numbered(350 - height)),
        "a screenful of rows above the last one:\n{screen}"
    );
}

/// `G` in the detail pane sets the scroll to a huge number that drawing
/// clamps; `k` then takes it down by one, which the screen never shows.
#[test]
fn detail_scroll_comes_back_after_the_end() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    for i in 0..40 {
        app.ticket_id(id, &format!("Ticket number {i}"), Priority::Normal);
    }
    app.refresh();
    app.act(Action::Open);
    let top = render(&mut app, 100, 30);
    app.act(Action::SelectLast);
    let bottom = render(&mut app, 100, 30);
    assert_ne!(top, bottom, "G scrolls the detail to its end");
    // k after G scrolls up one line, or picks the last ticket line on screen.
    app.act(Action::SelectPrev);
    let one_up = render(&mut app, 100, 30);
    assert!(
        one_up != bottom || app.state.detail_pick.is_some(),
        "k after G"
    );
    // j far past the end, then k: the view moves at once (or, with a
    // ticket line still on screen, the pick moves up to the one above).
    app.act(Action::SelectFirst);
    app.repeat(Action::SelectNext, 200);
    let past_end = render(&mut app, 100, 30);
    let pick = app.state.detail_pick;
    app.act(Action::SelectPrev);
    let moved = render(&mut app, 100, 30) != past_end || app.state.detail_pick != pick;
    assert!(moved, "k after overscrolling");
}

#[test]
fn the_welcome_screen_offers_a_and_d() {
    let mut app = App::new();
    let screen = render(&mut app, 100, 30);
    assert!(screen.contains("Welcome"), "{screen}");
    app.keys("a");
    app.keys("Zephyr Labs");
    app.enter();
    let screen = render(&mut app, 100, 30);
    assert!(!screen.contains("Welcome"), "{screen}");
    assert!(screen.contains("Zephyr Labs"), "{screen}");
    assert!(screen.contains("Saved Zephyr Labs"), "{screen}");
}

/// Saving a customer the filter hides: the status says so, and the
/// highlight stays where the user left it, so a following `e` or `d` works
/// on the record they picked, not on a neighbour.
#[test]
fn adding_a_customer_the_filter_hides_keeps_a_sensible_selection() {
    let mut app = App::with_customers(&["Acme Corp", "Acme Labs", "Beta"]);
    app.keys("/acm");
    app.enter();
    // Filtered matches come newest first.
    assert_eq!(app.selected_name().as_deref(), Some("Acme Labs"));
    app.keys("a");
    app.keys("Zephyr");
    app.enter();
    assert!(app.status().starts_with("Saved Zephyr"), "{}", app.status());
    assert!(app.status().contains("not shown"), "{}", app.status());
    assert_eq!(app.selected_name().as_deref(), Some("Acme Labs"));
}

/// Same as the detail: the help popup's scroll grows past its end and
/// drawing clamps it, so `k` after many `j` shows no change.
#[test]
fn help_scroll_comes_back_after_the_end() {
    let mut app = App::new();
    app.act(Action::Help);
    let top = render(&mut app, 100, 30);
    app.repeat(Action::SelectNext, 300);
    let bottom = render(&mut app, 100, 30);
    assert_ne!(top, bottom, "the help scrolls");
    app.act(Action::SelectPrev);
    assert_ne!(
        render(&mut app, 100, 30),
        bottom,
        "k after scrolling to the end"
    );
}

// ------------------------------------------------------------ agenda, tickets filter, mouse

#[test]
fn the_agenda_lists_what_is_due_and_acts_on_it() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let mut late = FollowupDraft::new(id, today());
    late.due_on = date(2026, 11, 20);
    let late = app.store.add_followup(late).unwrap();
    let ticket = app.ticket_id(id, "Server down", Priority::Urgent);
    app.keys("4");
    assert_eq!(app.state.tab, Tab::Agenda);
    assert_eq!(
        app.state.attention.overdue_followups, 1,
        "the header counts it"
    );
    let ids: Vec<i64> = app.state.agenda.rows.iter().map(|l| l.id).collect();
    assert_eq!(ids, [late.id, ticket], "overdue first, then today");
    assert!(
        matches!(&app.state.detail, Detail::Followup { followup, .. } if followup.id == late.id)
    );
    // j onto the ticket; l links it.
    app.keys("j");
    assert!(matches!(&app.state.detail, Detail::Ticket { ticket: t, .. } if t.id == ticket));
    app.keys("l");
    assert!(matches!(
        app.form().kind,
        FormKind::LogInteraction { ticket_id: Some(t), .. } if t == ticket
    ));
    app.act(Action::Cancel);
    // k back onto the follow-up; x and Enter complete it and it leaves the agenda.
    app.keys("kx");
    assert!(matches!(
        app.form().kind,
        FormKind::FinishFollowup { id, status: FollowupStatus::Done } if id == late.id
    ));
    app.enter();
    assert_eq!(app.status(), "Done check-in with Acme Corp");
    assert_eq!(
        app.store.followup(late.id).unwrap().status,
        FollowupStatus::Done
    );
    let ids: Vec<i64> = app.state.agenda.rows.iter().map(|l| l.id).collect();
    assert_eq!(ids, [ticket]);
    assert_eq!(app.state.attention.overdue_followups, 0);
    // Add is not for the agenda.
    app.act(Action::Add);
    assert_eq!(app.state.popup, None);
    assert!(!app.status().is_empty());
}

/// More lines than a page (100): the Agenda tab reads on as the selection
/// moves, every line comes once, the sections are counted as the header
/// counts, and `w` steps the window 7 → 14 → 30 → 7 days.
#[test]
fn the_agenda_pages_past_its_first_page_counts_sections_and_w_widens_it() {
    let mut app = App::with_customers(&["Acme Corp", "Globex", "Trashed Ltd"]);
    let ids: Vec<i64> = app.db_customers().iter().map(|c| c.id).collect();
    let mut plan = |customer: i64, due: Date, n: usize| {
        for _ in 0..n {
            let mut draft = FollowupDraft::new(customer, today());
            draft.due_on = due;
            app.store.add_followup(draft).unwrap();
        }
    };
    plan(ids[0], date(2026, 11, 20), 90);
    plan(ids[1], date(2026, 11, 23), 40);
    plan(ids[0], today(), 7);
    plan(ids[1], date(2026, 11, 28), 60);
    plan(ids[0], date(2026, 12, 5), 3);
    // The work of a customer in the trash is on neither the header nor the agenda.
    plan(ids[2], date(2026, 11, 20), 5);
    app.store.delete_customer(ids[2]).unwrap();
    let ticket = app.ticket_id(ids[1], "Server down", Priority::Urgent);
    app.keys("4");

    let counts = app.state.agenda_counts;
    assert_eq!(
        (
            counts.overdue.followups,
            counts.today.followups,
            counts.upcoming.followups
        ),
        (130, 7, 60)
    );
    assert_eq!((counts.today.tickets, counts.total()), (1, 198));
    assert_eq!(
        counts.overdue.followups, app.state.attention.overdue_followups,
        "the agenda's overdue section and the header count alike"
    );
    assert_eq!(app.state.agenda.rows.len(), 100, "one page read so far");

    // Walking down reads on: every line once, sections in order.
    let mut seen = Vec::new();
    for _ in 0..counts.total() {
        let line = app.state.agenda.selected_row().unwrap().clone();
        seen.push((line.section, line.kind.noun(), line.id));
        app.keys("j");
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 198, "each line once");
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "sections in order"
    );
    assert!(seen.contains(&(Section::Today, "ticket", ticket)));
    assert!(
        app.state.agenda.rows.len() <= 500,
        "a window, not the whole agenda"
    );

    // G and g jump to the ends, wherever the window stands.
    app.keys("G");
    assert_eq!(
        app.state.agenda.selected_row().unwrap().section,
        Section::Upcoming
    );
    app.keys("g");
    assert_eq!(
        app.state.agenda.selected_row().unwrap().section,
        Section::Overdue
    );

    app.keys("w");
    assert_eq!(app.state.agenda.source.days, 14);
    assert_eq!(app.state.agenda_counts.upcoming.followups, 63);
    assert_eq!(app.status(), "Agenda: the next 14 days");
    app.keys("w");
    assert_eq!(app.state.agenda.source.days, 30);
    app.keys("w");
    assert_eq!(app.state.agenda.source.days, 7);
    assert_eq!(app.state.agenda_counts.total(), 198);
    // The window is the agenda's alone.
    app.keys("1w");
    assert_eq!(app.state.agenda.source.days, 7);
    // `?` lists the key with what it does, from the keymap.
    assert!(app.state.help.iter().any(|line| line.key == "w"
        && line.action == Action::AgendaWindow
        && line.description.contains("7, 14 or 30 days")));
}

#[test]
fn the_ticket_filter_searches_subjects() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    app.ticket_id(id, "Printer on fire", Priority::Normal);
    let slow = app.ticket_id(id, "Slow exports", Priority::Normal);
    app.keys("2/");
    app.type_text("expo");
    let ids: Vec<i64> = app.state.tickets.rows.iter().map(|t| t.id).collect();
    assert_eq!(ids, [slow]);
    assert!(matches!(&app.state.detail, Detail::Ticket { ticket, .. } if ticket.id == slow));
    // Each tab keeps its own filter.
    app.enter();
    app.keys("1");
    assert_eq!(app.state.filter().value(), "");
    assert_eq!(app.customer_names(), ["Acme Corp"]);
    app.keys("2");
    assert_eq!(app.state.filter().value(), "expo");
}

#[test]
fn a_click_selects_the_row_under_it() {
    let mut app = app_with_numbered_customers(50);
    app.act(Action::NextPane);
    assert!(tuicrm::app::update::click_list_row(
        &mut app.state,
        &mut app.store,
        3
    ));
    assert_eq!(app.state.focus, Pane::List);
    assert_eq!(app.selected_name(), Some(numbered(3)));
    assert_eq!(app.detail_name(), Some(numbered(3)));
    // Below the last row: nothing changes.
    app.act(Action::SelectLast);
    let before = app.selected_name();
    tuicrm::app::update::click_list_row(&mut app.state, &mut app.store, 40);
    assert_eq!(app.selected_name(), before);
    // Not through a popup.
    app.act(Action::Help);
    assert!(!tuicrm::app::update::click_list_row(
        &mut app.state,
        &mut app.store,
        0
    ));
}

#[test]
fn s_on_an_agenda_ticket_resolves_and_rates_it() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let ticket = app.ticket_id(id, "Server down", Priority::Urgent);
    app.keys("4s");
    assert_eq!(app.choice().purpose, ChoicePurpose::TicketStatus(ticket));
    app.keys("jjj"); // new → resolved
    app.enter();
    assert_eq!(app.choice().purpose, ChoicePurpose::TicketCsat(ticket));
    app.keys("j"); // 5
    app.enter();
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!((t.status, t.csat), (TicketStatus::Resolved, Some(5)));
    assert!(
        app.state.agenda.is_empty(),
        "a resolved ticket leaves the agenda"
    );
    assert_eq!(app.state.attention.breached_tickets, 0);
}

// ------------------------------------------------------------ health in the list

/// The HEALTH column shows a score for every row on screen, also for rows a
/// filter brings in that were never in view before.
#[test]
fn filtering_fills_the_health_of_the_rows_it_shows() {
    let mut app = app_with_numbered_customers(350);
    let first: Vec<i64> = app.state.customers.rows.iter().map(|c| c.id).collect();
    assert!(app.state.health.contains_key(&first[0]));
    app.keys("/");
    app.type_text("0349");
    let shown = app.state.customers.selected_row().expect("one match").id;
    assert_eq!(app.selected_name(), Some(numbered(349)));
    assert!(
        app.state.health.contains_key(&shown),
        "no health for the row the filter shows"
    );
    // Enter keeps the filter; the row still has its score.
    app.enter();
    assert!(app.state.health.contains_key(&shown));
    let screen = render(&mut app, 120, 30);
    let row = screen
        .lines()
        .find(|l| l.contains(&numbered(349)) && l.contains("prospect"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("100"), "{row}");
}

#[test]
fn merge_offers_likely_duplicates_asks_and_undo_splits_them_again() {
    let mut app = App::with_customers(&["Jane Doe", "Zed Other"]);
    let mut twin = CustomerDraft::new(CustomerKind::Person, "J. Doe");
    twin.email = Some("JANE@example.com".into());
    twin.tags = vec!["imported".into()];
    let twin = app.store.add_customer(twin).unwrap();
    let jane = app
        .db_customers()
        .into_iter()
        .find(|c| c.name == "Jane Doe")
        .unwrap();
    let mut draft = jane.draft();
    draft.email = Some("jane@example.com".into());
    app.store.replace_customer(jane.id, draft).unwrap();
    app.store
        .add_ticket(tuicrm::domain::TicketDraft::new(twin.id, "From the twin"))
        .unwrap();
    app.refresh();
    // The selection stays on Jane Doe although "J. Doe" now sorts first.
    assert_eq!(app.selected_name().as_deref(), Some("Jane Doe"));
    app.act(Action::Merge);
    let Some(Popup::Choice(choice)) = &app.state.popup else {
        panic!("no candidates popup")
    };
    assert_eq!(choice.candidates, vec![twin.id]);
    assert!(
        choice.options[0].contains("same email"),
        "{:?}",
        choice.options
    );
    app.act(Action::Submit);
    let Some(Popup::Choice(confirm)) = &app.state.popup else {
        panic!("no confirmation")
    };
    assert_eq!(confirm.options, ["merge", "cancel"]);
    app.act(Action::Confirm);
    assert!(app.status().starts_with("Merged"), "{}", app.status());
    let merged = app.store.customer(jane.id).unwrap();
    assert_eq!(merged.tags, ["imported"]);
    assert!(app.store.customer(twin.id).unwrap().deleted_at.is_some());
    let tickets = app
        .store
        .tickets_page(
            &tuicrm::store::TicketQuery {
                customer_id: Some(jane.id),
                ..Default::default()
            },
            None,
            10,
        )
        .unwrap();
    assert_eq!(tickets.items.len(), 1);
    // Undo takes the whole merge back.
    app.act(Action::Undo);
    assert!(app.store.customer(twin.id).unwrap().deleted_at.is_none());
    assert!(app.store.customer(jane.id).unwrap().tags.is_empty());
    // No duplicates: a message, no popup.
    let mut lonely = App::with_customers(&["Only One"]);
    lonely.act(Action::Merge);
    assert!(lonely.state.popup.is_none());
    assert!(
        lonely.status().contains("no likely duplicates"),
        "{}",
        lonely.status()
    );
}

/// Another process (a second store on the same file) edits the customer
/// while its form is open in the TUI.
fn edit_form_with_another_writer(field: &str, typed: &str) -> (App, Store, i64) {
    let mut app = App::with_customers(&["Jane Doe"]);
    let id = app.db_customers()[0].id;
    app.act(Action::Edit);
    app.focus_field(field);
    app.type_text(typed);
    let other = open_store(&app.path);
    (app, other, id)
}

#[test]
fn a_form_saved_after_another_process_changed_other_fields_keeps_both() {
    let (mut app, mut other, id) = edit_form_with_another_writer("phone", "+46 8 123");
    let mut theirs = other.customer(id).unwrap().draft();
    theirs.notes = Some("Called about the renewal".into());
    other.replace_customer(id, theirs).unwrap();
    app.act(Action::Submit);
    assert!(app.state.popup.is_none(), "saved");
    let saved = app.store.customer(id).unwrap();
    assert_eq!(saved.phone.as_deref(), Some("+46 8 123"));
    assert_eq!(saved.notes.as_deref(), Some("Called about the renewal"));
    // Undo takes back the phone only: the other process's notes stay.
    app.act(Action::Undo);
    let after = app.store.customer(id).unwrap();
    assert_eq!(after.phone, None);
    assert_eq!(after.notes.as_deref(), Some("Called about the renewal"));
}

#[test]
fn a_form_saved_over_another_processs_change_of_the_same_field_asks_and_reload_shows_theirs() {
    let (mut app, mut other, id) = edit_form_with_another_writer("notes", "Mine");
    let mut theirs = other.customer(id).unwrap().draft();
    theirs.notes = Some("Theirs".into());
    other.replace_customer(id, theirs).unwrap();

    app.act(Action::Submit);
    let error = app.form().error.clone().expect("the form says why");
    assert!(
        error.contains("changed by another process since you opened it")
            && error.contains("notes is now “Theirs”")
            && error.contains("ctrl-r"),
        "{error}"
    );
    assert_eq!(
        app.store.customer(id).unwrap().notes.as_deref(),
        Some("Theirs")
    );
    assert_eq!(app.form().value("notes"), "Mine", "typed text kept");

    // Reload shows what is saved now; saving that changes nothing.
    app.press(ctrl('r'));
    assert_eq!(app.form().value("notes"), "Theirs");
    assert!(app.form().error.is_none());

    // Or: type again, and a second save writes mine over theirs.
    app.focus_field("notes");
    app.type_text(" and mine");
    let mut again = other.customer(id).unwrap().draft();
    again.notes = Some("Theirs, later".into());
    other.replace_customer(id, again).unwrap();
    app.act(Action::Submit);
    assert!(app.form().error.is_some(), "changed again: asks again");
    app.act(Action::Submit);
    assert!(app.state.popup.is_none(), "saved over it");
    assert_eq!(
        app.store.customer(id).unwrap().notes.as_deref(),
        Some("Theirs and mine")
    );
}

#[test]
fn a_ticket_form_writes_only_the_fields_changed_in_it() {
    let mut app = App::with_customers(&["Jane Doe"]);
    let customer = app.db_customers()[0].id;
    let ticket = app.ticket_id(customer, "Printer on fire", Priority::Normal);
    app.act(Action::TabTickets);
    app.act(Action::Edit);
    app.focus_field("subject");
    app.type_text("!");
    let mut other = open_store(&app.path);
    other
        .change_ticket(
            ticket,
            &tuicrm::domain::ticket::TicketChange {
                priority: Some(Priority::Urgent),
                ..Default::default()
            },
        )
        .unwrap();
    app.act(Action::Submit);
    assert!(app.state.popup.is_none(), "saved");
    let saved = app.store.ticket(ticket).unwrap();
    assert_eq!(saved.subject, "Printer on fire!");
    assert_eq!(
        saved.priority,
        Priority::Urgent,
        "the other change survives"
    );
}

/// The TUI's store waits only briefly for a lock (as `tui::run` sets it), and
/// another connection holds the write lock, as a long import would.
fn app_behind_a_writer() -> (App, rusqlite::Connection) {
    let app = App::with_customers(&["Jane Doe"]);
    app.store
        .set_busy_timeout(std::time::Duration::from_millis(20))
        .unwrap();
    let writer = rusqlite::Connection::open(&app.path).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    (app, writer)
}

#[test]
fn a_save_while_another_process_holds_the_lock_waits_and_then_saves() {
    use tuicrm::app::update::retry_waiting_save;
    let (mut app, writer) = app_behind_a_writer();
    app.act(Action::Add);
    app.type_text("Waiting Co");
    app.act(Action::Submit);
    assert!(app.state.save_waiting());
    let says = app.form().error.clone().unwrap_or_default();
    assert!(says.contains("waiting for the database"), "{says}");
    // Keys are still handled meanwhile, and go into the form.
    app.type_text(" AB");
    assert!(retry_waiting_save(&mut app.state, &mut app.store));
    assert!(app.state.save_waiting(), "still locked");
    writer.execute_batch("COMMIT").unwrap();
    assert!(retry_waiting_save(&mut app.state, &mut app.store));
    assert!(app.state.popup.is_none(), "saved once the lock was free");
    assert!(app.db_customers().iter().any(|c| c.name == "Waiting Co AB"));
}

#[test]
fn a_save_that_never_gets_the_lock_gives_up_and_keeps_the_text() {
    use tuicrm::app::forms::SAVE_TRIES;
    use tuicrm::app::update::retry_waiting_save;
    let (mut app, _writer) = app_behind_a_writer();
    app.act(Action::Add);
    app.type_text("Patient Co");
    app.act(Action::Submit);
    for _ in 0..SAVE_TRIES {
        retry_waiting_save(&mut app.state, &mut app.store);
    }
    assert!(!app.state.save_waiting());
    let says = app.form().error.clone().unwrap_or_default();
    assert!(
        says.contains("could not save") && says.contains("your text is kept"),
        "{says}"
    );
    assert_eq!(app.form().value("name"), "Patient Co");
}

/// The log form's direction follows its kind (an email is our reply, a note
/// internal) until the user sets it; `system` is not offered.
#[test]
fn the_log_forms_direction_follows_its_kind_until_set_by_hand() {
    let mut app = App::with_customers(&["Jane Doe"]);
    app.act(Action::LogInteraction);
    assert_eq!(app.form().value("kind"), "note");
    assert_eq!(app.form().value("direction"), "internal");
    app.focus_field("kind");
    let mut offered = Vec::new();
    for _ in 0..6 {
        app.act(Action::ChoiceNext);
        offered.push(app.form().value("kind").to_string());
        let expected = if app.form().value("kind") == "note" {
            "internal"
        } else {
            "outbound"
        };
        assert_eq!(app.form().value("direction"), expected, "{offered:?}");
    }
    assert!(!offered.iter().any(|k| k == "system"), "{offered:?}");
    // Set by hand, it stays whatever the kind becomes.
    while app.form().value("kind") != "email" {
        app.act(Action::ChoiceNext);
    }
    app.focus_field("direction");
    while app.form().value("direction") != "inbound" {
        app.act(Action::ChoiceNext);
    }
    app.focus_field("kind");
    app.act(Action::ChoiceNext);
    assert_eq!(app.form().value("direction"), "inbound");
}

#[test]
fn an_email_logged_on_a_new_ticket_is_its_first_response_and_opens_it() {
    let mut app = App::with_customers(&["Jane Doe"]);
    let customer = app.db_customers()[0].id;
    let ticket = app.ticket_id(customer, "Printer on fire", Priority::Normal);
    app.act(Action::TabTickets);
    app.act(Action::LogInteraction);
    app.type_text("Sent the fix");
    app.focus_field("kind");
    while app.form().value("kind") != "email" {
        app.act(Action::ChoiceNext);
    }
    app.act(Action::Submit);
    assert!(app.state.popup.is_none(), "{:?}", app.state.popup);
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!(t.status, TicketStatus::Open);
    assert!(t.first_response_at.is_some());
    // One undo takes back the reply and what it did to the ticket.
    app.act(Action::Undo);
    let t = app.store.ticket(ticket).unwrap();
    assert_eq!(t.status, TicketStatus::New);
    assert!(t.first_response_at.is_none());
}

/// A paste is text for the field in focus, never keys: a line break in it
/// does not save, and letters in it do not delete or undo.
#[test]
fn a_paste_goes_into_the_field_in_focus_as_text() {
    use tuicrm::app::update::paste;
    let mut app = App::with_customers(&["Jane Doe"]);
    app.act(Action::Add);
    paste(&mut app.state, &mut app.store, "Name\r\nsecond line du");
    assert_eq!(app.form().value("name"), "Name second line du");
    app.focus_field("notes");
    paste(&mut app.state, &mut app.store, "one\ntwo\x1b[31m");
    assert_eq!(
        app.form().value("notes"),
        "one\ntwo[31m",
        "control bytes dropped"
    );
    assert_eq!(app.db_customers().len(), 1, "nothing saved by the paste");
    app.act(Action::Cancel);
    app.act(Action::Confirm);
    // On the list a paste is no command: nothing deleted, nothing undone.
    paste(&mut app.state, &mut app.store, "dddu");
    assert!(app.state.popup.is_none());
    assert_eq!(app.db_customers().len(), 1);
    // While filtering it is the filter's text.
    app.act(Action::Filter);
    paste(&mut app.state, &mut app.store, "jane\n");
    assert_eq!(app.state.filter().value(), "jane ");
}

/// Shrinking the window with the selection at the bottom, then growing it
/// again, fills the list pane instead of leaving empty rows below.
#[test]
fn after_a_resize_the_list_fills_the_pane() {
    use tuicrm::app::update::scroll_into_view;
    let mut app = app_with_numbered_customers(30);
    app.act(Action::SelectLast);
    app.state.list_height = 4;
    scroll_into_view(&mut app.state);
    app.state.list_height = 10;
    scroll_into_view(&mut app.state);
    let list = &app.state.customers;
    assert_eq!(list.selected, list.rows.len() - 1);
    assert_eq!(
        list.offset,
        list.rows.len() - 10,
        "ten rows shown, none empty"
    );
}

/// Esc clears the filter and the selection stays on the record it was on.
#[test]
fn clearing_the_filter_keeps_the_selected_record() {
    let mut app = App::with_customers(&["Adam Ant", "Bob Stone", "Jane Doe", "Zed Zulu"]);
    app.act(Action::Filter);
    app.type_text("jane");
    app.act(Action::Cancel);
    let selected = app.state.customers.selected_row().map(|c| c.name.clone());
    assert_eq!(selected.as_deref(), Some("Jane Doe"));
    assert_eq!(app.state.customers.rows.len(), 4, "the whole list again");
    // Also when the filter was kept with Enter and Esc clears it on the list.
    app.act(Action::Filter);
    app.type_text("zulu");
    app.act(Action::Submit);
    app.act(Action::Cancel);
    let selected = app.state.customers.selected_row().map(|c| c.name.clone());
    assert_eq!(selected.as_deref(), Some("Zed Zulu"));
}

/// The organization kind hides the fields only a person has, and its
/// hidden organization is not saved.
#[test]
fn an_organization_form_hides_person_only_fields() {
    let mut app = App::with_customers(&["Acme Corp"]);
    app.act(Action::Add);
    app.type_text("Globex");
    app.focus_field("organization");
    app.type_text("acme");
    app.focus_field("kind");
    app.act(Action::ChoiceNext);
    assert_eq!(app.form().value("kind"), "organization");
    let hidden: Vec<&str> = app
        .form()
        .fields
        .iter()
        .filter(|f| f.hidden)
        .map(|f| f.key)
        .collect();
    assert_eq!(hidden, ["organization", "title"]);
    // Tab never lands on a hidden field.
    for _ in 0..20 {
        app.act(Action::NextField);
        assert!(!["organization", "title"].contains(&app.focused_key()));
    }
    app.act(Action::Submit);
    assert!(app.state.popup.is_none(), "{:?}", app.state.popup);
    let globex = app
        .db_customers()
        .into_iter()
        .find(|c| c.name == "Globex")
        .unwrap();
    assert_eq!(globex.organization_id, None);
    // Back to person, the fields are there again.
    app.act(Action::Add);
    app.focus_field("kind");
    app.act(Action::ChoiceNext);
    app.act(Action::ChoiceNext);
    assert!(app.form().fields.iter().all(|f| !f.hidden));
}

#[test]
fn the_satisfaction_popup_takes_the_digit_of_the_rating() {
    for (digit, rating) in [('1', 1u8), ('2', 2), ('3', 3), ('4', 4), ('5', 5)] {
        let mut app = App::with_customers(&["Acme Corp"]);
        let id = app.db_customers()[0].id;
        let ticket = app.ticket_id(id, "Printer", Priority::Normal);
        app.keys("2s");
        app.keys("jjj"); // resolved
        app.enter();
        assert_eq!(app.choice().purpose, ChoicePurpose::TicketCsat(ticket));
        app.keys(&digit.to_string());
        assert_eq!(app.state.popup, None, "{digit}");
        assert_eq!(app.store.ticket(ticket).unwrap().csat, Some(rating));
        assert_eq!(app.status(), format!("“Printer” rated {rating}/5"));
        // Elsewhere a digit still switches tabs.
        app.keys("1");
        assert_eq!(app.state.tab, Tab::Customers);
    }
}

// ------------------------------------------------------------ finished work

/// Tickets of one customer: one open, one resolved with a CSAT, one closed.
fn app_with_finished_tickets() -> (App, [i64; 3]) {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let open = app.ticket_id(id, "Still broken", Priority::High);
    let resolved = app.ticket_id(id, "Fixed export", Priority::Normal);
    let closed = app.ticket_id(id, "Old question", Priority::Low);
    let finish = |status, csat| tuicrm::domain::ticket::TicketChange {
        status: Some(status),
        csat,
        ..Default::default()
    };
    app.store
        .change_ticket(resolved, &finish(TicketStatus::Resolved, Some(4)))
        .unwrap();
    app.store
        .change_ticket(closed, &finish(TicketStatus::Closed, None))
        .unwrap();
    app.refresh();
    (app, [open, resolved, closed])
}

#[test]
fn v_shows_resolved_then_closed_tickets_then_all_then_open_again() {
    let (mut app, [open, resolved, closed]) = app_with_finished_tickets();
    let ids = |app: &App| -> Vec<i64> { app.state.tickets.rows.iter().map(|t| t.id).collect() };
    app.keys("2");
    assert_eq!(ids(&app), [open], "the queue: open work only");
    app.keys("v");
    assert_eq!(app.status(), "Showing resolved tickets");
    assert_eq!(ids(&app), [resolved]);
    match &app.state.detail {
        Detail::Ticket { ticket, .. } => {
            assert_eq!(ticket.id, resolved);
            assert_eq!(ticket.csat, Some(4), "its satisfaction is there to see");
        }
        other => panic!("expected the ticket's detail, found {other:?}"),
    }
    app.keys("v");
    assert_eq!(app.status(), "Showing closed tickets");
    assert_eq!(ids(&app), [closed]);
    app.keys("v");
    assert_eq!(app.status(), "Showing all tickets");
    assert_eq!(ids(&app), [closed, resolved, open]);
    assert_eq!(
        app.state.tickets.selected_row().map(|t| t.id),
        Some(closed),
        "the selection stays on its ticket"
    );
    app.keys("o");
    assert_eq!(app.status(), "all tickets are sorted newest first");
    app.keys("v");
    assert_eq!(app.status(), "Showing open tickets");
    assert_eq!(ids(&app), [open]);
    // o still sorts the queue by SLA.
    app.keys("o");
    assert_eq!(app.status(), "Sorted by SLA due time");
    assert_eq!(ids(&app), [open]);
}

#[test]
fn v_keeps_the_filter_and_says_where_it_works() {
    let (mut app, [_, resolved, _]) = app_with_finished_tickets();
    app.keys("v");
    assert!(
        app.status().contains("Tickets and Follow-ups tabs"),
        "{}",
        app.status()
    );
    app.keys("2/export");
    app.enter();
    assert!(app.state.tickets.is_empty(), "the fixed one is finished");
    app.keys("v");
    let ids: Vec<i64> = app.state.tickets.rows.iter().map(|t| t.id).collect();
    assert_eq!(ids, [resolved], "the filter still applies");
}

#[test]
fn finishing_a_followup_with_an_outcome_logs_it_and_v_shows_it_done() {
    let (mut app, id, f) = app_with_a_check_in();
    app.keys("3x");
    app.type_text("Renewal agreed for 2027");
    app.enter();
    assert_eq!(
        app.status(),
        "Done check-in with Acme Corp · outcome logged"
    );
    assert!(app.state.followups.is_empty(), "done leaves the to-do list");
    let log = app.store.interactions_page(id, None, 10).unwrap().items;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].summary, "Check-in done: Renewal agreed for 2027");
    assert_eq!(log[0].followup_id, Some(f.id));
    assert_eq!(log[0].kind, InteractionKind::Note);
    assert_eq!(log[0].occurred_at, now());
    // The finished one, with its outcome, one key away; its log shows the entry.
    app.keys("v");
    assert_eq!(app.status(), "Showing finished follow-ups");
    assert_eq!(app.state.followups.rows.len(), 1);
    match &app.state.detail {
        Detail::Followup { followup, .. } => {
            assert_eq!(followup.status, FollowupStatus::Done);
            assert_eq!(followup.outcome.as_deref(), Some("Renewal agreed for 2027"));
        }
        other => panic!("expected the follow-up's detail, found {other:?}"),
    }
    assert_eq!(app.state.log.len(), 1);
    // One undo takes back both the finishing and the entry.
    app.keys("u");
    assert_eq!(
        app.store.followup(f.id).unwrap().status,
        FollowupStatus::Planned
    );
    assert!(
        app.store
            .interactions_page(id, None, 10)
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        app.state.followups.is_empty(),
        "the finished list has it no more"
    );
    app.keys("vv");
    assert_eq!(app.status(), "Showing planned follow-ups");
    assert_eq!(app.state.followups.rows.len(), 1);
}

#[test]
fn finished_followups_and_all_of_them_are_one_key_apart() {
    let mut app = App::with_customers(&["Acme Corp"]);
    let id = app.db_customers()[0].id;
    let due = |days: i64| {
        let mut draft = FollowupDraft::new(id, today());
        draft.due_on = today().checked_add(jiff::Span::new().days(days)).unwrap();
        draft
    };
    let early = app.store.add_followup(due(-5)).unwrap();
    let late = app.store.add_followup(due(-1)).unwrap();
    let planned = app.store.add_followup(due(3)).unwrap();
    app.store
        .finish_followup(early.id, FollowupStatus::Done, None)
        .unwrap();
    app.store
        .finish_followup(late.id, FollowupStatus::Skipped, Some("on holiday"))
        .unwrap();
    app.keys("3");
    let ids = |app: &App| -> Vec<i64> { app.state.followups.rows.iter().map(|f| f.id).collect() };
    assert_eq!(ids(&app), [planned.id]);
    app.keys("v");
    assert_eq!(ids(&app), [late.id, early.id]);
    app.keys("v");
    assert_eq!(app.status(), "Showing all follow-ups");
    assert_eq!(ids(&app), [planned.id, late.id, early.id]);
    app.keys("G");
    assert_eq!(
        app.state.followups.selected_row().map(|f| f.id),
        Some(early.id)
    );
}

#[test]
fn finished_work_lists_what_was_finished_last_first() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("crm.db");
    let at = |t: &str| Clock::fixed(t.parse().unwrap(), TimeZone::UTC);
    let mut store = open_store(&path).with_clock(at("2026-11-01T09:00:00Z"));
    let id = store
        .add_customer(CustomerDraft::new(CustomerKind::Person, "Jane Doe"))
        .unwrap()
        .id;
    let older = store
        .add_ticket(TicketDraft::new(id, "Opened first"))
        .unwrap()
        .id;
    let early = store
        .add_followup(FollowupDraft::new(id, date(2026, 11, 1)))
        .unwrap()
        .id;
    let mut store = store.with_clock(at("2026-11-10T09:00:00Z"));
    let newer = store
        .add_ticket(TicketDraft::new(id, "Opened later"))
        .unwrap()
        .id;
    let late = store
        .add_followup(FollowupDraft::new(id, date(2026, 11, 10)))
        .unwrap()
        .id;
    let resolve = tuicrm::domain::ticket::TicketChange {
        status: Some(TicketStatus::Resolved),
        ..Default::default()
    };
    // The newer ticket and the later follow-up are finished first; the
    // older ones last, so they top the finished lists.
    store.change_ticket(newer, &resolve).unwrap();
    store
        .finish_followup(late, FollowupStatus::Done, None)
        .unwrap();
    let mut store = store.with_clock(at("2026-11-20T09:00:00Z"));
    store.change_ticket(older, &resolve).unwrap();
    store
        .finish_followup(early, FollowupStatus::Done, None)
        .unwrap();
    let mut app = App::over(
        dir,
        path,
        store.with_clock(Clock::fixed(now(), TimeZone::UTC)),
    );
    app.keys("2v");
    let tickets: Vec<i64> = app.state.tickets.rows.iter().map(|t| t.id).collect();
    assert_eq!(tickets, [older, newer], "recently resolved first");
    app.keys("3v");
    let followups: Vec<i64> = app.state.followups.rows.iter().map(|f| f.id).collect();
    assert_eq!(followups, [early, late], "recently finished first");
    app.keys("v");
    let followups: Vec<i64> = app.state.followups.rows.iter().map(|f| f.id).collect();
    assert_eq!(followups, [late, early], "all: latest due first");
}
