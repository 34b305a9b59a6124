//! Popups drawn over the panes: forms, help, choices, the discard question.

mod choice;
mod form;
pub(super) mod help;
pub(super) mod interaction;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Clear;

use super::Theme;
use crate::app::{Popup, State};

/// Blanks `area` for a popup. A wide character (CJK, emoji) just left of it
/// would still cover the popup's left border, so it is blanked as well.
pub(super) fn clear(frame: &mut Frame, area: Rect) {
    if area.x > 0 {
        let buffer = frame.buffer_mut();
        for y in area.top()..area.bottom() {
            if let Some(cell) = buffer.cell_mut((area.x - 1, y))
                && crate::ui::text::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
    }
    frame.render_widget(Clear, area);
}

pub fn draw(frame: &mut Frame, screen: Rect, state: &State, theme: &Theme) {
    match &state.popup {
        None => {}
        Some(Popup::Form(f)) => {
            let footer = state.form_footer(f.focused().is_some_and(|field| field.is_multiline()));
            form::draw(frame, screen, f, &footer, theme)
        }
        Some(Popup::Help { scroll }) => help::draw(frame, screen, state, *scroll, theme),
        Some(Popup::Choice(c)) => choice::draw(frame, screen, c, theme),
        Some(Popup::Interaction(view)) => interaction::draw(frame, screen, state, view, theme),
    }
}
