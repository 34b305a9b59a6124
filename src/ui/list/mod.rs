//! The list pane: only the rows that fit are built, from the window the app
//! holds; columns share the width by priority (see `columns`), measured in
//! terminal cells so wide names stay aligned.

mod agenda;
mod columns;
mod customers;
mod followups;
mod tickets;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::text::sanitize_line;
use crate::app::{Pane, State, Tab};
use columns::{Column, Row};
pub use tickets::sla_cell;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Pane::List;
    let view = View {
        width: usize::from(area.width.saturating_sub(2)),
        height: usize::from(area.height.saturating_sub(3)),
    };
    let table = match state.tab {
        Tab::Customers => customers::table(state, theme, view),
        Tab::Tickets => tickets::table(state, theme, view),
        Tab::Followups => followups::table(state, theme, view),
        Tab::Agenda => agenda::table(state, theme, view),
        // Drawn whole by `ui::reports`, never as a list.
        Tab::Reports => return,
    };
    let (indexes, rows): (Vec<usize>, Vec<Row>) = table.rows.into_iter().unzip();
    let mut lines = columns::lines(&table.columns, &rows, view.width, theme.muted());
    let selected = theme.selected(focused);
    for (line, index) in lines.iter_mut().skip(1).zip(indexes) {
        if index == table.selected {
            let spans = std::mem::take(&mut line.spans);
            *line = Line::from(
                spans
                    .into_iter()
                    .map(|span| {
                        let style = span.style.patch(selected);
                        span.style(style)
                    })
                    .collect::<Vec<_>>(),
            )
            .style(selected);
        }
    }
    if lines.len() == 1 {
        let filter = state.filter().value().trim();
        let empty = if state.damaged.is_some() {
            "cannot be read: the database file is damaged".to_string()
        } else if filter.is_empty() {
            "nothing here yet".to_string()
        } else {
            format!("no match for “{}”", sanitize_line(filter))
        };
        lines.push(Line::styled(format!(" {empty}"), theme.muted()));
    }
    let block = Block::bordered()
        .title(table.title)
        .border_style(theme.border(focused));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// What a list kind puts in the pane: its title, columns, the visible rows
/// (each with its index in the window; `usize::MAX` for a row that is never
/// the selection) and the selected index.
struct Table {
    title: String,
    columns: Vec<Column>,
    rows: Vec<(usize, Row)>,
    selected: usize,
}

/// The size of the list's inside: only rows that fit are formatted.
#[derive(Clone, Copy)]
struct View {
    width: usize,
    height: usize,
}

/// The rows of `items` from `offset` that fit in `view`, each formatted by `row`.
fn visible<T>(
    items: &[T],
    offset: usize,
    view: View,
    row: impl Fn(&T) -> Row,
) -> Vec<(usize, Row)> {
    items
        .iter()
        .enumerate()
        .skip(offset)
        .take(view.height)
        .map(|(i, item)| (i, row(item)))
        .collect()
}

fn title(state: &State, name: &str, sort: &str) -> String {
    let filter = state.filter().value();
    if filter.is_empty() {
        format!(" {name} · {sort} ")
    } else {
        format!(" {name} · /{} ", sanitize_line(filter))
    }
}
