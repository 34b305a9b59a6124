//! `update(state, store, action)`: everything a key can do. Writes go through
//! the store; whatever fails becomes a status-bar message and the app goes on.

use crate::demo::DemoGenerator;
use crate::domain::{FollowupDraft, FollowupKind, FollowupStatus, TicketStatus};
use crate::store::{CustomerSort, FollowupQuery, Result, Store, TicketQuery};

use super::agenda::{AgendaRow, agenda_rows};
use super::detail::selection;
use super::forms;
use super::list::ListView;
use super::scope::Scope;
use super::{Action, ChoicePopup, ChoicePurpose, Detail, Pane, Popup, State, Tab};
use crate::config::keymap::KeyContext;

pub use super::popup::{editor_done, key_is_text, paste, retry_waiting_save, type_key};
use super::popup::{filter_action, form_action, popup_action};

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Suspend the screen and edit this text in `$EDITOR`; hand the result to
    /// `editor_done`.
    EditText(String),
}

/// Customers the `D` key loads into an empty database.
const DEMO_CUSTOMERS: usize = 1000;
const DEMO_SEED: u64 = 42;

pub fn update(state: &mut State, store: &mut Store, action: Action) -> Effect {
    let effect = dispatch(state, store, action);
    // Rows may have come into view (moving, filtering, saving): read their health.
    state.fill_health(store);
    effect
}

fn dispatch(state: &mut State, store: &mut Store, action: Action) -> Effect {
    match state.key_context() {
        KeyContext::Form => return form_action(state, store, action),
        KeyContext::Popup => popup_action(state, store, action),
        KeyContext::Filter => filter_action(state, store, action),
        KeyContext::List | KeyContext::Global => {
            state.status = None;
            if let Err(e) = list_action(state, store, action) {
                state.fail(&e);
            }
        }
    }
    Effect::None
}

fn list_action(state: &mut State, store: &mut Store, action: Action) -> Result<()> {
    match action {
        // A log row is an interaction: Enter opens it, e and d act on it.
        Action::Open | Action::Edit | Action::Delete if state.focus == Pane::Log => {
            super::interaction::on_log_row(state, store, action)?
        }
        Action::Quit => state.should_quit = true,
        Action::Help => state.popup = Some(Popup::Help { scroll: 0 }),
        Action::TabCustomers => switch_tab(state, store, Tab::Customers),
        Action::TabTickets => switch_tab(state, store, Tab::Tickets),
        Action::TabFollowups => switch_tab(state, store, Tab::Followups),
        Action::TabAgenda => switch_tab(state, store, Tab::Agenda),
        Action::TabReports => switch_tab(state, store, Tab::Reports),
        Action::NextTab | Action::PrevTab => {
            let i = Tab::ALL.iter().position(|t| *t == state.tab).unwrap_or(0);
            let step = if action == Action::NextTab {
                1
            } else {
                Tab::ALL.len() - 1
            };
            switch_tab(state, store, Tab::ALL[(i + step) % Tab::ALL.len()]);
        }
        // The Reports tab is one pane.
        Action::NextPane | Action::PrevPane if state.tab == Tab::Reports => {}
        Action::NextPane | Action::PrevPane => {
            let order = [Pane::List, Pane::Detail, Pane::Log];
            let i = order.iter().position(|p| *p == state.focus).unwrap_or(0);
            let step = if action == Action::NextPane {
                1
            } else {
                order.len() - 1
            };
            state.focus = order[(i + step) % order.len()];
        }
        Action::Open if state.focus == Pane::List => state.focus = Pane::Detail,
        Action::Open if state.focus == Pane::Detail => super::goto::open_pick(state, store)?,
        Action::Open => {}
        Action::SelectNext => move_selection(state, store, 1)?,
        Action::SelectPrev => move_selection(state, store, -1)?,
        Action::PageDown => move_selection(state, store, state.page_size())?,
        Action::PageUp => move_selection(state, store, -state.page_size())?,
        Action::SelectFirst | Action::SelectLast => {
            jump(state, store, action == Action::SelectFirst)?
        }
        Action::Filter if state.tab == Tab::Agenda => state.set_status("the agenda has no filter"),
        Action::Filter if state.tab == Tab::Reports => {
            let by = state.key_for("list", Action::ReportBy);
            let period = state.key_for("list", Action::ReportPeriod);
            state.set_status(format!(
                "reports have no filter: {by} groups them, {period} sets the period"
            ))
        }
        Action::Filter => {
            state.filtering = true;
            state.focus = Pane::List;
        }
        Action::Add => add(state, store),
        Action::Edit => edit(state, store),
        Action::Delete => delete(state, store)?,
        Action::Undo => {
            match store.undo_last()? {
                Some(undone) => {
                    let name = record_name(store, &undone.table, undone.record_id);
                    state.set_status(format!("Undid {}", undone.describe_named(name.as_deref())))
                }
                None => state.set_status("Nothing to undo"),
            }
            state.refresh(store);
        }
        Action::LogInteraction | Action::NewTicket | Action::NewFollowup => {
            for_customer(state, store, action)
        }
        Action::SetStatus => set_status(state),
        Action::CompleteFollowup => complete_followup(state),
        Action::PlanRenewal => plan_renewal(state, store)?,
        Action::Merge => offer_merge(state, store)?,
        Action::CycleSort => cycle_sort(state, store)?,
        Action::CycleScope => cycle_scope(state, store)?,
        Action::AgendaWindow if state.tab == Tab::Agenda => {
            super::agenda::cycle_window(state, store)?;
            state.load_detail(store);
        }
        Action::AgendaWindow => state.set_status("the window is the agenda's: go there first"),
        Action::ReportBy if state.tab == Tab::Reports => super::reports::cycle_by(state, store)?,
        Action::ReportPeriod if state.tab == Tab::Reports => {
            super::reports::cycle_period(state, store)?
        }
        Action::ReportBy | Action::ReportPeriod => {
            state.set_status("that key is the Reports tab's: go there first")
        }
        Action::LoadDemo => load_demo(state, store)?,
        // Esc on the list clears a filter kept with Enter.
        Action::Cancel if !state.filter().value().is_empty() => {
            super::popup::clear_filter(state, store)
        }
        // Form and popup actions mean nothing on the list.
        Action::NextField
        | Action::PrevField
        | Action::ChoiceNext
        | Action::ChoicePrev
        | Action::Submit
        | Action::Cancel
        | Action::ExternalEditor
        | Action::Reload
        | Action::Confirm
        | Action::Deny
        | Action::Rate1
        | Action::Rate2
        | Action::Rate3
        | Action::Rate4
        | Action::Rate5 => {}
    }
    Ok(())
}

