//! Snapshot tests of every pane and popup, drawn on ratatui's `TestBackend`
//! from a pinned clock and a small, fixed data set (or seeded demo data).
//!
//! A snapshot is the screen as text, one line per terminal row (trailing
//! blanks cut), followed by what text alone cannot show: where the cursor is
//! and which cells are drawn reversed (the selected row with the plain theme).

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

use tuicrm::app::update::type_key;
use tuicrm::app::{Action, Popup, State, update};
use tuicrm::config::Config;
use tuicrm::config::keymap::Keymap;
use tuicrm::demo::DemoGenerator;
use tuicrm::domain::{
    Channel, Clock, CustomerDraft, CustomerKind, Direction, FollowupDraft, FollowupKind,
    InteractionDraft, InteractionKind, Money, Priority, Recurrence, SlaPolicy, Stage, TicketDraft,
};
use tuicrm::store::Store;
use tuicrm::ui::layout::areas;
use tuicrm::ui::{Theme, draw};

// ---------------------------------------------------------------- time and data

/// The instant every screen is drawn at.
fn now() -> Timestamp {
    at("2026-11-25T10:00:00Z")
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn today() -> Date {
    date(2026, 11, 25)
}

fn clock(when: Timestamp) -> Clock {
    Clock::fixed(when, TimeZone::UTC)
}

/// An empty store in its own temporary folder, its clock pinned at `when`.
fn fresh_store(when: Timestamp) -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let store = Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(clock(when));
    (dir, store)
}

fn person(name: &str, organization_id: Option<i64>) -> CustomerDraft {
    let mut draft = CustomerDraft::new(CustomerKind::Person, name);
    draft.organization_id = organization_id;
    draft
}

fn interaction(
    customer_id: i64,
    summary: &str,
    when: &str,
    kind: InteractionKind,
    direction: Direction,
) -> InteractionDraft {
    let mut draft = InteractionDraft::new(customer_id, summary, at(when));
    draft.kind = kind;
    draft.direction = direction;
    draft
}

/// Ids of the records `small_crm` makes.
struct Fixture {
    acme: i64,
    breached_ticket: i64,
}

/// A few customers, made five days before `now()` (so the breached ticket
/// really is old); the store's clock is `now()` again when this returns.
///
/// - Acme Corp: an organization with two people, tags, a renewal, notes, a
///   contract value, two open tickets (one breached), an overdue renewal and
///   a recurring check-in, and a log of five interactions.
/// - Globex Inc: a prospect organization with no people.
/// - Zoë Müller: a person on her own, at risk.
fn small_crm() -> (TempDir, Store, Fixture) {
    let (dir, mut store) = fresh_store(at("2026-11-20T09:00:00Z"));

    let mut acme = CustomerDraft::new(CustomerKind::Organization, "Acme Corp");
    acme.email = Some("hello@acme.example".into());
    acme.phone = Some("+1 555 0100".into());
    acme.segment = Some("Enterprise".into());
    acme.tags = vec!["key-account".into(), "emea".into()];
    acme.stage = Stage::Active;
    acme.owner = Some("dana".into());
    acme.renewal_on = Some(date(2027, 1, 15));
    acme.contract_value = Some(Money::parse("48000", "USD").unwrap());
    acme.notes = Some("Two sites: Lyon and Leeds.\nPrefers email over calls.".into());
    let acme = store.add_customer(acme).unwrap().id;

    let mut jane = person("Jane Doe", Some(acme));
    jane.title = Some("CTO".into());
    jane.email = Some("jane@acme.example".into());
    jane.segment = Some("Enterprise".into());
    jane.stage = Stage::Active;
    let jane = store.add_customer(jane).unwrap().id;

    let mut bob = person("Bob Stone", Some(acme));
    bob.title = Some("IT lead".into());
    bob.stage = Stage::Onboarding;
    store.add_customer(bob).unwrap();

    let mut globex = CustomerDraft::new(CustomerKind::Organization, "Globex Inc");
    globex.segment = Some("Mid-market".into());
    store.add_customer(globex).unwrap();

    let mut zoe = person("Zoë Müller", None);
    zoe.segment = Some("SMB".into());
    zoe.stage = Stage::AtRisk;
    zoe.tags = vec!["churn-risk".into()];
    let zoe = store.add_customer(zoe).unwrap().id;

    // Opened five days ago at normal priority: due after 3 days, so 2d over.
    let mut breached = TicketDraft::new(acme, "Invoices export times out");
    breached.channel = Channel::Email;
    breached.body = Some("The CSV export of November invoices never finishes.".into());
    let breached_ticket = store.add_ticket(breached).unwrap().id;

    let mut store = store.with_clock(clock(at("2026-11-25T08:00:00Z")));
    let mut urgent = TicketDraft::new(jane, "SSO login loops back to the start page");
    urgent.priority = Priority::High;
    urgent.channel = Channel::Phone;
    store.add_ticket(urgent).unwrap();
    let mut low = TicketDraft::new(zoe, "Question about the annual plan");
    low.priority = Priority::Low;
    low.channel = Channel::Chat;
    store.add_ticket(low).unwrap();

    let mut store = store.with_clock(clock(now()));
    let mut renewal = FollowupDraft::new(acme, today());
    renewal.kind = FollowupKind::Renewal;
    renewal.due_on = date(2026, 11, 20);
    renewal.note = Some("Send the renewal quote for 2027".into());
    store.add_followup(renewal).unwrap();
    let mut check_in = FollowupDraft::new(acme, today());
    check_in.due_on = date(2026, 11, 28);
    check_in.recurrence = Recurrence::parse("2w").unwrap();
    check_in.note = Some("Fortnightly check-in with Jane".into());
    store.add_followup(check_in).unwrap();
    let mut onboarding = FollowupDraft::new(zoe, today());
    onboarding.kind = FollowupKind::Review;
    onboarding.due_on = today();
    store.add_followup(onboarding).unwrap();

    use Direction::{Inbound, Internal, Outbound};
    use InteractionKind::{Call, Chat, Email, Meeting, Note};
    let log = [
        interaction(
            acme,
            "Kick-off meeting on site in Lyon",
            "2026-10-02T09:00:00Z",
            Meeting,
            Outbound,
        ),
        interaction(
            acme,
            "Asked for a discount on seats",
            "2026-11-18T15:30:00Z",
            Call,
            Inbound,
        ),
        interaction(
            acme,
            "Reported the invoices export timing out",
            "2026-11-20T09:05:00Z",
            Email,
            Inbound,
        ),
        interaction(
            acme,
            "Chat: shared a workaround (smaller date range)",
            "2026-11-24T16:00:00Z",
            Chat,
            Outbound,
        ),
        interaction(
            acme,
            "Renewal risk is low; budget approved",
            "2026-11-25T07:45:00Z",
            Note,
            Internal,
        ),
    ];
    for (i, mut draft) in log.into_iter().enumerate() {
        if i == 3 {
            draft.ticket_id = Some(breached_ticket);
        }
        store.log_interaction(draft).unwrap();
    }
    (
        dir,
        store,
        Fixture {
            acme,
            breached_ticket,
        },
    )
}

/// `customers` deterministic demo customers (seed 42) made at `now()`.
fn demo_crm(customers: usize) -> (TempDir, Store) {
    let (dir, mut store) = fresh_store(now());
    let accounts: Vec<_> =
        DemoGenerator::new(customers, 42, now(), TimeZone::UTC, SlaPolicy::default()).collect();
    store.insert_accounts("demo", &accounts).unwrap();
    (dir, store)
}

