//! Enter on a log row opens the interaction whole; e edits it, d deletes
//! it, u undoes (issue 12.7). Snapshots of the popup at 120x40 and 80x24.

mod interaction_helpers;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use tempfile::TempDir;

use interaction_helpers::*;
use tuicrm::app::form::FieldValue;
use tuicrm::app::{Action, Pane, Popup, State, update};
use tuicrm::config::Config;
use tuicrm::config::keymap::Keymap;
use tuicrm::domain::edit::OnConflict;
use tuicrm::domain::{CustomerDraft, CustomerKind, Direction, InteractionDraft, InteractionKind};
use tuicrm::store::Store;
use tuicrm::ui::Theme;

// -------------------------------------------------------------------- TUI

struct App {
    _dir: TempDir,
    store: Store,
    state: State,
    keymap: Keymap,
    jane: i64,
    acme: i64,
}

impl App {
    /// Acme (an organization) with Jane Doe; Jane's log: an old note and a
    /// call with a long body. Jane selected, the log focused.
    fn new() -> App {
        let dir = TempDir::new().unwrap();
        let mut store = store_in(&dir);
        let acme = store
            .add_customer(CustomerDraft::new(CustomerKind::Organization, "Acme Corp"))
            .unwrap()
            .id;
        let jane = person(&mut store, "Jane Doe", Some(acme));
        log(
            &mut store,
            jane,
            "Sent the onboarding checklist",
            "2026-11-20T09:00:00Z",
            InteractionKind::Note,
            Direction::Internal,
            None,
        );
        let mut call =
            InteractionDraft::new(jane, "Asked for a discount", at("2026-11-25T08:00:00Z"));
        call.kind = InteractionKind::Call;
        call.direction = Direction::Inbound;
        let paragraph = "Jane called about the renewal. She wants a discount of ten percent \
             because the second site in Leeds goes live later than planned, and asks \
             whether the price can follow the number of seats actually used.";
        call.body = Some(format!(
            "{paragraph}\n\nNext steps:\n- check with finance\n- call back on Friday\n\n{paragraph}\n\x1b[31mred?\x1b[0m"
        ));
        store.log_interaction(call).unwrap();
        let keymap = Keymap::from_config(&Config::defaults().keys).unwrap();
        let mut state = State::new(&store, &keymap, "USD");
        state.db_path = "~/.local/share/tuicrm/tuicrm.db".to_string();
        let mut app = App {
            _dir: dir,
            store,
            state,
            keymap,
            jane,
            acme,
        };
        // Customers by name: Acme Corp, Jane Doe.
        app.act(Action::SelectNext);
        app.act(Action::NextPane);
        app.act(Action::NextPane);
        assert_eq!(app.state.focus, Pane::Log);
        app
    }

    fn act(&mut self, action: Action) {
        update(&mut self.state, &mut self.store, action);
    }

