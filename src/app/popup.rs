//! Keys while a popup, form or filter has the keyboard: typing, fields,
//! choices, saving, and the question before discarding changes.

use ratatui::crossterm::event::KeyEvent;

use crate::domain::ticket::TicketChange;
use crate::domain::{FollowupStatus, TicketStatus};
use crate::store::CustomerSort;
use crate::store::Store;

use super::form::FieldValue;
use super::forms::{self, Saved};
use super::update::{Effect, move_selection, quoted};
use super::{Action, ChoicePopup, ChoicePurpose, Popup, State, Tab};

/// A key that is text, for the field or filter being typed into.
pub fn type_key(state: &mut State, store: &mut Store, key: KeyEvent) {
    if let Some(Popup::Form(form)) = &mut state.popup {
        if let Some(FieldValue::Text(input)) = form.focused_mut().map(|f| &mut f.value) {
            input.apply(key);
        }
        return;
    }
    if state.filtering {
        let index = state.tab as usize;
        if state.filters[index].apply(key) {
            apply_filter(state, store);
            state.fill_health(store);
        }
    }
}

/// Pasted text (bracketed paste): into the text field in focus or the
/// filter being typed, as text — never read as keys. Returns whether the
/// screen changed.
pub fn paste(state: &mut State, store: &mut Store, text: &str) -> bool {
    if let Some(Popup::Form(form)) = &mut state.popup {
        if form.confirming_discard {
            return false;
        }
        return match form.focused_mut().map(|f| &mut f.value) {
            Some(FieldValue::Text(input)) => input.paste(text),
            _ => false,
        };
    }
    if state.filtering {
        let index = state.tab as usize;
        if state.filters[index].paste(text) {
            apply_filter(state, store);
            state.fill_health(store);
        }
        return true;
    }
    state.set_status("pasted text goes into a form field or the / filter");
    true
}

/// Whether `key` is text even though the keymap binds it (Enter in a notes field).
pub fn key_is_text(state: &State, key: &KeyEvent) -> bool {
    match &state.popup {
        Some(Popup::Form(form)) if !form.confirming_discard => form.focused().is_some_and(|f| {
            f.is_multiline() && key.code == ratatui::crossterm::event::KeyCode::Enter
        }),
        _ => false,
    }
}

/// The text back from `$EDITOR` (None: the editor failed; the form is unchanged).
pub fn editor_done(state: &mut State, text: Option<String>) {
    if let Some(Popup::Form(form)) = &mut state.popup {
        match text {
            Some(text) => form.set_focused_text(text.trim_end_matches('\n')),
            None => form.error = Some("the editor did not finish; the text is unchanged".into()),
        }
    }
}

pub(super) fn filter_action(state: &mut State, store: &mut Store, action: Action) {
    match action {
        Action::Submit => {
            state.filtering = false;
            if let Err(e) = super::goto::filter_number(state, store) {
                state.fail(&e);
            }
        }
        Action::Cancel => {
            state.filtering = false;
            clear_filter(state, store);
        }
        Action::SelectNext | Action::SelectPrev => {
            let delta = if action == Action::SelectNext { 1 } else { -1 };
            if let Err(e) = move_selection(state, store, delta) {
                state.set_error(e.to_string());
            }
        }
        Action::Quit => state.should_quit = true,
        _ => {}
    }
}

/// Clears the current tab's filter; the selection stays on the record it
/// was on (found where it sorts in the whole list), or the first one.
pub(super) fn clear_filter(state: &mut State, store: &mut Store) {
    let context = state.list_height / 2;
    let kept = match state.tab {
        Tab::Customers => state.customers.selected_row().cloned().map(Kept::Customer),
        Tab::Tickets => state.tickets.selected_row().cloned().map(Kept::Ticket),
        Tab::Followups => state.followups.selected_row().cloned().map(Kept::Followup),
        Tab::Agenda | Tab::Reports => None,
    };
    state.filters[state.tab as usize].set("");
    apply_filter(state, store);
    let shown = match kept {
        Some(Kept::Customer(row)) => state.customers.show(store, &row, context),
        Some(Kept::Ticket(row)) => state.tickets.show(store, &row, context),
        Some(Kept::Followup(row)) => state.followups.show(store, &row, context),
        None => Ok(false),
    };
    match shown {
        Ok(true) => {
            state.fill_health(store);
            state.load_detail(store);
        }
        Ok(false) => {}
        Err(e) => state.fail(&e),
    }
}