// ---------------------------------------------------------------- the app on a test backend

struct App {
    store: Store,
    state: State,
    width: u16,
    height: u16,
    _dir: TempDir,
}

impl App {
    /// The app as the event loop starts it: state read from the store, the
    /// list told how many rows fit.
    fn start(dir: TempDir, store: Store, width: u16, height: u16) -> App {
        let keymap = Keymap::from_config(&Config::defaults().keys).expect("default keys");
        let mut state = State::new(&store, &keymap, "USD");
        // The temporary folder's name changes every run; snapshots keep one.
        state.db_path = "~/.local/share/tuicrm/tuicrm.db".to_string();
        let mut app = App {
            store,
            state,
            width,
            height,
            _dir: dir,
        };
        app.resize(width, height);
        app
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.width = width;
        self.height = height;
        self.fit();
    }

    /// What the event loop does after every event: fit the state to the screen.
    fn fit(&mut self) {
        // The report the event loop would read on its thread.
        tuicrm::app::reports::read_wanted(&mut self.state, &self.store);
        tuicrm::ui::fit(&mut self.state, Rect::new(0, 0, self.width, self.height));
        self.state.fill_health(&self.store);
    }

    fn act(&mut self, action: Action) -> &mut App {
        update(&mut self.state, &mut self.store, action);
        self.fit();
        self
    }

    fn key(&mut self, code: KeyCode, modifiers: KeyModifiers) -> &mut App {
        type_key(
            &mut self.state,
            &mut self.store,
            KeyEvent::new(code, modifiers),
        );
        self.fit();
        self
    }

    fn type_text(&mut self, text: &str) -> &mut App {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
        self
    }

    fn screen(&self) -> Screen {
        screen_of(&self.state, self.width, self.height)
    }
}

/// Draws `state` on a fresh `width`×`height` test terminal. The text is
/// what the terminal got (the backend's buffer, built from ratatui's diff);
/// the frame ratatui meant to draw is kept to find cells the diff dropped.
fn screen_of(state: &State, width: u16, height: u16) -> Screen {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let intended = terminal
        .draw(|frame| draw(frame, state, &Theme::plain()))
        .unwrap()
        .buffer
        .clone();
    let backend = terminal.backend();
    let cursor = backend.cursor_visible().then(|| backend.cursor_position());
    Screen::new(backend.buffer().clone(), &intended, cursor)
}

/// A drawn frame as text.
struct Screen {
    buffer: Buffer,
    /// One string per row; a wide character stands for the cells it covers.
    lines: Vec<String>,
    cursor: Option<Position>,
    /// Cells of the intended frame that are hidden under a wide character
    /// and not blank: something (a popup's border) was drawn over the right
    /// half of a wide character, and the terminal never gets it.
    hidden: Vec<(u16, u16, String)>,
}

/// The visible cells of row `y` between columns `from` and `to`: each with its
/// column and the number of columns it covers (2 for a wide character, whose
/// second cell is skipped). Hidden non-blank cells go to `hidden`.
fn visible_cells(
    buffer: &Buffer,
    y: u16,
    from: u16,
    to: u16,
    mut hidden: impl FnMut(u16, &str),
) -> Vec<(u16, u16)> {
    let mut cells = Vec::new();
    let mut covered = 0usize;
    for x in from..to {
        let symbol = buffer[(x, y)].symbol();
        if covered == 0 {
            let width = symbol.width().max(1);
            cells.push((x, u16::try_from(width).unwrap_or(1)));
            covered = width - 1;
        } else {
            if !symbol.trim().is_empty() {
                hidden(x, symbol);
            }
            covered -= 1;
        }
    }
    cells
}

impl Screen {
    fn new(buffer: Buffer, intended: &Buffer, cursor: Option<Position>) -> Screen {
        let area = buffer.area;
        let mut hidden = Vec::new();
        for y in area.top()..area.bottom() {
            visible_cells(intended, y, area.left(), area.right(), |x, symbol| {
                hidden.push((x, y, symbol.to_string()))
            });
        }
        let lines = (area.top()..area.bottom())
            .map(|y| {
                visible_cells(&buffer, y, area.left(), area.right(), |_, _| {})
                    .into_iter()
                    .map(|(x, _)| buffer[(x, y)].symbol())
                    .collect()
            })
            .collect();
        Screen {
            buffer,
            lines,
            cursor,
            hidden,
        }
    }

    /// The snapshot text: rows without trailing blanks, then the cursor and
    /// the reversed (selected) cells.
    fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        match self.cursor {
            Some(p) => writeln!(out, "» cursor at column {}, row {}", p.x, p.y).unwrap(),
            None => out.push_str("» cursor hidden\n"),
        }
        for (y, from, to) in self.reversed_runs() {
            writeln!(out, "» reversed: row {y}, columns {from}..{to}").unwrap();
        }
        for (x, y, symbol) in &self.hidden {
            writeln!(
                out,
                "» hidden under a wide character at ({x}, {y}): {symbol:?}"
            )
            .unwrap();
        }
        out
    }

    /// Runs of cells drawn reversed, as (row, first column, end column); a
    /// wide character's style covers both its cells, as in a terminal.
    fn reversed_runs(&self) -> Vec<(u16, u16, u16)> {
        let area = self.buffer.area;
        let mut runs = Vec::new();
        for y in area.top()..area.bottom() {
            let mut start = None;
            let cells = visible_cells(&self.buffer, y, area.left(), area.right(), |_, _| {});
            for (x, width) in cells {
                let reversed = self.buffer[(x, y)].modifier.contains(Modifier::REVERSED);
                match (reversed, start) {
                    (true, None) => start = Some(x),
                    (false, Some(from)) => {
                        runs.push((y, from, x));
                        start = None;
                    }
                    _ => {}
                }
                if reversed && x + width == area.right() {
                    runs.push((y, start.take().unwrap_or(x), area.right()));
                }
            }
        }
        runs
    }

    /// The text of the cells inside `area`, one string per row.
    fn region(&self, area: Rect) -> Vec<String> {
        (area.top()..area.bottom())
            .map(|y| {
                visible_cells(&self.buffer, y, area.left(), area.right(), |_, _| {})
                    .into_iter()
                    .map(|(x, _)| self.buffer[(x, y)].symbol())
                    .collect()
            })
            .collect()
    }

    /// The rows of the list pane, borders included.
    fn list_pane(&self) -> Vec<String> {
        self.region(areas(self.buffer.area).list)
    }

    fn contains(&self, text: &str) -> bool {
        self.lines.iter().any(|l| l.contains(text))
    }

    /// Every cell symbol that holds a control character or a character that
    /// reorders or hides text.
    fn unsafe_cells(&self) -> Vec<(u16, u16, String)> {
        let area = self.buffer.area;
        let mut found = Vec::new();
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                let symbol = self.buffer[(x, y)].symbol();
                if symbol
                    .chars()
                    .any(|c| c.is_control() || is_bidi_or_invisible(c))
                {
                    found.push((x, y, symbol.to_string()));
                }
            }
        }
        found
    }
}

fn is_bidi_or_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}')
}

/// The first of `rows` containing `text`.
fn row_with<'a>(rows: &'a [String], text: &str) -> &'a str {
    rows.iter()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("no row contains {text:?}:\n{}", rows.join("\n")))
}

/// The display column where `needle` starts in `line`.
fn column_of(line: &str, needle: &str) -> usize {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    line[..at].width()
}

fn small_app(width: u16, height: u16) -> (App, Fixture) {
    let (dir, store, fixture) = small_crm();
    (App::start(dir, store, width, height), fixture)
}

