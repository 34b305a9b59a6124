//! Popups drawn over the panes: forms, help, choices, the discard question.

mod choice;
mod form;
mod help;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Theme;
use crate::app::{Popup, State};

pub fn draw(frame: &mut Frame, screen: Rect, state: &State, theme: &Theme) {
    match &state.popup {
        None => {}
        Some(Popup::Form(f)) => form::draw(frame, screen, f, theme),
        Some(Popup::Help { scroll }) => help::draw(frame, screen, state, *scroll, theme),
        Some(Popup::Choice(c)) => choice::draw(frame, screen, c, theme),
    }
}
