//! The bottom line: the filter being typed, a message, or the keys that apply now.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::Theme;
use super::text::{sanitize_line, truncate, width};
use crate::app::{Action, Pane, Popup, State, Tab};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let columns = usize::from(area.width);
    if state.filtering {
        let input = state.filter();
        let typed = sanitize_line(input.value());
        let keys = match number_hint(state) {
            Some(hint) => hint,
            None => "  Enter keep · Esc clear".to_string(),
        };
        let line = Line::from(vec![
            Span::styled("/", theme.accent()),
            Span::raw(truncate(&typed, columns.saturating_sub(30)).into_owned()),
            Span::styled(keys, theme.muted()),
        ]);
        frame.render_widget(line, area);
        let before: String = input.value().chars().take(input.cursor()).collect();
        let x = area.x + 1 + u16::try_from(width(&sanitize_line(&before))).unwrap_or(0);
        frame.set_cursor_position(Position {
            x: x.min(area.right().saturating_sub(1)),
            y: area.y,
        });
        return;
    }
    let (text, style) = match &state.status {
        Some(status) if status.is_error => (format!("error: {}", status.text), theme.danger()),
        Some(status) => (status.text.clone(), theme.accent()),
        None => (
            pick_hint(state).unwrap_or_else(|| hints(state).to_string()),
            theme.muted(),
        ),
    };
    let text = sanitize_line(&text);
    frame.render_widget(
        Span::styled(truncate(&text, columns).into_owned(), style),
        area,
    );
}

/// While `#123` is typed in the filter: what Enter does with it.
fn number_hint(state: &State) -> Option<String> {
    let id = crate::app::goto::number(state.filter().value())?;
    let noun = match state.tab {
        Tab::Customers => "customer",
        Tab::Tickets => "ticket",
        Tab::Followups => "follow-up",
        Tab::Agenda => return None,
    };
    let go = state.key_for("filter", Action::Submit);
    let clear = state.key_for("filter", Action::Cancel);
    Some(format!("  {go} go to {noun} #{id} · {clear} clear"))
}

/// On a customer's detail with tickets or follow-ups: picking and opening
/// them, in the keys the keymap binds.
fn pick_hint(state: &State) -> Option<String> {
    if state.popup.is_some() || state.focus != Pane::Detail || state.detail.picks().is_empty() {
        return None;
    }
    let next = state.key_for("list", Action::SelectNext);
    let prev = state.key_for("list", Action::SelectPrev);
    let open = state.key_for("list", Action::Open);
    let pane = state.key_for("global", Action::NextPane);
    let help = state.key_for("global", Action::Help);
    Some(format!(
        "{next}/{prev} pick a ticket or follow-up · {open} open it · {pane} next pane · {help} help"
    ))
}

/// The keys worth knowing in this place, most useful first.
fn hints(state: &State) -> &'static str {
    match (&state.popup, state.empty, state.focus, state.tab) {
        (Some(Popup::Form(form)), _, _, _) if form.confirming_discard => {
            "y discard your changes · n keep editing"
        }
        (Some(Popup::Form(_)), _, _, _) => "Tab next field · ←/→ choose · Enter save · Esc cancel",
        (Some(_), _, _, _) => "j/k move · Enter choose · Esc close",
        (None, true, _, _) => "a add first customer · D load demo data · ? help · q quit",
        (None, false, Pane::Detail | Pane::Log, _) => {
            "j/k scroll · Tab next pane · e edit · l log · ? help"
        }
        (None, false, Pane::List, Tab::Tickets) => {
            "j/k move · / filter · s status · l log · e edit · d delete · o sort · ? help"
        }
        (None, false, Pane::List, Tab::Followups) => {
            "j/k move · x done · l log · e edit · d delete · ? help"
        }
        (None, false, Pane::List, Tab::Agenda) => {
            "j/k move · w 7/14/30 days · x done · s status · l log · e edit · ? help"
        }
        (None, false, Pane::List, Tab::Customers) => {
            "j/k move · / search · a add · e edit · l log · t ticket · f follow-up · ? help"
        }
    }
}
