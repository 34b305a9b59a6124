//! The agenda list: section headers with their counts, and each line's what
//! (taking the free width), why and whose.

use ratatui::style::Style;

use super::columns::{Cell, Column, Row};
use super::{Table, View};
use crate::app::State;
use crate::app::agenda::{AgendaRow, agenda_rows};
use crate::domain::agenda::Section;
use crate::ui::Theme;

fn columns() -> Vec<Column> {
    vec![
        Column::flex("WHAT", 20),
        Column::fit("WHY", 1, 20),
        Column::fit("CUSTOMER", 2, 16),
    ]
}

pub(super) fn table(state: &State, theme: &Theme, view: View) -> Table {
    let style_of = |section| match section {
        Section::Overdue => theme.danger(),
        Section::Today => theme.warning(),
        Section::Upcoming => Style::new(),
    };
    let lines = &state.agenda.rows;
    let rows = agenda_rows(&state.agenda, view.height)
        .into_iter()
        .filter_map(|row| match row {
            AgendaRow::Header(section) => {
                let count = state.agenda_counts.of(section);
                let mut text = format!(
                    "── {} · {} ({} follow-ups, {} tickets)",
                    section.title(),
                    count.total(),
                    count.followups,
                    count.tickets
                );
                // A narrow pane keeps the count whole and leaves out its parts.
                if crate::ui::text::width(&text) >= view.width {
                    text = format!("── {} · {}", section.title(), count.total());
                }
                // No index of a row: a header is never the selection.
                Some((
                    usize::MAX,
                    Row::Banner(Cell::new(&text, style_of(section).bold())),
                ))
            }
            AgendaRow::Line(i) => {
                let line = lines.get(i)?;
                let mark = if line.section == Section::Overdue {
                    "! "
                } else {
                    "  "
                };
                Some((
                    i,
                    Row::Cells(vec![
                        Cell::plain(&format!("{mark}{}", line.headline())),
                        Cell::new(&line.reason, style_of(line.section)),
                        Cell::new(&line.customer, theme.muted()),
                    ]),
                ))
            }
        })
        .collect();
    // The counts are in the section headers; the title says the window.
    Table {
        title: format!(" Agenda · next {} days ", state.agenda.source.days),
        columns: columns(),
        rows,
        selected: state.agenda.selected,
    }
}
