//! Drawing. `draw(frame, &state, &theme)` renders from state alone; nothing
//! here reads the DB or writes to the terminal directly. Every piece of text
//! from the DB passes `text::sanitize_line` (or `sanitize_block`) here.

mod detail;
mod header;
pub mod layout;
mod list;
mod log;
mod popups;
mod status;
pub mod text;
pub mod theme;
mod welcome;

use ratatui::Frame;
use ratatui::widgets::Paragraph;

use crate::app::State;
pub use theme::Theme;

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let screen = frame.area();
    if layout::too_small(screen) {
        let message = if screen.width >= 18 {
            "terminal too small"
        } else {
            "too small"
        };
        frame.render_widget(Paragraph::new(message), screen);
        return;
    }
    let areas = layout::areas(screen);
    header::draw(frame, areas.header, state, theme);
    if state.empty {
        welcome::draw(
            frame,
            areas.list.union(areas.detail).union(areas.log),
            theme,
        );
    } else {
        list::draw(frame, areas.list, state, theme);
        detail::draw(frame, areas, state, theme);
    }
    status::draw(frame, areas.status, state, theme);
    popups::draw(frame, screen, state, theme);
}
