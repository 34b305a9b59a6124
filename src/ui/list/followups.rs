//! The follow-up list: whose, what kind, when due; the id as width allows.

use super::columns::{Cell, Column, Row};
use super::{Table, View, title, visible};
use crate::app::State;
use crate::domain::time::relative_date;
use crate::ui::Theme;

fn columns() -> Vec<Column> {
    vec![
        Column::fit("ID", 2, 8),
        Column::flex("CUSTOMER", 16),
        Column::fit("KIND", 1, 13),
        Column::fit("DUE", 0, 14),
    ]
}

pub(super) fn table(state: &State, theme: &Theme, view: View) -> Table {
    let rows = visible(&state.followups.rows, state.followups.offset, view, |f| {
        let due = relative_date(f.due_on, state.today);
        let (due, due_style) = if f.due_on < state.today {
            (format!("! {due}"), theme.danger())
        } else {
            (due, ratatui::style::Style::new())
        };
        let every = if f.recurrence.is_some() { " ↻" } else { "" };
        Row::Cells(vec![
            Cell::new(&format!("#{}", f.id), theme.muted()),
            Cell::plain(f.customer.as_deref().unwrap_or_default()),
            Cell::new(&format!("{}{every}", f.kind), theme.muted()),
            Cell::new(&due, due_style),
        ])
    });
    Table {
        title: title(state, "Planned follow-ups", "by due date"),
        columns: columns(),
        rows,
        selected: state.followups.selected,
    }
}
