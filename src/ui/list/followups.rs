//! The follow-up list: whose, what kind, when due; the id as width allows.

use super::columns::{Cell, Column, Row};
use super::{Table, View, title, visible};
use crate::app::State;
use crate::domain::time::relative_date;
use crate::store::FollowupOrder;
use crate::ui::Theme;

fn columns(state: &State) -> Vec<Column> {
    vec![
        Column::fit("ID", 2, 8),
        Column::flex("CUSTOMER", 16),
        Column::fit("KIND", 1, 13),
        // Whose it is matters least on one person's screen: it goes first.
        Column::fit("ASSIGNEE", 3, 10),
        Column::fit(due_header(state), 0, 14),
    ]
}

/// Finished follow-ups show how they ended where planned ones show when due.
fn due_header(state: &State) -> &'static str {
    match state.followup_scope {
        crate::app::scope::Scope::Finished => "ENDED",
        _ => "DUE",
    }
}

fn followup_order(state: &State) -> &'static str {
    match state.followups.source.order {
        FollowupOrder::Due => "by due date",
        FollowupOrder::LatestDue => "latest due first",
        FollowupOrder::RecentlyFinished => "recently finished first",
    }
}

pub(super) fn table(state: &State, theme: &Theme, view: View) -> Table {
    let rows = visible(&state.followups.rows, state.followups.offset, view, |f| {
        let due = relative_date(f.due_on, state.today);
        // Finished work says how it ended; its due date is in the detail.
        let (due, due_style) = if !f.status.is_open() {
            (f.status.to_string(), theme.muted())
        } else if f.due_on < state.today {
            (format!("! {due}"), theme.danger())
        } else {
            (due, ratatui::style::Style::new())
        };
        let every = if f.recurrence.is_some() { " ↻" } else { "" };
        Row::Cells(vec![
            Cell::new(&format!("#{}", f.id), theme.muted()),
            Cell::plain(f.customer.as_deref().unwrap_or_default()),
            Cell::new(&format!("{}{every}", f.kind.label()), theme.muted()),
            Cell::new(f.assignee.as_deref().unwrap_or_default(), theme.muted()),
            Cell::new(&due, due_style),
        ])
    });
    Table {
        title: title(
            state,
            &state.followup_scope.title("Planned", "follow-ups"),
            followup_order(state),
        ),
        columns: columns(state),
        rows,
        selected: state.followups.selected,
    }
}
