//! Going straight to a record: `#123` typed in the `/` filter, or Enter on a
//! ticket or follow-up line of a customer's detail. The record is shown
//! where its tab's list sorts it, selected; when that list leaves it out
//! (in the trash, finished, the filter), the status bar says why in one line.

use crate::domain::{Customer, Followup, Ticket};
use crate::store::{Result, Store, StoreError};

use super::{Pane, Pick, State, Tab};

/// A record to go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Customer(i64),
    Ticket(i64),
    Followup(i64),
}

impl From<Pick> for Target {
    fn from(pick: Pick) -> Target {
        match pick {
            Pick::Ticket(id) => Target::Ticket(id),
            Pick::Followup(id) => Target::Followup(id),
        }
    }
}

/// Whether filter text is a record number being typed: `#` and digits
/// only. While it is, the list is not filtered by it.
pub fn is_number(text: &str) -> bool {
    text.trim()
        .strip_prefix('#')
        .is_some_and(|digits| digits.chars().all(|c| c.is_ascii_digit()))
}

/// The record number in filter text (`#123`), if it is one.
pub fn number(text: &str) -> Option<i64> {
    let digits = text.trim().strip_prefix('#')?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The record `#id` on `tab`: a customer, ticket or follow-up by its number.
pub fn target_on(tab: Tab, id: i64) -> Option<Target> {
    match tab {
        Tab::Customers => Some(Target::Customer(id)),
        Tab::Tickets => Some(Target::Ticket(id)),
        Tab::Followups => Some(Target::Followup(id)),
        Tab::Agenda | Tab::Reports => None,
    }
}

/// Enter on the detail pane: opens the picked ticket or follow-up on its tab.
pub fn open_pick(state: &mut State, store: &Store) -> Result<()> {
    let picks = state.detail.picks();
    match state.detail_pick.and_then(|i| picks.get(i)) {
        Some(pick) => go_to(state, store, (*pick).into()),
        None if !picks.is_empty() => {
            let next = state.key_for("list", super::Action::SelectNext);
            state.set_status(format!("{next} picks a ticket or follow-up line to open"));
            Ok(())
        }
        None => Ok(()),
    }
}

/// Enter in the filter on `#123`: the filter goes, the record shows.
pub fn filter_number(state: &mut State, store: &Store) -> Result<()> {
    let Some(target) = number(state.filter().value()).and_then(|id| target_on(state.tab, id))
    else {
        return Ok(());
    };
    state.filters[state.tab as usize].set("");
    go_to(state, store, target)
}

/// Reads `id`, or `None` when there is no such record.
fn found<T>(read: Result<T>) -> Result<Option<T>> {
    match read {
        Ok(record) => Ok(Some(record)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Shows `target` on its tab, selected, and moves there; otherwise says in
/// the status bar why it cannot be shown and leaves the screen as it was.
pub fn go_to(state: &mut State, store: &Store, target: Target) -> Result<()> {
    let context = state.list_height / 2;
    let (tab, outcome) = match target {
        Target::Customer(id) => (Tab::Customers, customer(state, store, id, context)?),
        Target::Ticket(id) => (Tab::Tickets, ticket(state, store, id, context)?),
        Target::Followup(id) => (Tab::Followups, followup(state, store, id, context)?),
    };
    match outcome {
        Ok(()) => {
            state.tab = tab;
            state.focus = Pane::List;
            state.filtering = false;
            super::update::scroll_into_view(state);
            state.load_detail(store);
        }
        Err(why) => state.set_status(why),
    }
    Ok(())
}

/// Whether the record was shown, or why not.
type Outcome = std::result::Result<(), String>;

fn customer(state: &mut State, store: &Store, id: i64, context: usize) -> Result<Outcome> {
    let Some(c) = found(store.customer(id))? else {
        return Ok(Err(format!("no customer #{id}")));
    };
    if c.deleted_at.is_some() {
        return Ok(Err(format!("customer #{id} is in the trash")));
    }
    if show_customer(state, store, &c, context)? {
        return Ok(Ok(()));
    }
    Ok(Err(format!("customer #{id} is not in this list")))
}

/// In the list as filtered, or else with its filter cleared.
fn show_customer(state: &mut State, store: &Store, c: &Customer, context: usize) -> Result<bool> {
    if state.customers.show(store, c, context)? {
        return Ok(true);
    }
    let list = &mut state.customers;
    if list.source.search.take().is_none() {
        return Ok(false);
    }
    // The sort a filter put aside comes back with it (see `popup::apply_filter`).
    list.source.sort = state.sort_before_filter;
    state.filters[Tab::Customers as usize].set("");
    state.customers.first(store)?;
    state.customers.show(store, c, context)
}

fn ticket(state: &mut State, store: &Store, id: i64, context: usize) -> Result<Outcome> {
    let Some(t) = found(store.ticket(id))? else {
        return Ok(Err(format!("no ticket #{id}")));
    };
    if t.deleted_at.is_some() {
        return Ok(Err(format!("ticket #{id} is in the trash")));
    }
    if show_ticket(state, store, &t, context)? {
        return Ok(Ok(()));
    }
    if store.customer(t.customer_id)?.deleted_at.is_some() {
        return Ok(Err(format!("ticket #{id}'s customer is in the trash")));
    }
    // What is left: the tab lists other work (open, or finished) than this.
    let list = state.ticket_scope.title("open", "tickets").to_lowercase();
    Ok(Err(format!(
        "ticket #{id} is {} — not in the {list} list",
        t.status
    )))
}

fn show_ticket(state: &mut State, store: &Store, t: &Ticket, context: usize) -> Result<bool> {
    if state.tickets.show(store, t, context)? {
        return Ok(true);
    }
    if state.tickets.source.search.take().is_none() {
        return Ok(false);
    }
    state.filters[Tab::Tickets as usize].set("");
    state.tickets.first(store)?;
    state.tickets.show(store, t, context)
}

fn followup(state: &mut State, store: &Store, id: i64, context: usize) -> Result<Outcome> {
    let Some(f) = found(store.followup(id))? else {
        return Ok(Err(format!("no follow-up #{id}")));
    };
    if f.deleted_at.is_some() {
        return Ok(Err(format!("follow-up #{id} is in the trash")));
    }
    if show_followup(state, store, &f, context)? {
        return Ok(Ok(()));
    }
    if store.customer(f.customer_id)?.deleted_at.is_some() {
        return Ok(Err(format!("follow-up #{id}'s customer is in the trash")));
    }
    let list = state
        .followup_scope
        .title("planned", "follow-ups")
        .to_lowercase();
    Ok(Err(format!(
        "follow-up #{id} is {} — not in the {list} list",
        f.status
    )))
}

fn show_followup(state: &mut State, store: &Store, f: &Followup, context: usize) -> Result<bool> {
    if state.followups.show(store, f, context)? {
        return Ok(true);
    }
    if state.followups.source.search.take().is_none() {
        return Ok(false);
    }
    state.filters[Tab::Followups as usize].set("");
    state.followups.first(store)?;
    state.followups.show(store, f, context)
}
