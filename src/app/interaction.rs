//! A log entry opened whole: the interaction popup, and what can be done to
//! an interaction from it or from its row in the log pane (edit, delete).

use crate::domain::edit::OnConflict;
use crate::domain::time::parse_time;
use crate::domain::{Choice, Clock, Direction, Interaction, InteractionEdit, InteractionKind};
use crate::store::{Result, Store, StoreError};

use super::form::{Base, Field, Form, FormKind};
use super::forms::Saved;
use super::{Action, Pane, Popup, State};

/// What the interaction popup shows: the entry as saved when it opened,
/// with the names of what it belongs to (read then, never while drawing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionView {
    pub interaction: Interaction,
    /// "#12 Login broken"
    pub ticket: Option<String>,
    /// "#3 check_in due 2026-12-01"
    pub followup: Option<String>,
    pub scroll: usize,
    /// How far the text scrolls at the screen's size (set by `ui::fit`).
    pub scroll_max: usize,
}

impl InteractionView {
    fn read(store: &Store, id: i64) -> Result<InteractionView> {
        let interaction = store.interaction(id)?;
        // A ticket or follow-up gone since is still named by its id.
        let ticket = interaction.ticket_id.map(|t| match store.ticket(t) {
            Ok(ticket) => format!("#{t} {}", ticket.subject),
            Err(_) => format!("#{t}"),
        });
        let followup = interaction.followup_id.map(|f| match store.followup(f) {
            Ok(followup) => format!("#{f} {} due {}", followup.kind, followup.due_on),
            Err(_) => format!("#{f}"),
        });
        Ok(InteractionView {
            interaction,
            ticket,
            followup,
            scroll: 0,
            scroll_max: usize::MAX,
        })
    }
}

/// Enter, `e` or `d` on the log pane: the selected row's interaction.
pub(super) fn on_log_row(state: &mut State, store: &mut Store, action: Action) -> Result<()> {
    let Some(id) = state.log.get(state.log_scroll).map(|i| i.id) else {
        let log = state.key_for("list", Action::LogInteraction);
        state.set_status(format!("no interaction here — {log} logs one"));
        return Ok(());
    };
    match action {
        Action::Edit => edit(state, store, id),
        Action::Delete => delete(state, store, id),
        _ => {
            state.popup = Some(Popup::Interaction(Box::new(InteractionView::read(
                store, id,
            )?)));
            Ok(())
        }
    }
}

/// Keys while the interaction popup is open.
pub(super) fn popup_action(state: &mut State, store: &mut Store, action: Action) {
    let Some(Popup::Interaction(view)) = &mut state.popup else {
        return;
    };
    let id = view.interaction.id;
    let result = match action {
        Action::SelectNext => {
            view.scroll = (view.scroll + 1).min(view.scroll_max);
            Ok(())
        }
        Action::SelectPrev => {
            view.scroll = view.scroll.saturating_sub(1);
            Ok(())
        }
        Action::Edit => edit(state, store, id),
        Action::Delete => {
            state.popup = None;
            delete(state, store, id)
        }
        // Undo is the list's: the popup closes first, as the change may be
        // of something else, or take this entry away.
        Action::Undo => {
            state.popup = None;
            super::update::update(state, store, Action::Undo);
            Ok(())
        }
        Action::Quit => {
            state.should_quit = true;
            Ok(())
        }
        Action::Cancel | Action::Submit | Action::Deny => {
            state.popup = None;
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        state.fail(&e);
    }
}

/// The edit form of interaction `id`, from what is saved now.
fn edit(state: &mut State, store: &Store, id: i64) -> Result<()> {
    let interaction = store.interaction(id)?;
    state.popup = Some(Popup::Form(edit_form(&interaction, store.clock())));
    Ok(())
}

fn delete(state: &mut State, store: &mut Store, id: i64) -> Result<()> {
    let deleted = store.delete_interaction(id)?;
    let row = state.log_scroll;
    state.refresh(store);
    // The selection stays where it was: on the entry that took its place.
    state.log_scroll = row.min(state.log.len().saturating_sub(1));
    let undo = state.key_for("list", Action::Undo);
    state.set_status(format!("Deleted {} — {undo} undoes", deleted.title()));
    Ok(())
}

/// How the form shows a time: local, to the minute, as `parse_time` reads it.
fn local_minute(at: jiff::Timestamp, clock: &Clock) -> String {
    at.to_zoned_datetime(clock.tz().clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// Correcting a logged interaction. `system` is offered only to an entry
/// that is one (so keeping its kind is possible, choosing it is not).
pub fn edit_form(i: &Interaction, clock: &Clock) -> Form {
    let mut kinds: Vec<&'static str> = InteractionKind::LOGGABLE.iter().map(|k| k.word()).collect();
    if i.kind == InteractionKind::System {
        kinds.push(InteractionKind::System.word());
    }
    let directions = Direction::ALL.iter().map(|d| d.word()).collect();
    let form = Form::new(
        FormKind::EditInteraction(i.id),
        format!("Edit {}", i.title()),
        vec![
            Field::text("summary", "Summary", &i.summary, ""),
            Field::choice("kind", "Kind", kinds, i.kind.as_str()),
            Field::choice("direction", "Direction", directions, i.direction.as_str()),
            Field::text(
                "at",
                "When",
                &local_minute(i.occurred_at, clock),
                "now, -2h, YYYY-MM-DD HH:MM",
            ),
            Field::long_text("body", "Body", i.body.as_deref().unwrap_or("")),
        ],
    );
    form.with_base(Base::Interaction(Box::new(i.edit())))
}

/// Saves the edit form of interaction `id`.
pub(super) fn save(
    form: &Form,
    store: &mut Store,
    id: i64,
    on_conflict: OnConflict,
) -> std::result::Result<Saved, StoreError> {
    let clock = store.clock().clone();
    let base = match &form.base {
        Some(Base::Interaction(base)) => (**base).clone(),
        _ => store.interaction(id)?.edit(),
    };
    // The form shows the time to the minute: left as shown, it keeps its seconds.
    let at = form.value("at");
    let occurred_at = if at.trim() == local_minute(base.occurred_at, &clock) {
        base.occurred_at
    } else {
        parse_time("at", at, clock.now(), clock.tz())?
    };
    let draft = InteractionEdit {
        kind: InteractionKind::parse_word(form.value("kind"))?,
        direction: Direction::parse_word(form.value("direction"))?,
        occurred_at,
        summary: form.value("summary").to_string(),
        body: Some(form.value("body").to_string()),
    };
    let saved = store.edit_interaction(id, &base, draft, on_conflict)?;
    Ok(Saved::EditedInteraction(saved))
}

/// The edit form again, from what is saved now.
pub(super) fn reload(store: &Store, id: i64) -> Result<Form> {
    Ok(edit_form(&store.interaction(id)?, store.clock()))
}

/// After an edit, the log row on the interaction saved (its time may have
/// moved it).
pub(super) fn reselect(state: &mut State, saved: &Saved) {
    if let Saved::EditedInteraction(i) = saved
        && let Some(row) = state.log.iter().position(|e| e.id == i.id)
    {
        state.log_scroll = row;
        state.focus = Pane::Log;
    }
}

/// "Saved the call “Asked for a discount” — u undoes"
pub(super) fn saved_message(state: &State, i: &Interaction) -> String {
    let undo = state.key_for("list", Action::Undo);
    format!("Saved {} — {undo} undoes", i.title())
}
