//! The list columns at the sizes people use (issue 12.8): who a row is
//! (organization or people count, email) and which ticket (id, status), with
//! columns dropping whole by priority as the pane narrows, a cut value ending
//! in "…", and the agenda's "what" (with the follow-up's note) taking the
//! free width. Snapshots of the list pane at 120×40, 80×24 and 60×24.

use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use tempfile::TempDir;

use tuicrm::app::{Action, Pane, State, Tab, update};
use tuicrm::config::Config;
use tuicrm::config::keymap::Keymap;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, FollowupDraft, FollowupKind, Priority, Stage, TicketDraft,
    TicketStatus,
};
use tuicrm::store::Store;
use tuicrm::ui::layout::areas;
use tuicrm::ui::{Theme, draw, fit};

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn clock(text: &str) -> Clock {
    Clock::fixed(at(text), TimeZone::UTC)
}

struct App {
    _dir: TempDir,
    store: Store,
    state: State,
    width: u16,
    height: u16,
}

impl App {
    fn act(&mut self, action: Action) -> &mut App {
        update(&mut self.state, &mut self.store, action);
        self.fit();
        self
    }

    fn fit(&mut self) {
        fit(&mut self.state, Rect::new(0, 0, self.width, self.height));
        self.state.fill_health(&self.store);
    }

    fn resize(&mut self, width: u16, height: u16) -> &mut App {
        self.width = width;
        self.height = height;
        self.fit();
        self
    }