fn switch_tab(state: &mut State, store: &Store, tab: Tab) {
    state.tab = tab;
    state.focus = Pane::List;
    state.filtering = false;
    state.refresh(store);
}

pub(super) fn move_selection(state: &mut State, store: &Store, delta: isize) -> Result<()> {
    match state.focus {
        Pane::Detail => super::detail::move_in_detail(state, delta),
        Pane::Log => {
            let last = state.log.len().saturating_sub(1);
            state.log_scroll = state.log_scroll.saturating_add_signed(delta).min(last);
        }
        Pane::List if state.tab == Tab::Reports => super::reports::scroll(state, delta),
        Pane::List => {
            let before = selection(state);
            match state.tab {
                Tab::Customers => state.customers.move_by(store, delta)?,
                Tab::Tickets => state.tickets.move_by(store, delta)?,
                Tab::Followups => state.followups.move_by(store, delta)?,
                Tab::Agenda => state.agenda.move_by(store, delta)?,
                Tab::Reports => {}
            }
            scroll_into_view(state);
            if selection(state) != before {
                state.load_detail(store);
            }
        }
    }
    Ok(())
}

fn jump(state: &mut State, store: &Store, first: bool) -> Result<()> {
    match state.focus {
        Pane::Detail => state.detail_scroll = if first { 0 } else { state.detail_scroll_max },
        Pane::Log => {
            state.log_scroll = if first {
                0
            } else {
                state.log.len().saturating_sub(1)
            }
        }
        Pane::List => {
            match (state.tab, first) {
                (Tab::Customers, true) => state.customers.first(store)?,
                (Tab::Customers, false) => state.customers.last(store)?,
                (Tab::Tickets, true) => state.tickets.first(store)?,
                (Tab::Tickets, false) => state.tickets.last(store)?,
                (Tab::Followups, true) => state.followups.first(store)?,
                (Tab::Followups, false) => state.followups.last(store)?,
                (Tab::Agenda, true) => state.agenda.first(store)?,
                (Tab::Agenda, false) => state.agenda.last(store)?,
                (Tab::Reports, true) => state.reports.scroll = 0,
                (Tab::Reports, false) => super::reports::scroll(state, isize::MAX),
            }
            scroll_into_view(state);
            state.load_detail(store);
        }
    }
    Ok(())
}

