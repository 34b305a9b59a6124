//! The bottom line: the filter being typed, a message, or the keys that apply now.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::Theme;
use super::text::{sanitize_line, truncate, width};
use crate::app::{Pane, Popup, State, Tab};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let columns = usize::from(area.width);
    if state.filtering {
        let input = state.filter();
        let typed = sanitize_line(input.value());
        let line = Line::from(vec![
            Span::styled("/", theme.accent()),
            Span::raw(truncate(&typed, columns.saturating_sub(30)).into_owned()),
            Span::styled("  Enter keep · Esc clear", theme.muted()),
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
        None => (hints(state).to_string(), theme.muted()),
    };
    let text = sanitize_line(&text);
    frame.render_widget(
        Span::styled(truncate(&text, columns).into_owned(), style),
        area,
    );
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