    /// The list pane as text, borders included, and which of its rows are
    /// drawn selected (reversed).
    fn list_pane(&self) -> String {
        let buffer = self.buffer();
        let list = areas(buffer.area).list;
        let mut out = String::new();
        let mut selected = Vec::new();
        for y in list.top()..list.bottom() {
            let mut line = String::new();
            let mut skip = 0;
            for x in list.left()..list.right() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            if buffer[(list.left() + 1, y)]
                .modifier
                .contains(Modifier::REVERSED)
            {
                selected.push(y - list.top());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push_str(&format!("» selected rows of the pane: {selected:?}\n"));
        out
    }

    /// The whole screen as text, and which rows have cells drawn reversed.
    fn screen(&self) -> String {
        let buffer = self.buffer();
        let mut out = String::new();
        let mut reversed = Vec::new();
        for y in 0..buffer.area.height {
            let cells: Vec<u16> = (0..buffer.area.width)
                .filter(|x| buffer[(*x, y)].modifier.contains(Modifier::REVERSED))
                .collect();
            if let (Some(first), Some(last)) = (cells.first(), cells.last()) {
                reversed.push(format!("row {y}, columns {first}..={last}"));
            }
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buffer.area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push_str(&format!("» reversed: {reversed:?}\n"));
        out
    }

    fn buffer(&self) -> ratatui::buffer::Buffer {
        let mut terminal = Terminal::new(TestBackend::new(self.width, self.height)).unwrap();
        terminal
            .draw(|frame| draw(frame, &self.state, &Theme::plain()))
            .unwrap();
        terminal.backend().buffer().clone()
    }
}

/// Customers whose names alone do not tell them apart (two John Smiths), an
/// organization of three people with a long name and long emails, tickets in
/// every state (a resolved one rated 4, a closed one unrated), follow-ups
/// with and without notes.
fn crm(width: u16, height: u16) -> App {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("crm.db"))
        .unwrap()
        .with_clock(clock("2026-11-20T09:00:00Z"));
    let add = |store: &mut Store, kind, name: &str, org: Option<i64>, email: Option<&str>| {
        let mut draft = CustomerDraft::new(kind, name);
        draft.organization_id = org;
        draft.email = email.map(String::from);
        draft.stage = Stage::Active;
        store.add_customer(draft).unwrap().id
    };
    use CustomerKind::{Organization, Person};
    let northwind = add(
        &mut store,
        Organization,
        "Northwind Traders International",
        None,
        Some("accounts@northwind-traders.example"),
    );
    let margaret = add(
        &mut store,
        Person,
        "Margaret Peacock-Fullerton",
        Some(northwind),
        Some("margaret.peacock@northwind-traders.example"),
    );
    add(&mut store, Person, "Andrew Fuller", Some(northwind), None);
    add(
        &mut store,
        Person,
        "Janet Leverling",
        Some(northwind),
        Some("janet@northwind-traders.example"),
    );
    let globex = add(
        &mut store,
        Organization,
        "Globex",
        None,
        Some("hello@globex.example"),
    );
    add(
        &mut store,
        Person,
        "John Smith",
        Some(globex),
        Some("js@globex.example"),
    );
    let john = add(
        &mut store,
        Person,
        "John Smith",
        None,
        Some("john@smith.example"),
    );
    let mut zoe = CustomerDraft::new(Person, "Zoë Müller");
    zoe.segment = Some("SMB".into());
    zoe.stage = Stage::AtRisk;
    let zoe = store.add_customer(zoe).unwrap().id;

    let mut breached =
        TicketDraft::new(northwind, "Invoices export times out for the November run");
    breached.priority = Priority::Normal;
    store.add_ticket(breached).unwrap();
    let mut store = store.with_clock(clock("2026-11-25T08:00:00Z"));
    let mut sso = TicketDraft::new(margaret, "SSO login loops back to the start page");
    sso.priority = Priority::High;
    store.add_ticket(sso).unwrap();
    let plan = store
        .add_ticket(TicketDraft::new(zoe, "Question about the annual plan"))
        .unwrap();
    let rated = TicketChange {
        status: Some(TicketStatus::Resolved),
        csat: Some(4),
        ..TicketChange::default()
    };
    store.change_ticket(plan.id, &rated).unwrap();
    let dupe = store
        .add_ticket(TicketDraft::new(john, "Duplicate invoice"))
        .unwrap();
    let closed = TicketChange {
        status: Some(TicketStatus::Closed),
        ..TicketChange::default()
    };
    store.change_ticket(dupe.id, &closed).unwrap();

    let mut store = store.with_clock(clock("2026-11-25T10:00:00Z"));
    let today = date(2026, 11, 25);
    let mut renewal = FollowupDraft::new(northwind, today);
    renewal.kind = FollowupKind::Renewal;
    renewal.due_on = date(2026, 11, 20);
    renewal.note = Some("Send the renewal quote for 2027".into());
    store.add_followup(renewal).unwrap();
    let mut check_in = FollowupDraft::new(margaret, today);
    check_in.due_on = date(2026, 11, 27);
    check_in.note = Some("Ask about the Q3 rollout\nand whether Leeds is live".into());
    store.add_followup(check_in).unwrap();
    let mut review = FollowupDraft::new(zoe, today);
    review.kind = FollowupKind::Review;
    store.add_followup(review).unwrap();

    let keymap = Keymap::from_config(&Config::defaults().keys).unwrap();
    let mut state = State::new(&store, &keymap, "USD");
    // Finished tickets show as the list of every ticket would show them.
    state.tickets.source.statuses = Vec::new();
    state.refresh(&store);
    let mut app = App {
        _dir: dir,
        store,
        state,
        width,
        height,
    };
    app.fit();
    app
}

const SIZES: [(u16, u16); 3] = [(120, 40), (80, 24), (60, 24)];

fn snapshots_of(tab: Action, name: &str) {
    let mut app = crm(120, 40);
    app.act(tab);
    for (width, height) in SIZES {
        app.resize(width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), app.list_pane());
    }
}

#[test]
fn customer_list_columns_by_width() {
    snapshots_of(Action::TabCustomers, "columns_customers");
}

#[test]
fn ticket_list_columns_by_width() {
    snapshots_of(Action::TabTickets, "columns_tickets");
}

#[test]
fn followup_list_columns_by_width() {
    snapshots_of(Action::TabFollowups, "columns_followups");
}

#[test]
fn agenda_list_columns_by_width() {
    snapshots_of(Action::TabAgenda, "columns_agenda");
}

/// What the snapshots show, said as rules: the people count and the
/// organization tell the two John Smiths apart; ids and statuses (with the
/// rating) are on the tickets; the note is on the agenda line.
#[test]
fn rows_can_be_told_apart() {
    let mut app = crm(200, 40);
    let customers = app.list_pane();
    assert!(customers.contains("3 people"), "{customers}");
    assert!(customers.contains("1 person"), "{customers}");
    let smiths: Vec<&str> = customers
        .lines()
        .filter(|l| l.contains("John Smith"))
        .collect();
    assert_eq!(smiths.len(), 2, "{customers}");
    assert!(smiths.iter().any(|l| l.contains("Globex")), "{customers}");
    assert!(
        smiths.iter().any(|l| l.contains("john@smith.example")),
        "{customers}"
    );

    app.act(Action::TabTickets);
    let tickets = app.list_pane();
    for text in ["#1 ", "#4 ", "resolved ★4", "closed", "high", "! reply 4d…"] {
        assert!(tickets.contains(text), "{text:?} missing:\n{tickets}");
    }

    app.act(Action::TabAgenda);
    let agenda = app.list_pane();
    assert!(
        agenda.contains("check-in · Ask about the Q3 rollout"),
        "{agenda}"
    );
}

/// A column that does not fit drops whole: no cell is left cut mid-value
/// without "…", and the header names only the columns that show.
#[test]
fn narrow_panes_drop_columns_instead_of_cutting_them() {
    let mut app = crm(80, 24);
    let customers = app.list_pane();
    let header = customers.lines().nth(1).unwrap_or_default();
    assert!(
        header.contains("NAME") && header.contains("STAGE"),
        "{customers}"
    );
    assert!(!header.contains("EMAIL"), "{customers}");
    assert!(!customers.contains("@"), "{customers}");
    // The long name is cut with "…", never just stopped.
    assert!(customers.contains("▣ Northwind… "), "{customers}");

    app.act(Action::TabTickets);
    let tickets = app.list_pane();
    let header = tickets.lines().nth(1).unwrap_or_default();
    assert!(header.starts_with("│ID SUBJECT"), "{tickets}");
    // STATUS has no room: a finished ticket's SLA cell says its status.
    assert!(!header.contains("STATUS"), "{tickets}");
    assert!(tickets.contains("resolved"), "{tickets}");
}

/// The detail's ticket line, picked with j while the detail has focus, is
/// drawn selected, and the status bar names the keys from the keymap.
#[test]
fn a_picked_ticket_line_in_the_detail_is_drawn_selected() {
    let mut app = crm(120, 40);
    // Northwind, the seventh by name, has two open tickets and a follow-up.
    for _ in 0..6 {
        app.act(Action::SelectNext);
    }
    app.act(Action::NextPane).act(Action::SelectNext);
    assert_eq!(app.state.focus, Pane::Detail);
    assert_eq!(app.state.detail_pick, Some(0));
    assert_eq!(app.state.tab, Tab::Customers);
    insta::assert_snapshot!("columns_detail_pick_120x40", app.screen());
}
