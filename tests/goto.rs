//! Going straight to a record (issue 12.8): `#123` in the `/` filter, and
//! Enter on a ticket or follow-up line of a customer's detail. Keys go
//! through the default keymap as the event loop sends them.

use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use tempfile::TempDir;

use tuicrm::app::update::type_key;
use tuicrm::app::{Detail, Pane, Pick, State, Tab, update};
use tuicrm::config::Config;
use tuicrm::config::keymap::Keymap;
use tuicrm::domain::ticket::TicketChange;
use tuicrm::domain::{
    Clock, CustomerDraft, CustomerKind, FollowupDraft, FollowupStatus, TicketDraft, TicketStatus,
};
use tuicrm::store::Store;

struct App {
    _dir: TempDir,
    store: Store,
    state: State,
    keymap: Keymap,
}

impl App {
    /// 300 customers "Customer 000".."Customer 299" (more than a page of the
    /// list), each with a ticket, the last one with a follow-up too.
    fn new() -> App {
        let dir = TempDir::new().unwrap();
        let now: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
        let mut store = Store::open(&dir.path().join("crm.db"))
            .unwrap()
            .with_clock(Clock::fixed(now, TimeZone::UTC));
        for i in 0..300 {
            let name = format!("Customer {i:03}");
            let c = store
                .add_customer(CustomerDraft::new(CustomerKind::Person, name))
                .unwrap();
            store
                .add_ticket(TicketDraft::new(c.id, format!("Ticket of {i:03}")))
                .unwrap();
        }
        let keymap = Keymap::from_config(&Config::defaults().keys).unwrap();
        let state = State::new(&store, &keymap, "USD");
        let mut app = App {
            _dir: dir,
            store,
            state,
            keymap,
        };
        app.fit();
        app
    }

    fn fit(&mut self) {
        tuicrm::ui::fit(&mut self.state, Rect::new(0, 0, 120, 40));
    }

    /// One key as the event loop handles it.
    fn press(&mut self, code: KeyCode) {
        let event = KeyEvent::new(code, KeyModifiers::NONE);
        match self.keymap.action_for(self.state.key_context(), event) {
            Some(action) => {
                update(&mut self.state, &mut self.store, action);
            }
            None if self.state.takes_text() => type_key(&mut self.state, &mut self.store, event),
            None => {}
        }
        self.fit();
    }

    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// `/`, the text, Enter.
    fn filter(&mut self, text: &str) {
        self.press(KeyCode::Char('/'));
        self.keys(text);
        self.press(KeyCode::Enter);
    }

    fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    fn customer_named(&self, name: &str) -> i64 {
        self.store
            .customers_page(&Default::default(), None, 1000)
            .unwrap()
            .items
            .into_iter()
            .find(|c| c.name == name)
            .unwrap()
            .id
    }
}

#[test]
fn hash_and_a_number_jumps_to_that_customer_past_the_first_page() {
    let mut app = App::new();
    let id = app.customer_named("Customer 250");
    app.press(KeyCode::Char('/'));
    app.keys(&format!("#{id}"));
    // While the number is typed the list is not filtered by it, and the
    // status line says what Enter does.
    assert!(app.state.customers.source.search.is_none());
    assert!(!app.state.customers.is_empty());
    app.press(KeyCode::Enter);
    let selected = app.state.customers.selected_row().unwrap();
    assert_eq!(selected.name, "Customer 250");
    assert_eq!(app.state.filter().value(), "", "the filter goes");
    assert!(!app.state.filtering);
    assert!(matches!(&app.state.detail, Detail::Customer { customer, .. } if customer.id == id));
    // The list goes on around it, in name order.
    app.keys("j");
    assert_eq!(
        app.state.customers.selected_row().unwrap().name,
        "Customer 251"
    );
}

#[test]
fn a_number_no_record_has_says_so_and_the_list_stays() {
    let mut app = App::new();
    app.filter("#99999");
    assert_eq!(app.status(), "no customer #99999");
    assert_eq!(
        app.state.customers.selected_row().unwrap().name,
        "Customer 000"
    );
    // A customer in the trash is named as such.
    let id = app.customer_named("Customer 007");
    app.store.delete_customer(id).unwrap();
    app.state.refresh(&app.store);
    app.filter(&format!("#{id}"));
    assert_eq!(app.status(), format!("customer #{id} is in the trash"));
}

#[test]
fn hash_followed_by_words_stays_a_text_filter() {
    let mut app = App::new();
    app.filter("#12a");
    assert_eq!(app.state.filter().value(), "#12a");
    assert_eq!(app.state.customers.source.search.as_deref(), Some("#12a"));
    assert_eq!(app.status(), "");
}