fn empty_app(width: u16, height: u16) -> App {
    let (dir, store) = fresh_store(now());
    App::start(dir, store, width, height)
}

// ---------------------------------------------------------------- 1. welcome

#[test]
fn welcome_screen() {
    let app = empty_app(120, 40);
    assert!(app.state.empty);
    insta::assert_snapshot!("welcome_120x40", app.screen().text());
}

#[test]
fn welcome_screen_at_the_smallest_size() {
    let app = empty_app(40, 12);
    insta::assert_snapshot!("welcome_40x12", app.screen().text());
}

/// At 40×12 the welcome box must leave the header line (the tabs) alone, as
/// it does at 120×40.
#[test]
fn welcome_screen_keeps_the_header_when_narrow() {
    let app = empty_app(40, 12);
    let screen = app.screen();
    assert!(screen.lines[0].starts_with("tuicrm "), "{}", screen.text());
}

#[test]
fn welcome_then_demo_data() {
    let mut app = empty_app(120, 40);
    app.act(Action::LoadDemo);
    assert!(!app.state.empty);
    insta::assert_snapshot!("welcome_then_demo_data_120x40", app.screen().text());
}

// ---------------------------------------------------------------- 2. customers

#[test]
fn customers_tab_with_organization_detail_and_log() {
    let (app, fixture) = small_app(120, 40);
    let screen = app.screen();
    // Acme Corp comes first by name and is selected: its detail and log
    // show, health and open work first (its people are below the fold).
    assert!(screen.contains("health 62 ~ watch"), "{}", screen.text());
    assert!(
        screen.contains("1 ticket past SLA −15"),
        "{}",
        screen.text()
    );
    assert!(
        screen.contains("— Jane Doe [high · "),
        "a person's ticket is listed on the organization: {}",
        screen.text()
    );
    assert_eq!(app.state.log.len(), 5);
    assert_eq!(
        app.state.detail.customer().map(|c| c.id),
        Some(fixture.acme)
    );
    insta::assert_snapshot!("customers_120x40", screen.text());
}

#[test]
fn customers_tab_with_a_person_selected() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::SelectNext); // Bob Stone
    insta::assert_snapshot!("customers_person_120x40", app.screen().text());
}

/// The org's people (with their open tickets) and notes sit below the fold
/// at 120×40: scrolled into view with the detail pane focused.
#[test]
fn customers_detail_scrolled_to_people_and_notes() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::NextPane);
    for _ in 0..30 {
        app.act(Action::SelectNext);
    }
    let screen = app.screen();
    assert!(screen.contains("People (2)"), "{}", screen.text());
    assert!(
        screen.contains("Jane Doe — CTO  (1 open)"),
        "{}",
        screen.text()
    );
    assert!(
        screen.contains("Prefers email over calls."),
        "{}",
        screen.text()
    );
    insta::assert_snapshot!("customers_detail_scrolled_120x40", screen.text());
}

/// The org's open tickets (with SLA) and planned follow-ups come right
/// after its health, above the fields.
#[test]
fn customers_detail_shows_open_work_first() {
    let (app, _) = small_app(120, 40);
    let screen = app.screen();
    assert!(screen.contains("! 2d over"), "{}", screen.text());
    assert!(
        screen.contains("renewal ! 2026-11-20 (5d ago)"),
        "{}",
        screen.text()
    );
    assert!(
        screen.contains("check-in 2026-11-28 (in 3d)"),
        "{}",
        screen.text()
    );
}

/// Scrolling the detail to its end shows its last line even when long notes
/// wrap onto several rows.
#[test]
fn detail_scrolls_to_its_end_when_notes_wrap() {
    let (dir, mut store, fixture) = small_crm();
    let acme = store.customer(fixture.acme).unwrap();
    let mut draft = acme.draft();
    draft.notes = Some("A long paragraph that wraps. ".repeat(30) + "The very last line.");
    store.replace_customer(fixture.acme, draft).unwrap();
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::NextPane).act(Action::SelectLast);
    let screen = app.screen();
    assert!(screen.contains("The very last line."), "{}", screen.text());
}

#[test]
fn a_long_field_wraps_under_its_value() {
    let (dir, mut store, fixture) = small_crm();
    let acme = store.customer(fixture.acme).unwrap();
    let mut draft = acme.draft();
    draft.extra.insert(
        "ADR".into(),
        vec![
            ";;1 Very Long Harbour Street Name;San Francisco;CA;94105;United States of America"
                .into(),
        ],
    );
    store.replace_customer(fixture.acme, draft).unwrap();
    let mut app = App::start(dir, store, 100, 40);
    app.act(Action::NextPane).act(Action::SelectLast);
    let screen = app.screen();
    let text = screen.text();
    let first = text
        .lines()
        .position(|l| l.contains("address 1 Very Long"))
        .unwrap_or_else(|| panic!("{text}"));
    let next = text.lines().nth(first + 1).unwrap();
    // The detail pane's row: its border, 13 blank columns, then the value.
    let row = next.rsplit_once("││").map_or(next, |(_, right)| right);
    let indent = row.len() - row.trim_start().len();
    assert_eq!(
        indent, 13,
        "the continuation starts under the value: {next:?}\n{text}"
    );
}

#[test]
fn customers_tab_log_pane_focused() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::NextPane).act(Action::NextPane);
    app.act(Action::SelectNext);
    insta::assert_snapshot!("customers_log_focused_120x40", app.screen().text());
}

/// The counters end at the right edge of the header line.
#[test]
fn header_counters_are_right_aligned() {
    let (app, _) = small_app(120, 40);
    let screen = app.screen();
    let header = &screen.lines[0];
    assert!(header.ends_with("1 overdue · 1 breaching"), "{header:?}");
}

// ---------------------------------------------------------------- 3. tickets

#[test]
fn tickets_tab_newest_first() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabTickets);
    insta::assert_snapshot!("tickets_120x40", app.screen().text());
}

#[test]
fn tickets_tab_by_sla_with_breached_ticket_detail() {
    let (mut app, fixture) = small_app(120, 40);
    app.act(Action::TabTickets).act(Action::CycleSort);
    let screen = app.screen();
    assert!(
        matches!(&app.state.detail, tuicrm::app::Detail::Ticket { ticket, .. } if ticket.id == fixture.breached_ticket),
        "{}",
        screen.text()
    );
    assert!(screen.contains("! 2d over"), "{}", screen.text());
    insta::assert_snapshot!("tickets_by_sla_breached_detail_120x40", screen.text());
}

// ---------------------------------------------------------------- 4. follow-ups and agenda

#[test]
fn followups_tab_with_overdue_and_recurring() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabFollowups);
    let screen = app.screen();
    assert!(screen.contains("↻"), "{}", screen.text());
    insta::assert_snapshot!("followups_120x40", screen.text());
}

#[test]
fn followups_tab_recurring_detail() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabFollowups).act(Action::SelectLast);
    insta::assert_snapshot!("followups_recurring_detail_120x40", app.screen().text());
}

#[test]
fn agenda_tab() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabAgenda);
    insta::assert_snapshot!("agenda_120x40", app.screen().text());
}

// ---------------------------------------------------------------- 5. popups

#[test]
fn add_customer_form_empty() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Add);
    let screen = app.screen();
    assert!(matches!(app.state.popup, Some(Popup::Form(_))));
    assert!(screen.cursor.is_some(), "the cursor waits in Name");
    insta::assert_snapshot!("form_add_customer_empty_120x40", screen.text());
}

