//! What is on screen (`State`) and what can happen to it (`update`). No
//! terminal I/O here: the UI draws from `State`, the event loop feeds `Action`s.

mod action;
pub mod agenda;
mod detail;
pub mod form;
pub mod forms;
pub mod goto;
pub mod input;
pub mod interaction;
pub mod list;
mod popup;
pub mod reports;
pub mod scope;
pub mod update;

pub use action::Action;
pub use detail::{Detail, Pick};
pub use update::{Effect, update};

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::config::keymap::{KeyContext, Keymap};
use crate::domain::agenda::AgendaCounts;
use crate::domain::health::{Health, HealthInputs, HealthWeights};
use crate::domain::{Interaction, SlaPolicy};
use crate::store::{AgendaQuery, CustomerQuery, CustomerSort, FollowupQuery, Store, TicketQuery};
use form::Form;
use input::TextInput;
use list::ListView;
use scope::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Customers,
    Tickets,
    Followups,
    Agenda,
    Reports,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Customers,
        Tab::Tickets,
        Tab::Followups,
        Tab::Agenda,
        Tab::Reports,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Customers => "Customers",
            Tab::Tickets => "Tickets",
            Tab::Followups => "Follow-ups",
            Tab::Agenda => "Agenda",
            Tab::Reports => "Reports",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// Which pane has the keyboard: the list, the detail or the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    List,
    Detail,
    Log,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    Form(Form),
    Help {
        scroll: usize,
    },
    Choice(ChoicePopup),
    /// A log entry opened whole.
    Interaction(Box<interaction::InteractionView>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoicePopup {
    pub title: String,
    pub options: Vec<String>,
    pub selected: usize,
    pub purpose: ChoicePurpose,
    /// Record ids behind the options, when they stand for records.
    pub candidates: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoicePurpose {
    /// Pick which likely duplicate to merge into `keep`; `candidates[i]`
    /// is the customer of option `i`.
    MergeCandidate {
        keep: i64,
    },
    /// Yes or no to merging `other` into `keep`.
    ConfirmMerge {
        keep: i64,
        other: i64,
    },
    TicketStatus(i64),
    /// Asked right after a ticket is resolved or closed.
    TicketCsat(i64),
    FollowupStatus(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

/// The counters in the header; cheap queries on partial indexes only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attention {
    pub overdue_followups: i64,
    pub breached_tickets: i64,
}

/// A customer's health and the counts it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub health: Health,
    pub inputs: HealthInputs,
}

impl State {
    /// Customer `id`'s health: from the cache, or read now.
    pub fn scored(&self, store: &Store, id: i64) -> crate::store::Result<Scored> {
        if let Some(scored) = self.health.get(&id) {
            return Ok(scored.clone());
        }
        let inputs = store.health_inputs(id, self.health_weights.csat_days)?;
        Ok(Scored {
            health: crate::domain::health::health(&inputs, &self.health_weights),
            inputs,
        })
    }
}

/// One line of the help popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub context: &'static str,
    pub key: String,
    pub action: Action,
    pub description: &'static str,
}

pub struct State {
    pub tab: Tab,
    pub focus: Pane,
    pub customers: ListView<CustomerQuery>,
    pub tickets: ListView<TicketQuery>,
    pub followups: ListView<FollowupQuery>,
    pub agenda: ListView<AgendaQuery>,
    /// Open, finished or all work on the tickets and follow-ups tabs.
    pub ticket_scope: Scope,
    pub followup_scope: Scope,
    /// The Reports tab: its grouping, period and figures.
    pub reports: reports::ReportView,
    /// Every line of the agenda's window by section, for its headers.
    pub agenda_counts: AgendaCounts,
    pub detail: Detail,
    pub detail_scroll: usize,
    /// The detail's line picked with j/k (an index of `Detail::picks`), the
    /// row of each such line once wrapped and the rows the pane shows: told
    /// by the event loop (`ui::fit`), so the picked line can be kept in view.
    pub detail_pick: Option<usize>,
    pub detail_pick_rows: Vec<usize>,
    pub detail_rows_shown: usize,
    /// Interactions of the selected record, newest first.
    pub log: Vec<Interaction>,
    pub log_scroll: usize,
    /// The filter text of each tab; `filtering` while it is being typed.
    pub filters: [TextInput; 5],
    pub filtering: bool,
    /// The customers' sort to return to when their filter is cleared.
    pub sort_before_filter: CustomerSort,
    pub popup: Option<Popup>,
    pub status: Option<Status>,
    pub attention: Attention,
    /// No customer at all: the welcome screen shows.
    pub empty: bool,
    /// The database turned out damaged (SQLite could not read part of it):
    /// said in the header for as long as the screen is up, never hidden
    /// behind a welcome screen or an empty list.
    pub damaged: Option<String>,
    /// Where the database is, for the welcome screen and the help.
    pub db_path: String,
    /// Rows the list pane shows, and how far the detail and help scroll: told
    /// by the event loop (`ui::fit`) from the screen size.
    pub list_height: usize,
    pub detail_scroll_max: usize,
    pub help_scroll_max: usize,
    pub now: Timestamp,
    pub today: Date,
    pub help: Vec<HelpLine>,
    pub currency: String,
    pub health_weights: HealthWeights,
    /// Service levels, for the first-response time shown on a ticket.
    pub sla: SlaPolicy,
    /// Where times are shown: the store clock's time zone.
    pub tz: jiff::tz::TimeZone,
    /// Health of customers in the list (and the detail), read as they come into view.
    pub health: HashMap<i64, Scored>,
    /// The database's data version when last read: another process wrote
    /// when it moves (see `update::outside_change`).
    pub data_version: i64,
    /// The newest recorded change when last read (`Store::last_change`):
    /// what tells another process's write from background housekeeping.
    pub last_change: i64,
    pub should_quit: bool,
}

impl State {
    /// The key to name for `action` in `context` ("form", "list" ...) in a
    /// hint: the shortest bound (`q` before `ctrl-c`, `tab` before `down`,
    /// but esc for cancel); the action's name when no key is bound.
    pub fn key_for(&self, context: &str, action: Action) -> String {
        let keys = self.keys_for(context, action);
        // What closes is named Esc where Esc does it (not `q` or `?`).
        if action == Action::Cancel && keys.contains(&"esc") {
            return "esc".to_string();
        }
        keys.into_iter()
            .min_by_key(|key| key.chars().count())
            .map_or_else(|| action.name().to_string(), str::to_string)
    }

    /// The key that saves a form: in a multi-line field Enter is a new line,
    /// so it names another one.
    pub fn save_key(&self, multiline: bool) -> String {
        let keys = self.keys_for("form", Action::Submit);
        let usable = keys.iter().filter(|k| !multiline || **k != "enter");
        usable
            .min_by_key(|key| key.chars().count())
            .map_or_else(|| Action::Submit.name().to_string(), |k| k.to_string())
    }

    /// Every key bound to `action` in `context`, in the help's order.
    pub fn keys_for(&self, context: &str, action: Action) -> Vec<&str> {
        self.help
            .iter()
            .filter(|line| line.context == context && line.action == action)
            .map(|line| line.key.as_str())
            .collect()
    }

    /// The form's footer, from the keymap.
    pub fn form_footer(&self, multiline: bool) -> String {
        let save = self.save_key(multiline);
        let next = self.key_for("form", Action::NextField);
        let cancel = self.key_for("form", Action::Cancel);
        let newline = if multiline { "enter new line · " } else { "" };
        format!("{newline}{save} save · {next} next · {cancel} cancel")
    }

    pub fn new(store: &Store, keymap: &Keymap, currency: &str) -> State {
        State::with_health_weights(store, keymap, currency, HealthWeights::default())
    }

    /// As `new`, scoring health with `weights` (the config's `[health]`).
    pub fn with_health_weights(
        store: &Store,
        keymap: &Keymap,
        currency: &str,
        weights: HealthWeights,
    ) -> State {
        let mut listing: Vec<_> = keymap.listing().to_vec();
        // Everywhere first, then the places in the order a person meets them.
        // Inside each place, keys of the same action side by side (j next to down).
        listing.sort_by_key(|(context, _, action)| {
            let place = KeyContext::ALL.iter().position(|c| c == context);
            (place, Action::ALL.iter().position(|a| a == action))
        });
        let help = listing
            .into_iter()
            .map(|(context, key, action)| HelpLine {
                context: context.name(),
                key,
                action,
                description: action.describe_in(context),
            })
            .collect();
        let mut state = State {
            tab: Tab::Customers,
            focus: Pane::List,
            customers: ListView::new(CustomerQuery::default()),
            tickets: ListView::new(Scope::Open.tickets(false)),
            followups: ListView::new(Scope::Open.followups()),
            agenda: ListView::new(store.agenda_query(agenda::WINDOWS[0])),
            agenda_counts: AgendaCounts::default(),
            reports: reports::ReportView::default(),
            ticket_scope: Scope::Open,
            followup_scope: Scope::Open,
            detail: Detail::None,
            detail_scroll: 0,
            detail_pick: None,
            detail_pick_rows: Vec::new(),
            detail_rows_shown: 0,
            log: Vec::new(),
            log_scroll: 0,
            filters: Default::default(),
            filtering: false,
            sort_before_filter: CustomerSort::Name,
            popup: None,
            status: None,
            attention: Attention::default(),
            empty: false,
            damaged: None,
            db_path: store.path().display().to_string(),
            list_height: 20,
            detail_scroll_max: usize::MAX,
            help_scroll_max: usize::MAX,
            now: store.clock().now(),
            today: store.clock().today(),
            help,
            currency: currency.to_string(),
            health_weights: weights,
            sla: store.sla().clone(),
            tz: store.clock().tz().clone(),
            health: HashMap::new(),
            data_version: store.data_version().unwrap_or(0),
            last_change: store.last_change().unwrap_or(0),
            should_quit: false,
        };
        state.refresh(store);
        state
    }

    /// Which key table applies now.
    pub fn key_context(&self) -> KeyContext {
        match &self.popup {
            Some(Popup::Form(form)) if form.confirming_discard => KeyContext::Popup,
            Some(Popup::Form(_)) => KeyContext::Form,
            Some(_) => KeyContext::Popup,
            None if self.filtering => KeyContext::Filter,
            None => KeyContext::List,
        }
    }

    /// Whether keys that no binding claims are typed into a text field.
    pub fn takes_text(&self) -> bool {
        self.key_context().takes_text()
    }

    /// A form's save waits for another process's lock (see `popup::retry_waiting_save`).
    pub fn save_waiting(&self) -> bool {
        matches!(&self.popup, Some(Popup::Form(form)) if form.waiting.is_some())
    }

    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: false,
        });
    }

    /// A store error for the status bar; a damaged database also raises the
    /// banner that stays.
    pub fn fail(&mut self, error: &crate::store::StoreError) {
        if error.is_damage() {
            self.damaged = Some(error.to_string());
        }
        self.set_error(error.to_string());
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
        });
    }

    /// Reloads what the current tab shows, the header counters and the detail.
    pub fn refresh(&mut self, store: &Store) {
        self.now = store.clock().now();
        self.today = store.clock().today();
        if let Err(e) = self.try_refresh(store) {
            self.fail(&e);
        }
    }

    fn try_refresh(&mut self, store: &Store) -> crate::store::Result<()> {
        // What is read now includes every change so far, our own too.
        self.last_change = store.last_change()?;
        let counts = store.attention_counts()?;
        self.attention = Attention {
            overdue_followups: counts.0,
            breached_tickets: counts.1,
        };
        match self.tab {
            Tab::Customers => self.customers.reload(store)?,
            Tab::Tickets => self.tickets.reload(store)?,
            Tab::Followups => self.followups.reload(store)?,
            Tab::Agenda => agenda::load(self, store)?,
            Tab::Reports => reports::load(self, store)?,
        }
        self.health.clear();
        self.fill_health(store);
        self.empty = self.tab == Tab::Customers
            && self.customers.is_empty()
            && self.filters[0].value().is_empty()
            && store.is_empty()?;
        self.load_detail(store);
        Ok(())
    }

    /// Reads the health of customers in the list's view that have none yet,
    /// only for rows that show: one grouped query per table for all of them.
    pub fn fill_health(&mut self, store: &Store) {
        if self.tab != Tab::Customers {
            return;
        }
        // The rows on screen, and a few below so a step down finds them ready.
        let shown = self.list_height + 4;
        let window = self
            .customers
            .rows
            .iter()
            .skip(self.customers.offset)
            .take(shown);
        let missing: Vec<i64> = window
            .map(|c| c.id)
            .filter(|id| !self.health.contains_key(id))
            .collect();
        if missing.is_empty() {
            return;
        }
        match store.health_inputs_many(&missing, self.health_weights.csat_days) {
            Ok(many) => {
                for (id, inputs) in many {
                    let health = crate::domain::health::health(&inputs, &self.health_weights);
                    self.health.insert(id, Scored { health, inputs });
                }
            }
            Err(e) => self.set_error(e.to_string()),
        }
    }

    /// Reads the detail and log of the selected record.
    pub fn load_detail(&mut self, store: &Store) {
        // The customer's health goes into the cache the list reads too.
        if let Some((id, None, None)) = detail::selection(self)
            && !self.health.contains_key(&id)
            && let Ok(scored) = self.scored(store, id)
        {
            self.health.insert(id, scored);
        }
        match detail::load(self, store) {
            Ok((detail, log)) => {
                self.detail = detail;
                self.log = log;
            }
            Err(e) => {
                // Never leave the previous record on screen: a key would act on it.
                self.detail = Detail::None;
                self.log.clear();
                self.fail(&e);
            }
        }
        self.detail_scroll = 0;
        self.detail_pick = None;
        self.log_scroll = 0;
    }

    pub fn customer_sort(&self) -> CustomerSort {
        self.customers.source.sort
    }

    pub fn filter(&self) -> &TextInput {
        &self.filters[self.tab.index()]
    }

    /// Rows of the current tab's list, for paging by a screenful.
    pub fn page_size(&self) -> isize {
        isize::try_from(self.list_height.saturating_sub(1).max(1)).unwrap_or(1)
    }
}