#[test]
fn on_the_tickets_tab_a_number_is_a_ticket_and_a_finished_one_is_explained() {
    let mut app = App::new();
    app.keys("2");
    assert_eq!(app.state.tab, Tab::Tickets);
    app.filter("#5");
    assert_eq!(app.state.tickets.selected_row().unwrap().id, 5);
    assert!(matches!(&app.state.detail, Detail::Ticket { ticket, .. } if ticket.id == 5));

    let closed = TicketChange {
        status: Some(TicketStatus::Closed),
        ..TicketChange::default()
    };
    app.store.change_ticket(9, &closed).unwrap();
    app.state.refresh(&app.store);
    app.filter("#9");
    assert_eq!(
        app.status(),
        "ticket #9 is closed — not in the open tickets list"
    );
    assert_eq!(app.state.tickets.selected_row().unwrap().id, 5, "unchanged");
    app.filter("#4000");
    assert_eq!(app.status(), "no ticket #4000");
    // With finished tickets listed, the closed one is there, and an open
    // one is what the list leaves out.
    app.state.ticket_scope = tuicrm::app::scope::Scope::Finished;
    app.state.tickets.source = app.state.ticket_scope.tickets(false);
    app.state.refresh(&app.store);
    app.filter("#9");
    assert_eq!(app.state.tickets.selected_row().unwrap().id, 9);
    app.filter("#5");
    assert_eq!(
        app.status(),
        "ticket #5 is new — not in the finished tickets list"
    );
}

#[test]
fn on_the_followups_tab_a_number_is_a_followup() {
    let mut app = App::new();
    let id = app.customer_named("Customer 100");
    let today = date(2026, 11, 25);
    let planned = app
        .store
        .add_followup(FollowupDraft::new(id, today))
        .unwrap();
    let done = app
        .store
        .add_followup(FollowupDraft::new(id, today))
        .unwrap();
    app.store
        .finish_followup(done.id, FollowupStatus::Done, None)
        .unwrap();
    app.keys("3");
    app.filter(&format!("#{}", planned.id));
    assert_eq!(app.state.followups.selected_row().unwrap().id, planned.id);
    app.filter(&format!("#{}", done.id));
    assert_eq!(
        app.status(),
        format!(
            "follow-up #{} is done — not in the planned follow-ups list",
            done.id
        )
    );
}

/// Tab to the detail, j to its first ticket line, Enter: the Tickets tab
/// with that ticket selected; likewise a follow-up line. The filter on the
/// Tickets tab that would hide it is cleared.
#[test]
fn enter_on_a_ticket_line_of_the_detail_opens_the_ticket() {
    let mut app = App::new();
    let id = app.customer_named("Customer 299");
    let second = app
        .store
        .add_ticket(TicketDraft::new(id, "Second ticket"))
        .unwrap();
    let followup = app
        .store
        .add_followup(FollowupDraft::new(id, date(2026, 11, 30)))
        .unwrap();
    app.keys("2");
    app.filter("Ticket of 001");
    app.keys("1");
    app.press(KeyCode::Char('G'));
    assert_eq!(
        app.state.customers.selected_row().unwrap().name,
        "Customer 299"
    );
    app.press(KeyCode::Tab);
    assert_eq!(app.state.focus, Pane::Detail);
    // Enter before a line is picked says how to pick one.
    app.press(KeyCode::Enter);
    assert_eq!(app.status(), "j picks a ticket or follow-up line to open");
    app.keys("j");
    assert_eq!(app.state.detail_pick, Some(0));
    let picks = app.state.detail.picks();
    assert_eq!(picks.len(), 3);
    assert_eq!(picks[1], Pick::Ticket(second.id));
    let Pick::Ticket(first) = picks[0] else {
        panic!("{picks:?}")
    };
    app.press(KeyCode::Enter);
    assert_eq!(app.state.tab, Tab::Tickets);
    assert_eq!(app.state.focus, Pane::List);
    assert_eq!(app.state.tickets.selected_row().unwrap().id, first);
    assert_eq!(app.state.filter().value(), "", "the hiding filter went");

    app.keys("1");
    app.press(KeyCode::Tab);
    app.keys("jjj");
    assert_eq!(app.state.detail_pick, Some(2), "past the two tickets");
    app.press(KeyCode::Enter);
    assert_eq!(app.state.tab, Tab::Followups);
    assert_eq!(app.state.followups.selected_row().unwrap().id, followup.id);
}

/// A detail longer than its pane still reads to its end and back with j/k:
/// the pick follows the ticket lines, then the pane scrolls on.
#[test]
fn a_long_detail_scrolls_past_its_ticket_lines_and_back() {
    let mut app = App::new();
    let id = app.customer_named("Customer 000");
    for i in 0..40 {
        app.store
            .add_ticket(TicketDraft::new(id, format!("More work {i}")))
            .unwrap();
    }
    let mut notes = CustomerDraft::new(CustomerKind::Person, "Customer 000");
    notes.notes = Some((0..30).map(|i| format!("line {i}\n")).collect());
    app.store.replace_customer(id, notes).unwrap();
    app.state.refresh(&app.store);
    app.fit();
    app.press(KeyCode::Tab);
    for _ in 0..200 {
        app.keys("j");
    }
    assert_eq!(app.state.detail_scroll, app.state.detail_scroll_max);
    assert_eq!(app.state.detail_pick, None, "the picked line scrolled away");
    for _ in 0..200 {
        app.keys("k");
    }
    assert_eq!(app.state.detail_scroll, 0);
    assert_eq!(app.state.detail_pick, Some(0));
}