#[test]
fn add_customer_form_with_a_name_typed() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Add).type_text("Initech Ltd");
    insta::assert_snapshot!("form_add_customer_typed_120x40", app.screen().text());
}

#[test]
fn add_customer_form_with_invalid_email() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Add).type_text("Initech Ltd");
    for _ in 0..3 {
        app.act(Action::NextField); // kind, organization, email
    }
    app.type_text("nope").act(Action::Submit);
    let screen = app.screen();
    assert!(
        matches!(app.state.popup, Some(Popup::Form(_))),
        "the form stays open"
    );
    assert!(screen.contains("name@example.com"), "{}", screen.text());
    insta::assert_snapshot!("form_add_customer_invalid_email_120x40", screen.text());
}

#[test]
fn log_form_with_invalid_time() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::LogInteraction)
        .type_text("Called about the invoice");
    for _ in 0..3 {
        app.act(Action::NextField); // kind, direction, when
    }
    app.key(KeyCode::Char('u'), KeyModifiers::CONTROL) // clears "now"
        .type_text("whenever")
        .act(Action::Submit);
    let screen = app.screen();
    assert!(matches!(app.state.popup, Some(Popup::Form(_))));
    assert!(screen.contains("whenever"), "{}", screen.text());
    insta::assert_snapshot!("form_log_invalid_time_120x40", screen.text());
}

#[test]
fn ticket_form_from_the_tickets_tab() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabTickets).act(Action::Add);
    insta::assert_snapshot!("form_new_ticket_120x40", app.screen().text());
}

#[test]
fn edit_customer_form() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Edit);
    insta::assert_snapshot!("form_edit_customer_120x40", app.screen().text());
}

/// The snapshot records what Esc on a changed form draws today; see
/// `discard_question_is_visible` for what it should show.
#[test]
fn discard_confirmation() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Add)
        .type_text("Half-typed")
        .act(Action::Cancel);
    assert!(matches!(&app.state.popup, Some(Popup::Form(f)) if f.confirming_discard));
    insta::assert_snapshot!("form_discard_confirmation_120x40", app.screen().text());
}

/// Esc on a form with changes asks "Discard your changes?" — the question
/// must be on screen, or the form just seems to ignore Esc.
#[test]
fn discard_question_is_visible() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Add)
        .type_text("Half-typed")
        .act(Action::Cancel);
    let screen = app.screen();
    assert!(
        screen.contains("Discard your changes? y discard · n keep editing"),
        "{}",
        screen.text()
    );
}

/// Every form ends with its footer of keys.
#[test]
fn form_footer_is_visible() {
    let (mut app, _) = small_app(120, 40);
    for open in [
        Action::Add,
        Action::LogInteraction,
        Action::NewTicket,
        Action::NewFollowup,
    ] {
        app.act(open);
        let screen = app.screen();
        assert!(
            screen.contains("enter save · tab next · esc cancel"),
            "{}",
            screen.text()
        );
        app.act(Action::Cancel);
    }
}

#[test]
fn help_popup() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Help);
    insta::assert_snapshot!("help_120x40", app.screen().text());
}

#[test]
fn help_popup_scrolled_to_the_end() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Help);
    for _ in 0..200 {
        app.act(Action::SelectNext);
    }
    insta::assert_snapshot!("help_scrolled_120x40", app.screen().text());
}

#[test]
fn ticket_status_choice() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabTickets).act(Action::SetStatus);
    assert!(matches!(app.state.popup, Some(Popup::Choice(_))));
    insta::assert_snapshot!("ticket_status_choice_120x40", app.screen().text());
}

// ---------------------------------------------------------------- 6. filter

#[test]
fn filter_being_typed() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Filter).type_text("jan");
    let screen = app.screen();
    assert!(app.state.filtering);
    assert!(screen.contains("Jane Doe"), "{}", screen.text());
    assert!(!screen.contains("Globex"), "{}", screen.text());
    insta::assert_snapshot!("filter_typing_120x40", screen.text());
}

#[test]
fn filter_finds_a_cjk_name_by_its_first_character() {
    let mut app = hostile_app(120, 40);
    app.act(Action::Filter).type_text("王");
    let screen = app.screen();
    assert_safe(&screen);
    assert!(row_with(&screen.list_pane(), "Evil").contains("王芳"));
}

#[test]
fn filter_without_match() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Filter).type_text("zzz");
    insta::assert_snapshot!("filter_no_match_120x40", app.screen().text());
}

// ---------------------------------------------------------------- 7. sizes

#[test]
fn customers_tab_at_40x12() {
    let (app, _) = small_app(40, 12);
    insta::assert_snapshot!("customers_40x12", app.screen().text());
}

#[test]
fn customers_tab_at_80x24() {
    let (app, _) = small_app(80, 24);
    insta::assert_snapshot!("customers_80x24", app.screen().text());
}

#[test]
fn customers_log_at_40x12() {
    let (mut app, _) = small_app(40, 12);
    app.act(Action::NextPane).act(Action::NextPane);
    insta::assert_snapshot!("customers_log_40x12", app.screen().text());
}

#[test]
fn add_customer_form_at_40x12() {
    let (mut app, _) = small_app(40, 12);
    app.act(Action::Add);
    insta::assert_snapshot!("form_add_customer_40x12", app.screen().text());
}

#[test]
fn help_popup_at_40x12() {
    let (mut app, _) = small_app(40, 12);
    app.act(Action::Help);
    insta::assert_snapshot!("help_40x12", app.screen().text());
}

/// "Usable from 40×12": the field being typed into must be on screen.
#[test]
fn form_field_in_focus_stays_visible_at_40x12() {
    let (mut app, _) = small_app(40, 12);
    app.act(Action::Add)
        .act(Action::PrevField)
        .type_text("hello");
    let screen = app.screen();
    assert!(screen.contains("hello"), "{}", screen.text());
    assert!(screen.cursor.is_some(), "{}", screen.text());
}

/// A form taller than the screen scrolls with the focus, down through every
/// field and back to the first: the field in focus is always on screen,
/// marked, with the cursor in it; the title and border are never cut.
#[test]
fn a_tall_form_scrolls_with_the_focus_both_ways() {
    let (mut app, _) = small_app(40, 12);
    app.act(Action::Add);
    let count = match &app.state.popup {
        Some(Popup::Form(form)) => form.fields.iter().filter(|f| !f.hidden).count(),
        other => panic!("expected a form, found {other:?}"),
    };
    assert!(count > 10, "the form is taller than 12 rows");
    let check = |app: &App, step: &str| {
        let Some(Popup::Form(form)) = &app.state.popup else {
            panic!("the form closed at {step}");
        };
        let label = form.fields[form.focus].label;
        let screen = app.screen();
        let lines: Vec<String> = screen.text().lines().map(str::to_string).collect();
        assert!(
            lines[0].contains("Add customer"),
            "{step}: title cut\n{}",
            screen.text()
        );
        let marked = lines.iter().find(|l| l.contains('›'));
        assert!(
            marked.is_some_and(|l| l.contains(label.trim())),
            "{step}: {label} not on screen\n{}",
            screen.text()
        );
        assert!(
            screen.cursor.is_some() || label.trim() == "Kind" || label.trim() == "Stage",
            "{step}: no cursor\n{}",
            screen.text()
        );
    };
    for i in 0..count - 1 {
        app.act(Action::NextField);
        check(&app, &format!("down {i}"));
    }
    for i in 0..count - 1 {
        app.act(Action::PrevField);
        check(&app, &format!("up {i}"));
    }
    let screen = app.screen().text();
    assert!(
        screen.lines().nth(1).is_some_and(|l| l.contains("Name")),
        "{screen}"
    );
}