/// A click on the `row`-th visible row of the list selects it. Returns
/// whether anything changed.
pub fn click_list_row(state: &mut State, store: &mut Store, row: usize) -> bool {
    if state.popup.is_some() || state.empty {
        return false;
    }
    state.focus = Pane::List;
    match state.tab {
        Tab::Customers => state.customers.select_index(row + state.customers.offset),
        Tab::Tickets => state.tickets.select_index(row + state.tickets.offset),
        Tab::Followups => state.followups.select_index(row + state.followups.offset),
        // The agenda's pane has section headers between its rows.
        Tab::Agenda => match agenda_rows(&state.agenda, state.list_height).get(row) {
            Some(AgendaRow::Line(index)) => state.agenda.select_index(*index),
            _ => return false,
        },
        Tab::Reports => return false,
    }
    state.load_detail(store);
    true
}

/// Keeps the selected row on screen after a move.
pub fn scroll_into_view(state: &mut State) {
    let height = state.list_height;
    match state.tab {
        Tab::Customers => state.customers.scroll_into_view(height),
        Tab::Tickets => state.tickets.scroll_into_view(height),
        Tab::Followups => state.followups.scroll_into_view(height),
        Tab::Agenda => super::agenda::scroll_into_view(state),
        Tab::Reports => {}
    }
}

fn add(state: &mut State, store: &Store) {
    match state.tab {
        Tab::Customers => state.popup = Some(Popup::Form(forms::customer_form(None))),
        Tab::Tickets => for_customer(state, store, Action::NewTicket),
        Tab::Followups => for_customer(state, store, Action::NewFollowup),
        Tab::Agenda => state.set_status("add from another tab, or with l, t, f on a line"),
        Tab::Reports => state.set_status("reports add nothing: add from another tab"),
    }
}

fn edit(state: &mut State, store: &Store) {
    // The form starts from the record as saved now, not as the detail pane
    // last read it: that is what a save later compares with.
    let form = match &state.detail {
        Detail::Customer { customer, .. } => {
            let now = store.customer(customer.id).ok();
            forms::customer_form(Some(now.as_ref().unwrap_or(customer)))
        }
        Detail::Ticket { ticket, customer } => {
            let now = store.ticket(ticket.id).ok();
            forms::ticket_form(customer, Some(now.as_ref().unwrap_or(ticket)))
        }
        Detail::Followup { followup, customer } => {
            let now = store.followup(followup.id).ok();
            forms::followup_form(
                customer,
                Some(now.as_ref().unwrap_or(followup)),
                store.clock(),
            )
        }
        Detail::None => return state.set_status("nothing selected to edit"),
    };
    state.popup = Some(Popup::Form(form));
}

/// `l`, `t`, `f`: a form about the selected record's customer.
fn for_customer(state: &mut State, store: &Store, action: Action) {
    let Some(customer) = state.detail.customer().cloned() else {
        return state.set_status("select a customer first");
    };
    let (ticket_id, followup_id) = match &state.detail {
        Detail::Ticket { ticket, .. } => (Some(ticket.id), None),
        Detail::Followup { followup, .. } => (None, Some(followup.id)),
        _ => (None, None),
    };
    let form = match action {
        Action::NewTicket => forms::ticket_form(&customer, None),
        Action::NewFollowup => forms::followup_form(&customer, None, store.clock()),
        _ => forms::log_form(&customer, ticket_id, followup_id),
    };
    state.popup = Some(Popup::Form(form));
}

/// How a person knows the record: a customer's name, a ticket's subject in
/// quotes, an interaction's kind and summary. `None` when it is gone (an
/// undone add) or a follow-up.
fn record_name(store: &Store, table: &str, id: i64) -> Option<String> {
    match table {
        "customers" => store.customer(id).ok().map(|c| c.name),
        "tickets" => store.ticket(id).ok().map(|t| quoted(&t.subject)),
        "interactions" => store.interaction(id).ok().map(|i| i.title()),
        _ => None,
    }
}

/// “A subject”, shortened to fit a status line with the rest of a message.
pub(super) fn quoted(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        format!("“{short}…”")
    } else {
        format!("“{short}”")
    }
}

