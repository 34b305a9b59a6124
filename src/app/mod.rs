//! What is on screen (`State`) and what can happen to it (`update`). No
//! terminal I/O here: the UI draws from `State`, the event loop feeds `Action`s.

mod action;

pub use action::Action;

use crate::config::keymap::KeyContext;
use crate::domain::Customer;
use crate::store::{Counts, CustomerQuery, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Customers,
    Tickets,
    Followups,
    Agenda,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Customers, Tab::Tickets, Tab::Followups, Tab::Agenda];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Customers => "Customers",
            Tab::Tickets => "Tickets",
            Tab::Followups => "Follow-ups",
            Tab::Agenda => "Agenda",
        }
    }
}

/// Rows fetched for the visible list; the list pages through the store by keyset.
const LIST_PAGE: usize = 200;

pub struct State {
    pub store: Store,
    pub tab: Tab,
    pub counts: Counts,
    pub customers: Vec<Customer>,
    pub selected: usize,
    pub status: Option<String>,
    pub should_quit: bool,
}

impl State {
    pub fn new(store: Store) -> State {
        let mut state = State {
            store,
            tab: Tab::Customers,
            counts: Counts::default(),
            customers: Vec::new(),
            selected: 0,
            status: None,
            should_quit: false,
        };
        state.reload();
        state
    }

    /// Reads what the screen shows; a DB error becomes the status message.
    pub fn reload(&mut self) {
        let loaded = self.store.counts().and_then(|counts| {
            let page = self
                .store
                .customers_page(&CustomerQuery::default(), None, LIST_PAGE)?;
            Ok((counts, page.items))
        });
        match loaded {
            Ok((counts, customers)) => {
                self.counts = counts;
                self.customers = customers;
                self.selected = self.selected.min(self.customers.len().saturating_sub(1));
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    pub fn key_context(&self) -> KeyContext {
        KeyContext::List
    }

    pub fn update(&mut self, action: Action) {
        self.status = None;
        let last = self.customers.len().saturating_sub(1);
        match action {
            Action::Quit => self.should_quit = true,
            Action::SelectNext => self.selected = (self.selected + 1).min(last),
            Action::SelectPrev => self.selected = self.selected.saturating_sub(1),
            Action::SelectFirst => self.selected = 0,
            Action::SelectLast => self.selected = last,
            Action::TabCustomers => self.tab = Tab::Customers,
            Action::TabTickets => self.tab = Tab::Tickets,
            Action::TabFollowups => self.tab = Tab::Followups,
            Action::TabAgenda => self.tab = Tab::Agenda,
            Action::NextTab | Action::PrevTab => {
                let i = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
                let step = if action == Action::NextTab {
                    1
                } else {
                    Tab::ALL.len() - 1
                };
                self.tab = Tab::ALL[(i + step) % Tab::ALL.len()];
            }
            other => self.status = Some(format!("{} is not available yet", other.describe())),
        }
    }
}