#[test]
fn too_small() {
    let (app, _) = small_app(120, 40);
    let screen = screen_of(&app.state, 39, 11);
    assert!(screen.contains("terminal too small"));
    insta::assert_snapshot!("too_small_39x11", screen.text());
}

/// Every screen and popup at every awkward size, down to nothing: no panic
/// (drawing outside the buffer would be one), paging included.
#[test]
fn tiny_and_odd_sizes_do_not_panic() {
    let states: [fn(&mut App); 10] = [
        |_| {},
        |a| {
            a.act(Action::NextPane).act(Action::NextPane);
        },
        |a| {
            a.act(Action::TabTickets);
        },
        |a| {
            a.act(Action::TabTickets).act(Action::SetStatus);
        },
        |a| {
            a.act(Action::TabFollowups);
        },
        |a| {
            a.act(Action::TabAgenda);
        },
        |a| {
            a.act(Action::Add).type_text("王芳🎉 wide");
        },
        |a| {
            a.act(Action::Add).type_text("x").act(Action::Cancel);
        },
        |a| {
            a.act(Action::Help);
        },
        |a| {
            a.act(Action::Filter).type_text("acme");
        },
    ];
    let sizes = [
        (0, 0),
        (1, 1),
        (2, 1),
        (1, 2),
        (10, 3),
        (17, 5),
        (18, 5),
        (39, 11),
        (39, 12),
        (40, 11),
        (40, 12),
        (41, 13),
        (60, 20),
        (79, 24),
        (80, 24),
        (81, 25),
        (120, 40),
        (250, 80),
    ];
    for setup in states {
        let (dir, store, _) = small_crm();
        let mut app = App::start(dir, store, 120, 40);
        setup(&mut app);
        for (width, height) in sizes {
            app.resize(width, height);
            assert_eq!(app.screen().lines.len(), usize::from(height));
            // Paging by a screenful of zero or one row must not trip either.
            app.act(Action::PageDown);
            assert_eq!(app.screen().lines.len(), usize::from(height));
            app.act(Action::PageUp);
        }
    }
    for (width, height, expected) in [(1, 1, "t"), (2, 1, "to"), (10, 3, "too small")] {
        let screen = screen_of(&empty_app(width, height).state, width, height);
        assert_eq!(screen.lines[0].trim_end(), expected);
    }
}

// ---------------------------------------------------------------- demo data

#[test]
fn demo_data_customers() {
    let (dir, store) = demo_crm(60);
    let app = App::start(dir, store, 120, 40);
    insta::assert_snapshot!("demo_customers_120x40", app.screen().text());
}

#[test]
fn demo_data_customers_scrolled_to_the_end() {
    let (dir, store) = demo_crm(60);
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::SelectLast);
    insta::assert_snapshot!("demo_customers_last_120x40", app.screen().text());
}

/// `G` selects the last row and shows it at the bottom of a full list pane.
#[test]
fn select_last_keeps_the_list_pane_full() {
    let (dir, store) = demo_crm(60);
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::SelectLast);
    let list = app.screen().list_pane();
    let shown = list[2..list.len() - 1]
        .iter()
        .filter(|row| !row.trim_matches(['│', ' ']).is_empty())
        .count();
    assert_eq!(shown, app.state.list_height, "{}", list.join("\n"));
}

#[test]
fn demo_data_tickets_and_agenda() {
    let (dir, store) = demo_crm(60);
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::TabTickets);
    insta::assert_snapshot!("demo_tickets_120x40", app.screen().text());
    app.act(Action::TabAgenda);
    insta::assert_snapshot!("demo_agenda_120x40", app.screen().text());
}

/// Past the first page and at the end of a wider window: the section of the
/// top row has its header, with the count of the whole section.
#[test]
fn demo_agenda_at_its_end_over_14_days() {
    let (dir, store) = demo_crm(400);
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::TabAgenda);
    app.act(Action::AgendaWindow);
    app.act(Action::SelectLast);
    insta::assert_snapshot!("demo_agenda_end_14_days_120x40", app.screen().text());
}

#[test]
fn demo_reports_by_week() {
    let (dir, store) = demo_crm(400);
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::TabReports);
    insta::assert_snapshot!("demo_reports_120x40", app.screen().text());
}

#[test]
fn demo_reports_by_assignee_when_narrow() {
    let (dir, store) = demo_crm(400);
    let mut app = App::start(dir, store, 80, 24);
    app.act(Action::TabReports);
    app.act(Action::ReportBy).act(Action::ReportBy);
    assert_eq!(app.state.reports.by.as_str(), "assignee");
    insta::assert_snapshot!("demo_reports_by_assignee_80x24", app.screen().text());
    // The keys of the list mean nothing else here: no pane to move to, no
    // filter, the table scrolls and stops at its total.
    app.act(Action::NextPane);
    app.act(Action::SelectLast);
    assert_eq!(app.state.reports.scroll, app.state.reports.rows() - 1);
    app.act(Action::Filter);
    assert!(!app.state.filtering);
}

// ---------------------------------------------------------------- 8. hostile text

const HOSTILE_NAME: &str = "Evil\u{1b}[2J\u{202e}Corp 王芳🎉";

/// A customer whose name, notes, ticket and log carry escape sequences, C1
/// controls, bidi overrides, CJK and emoji; plus a plain customer after it.
fn hostile_app(width: u16, height: u16) -> App {
    let (dir, mut store) = fresh_store(now());
    let mut evil = person(HOSTILE_NAME, None);
    evil.segment = Some("Enterprise".into());
    evil.stage = Stage::Active;
    evil.title = Some("Chief\u{1b}[31m Officer".into());
    evil.notes = Some("title: \u{1b}]0;owned\u{7}\nred: \u{9b}31m\ttab\r\nend".into());
    let evil = store.add_customer(evil).unwrap().id;
    let mut plain = person("Plain Person", None);
    plain.segment = Some("SMB".into());
    store.add_customer(plain).unwrap();
    let mut ticket = TicketDraft::new(evil, "Refund for invoice\u{202e}fdp.exe\u{202c} please");
    ticket.body = Some("see \u{1b}[8mhidden\u{1b}[0m text\u{2066}isolate\u{2069}".into());
    store.add_ticket(ticket).unwrap();
    let mut log = InteractionDraft::new(evil, "Mail \u{1b}[1mbold\u{7} \u{202e}kcab", now());
    log.kind = InteractionKind::Email;
    log.direction = Direction::Inbound;
    store.log_interaction(log).unwrap();
    App::start(dir, store, width, height)
}

fn assert_safe(screen: &Screen) {
    let found = screen.unsafe_cells();
    assert!(
        found.is_empty(),
        "control or bidi characters reached the screen: {found:?}\n{}",
        screen.text()
    );
    assert!(
        screen.hidden.is_empty(),
        "half of a wide character was drawn over: {:?}\n{}",
        screen.hidden,
        screen.text()
    );
}

#[test]
fn hostile_text_is_inert_and_aligned() {
    let app = hostile_app(120, 40);
    let screen = app.screen();
    assert_safe(&screen);
    // The name's row has its cells where the header says.
    let list = screen.list_pane();
    let header = row_with(&list, "STAGE");
    let row = row_with(&list, "王芳🎉");
    assert_eq!(
        column_of(row, "97"),
        column_of(header, "HEALTH") + 2,
        "\n{header}\n{row}"
    );
    assert_eq!(
        column_of(row, "active"),
        column_of(header, "STAGE"),
        "\n{header}\n{row}"
    );
    insta::assert_snapshot!("hostile_customers_120x40", screen.text());
}