fn delete(state: &mut State, store: &mut Store) -> Result<()> {
    let message = match &state.detail {
        Detail::Customer { customer, .. } => {
            store.delete_customer(customer.id)?;
            format!("Deleted {} — u to undo", customer.name)
        }
        Detail::Ticket { ticket, .. } => {
            store.delete_ticket(ticket.id)?;
            format!("Deleted ticket {} — u to undo", quoted(&ticket.subject))
        }
        Detail::Followup { followup, .. } => {
            store.delete_followup(followup.id)?;
            let with = followup.customer.as_deref().unwrap_or("the customer");
            format!("Deleted the {} with {with} — u to undo", followup.kind)
        }
        Detail::None => {
            state.set_status("nothing selected to delete");
            return Ok(());
        }
    };
    state.refresh(store);
    state.set_status(message);
    Ok(())
}

/// `s`: a ticket's status, or how a follow-up ends (done, skipped, cancelled).
fn set_status(state: &mut State) {
    let choice = match &state.detail {
        Detail::Ticket { ticket, .. } => {
            let options: Vec<String> = TicketStatus::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect();
            let selected = options
                .iter()
                .position(|o| *o == ticket.status.as_str())
                .unwrap_or(0);
            ChoicePopup {
                title: format!("Status of ticket {}", ticket.id),
                options,
                selected,
                purpose: ChoicePurpose::TicketStatus(ticket.id),
                candidates: Vec::new(),
            }
        }
        Detail::Followup { followup, .. } if followup.status.is_open() => ChoicePopup {
            title: format!("Finish follow-up {}", followup.id),
            options: ["done", "skipped", "cancelled"].map(String::from).to_vec(),
            selected: 0,
            purpose: ChoicePurpose::FollowupStatus(followup.id),
            candidates: Vec::new(),
        },
        _ => {
            return state.set_status("s changes the status of a ticket or a follow-up: select one");
        }
    };
    state.popup = Some(Popup::Choice(choice));
}

/// `x`: the follow-up is done; the form asks what came of it (Enter skips).
fn complete_followup(state: &mut State) {
    match &state.detail {
        Detail::Followup { followup, .. } if followup.status.is_open() => {
            state.popup = Some(Popup::Form(forms::finish_form(
                followup,
                FollowupStatus::Done,
            )));
        }
        Detail::Followup { followup, .. } => {
            state.set_status(format!("this follow-up is already {}", followup.status))
        }
        _ => state.set_status("x marks a follow-up done: select a follow-up"),
    }
}

/// `M`: the selected customer's likely duplicates, to merge one into it.
fn offer_merge(state: &mut State, store: &Store) -> Result<()> {
    let Detail::Customer { customer, .. } = &state.detail else {
        state.set_status("M merges duplicates: select a customer");
        return Ok(());
    };
    let found = store.duplicates_of(customer.id)?;
    if found.is_empty() {
        state.set_status(format!("no likely duplicates of {}", customer.name));
        return Ok(());
    }
    let options = found
        .iter()
        .map(|(c, why)| format!("{} (#{}) — {why}", c.name, c.id))
        .collect();
    state.popup = Some(Popup::Choice(ChoicePopup {
        title: format!("Merge into {} (#{})", customer.name, customer.id),
        options,
        selected: 0,
        purpose: ChoicePurpose::MergeCandidate { keep: customer.id },
        candidates: found.iter().map(|(c, _)| c.id).collect(),
    }));
    Ok(())
}

/// `R`: plans the renewal follow-up the detail pane suggests.
fn plan_renewal(state: &mut State, store: &mut Store) -> Result<()> {
    let Detail::Customer {
        customer,
        followups,
        ..
    } = &state.detail
    else {
        state.set_status("R plans a renewal follow-up: select a customer with a renewal date");
        return Ok(());
    };
    let Some(due_on) =
        crate::domain::followup::renewal_suggestion(customer.renewal_on, followups, state.today)
    else {
        state.set_status("no renewal follow-up to suggest here");
        return Ok(());
    };
    let note = customer.renewal_on.map(|r| format!("Renewal on {r}"));
    let draft = FollowupDraft {
        customer_id: customer.id,
        kind: FollowupKind::Renewal,
        due_on,
        recurrence: None,
        note,
        assignee: None,
    };
    let planned = store.add_followup(draft)?;
    state.refresh(store);
    state.set_status(format!(
        "Planned renewal follow-up due {} — u to undo",
        planned.due_on
    ));
    Ok(())
}

/// "by name", "recently updated first", "newest first".
pub fn sort_words(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Name => "by name",
        CustomerSort::RecentlyUpdated => "recently updated first",
        CustomerSort::Newest => "newest first",
    }
}

