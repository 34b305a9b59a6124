//! Drawing. `draw(frame, &state, &theme)` renders from state alone; nothing
//! here reads the DB or writes to the terminal directly. Every piece of text
//! from the DB passes `text::sanitize_line` (or `sanitize_block`) here.

mod detail;
mod header;
pub mod layout;
mod list;
mod log;
mod popups;
mod reports;
mod status;
pub mod text;
pub mod theme;
mod welcome;

use ratatui::Frame;
use ratatui::widgets::Paragraph;

use crate::app::State;
pub use theme::Theme;

/// Tells the state what the screen can show: list rows and how far the
/// detail and help can scroll. Called by the event loop before drawing, so
/// that keys stop at the real end; drawing itself stays free of changes.
pub fn fit(state: &mut State, screen: ratatui::layout::Rect) {
    let areas = layout::areas(screen);
    state.list_height = layout::list_rows(screen);
    state.detail_scroll_max = detail::max_scroll(state, areas.detail);
    (state.detail_pick_rows, state.detail_rows_shown) = detail::pick_rows(state, areas.detail);
    state.help_scroll_max = popups::help::max_scroll(state, screen);
    if let Some(crate::app::Popup::Interaction(view)) = &state.popup {
        let max = popups::interaction::max_scroll(view, state, screen);
        if let Some(crate::app::Popup::Interaction(view)) = &mut state.popup {
            view.scroll_max = max;
        }
    }
    crate::app::update::scroll_into_view(state);
}

pub fn draw(frame: &mut Frame, state: &State, theme: &Theme) {
    let screen = frame.area();
    if layout::too_small(screen) {
        let (w, h) = (layout::MIN_WIDTH, layout::MIN_HEIGHT);
        let message = if screen.width >= 34 {
            format!("terminal too small: needs {w}×{h}")
        } else if screen.width >= 18 {
            "terminal too small".to_string()
        } else {
            "too small".to_string()
        };
        frame.render_widget(Paragraph::new(message), screen);
        return;
    }
    let areas = layout::areas(screen);
    header::draw(frame, areas.header, state, theme);
    if state.empty && state.damaged.is_none() {
        welcome::draw(
            frame,
            // The narrow layout has no log area: an empty Rect at 0,0 must not widen the union.
            if areas.log.is_empty() {
                areas.list.union(areas.detail)
            } else {
                areas.list.union(areas.detail).union(areas.log)
            },
            state,
            theme,
        );
    } else if state.tab == crate::app::Tab::Reports {
        // One pane: the charts and the table want the whole width.
        let body = if areas.log.is_empty() {
            areas.list.union(areas.detail)
        } else {
            areas.list.union(areas.detail).union(areas.log)
        };
        reports::draw(frame, body, state, theme);
    } else {
        list::draw(frame, areas.list, state, theme);
        detail::draw(frame, areas, state, theme);
    }
    status::draw(frame, areas.status, state, theme);
    popups::draw(frame, screen, state, theme);
}