#[test]
fn hostile_text_at_40x12_stays_aligned() {
    let app = hostile_app(40, 12);
    let screen = app.screen();
    assert_safe(&screen);
    let list = screen.list_pane();
    // At 40 columns the segment makes way for the name; STAGE still lines up.
    let header = row_with(&list, "STAGE");
    let row = row_with(&list, "Evil");
    assert_eq!(
        column_of(row, "active"),
        column_of(header, "STAGE"),
        "\n{header}\n{row}"
    );
    insta::assert_snapshot!("hostile_customers_40x12", screen.text());
}

#[test]
fn hostile_text_on_the_tickets_tab() {
    let mut app = hostile_app(120, 40);
    app.act(Action::TabTickets);
    let screen = app.screen();
    assert_safe(&screen);
    let list = screen.list_pane();
    let header = row_with(&list, "CUSTOMER");
    let row = row_with(&list, "Refund");
    assert_eq!(
        column_of(row, "new"),
        column_of(header, "STATUS"),
        "\n{header}\n{row}"
    );
    assert_eq!(
        column_of(row, "reply in 8h"),
        column_of(header, "SLA"),
        "\n{header}\n{row}"
    );
    insta::assert_snapshot!("hostile_tickets_120x40", screen.text());
}

#[test]
fn hostile_text_in_popups() {
    let mut app = hostile_app(120, 40);
    app.act(Action::Edit);
    let screen = app.screen();
    assert_safe(&screen);
    insta::assert_snapshot!("hostile_edit_form_120x40", screen.text());
    app.act(Action::Cancel).act(Action::LogInteraction);
    let screen = app.screen();
    assert_safe(&screen);
    insta::assert_snapshot!("hostile_log_form_120x40", screen.text());
}

#[test]
fn hostile_text_typed_into_the_filter_and_a_form() {
    let mut app = hostile_app(120, 40);
    app.act(Action::Filter).type_text("\u{1b}[2J\u{202e}王");
    let screen = app.screen();
    assert_safe(&screen);
    insta::assert_snapshot!("hostile_filter_120x40", screen.text());
    app.act(Action::Cancel)
        .act(Action::Add)
        .type_text("\u{1b}]0;x\u{7}\u{202e}名前");
    let screen = app.screen();
    assert_safe(&screen);
    insta::assert_snapshot!("hostile_typed_name_120x40", screen.text());
}

/// Popups drawn over rows of CJK names: a popup's left border must not land
/// on the right half of a wide character, or the terminal shows the wide
/// character and drops the border cell (ratatui's diff skips it).
#[test]
fn popups_over_wide_characters() {
    let (dir, mut store) = fresh_store(now());
    for i in 0..30 {
        // Odd and even rows put the wide characters at odd and even columns.
        let lead = if i % 2 == 0 { "" } else { "a" };
        let name = format!("{lead}{}{i:02}", "王".repeat(20));
        store.add_customer(person(&name, None)).unwrap();
    }
    let mut app = App::start(dir, store, 120, 40);
    for open in [Action::Add, Action::Help] {
        app.act(open);
        let screen = app.screen();
        assert!(screen.hidden.is_empty(), "{}", screen.text());
        app.act(Action::Cancel);
    }
}

// ---------------------------------------------------------------- 9. workflows: health, CSAT, outcome, renewal

/// One person in trouble, as of `now()`: added 60 days ago, last heard from
/// 45 days ago, two tickets past their SLA (one urgent, never answered) and
/// one open, an overdue renewal follow-up and an overdue check-in, and a
/// ticket resolved last week rated 2/5. Plus a calm neighbour in the list.
/// Returns the store and the urgent ticket's id.
fn troubled_crm() -> (TempDir, Store, i64) {
    let (dir, mut store) = fresh_store(at("2026-09-26T09:00:00Z"));
    let mut draft = person("Quinn Harlow", None);
    draft.email = Some("quinn@harlow.example".into());
    draft.segment = Some("SMB".into());
    draft.stage = Stage::Active;
    draft.renewal_on = Some(date(2026, 12, 15));
    let quinn = store.add_customer(draft).unwrap().id;
    let mut calm = person("Robin Calm", None);
    calm.segment = Some("SMB".into());
    let calm = store.add_customer(calm).unwrap().id;
    store
        .log_interaction(interaction(
            quinn,
            "Quarterly call: happy so far",
            "2026-10-11T09:00:00Z",
            InteractionKind::Call,
            Direction::Outbound,
        ))
        .unwrap();

    let mut store = store.with_clock(clock(at("2026-11-10T09:00:00Z")));
    let rated = store
        .add_ticket(TicketDraft::new(quinn, "Wrong VAT on the October invoice"))
        .unwrap()
        .id;
    let mut store = store.with_clock(clock(at("2026-11-12T09:00:00Z")));
    store
        .change_ticket(
            rated,
            &tuicrm::domain::ticket::TicketChange {
                status: Some(tuicrm::domain::TicketStatus::Resolved),
                csat: Some(2),
                ..Default::default()
            },
        )
        .unwrap();

    let mut store = store.with_clock(clock(at("2026-11-20T09:00:00Z")));
    store
        .add_ticket(TicketDraft::new(quinn, "Exports stop at 1000 rows"))
        .unwrap();
    let mut store = store.with_clock(clock(at("2026-11-24T10:00:00Z")));
    let mut urgent = TicketDraft::new(quinn, "Nobody can log in");
    urgent.priority = Priority::Urgent;
    let urgent = store.add_ticket(urgent).unwrap().id;
    let mut store = store.with_clock(clock(at("2026-11-25T08:00:00Z")));
    let mut low = TicketDraft::new(quinn, "Typo in the welcome mail");
    low.priority = Priority::Low;
    store.add_ticket(low).unwrap();

    let mut store = store.with_clock(clock(now()));
    let mut renewal = FollowupDraft::new(quinn, today());
    renewal.kind = FollowupKind::Renewal;
    renewal.due_on = date(2026, 11, 15);
    store.add_followup(renewal).unwrap();
    let mut check_in = FollowupDraft::new(quinn, today());
    check_in.due_on = date(2026, 11, 22);
    store.add_followup(check_in).unwrap();
    store
        .log_interaction(interaction(
            calm,
            "Sent the onboarding guide",
            "2026-11-24T09:00:00Z",
            InteractionKind::Email,
            Direction::Outbound,
        ))
        .unwrap();
    (dir, store, urgent)
}

#[test]
fn customer_detail_with_breached_tickets_and_a_low_health_score() {
    let (dir, store, _) = troubled_crm();
    let app = App::start(dir, store, 120, 40);
    let screen = app.screen();
    for reason in [
        "health 12 ! at risk",
        "2 tickets past SLA −30",
        "1 open ticket −3",
        "1 overdue renewal follow-up −20",
        "1 overdue follow-up −10",
        "no contact for 45 days −15",
        "CSAT 2.0 −10",
        "csat 2.0 average of 1 recent",
        "Nobody can log in [urgent · ! reply 23h over]",
        "Exports stop at 1000 rows [normal · ! reply 4d over]",
    ] {
        assert!(screen.contains(reason), "{reason:?}:\n{}", screen.text());
    }
    // The list shows the band by symbol too, not colour alone.
    let list = screen.list_pane();
    assert!(
        row_with(&list, "Quinn Harlow").contains("!12"),
        "{}",
        list.join("\n")
    );
    insta::assert_snapshot!("customer_low_health_120x40", screen.text());
}