fn cycle_sort(state: &mut State, store: &Store) -> Result<()> {
    match state.tab {
        Tab::Customers => {
            let query = &mut state.customers.source;
            query.sort = match query.sort {
                CustomerSort::Name => CustomerSort::RecentlyUpdated,
                CustomerSort::RecentlyUpdated => CustomerSort::Newest,
                CustomerSort::Newest => CustomerSort::Name,
            };
            state.customers.first(store)?;
            state.set_status(format!("Sorted {}", sort_words(state.customer_sort())));
        }
        Tab::Tickets if state.ticket_scope != Scope::Open => {
            state.set_status(match state.ticket_scope {
                Scope::Finished | Scope::Resolved | Scope::Closed => {
                    "finished tickets are sorted by when they were resolved"
                }
                _ => "all tickets are sorted newest first",
            })
        }
        Tab::Tickets => {
            let by_due = state.tickets.source.due_before.is_none();
            let search = state.tickets.source.search.take();
            state.tickets.source = TicketQuery {
                search,
                ..Scope::Open.tickets(by_due)
            };
            state.tickets.first(store)?;
            state.set_status(if by_due {
                "Sorted by SLA due time"
            } else {
                "Sorted by newest"
            });
        }
        Tab::Followups | Tab::Agenda => state.set_status("sorted by due date"),
        Tab::Reports => {
            let key = state.key_for("list", Action::ReportBy);
            state.set_status(format!("{key} groups the report another way"))
        }
    }
    state.load_detail(store);
    Ok(())
}

/// Open → finished → all work on the tickets or follow-ups tab, keeping
/// the filter; the selection stays on its record when the new list has it.
fn cycle_scope(state: &mut State, store: &Store) -> Result<()> {
    match state.tab {
        Tab::Tickets => {
            state.ticket_scope = state.ticket_scope.next_ticket();
            let by_due = state.tickets.source.due_before.is_some();
            let search = state.tickets.source.search.take();
            state.tickets.source = TicketQuery {
                search,
                ..state.ticket_scope.tickets(by_due)
            };
            reselect(&mut state.tickets, store, state.list_height / 2)?;
            let shown = state.ticket_scope.title("open", "tickets");
            state.set_status(format!("Showing {}", shown.to_lowercase()));
        }
        Tab::Followups => {
            state.followup_scope = state.followup_scope.next();
            let search = state.followups.source.search.take();
            state.followups.source = FollowupQuery {
                search,
                ..state.followup_scope.followups()
            };
            reselect(&mut state.followups, store, state.list_height / 2)?;
            let shown = state.followup_scope.title("planned", "follow-ups");
            state.set_status(format!("Showing {}", shown.to_lowercase()));
        }
        Tab::Customers | Tab::Agenda | Tab::Reports => {
            let key = state.key_for("list", Action::CycleScope);
            state.set_status(format!(
                "{key} shows finished work on the Tickets and Follow-ups tabs"
            ));
        }
    }
    state.load_detail(store);
    Ok(())
}

/// Reads a list whose query changed around the record that was selected,
/// or from its start when the new query leaves that record out.
fn reselect<S: super::list::Source>(
    list: &mut ListView<S>,
    store: &Store,
    context: usize,
) -> Result<()> {
    let kept = list.selected_row().cloned();
    match kept {
        Some(row) if list.show(store, &row, context)? => Ok(()),
        _ => list.first(store),
    }
}

fn load_demo(state: &mut State, store: &mut Store) -> Result<()> {
    if !store.is_empty()? {
        state.set_status("demo data only goes into an empty database");
        return Ok(());
    }
    let clock = store.clock().clone();
    let accounts: Vec<_> = DemoGenerator::new(
        DEMO_CUSTOMERS,
        DEMO_SEED,
        clock.now(),
        clock.tz().clone(),
        store.sla().clone(),
    )
    .collect();
    store.insert_accounts("demo", &accounts)?;
    state.customers.first(store)?;
    state.refresh(store);
    state.set_status(format!("Loaded {DEMO_CUSTOMERS} demo customers"));
    Ok(())
}

/// Another process (the CLI in another terminal, an import) changed the
/// database: what is on screen is read again, the selection kept. Not while
/// a popup is open (a form keeps what is being typed); the next look after
/// it closes catches up. True when the screen changed.
pub fn outside_change(state: &mut State, store: &Store) -> bool {
    if state.popup.is_some() {
        return false;
    }
    let Ok(version) = store.data_version() else {
        return false;
    };
    if version == state.data_version {
        return false;
    }
    state.data_version = version;
    // Our own background merge of the search index commits too; only a
    // recorded change is another process's write.
    match store.last_change() {
        Ok(last) if last == state.last_change => return false,
        _ => {}
    }
    state.refresh(store);
    true
}