enum Kept {
    Customer(crate::domain::Customer),
    Ticket(crate::domain::Ticket),
    Followup(crate::domain::Followup),
}

/// Runs the current tab's list again with the filter text as a full-text search.
pub(super) fn apply_filter(state: &mut State, store: &Store) {
    let text = state.filter().value().trim().to_string();
    // `#123` being typed is a record's number (Enter goes there), not words:
    // an unfiltered list stays as it is, its selection too.
    let number = super::goto::is_number(&text);
    let unfiltered = match state.tab {
        Tab::Customers => state.customers.source.search.is_none(),
        Tab::Tickets => state.tickets.source.search.is_none(),
        Tab::Followups => state.followups.source.search.is_none(),
        Tab::Agenda | Tab::Reports => true,
    };
    if number && unfiltered {
        return;
    }
    let search = (!text.is_empty() && !number).then_some(text);
    let result = match state.tab {
        Tab::Customers => {
            // While filtering, matches come newest first straight from the
            // search index: sorting every match of "ma" by name would make
            // each keystroke wait on a big database. The sort comes back after.
            let query = &mut state.customers.source;
            match (&search, query.search.is_some()) {
                (Some(_), false) => {
                    state.sort_before_filter = query.sort;
                    query.sort = CustomerSort::Newest;
                }
                (None, true) => query.sort = state.sort_before_filter,
                _ => {}
            }
            query.search = search;
            state.customers.first(store)
        }
        Tab::Tickets => {
            state.tickets.source.search = search;
            state.tickets.first(store)
        }
        Tab::Followups => {
            state.followups.source.search = search;
            state.followups.first(store)
        }
        Tab::Agenda | Tab::Reports => Ok(()),
    };
    if let Err(e) = result {
        state.set_error(e.to_string());
    }
    state.load_detail(store);
}

pub(super) fn form_action(state: &mut State, store: &mut Store, action: Action) -> Effect {
    let Some(Popup::Form(form)) = &mut state.popup else {
        return Effect::None;
    };
    match action {
        Action::NextField => form.next_field(),
        Action::PrevField => form.prev_field(),
        Action::ChoiceNext | Action::ChoicePrev => {
            let kind_before = form.value("kind").to_string();
            form.cycle(action == Action::ChoiceNext);
            forms::follow_choice(form, &kind_before);
        }
        Action::Cancel if form.is_dirty() => form.confirming_discard = true,
        Action::Cancel => state.popup = None,
        Action::ExternalEditor => {
            if let Some(FieldValue::Text(input)) = form.focused().map(|f| &f.value) {
                return Effect::EditText(input.value().to_string());
            }
        }
        Action::Submit => {
            let currency = state.currency.clone();
            let had_conflict = form.conflict_shown;
            let multiline = form.focused().is_some_and(|f| f.is_multiline());
            if let Some(saved) = forms::submit(form, store, &currency) {
                state.popup = None;
                after_save(state, store, saved);
            } else if form.conflict_shown && !had_conflict {
                let save = state.save_key(multiline);
                let reload = state.key_for("form", Action::Reload);
                if let Some(Popup::Form(form)) = &mut state.popup {
                    let error = form.error.take().unwrap_or_default();
                    form.error = Some(format!(
                        "{error} — {save}: save yours over it · {reload}: show theirs"
                    ));
                }
            }
        }
        Action::Reload => match forms::reload(form, store) {
            Ok(Some(fresh)) => {
                *form = fresh;
                state.set_status("the form shows what is saved now");
            }
            Ok(None) => {}
            Err(e) => form.error = Some(e.to_string()),
        },
        Action::Quit => state.should_quit = true,
        _ => {}
    }
    Effect::None
}