/// An urgent ticket past its first-response target says so beside "answer by".
#[test]
fn ticket_detail_with_no_answer_past_its_target() {
    let (dir, store, urgent) = troubled_crm();
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::TabTickets)
        .act(Action::CycleSort) // by SLA due: most overdue first
        .act(Action::SelectNext);
    let screen = app.screen();
    assert!(
        matches!(&app.state.detail, tuicrm::app::Detail::Ticket { ticket, .. } if ticket.id == urgent),
        "{}",
        screen.text()
    );
    assert!(
        screen.contains("answer by 2026-11-24 11:00 · ! reply 23h over"),
        "{}",
        screen.text()
    );
    insta::assert_snapshot!("ticket_no_answer_yet_120x40", screen.text());
}

/// Every flag a ticket can show in the list, read at 2026-11-25 10:00: an
/// answer owed and late, one coming due (warning), one in time, a ticket
/// waiting on the customer, a resolution past due, one resolved late and
/// one in time.
#[test]
fn ticket_flags_of_every_clock_state() {
    use tuicrm::domain::TicketStatus;
    use tuicrm::domain::ticket::TicketChange;
    let (dir, store) = fresh_store(now());
    let mut store = store;
    let c = store.add_customer(person("Jane Doe", None)).unwrap().id;
    let add = |store: &mut Store, when: &str, subject: &str, priority: Priority| {
        let mut s = std::mem::replace(store, Store::open(&dir.path().join("crm.db")).unwrap());
        s = s.with_clock(clock(at(when)));
        let mut draft = TicketDraft::new(c, subject);
        draft.priority = priority;
        let id = s.add_ticket(draft).unwrap().id;
        *store = s;
        id
    };
    let set = |store: &mut Store, when: &str, id: i64, status: TicketStatus| {
        let s = std::mem::replace(store, Store::open(&dir.path().join("crm.db")).unwrap());
        let mut s = s.with_clock(clock(at(when)));
        let change = TicketChange {
            status: Some(status),
            ..TicketChange::default()
        };
        s.change_ticket(id, &change).unwrap();
        *store = s;
    };
    add(
        &mut store,
        "2026-11-25T08:00:00Z",
        "Unanswered and late",
        Priority::Urgent,
    );
    add(
        &mut store,
        "2026-11-25T09:10:00Z",
        "Coming due",
        Priority::Urgent,
    );
    add(
        &mut store,
        "2026-11-25T09:00:00Z",
        "Plenty of time",
        Priority::Low,
    );
    let waiting = add(
        &mut store,
        "2026-11-24T09:00:00Z",
        "Waiting on them",
        Priority::Normal,
    );
    let mut reply = interaction(
        c,
        "Which browser?",
        "2026-11-24T09:30:00Z",
        InteractionKind::Email,
        Direction::Outbound,
    );
    reply.ticket_id = Some(waiting);
    store.log_interaction(reply).unwrap();
    set(
        &mut store,
        "2026-11-24T10:00:00Z",
        waiting,
        TicketStatus::Pending,
    );
    let overdue = add(
        &mut store,
        "2026-11-20T09:00:00Z",
        "Long overdue",
        Priority::High,
    );
    let mut reply = interaction(
        c,
        "Looking into it",
        "2026-11-20T09:30:00Z",
        InteractionKind::Email,
        Direction::Outbound,
    );
    reply.ticket_id = Some(overdue);
    store.log_interaction(reply).unwrap();
    let late = add(
        &mut store,
        "2026-11-23T08:00:00Z",
        "Resolved late",
        Priority::Urgent,
    );
    set(
        &mut store,
        "2026-11-23T14:00:00Z",
        late,
        TicketStatus::Resolved,
    );
    let fine = add(
        &mut store,
        "2026-11-23T08:00:00Z",
        "Resolved in time",
        Priority::Urgent,
    );
    set(
        &mut store,
        "2026-11-23T09:00:00Z",
        fine,
        TicketStatus::Resolved,
    );
    let store = store.with_clock(clock(now()));
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::TabTickets);
    // Open, resolved, closed, all.
    app.act(Action::CycleScope)
        .act(Action::CycleScope)
        .act(Action::CycleScope);
    let screen = app.screen();
    // The SLA column is 12 wide: a longer flag is cut (the detail has it whole).
    for flag in [
        "! reply 1h…",
        "~ reply in…",
        "reply in 23h",
        "paused",
        "! 4d over",
        "! 2h late",
    ] {
        assert!(screen.contains(flag), "{flag}: {}", screen.text());
    }
    insta::assert_snapshot!("ticket_flags_120x40", screen.text());
}

/// An organization's log pane has its people's interactions too, each
/// marked with the person's name; the person's own log has no prefix.
#[test]
fn organization_log_shows_its_peoples_interactions_by_name() {
    let (dir, mut store, fixture) = small_crm();
    let jane = store
        .customers_page(
            &tuicrm::store::CustomerQuery {
                organization_id: Some(fixture.acme),
                ..Default::default()
            },
            None,
            10,
        )
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.name == "Jane Doe")
        .unwrap();
    store
        .log_interaction(interaction(
            jane.id,
            "Confirmed the SSO fix works",
            "2026-11-25T09:30:00Z",
            InteractionKind::Email,
            Direction::Inbound,
        ))
        .unwrap();
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::NextPane).act(Action::NextPane); // the log pane
    let screen = app.screen();
    assert_eq!(app.state.log.len(), 6);
    assert!(
        screen.contains("← email 30m ago   Jane Doe: Confirmed the SSO fix works"),
        "{}",
        screen.text()
    );
    insta::assert_snapshot!("customers_org_log_with_people_120x40", screen.text());
    // Jane's own log: the same entry, no name in front.
    let (dir, store) = (app._dir, app.store);
    let mut app = App::start(dir, store, 120, 40);
    for _ in 0..3 {
        app.act(Action::SelectNext); // Bob, Globex, Jane
    }
    let screen = app.screen();
    assert_eq!(app.state.detail.customer().map(|c| c.id), Some(jane.id));
    assert!(
        screen.contains("30m ago   Confirmed the SSO fix works"),
        "{}",
        screen.text()
    );
    assert!(!screen.contains("Jane Doe: "), "{}", screen.text());
}

#[test]
fn csat_choice_after_resolving_a_ticket() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabTickets).act(Action::SetStatus);
    for _ in 0..3 {
        app.act(Action::SelectNext); // new → resolved
    }
    app.act(Action::Submit);
    assert!(
        matches!(&app.state.popup, Some(Popup::Choice(c)) if c.options == ["skip", "5", "4", "3", "2", "1"])
    );
    let screen = app.screen();
    assert!(screen.contains("Satisfaction (CSAT)"), "{}", screen.text());
    insta::assert_snapshot!("ticket_csat_choice_120x40", screen.text());
}

/// The ticket just resolved leaves the list, so the detail behind the CSAT
/// popup shows another ticket: the popup's title is the only place that says
/// which ticket is being rated, and it must be readable in full.
#[test]
fn csat_popup_title_names_the_ticket() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabTickets).act(Action::SetStatus);
    for _ in 0..3 {
        app.act(Action::SelectNext);
    }
    app.act(Action::Submit);
    let screen = app.screen();
    assert!(
        screen.contains("Satisfaction (CSAT) of ticket 3"),
        "{}",
        screen.text()
    );
}

#[test]
fn followup_status_choice() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabFollowups).act(Action::SetStatus);
    assert!(matches!(app.state.popup, Some(Popup::Choice(_))));
    insta::assert_snapshot!("followup_status_choice_120x40", app.screen().text());
}