    /// A key as the event loop hands it on.
    fn press(&mut self, code: KeyCode, modifiers: KeyModifiers) {
        use tuicrm::app::update::{key_is_text, type_key};
        let event = KeyEvent::new(code, modifiers);
        if self.state.takes_text() && key_is_text(&self.state, &event) {
            return type_key(&mut self.state, &mut self.store, event);
        }
        match self.keymap.action_for(self.state.key_context(), event) {
            Some(action) => {
                update(&mut self.state, &mut self.store, action);
            }
            None if self.state.takes_text() => type_key(&mut self.state, &mut self.store, event),
            None => {}
        }
    }

    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.press(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn status(&self) -> String {
        self.state
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    }

    fn summaries(&self) -> Vec<String> {
        self.state.log.iter().map(|i| i.summary.clone()).collect()
    }

    fn screen(&mut self, width: u16, height: u16) -> String {
        tuicrm::ui::fit(&mut self.state, Rect::new(0, 0, width, height));
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| tuicrm::ui::draw(frame, &self.state, &Theme::plain()))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..height)
            .map(|y| {
                let row: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
                row.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn popup_summary(&self) -> Option<String> {
        match &self.state.popup {
            Some(Popup::Interaction(view)) => Some(view.interaction.summary.clone()),
            _ => None,
        }
    }
}

#[test]
fn enter_on_a_log_row_opens_the_interaction_whole() {
    let mut app = App::new();
    assert_eq!(app.summaries()[0], "Asked for a discount");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(app.popup_summary().as_deref(), Some("Asked for a discount"));
    let screen = app.screen(120, 40);
    assert!(screen.contains("Interaction #2"), "{screen}");
    assert!(!screen.contains('\x1b'), "escape sequences are made inert");
    insta::assert_snapshot!("interaction_popup_120x40", screen);
    let small = app.screen(80, 24);
    insta::assert_snapshot!("interaction_popup_80x24", small);
    let tiny = app.screen(40, 12);
    assert!(tiny.contains("Interaction #2"), "{tiny}");
    // On a small screen it scrolls to its end and no further.
    app.screen(60, 16);
    app.keys(&"j".repeat(50));
    let Some(Popup::Interaction(view)) = &app.state.popup else {
        panic!("the popup stays open");
    };
    assert!(
        view.scroll > 0 && view.scroll == view.scroll_max,
        "{view:?}"
    );
    let end = app.screen(60, 16);
    assert!(end.contains("red?"), "{end}");
    app.press(KeyCode::Esc, KeyModifiers::NONE);
    assert!(app.state.popup.is_none());
    // The other row opens the other entry.
    app.keys("j");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        app.popup_summary().as_deref(),
        Some("Sent the onboarding checklist")
    );
}

#[test]
fn e_in_the_popup_edits_the_interaction_and_u_undoes_it() {
    let mut app = App::new();
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    app.keys("e");
    let Some(Popup::Form(form)) = &app.state.popup else {
        panic!("an edit form, not {:?}", app.state.popup);
    };
    assert_eq!(form.title, "Edit the call “Asked for a discount”");
    assert_eq!(form.value("at"), "2026-11-25 08:00");
    // The kind offers no system entry.
    let FieldValue::Choice { options, .. } = &form.fields[1].value else {
        panic!("kind is a choice");
    };
    assert_eq!(options, &["call", "email", "meeting", "chat", "note"]);
    app.press(KeyCode::End, KeyModifiers::NONE);
    app.keys(" (10%)");
    app.press(KeyCode::Tab, KeyModifiers::NONE);
    app.press(KeyCode::Right, KeyModifiers::NONE);
    let Some(Popup::Form(form)) = &app.state.popup else {
        panic!("the form stays");
    };
    assert_eq!(form.value("kind"), "email");
    // The body goes to $EDITOR with ctrl-e, as every long text does.
    for _ in 0..3 {
        app.press(KeyCode::Tab, KeyModifiers::NONE);
    }
    let effect = update(&mut app.state, &mut app.store, Action::ExternalEditor);
    let tuicrm::app::Effect::EditText(body) = effect else {
        panic!("ctrl-e hands out the body, not {effect:?}");
    };
    assert!(body.starts_with("Jane called about the renewal."), "{body}");
    app.press(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.state.popup.is_none(), "{:?}", app.state.popup);
    assert_eq!(
        app.status(),
        "Saved the email “Asked for a discount (10%)” — u undoes"
    );
    assert_eq!(app.summaries()[0], "Asked for a discount (10%)");
    let saved = app.store.interaction(app.state.log[0].id).unwrap();
    assert_eq!(saved.kind, InteractionKind::Email);
    assert_eq!(saved.direction, Direction::Inbound, "set by hand, kept");
    assert_eq!(saved.occurred_at, at("2026-11-25T08:00:00Z"));
    app.keys("u");
    assert_eq!(
        app.status(),
        "Undid editing the call “Asked for a discount”"
    );
    assert_eq!(app.summaries()[0], "Asked for a discount");
}

#[test]
fn an_edit_form_saved_over_another_processs_change_asks_first() {
    let mut app = App::new();
    app.keys("e");
    let id = app.state.log[0].id;
    let current = app.store.interaction(id).unwrap();
    let mut theirs = current.edit();
    theirs.summary = "Asked for a discount (theirs)".into();
    app.store
        .edit_interaction(id, &current.edit(), theirs, OnConflict::Refuse)
        .unwrap();
    app.keys("!");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    let Some(Popup::Form(form)) = &app.state.popup else {
        panic!("the form stays open");
    };
    let error = form.error.clone().unwrap_or_default();
    assert!(error.contains("changed by another process"), "{error}");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.state.popup.is_none());
    assert_eq!(
        app.store.interaction(id).unwrap().summary,
        "Asked for a discount!"
    );
}

#[test]
fn d_deletes_the_interaction_from_the_popup_or_the_row_and_u_brings_it_back() {
    let mut app = App::new();
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    app.keys("d");
    assert!(app.state.popup.is_none());
    assert_eq!(
        app.status(),
        "Deleted the call “Asked for a discount” — u undoes"
    );
    assert_eq!(app.summaries(), vec!["Sent the onboarding checklist"]);
    assert_eq!(app.state.focus, Pane::Log);
    app.keys("u");
    assert_eq!(
        app.status(),
        "Undid deleting the call “Asked for a discount”"
    );
    assert_eq!(app.summaries().len(), 2);
    assert_eq!(search_ids(&app.store, "discount").len(), 1);

    // Straight from the row, the second one.
    app.keys("j");
    app.keys("d");
    assert_eq!(
        app.status(),
        "Deleted the note “Sent the onboarding checklist” — u undoes"
    );
    assert_eq!(app.summaries(), vec!["Asked for a discount"]);
    assert_eq!(app.state.log_scroll, 0, "the selection stays on a row");
    // u inside the popup undoes too, and closes it.
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    app.keys("u");
    assert!(app.state.popup.is_none());
    assert_eq!(app.summaries().len(), 2);
}

#[test]
fn an_organizations_log_opens_its_peoples_entries() {
    let mut app = App::new();
    // Back to the list, up to Acme Corp, then its log.
    app.act(Action::NextPane);
    app.act(Action::SelectPrev);
    assert_eq!(app.state.detail.customer().map(|c| c.id), Some(app.acme));
    app.act(Action::NextPane);
    app.act(Action::NextPane);
    assert_eq!(app.summaries()[0], "Asked for a discount");
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    let Some(Popup::Interaction(view)) = &app.state.popup else {
        panic!("the popup opens");
    };
    assert_eq!(view.interaction.customer_id, app.jane);
    let screen = app.screen(120, 40);
    assert!(screen.contains("Jane Doe"), "{screen}");
    app.keys("d");
    assert_eq!(app.summaries(), vec!["Sent the onboarding checklist"]);
}

#[test]
fn keys_on_an_empty_log_say_what_to_do() {
    let mut app = App::new();
    for i in app.state.log.clone() {
        app.store.delete_interaction(i.id).unwrap();
    }
    app.state.refresh(&app.store);
    app.state.focus = Pane::Log;
    app.press(KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.state.popup.is_none());
    assert_eq!(app.status(), "no interaction here — l logs one");
}