/// A save that found the database locked tries again (the event loop calls
/// this every `forms::SAVE_RETRY_MS` while `State::save_waiting`). Returns
/// whether the screen changed.
pub fn retry_waiting_save(state: &mut State, store: &mut Store) -> bool {
    let waiting = matches!(&state.popup, Some(Popup::Form(form)) if form.waiting.is_some());
    if waiting {
        form_action(state, store, Action::Submit);
    }
    waiting
}

/// Shows what was saved: the list is read again and the status says so.
fn after_save(state: &mut State, store: &Store, saved: Saved) {
    let message = match &saved {
        Saved::Customer(c) => format!("Saved {}", c.name),
        Saved::Ticket(t) => format!("Saved ticket {}: {}", t.id, t.subject),
        Saved::Followup(f) => format!("Saved {} follow-up due {}", f.kind.label(), f.due_on),
        Saved::Interaction { .. } => "Logged".to_string(),
        Saved::EditedInteraction(i) => super::interaction::saved_message(state, i),
        Saved::Finished { followup, next } => {
            let who = followup.customer.clone().unwrap_or_default();
            let mut said = format!(
                "{} {} with {who}",
                crate::domain::sentence_case(followup.status.as_str()),
                followup.kind.label()
            );
            if followup.outcome.is_some() {
                said.push_str(" · outcome logged");
            }
            if let Some(next) = next {
                said.push_str(&format!(" — next due {}", next.due_on));
            }
            said
        }
    };
    // The new or changed record becomes the selection where the list shows it.
    let context = state.list_height / 2;
    let shown = match (&saved, state.tab) {
        (Saved::Customer(c), Tab::Customers) => state.customers.show(store, c, context),
        (Saved::Ticket(t), Tab::Tickets) => state.tickets.show(store, t, context),
        (Saved::Followup(f), Tab::Followups) => state.followups.show(store, f, context),
        _ => Ok(true),
    };
    state.refresh(store);
    super::interaction::reselect(state, &saved);
    match shown {
        Ok(true) => state.set_status(message),
        Ok(false) => state.set_status(format!(
            "{message} (not shown: the filter or list leaves it out)"
        )),
        Err(e) => state.set_error(e.to_string()),
    }
}

pub(super) fn popup_action(state: &mut State, store: &mut Store, action: Action) {
    match &mut state.popup {
        Some(Popup::Form(form)) if form.confirming_discard => match action {
            Action::Confirm | Action::Submit => state.popup = None,
            Action::Deny | Action::Cancel => form.confirming_discard = false,
            Action::Quit => state.should_quit = true,
            _ => {}
        },
        Some(Popup::Interaction(_)) => super::interaction::popup_action(state, store, action),
        Some(Popup::Help { scroll }) => match action {
            Action::SelectNext => *scroll = (*scroll + 1).min(state.help_scroll_max),
            Action::SelectPrev => *scroll = scroll.saturating_sub(1),
            Action::Quit => state.should_quit = true,
            Action::Cancel | Action::Submit | Action::Deny => state.popup = None,
            _ => {}
        },
        Some(Popup::Choice(choice)) => match action {
            Action::SelectNext => {
                choice.selected = (choice.selected + 1).min(choice.options.len().saturating_sub(1))
            }
            Action::SelectPrev => choice.selected = choice.selected.saturating_sub(1),
            Action::Submit | Action::Confirm => {
                let choice = choice.clone();
                state.popup = None;
                apply_choice(state, store, &choice);
            }
            // The satisfaction popup takes the rating's digit directly.
            Action::Rate1 | Action::Rate2 | Action::Rate3 | Action::Rate4 | Action::Rate5
                if matches!(choice.purpose, ChoicePurpose::TicketCsat(_)) =>
            {
                let word = action.rating().map(|r| r.to_string()).unwrap_or_default();
                if let Some(index) = choice.options.iter().position(|o| *o == word) {
                    choice.selected = index;
                    let choice = choice.clone();
                    state.popup = None;
                    apply_choice(state, store, &choice);
                }
            }
            Action::Quit => state.should_quit = true,
            Action::Cancel | Action::Deny => state.popup = None,
            _ => {}
        },
        _ => {}
    }
}