#[test]
fn outcome_form_when_completing_a_followup() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabFollowups)
        .act(Action::CompleteFollowup)
        .type_text("Quote sent, waiting for the PO");
    let screen = app.screen();
    assert!(matches!(app.state.popup, Some(Popup::Form(_))));
    assert!(screen.cursor.is_some(), "the cursor waits in Outcome");
    assert!(
        screen.contains("Done: renewal with Acme Corp"),
        "{}",
        screen.text()
    );
    insta::assert_snapshot!("form_followup_outcome_120x40", screen.text());
}

#[test]
fn customer_detail_suggests_the_renewal_follow_up() {
    let (dir, mut store, _) = small_crm();
    let globex = store.customer(4).unwrap();
    assert_eq!(globex.name, "Globex Inc");
    let mut draft = globex.draft();
    draft.renewal_on = Some(date(2027, 3, 1));
    store.replace_customer(globex.id, draft).unwrap();
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::SelectNext).act(Action::SelectNext); // Bob, Globex
    let screen = app.screen();
    assert!(
        screen.contains("suggested: renewal follow-up due 2027-01-30 — R to plan it"),
        "{}",
        screen.text()
    );
    insta::assert_snapshot!("customers_renewal_suggestion_120x40", screen.text());
}

/// The customer list's columns fit its pane at 80×24: the STAGE words
/// (among them the "! at risk" marker) are not cut off at the border.
#[test]
fn customer_list_columns_fit_at_80x24() {
    let (app, _) = small_app(80, 24);
    let list = app.screen().list_pane();
    for stage in ["onboarding", "prospect", "! at risk"] {
        assert!(
            list.iter().any(|row| row.contains(stage)),
            "{stage:?} is cut off:\n{}",
            list.join("\n")
        );
    }
}

/// "answer by" shows until the first outbound reply on the ticket; an
/// internal note on it does not count, the reply turns it into "responded".
#[test]
fn ticket_detail_answer_by_until_the_first_reply() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::TabTickets); // newest first: Zoë's low ticket, 3
    let zoe = app.state.detail.customer().map(|c| c.id).unwrap();
    assert!(
        app.screen()
            .contains("answer by 2026-11-26 08:00 · reply in 22h"),
        "{}",
        app.screen().text()
    );
    let mut note = interaction(
        zoe,
        "Checked her plan",
        "2026-11-25T09:00:00Z",
        InteractionKind::Note,
        Direction::Internal,
    );
    note.ticket_id = Some(3);
    app.store.log_interaction(note).unwrap();
    app.state.refresh(&app.store);
    assert!(
        app.screen().contains("answer by"),
        "{}",
        app.screen().text()
    );
    let mut reply = interaction(
        zoe,
        "Explained the annual plan",
        "2026-11-25T09:30:00Z",
        InteractionKind::Chat,
        Direction::Outbound,
    );
    reply.ticket_id = Some(3);
    app.store.log_interaction(reply).unwrap();
    app.state.refresh(&app.store);
    let screen = app.screen();
    assert!(!screen.contains("answer by"), "{}", screen.text());
    assert!(
        screen.contains("responded 2026-11-25 09:30 (30m ago) · met"),
        "{}",
        screen.text()
    );
}

/// A form-wide message (another process changed the record) is read whole:
/// it wraps inside the form, also on a small screen.
#[test]
fn a_long_form_message_wraps_inside_the_form() {
    let message = "customer 3 was changed by another process since you opened it: notes is now “Called back about the renewal” — enter: save yours over it · ctrl-r: show theirs";
    for (width, height) in [(120, 40), (60, 30)] {
        let (mut app, _) = small_app(width, height);
        app.act(Action::Edit);
        if let Some(Popup::Form(form)) = &mut app.state.popup {
            form.error = Some(message.to_string());
        }
        let screen = app.screen();
        for part in ["changed by another", "save yours over it", "show theirs"] {
            assert!(
                screen.contains(part),
                "{width}x{height}: {part}\n{}",
                screen.text()
            );
        }
        if width == 120 {
            insta::assert_snapshot!("form_conflict_message_120x40", screen.text());
        }
    }
}

/// A database that turns out damaged keeps saying so in the header, and its
/// lists do not pretend to be empty.
#[test]
fn a_damaged_database_keeps_a_banner() {
    let (mut app, _) = small_app(120, 40);
    app.state.fail(&tuicrm::store::StoreError::Corrupt {
        context: "listing customers".into(),
        source: "database disk image is malformed".into(),
    });
    app.state.empty = true;
    app.act(Action::TabTickets);
    let screen = app.screen();
    assert!(
        screen.contains("! database file damaged"),
        "{}",
        screen.text()
    );
    assert!(!screen.contains("Welcome"), "{}", screen.text());
}

/// In a multi-line field Enter is a new line: the footer names the key that saves.
#[test]
fn the_form_footer_names_the_save_key_of_the_field_in_focus() {
    let (mut app, _) = small_app(120, 40);
    app.act(Action::Add);
    assert!(app.screen().contains("enter save · tab next · esc cancel"));
    for _ in 0..12 {
        app.act(Action::NextField); // down to Notes
    }
    let screen = app.screen();
    assert!(
        screen.contains("enter new line · ctrl-s save · tab next · esc cancel"),
        "{}",
        screen.text()
    );
}

#[test]
fn too_small_says_the_size_it_needs() {
    let app = empty_app(36, 8);
    assert!(app.screen().contains("terminal too small: needs 40×12"));
}

// ---------------------------------------------------------------- finished work

/// `v` on the tickets and follow-ups tabs: what is finished, with how it
/// ended (the status, a follow-up's outcome in its detail).
#[test]
fn demo_finished_tickets_and_followups() {
    let (dir, store) = demo_crm(60);
    let mut app = App::start(dir, store, 120, 40);
    app.act(Action::TabTickets).act(Action::CycleScope);
    let screen = app.screen();
    assert!(
        screen.contains("Resolved tickets · recently resolved first"),
        "{}",
        screen.text()
    );
    assert!(
        !screen.list_pane().iter().any(|row| row.contains(" new ")),
        "{}",
        screen.text()
    );
    insta::assert_snapshot!("demo_finished_tickets_120x40", screen.text());
    app.act(Action::TabFollowups).act(Action::CycleScope);
    let screen = app.screen();
    assert!(
        screen.contains("Finished follow-ups · recently finished first"),
        "{}",
        screen.text()
    );
    assert!(screen.contains("done"), "{}", screen.text());
    insta::assert_snapshot!("demo_finished_followups_120x40", screen.text());
}

/// The status bar's hints are the keymap's: a key bound elsewhere is named
/// as bound, in the words of what it does there.
#[test]
fn hints_name_the_keys_as_bound() {
    let (dir, store, _) = small_crm();
    let mut config = Config::defaults();
    let list = config.keys.get_mut("list").unwrap();
    list.insert("v".into(), "cycle_sort".into());
    list.insert("F".into(), "cycle_scope".into());
    let keymap = Keymap::from_config(&config.keys).unwrap();
    let mut app = App::start(dir, store, 120, 40);
    app.state = State::new(&app.store, &keymap, "USD");
    app.act(Action::TabTickets);
    let screen = app.screen();
    let hints = screen.text();
    assert!(hints.contains("F resolved"), "{hints}");
    assert!(!hints.contains("v resolved"), "{hints}");
    app.act(Action::CycleScope);
    assert!(app.screen().text().contains("Showing resolved tickets"));
    app.state.status = None;
    assert!(
        app.screen().text().contains("F closed"),
        "{}",
        app.screen().text()
    );
}