fn apply_choice(state: &mut State, store: &mut Store, choice: &ChoicePopup) {
    let word = choice
        .options
        .get(choice.selected)
        .map(String::as_str)
        .unwrap_or_default();
    match choice.purpose {
        ChoicePurpose::MergeCandidate { keep } => {
            let Some(&other) = choice.candidates.get(choice.selected) else {
                return;
            };
            state.popup = Some(Popup::Choice(ChoicePopup {
                title: format!(
                    "Merge {word} into #{keep}? Its records move over, it goes to the trash"
                ),
                options: vec!["merge".to_string(), "cancel".to_string()],
                selected: 0,
                purpose: ChoicePurpose::ConfirmMerge { keep, other },
                candidates: Vec::new(),
            }));
        }
        ChoicePurpose::ConfirmMerge { keep, other } => {
            if word != "merge" {
                return;
            }
            let result = store.merge_customers(keep, other);
            state.refresh(store);
            match result {
                Ok(c) => state.set_status(format!("Merged #{other} into {} — u to undo", c.name)),
                Err(e) => state.set_error(e.to_string()),
            }
        }
        ChoicePurpose::TicketStatus(id) => {
            let result = TicketStatus::parse(word)
                .map_err(Into::into)
                .and_then(|status| {
                    store.change_ticket(
                        id,
                        &TicketChange {
                            status: Some(status),
                            ..Default::default()
                        },
                    )
                });
            state.refresh(store);
            match result {
                Ok(t) if t.status.is_finished() => {
                    state.set_status(format!(
                        "{} is {} — u to undo",
                        quoted(&t.subject),
                        t.status
                    ));
                    state.popup = Some(Popup::Choice(csat_choice(t.id)));
                }
                Ok(t) => state.set_status(format!(
                    "{} is {} — u to undo",
                    quoted(&t.subject),
                    t.status
                )),
                Err(e) => state.set_error(e.to_string()),
            }
        }
        ChoicePurpose::TicketCsat(id) => {
            let Ok(csat) = word.parse::<u8>() else { return };
            let result = store.change_ticket(
                id,
                &TicketChange {
                    csat: Some(csat),
                    ..Default::default()
                },
            );
            state.refresh(store);
            match result {
                Ok(t) => state.set_status(format!("{} rated {csat}/5", quoted(&t.subject))),
                Err(e) => state.set_error(e.to_string()),
            }
        }
        ChoicePurpose::FollowupStatus(id) => {
            let status = FollowupStatus::parse(word);
            match (status, store.followup(id)) {
                (Ok(status), Ok(followup)) => {
                    state.popup = Some(Popup::Form(forms::finish_form(&followup, status)))
                }
                (Err(e), _) => state.set_error(e.to_string()),
                (_, Err(e)) => state.set_error(e.to_string()),
            }
        }
    }
}

/// Satisfaction right after a ticket is resolved: a number, or skip.
fn csat_choice(ticket_id: i64) -> ChoicePopup {
    ChoicePopup {
        title: format!("Satisfaction (CSAT) of ticket {ticket_id}"),
        options: ["skip", "5", "4", "3", "2", "1"].map(String::from).to_vec(),
        selected: 0,
        purpose: ChoicePurpose::TicketCsat(ticket_id),
        candidates: Vec::new(),
    }
}
