//! The ticket list: which ticket (id, subject), how urgent (SLA), whose,
//! where it stands (status, with the rating once finished), its priority.

use jiff::Timestamp;
use ratatui::style::Style;

use super::columns::{Cell, Column, Row};
use super::{Table, View, title, visible};
use crate::app::State;
use crate::domain::ticket_sla::FlagLevel;
use crate::domain::time::relative_time;
use crate::domain::{Priority, SlaPolicy, Ticket, TicketStatus};
use crate::ui::Theme;

/// Index of the STATUS column, which the SLA cell of a finished ticket stands in for.
const STATUS: usize = 3;

/// `finished`: only finished tickets are listed, and the last column says
/// when each was resolved instead of its SLA.
fn columns(finished: bool) -> Vec<Column> {
    vec![
        Column::fit("ID", 0, 8),
        Column::flex("SUBJECT", 16),
        // In the queue a new (unanswered) ticket must be told from one
        // waiting on the customer before whose it is: STATUS stays longer.
        Column::fit("CUSTOMER", 3, 12),
        Column::fit("STATUS", 2, 12),
        Column::fit("PRIO", 4, 6),
        // Whose it is matters least on one person's screen: it goes first.
        Column::fit("ASSIGNEE", 5, 10),
        Column::fit(if finished { "RESOLVED" } else { "SLA" }, 1, 12),
    ]
}

/// The ticket's SLA flag (`Ticket::sla_flag`): its pressing clock, "! 2h
/// over" in red, "~ in 3h" in yellow, "paused" muted; a finished ticket's
/// status, red when it was resolved late.
pub fn sla_cell(
    ticket: &Ticket,
    sla: &SlaPolicy,
    now: Timestamp,
    theme: &Theme,
) -> (String, Style) {
    let (text, level) = ticket.sla_flag(sla, now);
    let style = match level {
        FlagLevel::Plain => Style::new(),
        FlagLevel::Muted => theme.muted(),
        FlagLevel::Warning => theme.warning(),
        FlagLevel::Danger => theme.danger(),
    };
    (text, style)
}

/// "open", "pending"; "closed ★4" once finished and rated.
fn status_cell(ticket: &Ticket, theme: &Theme) -> Cell {
    let text = match (ticket.status.is_finished(), ticket.csat) {
        (true, Some(csat)) => format!("{} ★{csat}", ticket.status),
        _ => ticket.status.to_string(),
    };
    let style = match ticket.status {
        TicketStatus::New => theme.accent(),
        TicketStatus::Open => Style::new(),
        _ => theme.muted(),
    };
    Cell::new(&text, style)
}

pub(super) fn table(state: &State, theme: &Theme, view: View) -> Table {
    let rows = visible(&state.tickets.rows, state.tickets.offset, view, |t| {
        // A finished ticket has no SLA to meet: its cell says the status
        // and rating instead, while the STATUS column has no room.
        let finished_only = state.ticket_scope.is_finished();
        let sla = if finished_only {
            let when = t.resolved_at.map(|at| relative_time(at, state.now));
            Cell::new(&when.unwrap_or_default(), theme.muted())
        } else if t.status.is_finished() {
            let (flag, style) = sla_cell(t, &state.sla, state.now, theme);
            if style == theme.danger() {
                // Resolved late stays visible beside its status: "! 2h late".
                let late = flag.replacen(&format!("{} ", t.status), "", 1);
                Cell::new(&late, style)
            } else {
                Cell {
                    repeats: Some(STATUS),
                    ..status_cell(t, theme)
                }
            }
        } else {
            let (sla, sla_style) = sla_cell(t, &state.sla, state.now, theme);
            Cell::new(&sla, sla_style)
        };
        let prio_style = if t.priority >= Priority::High {
            theme.warning()
        } else {
            Style::new()
        };
        Row::Cells(vec![
            Cell::new(&format!("#{}", t.id), theme.muted()),
            Cell::plain(&t.subject),
            Cell::new(t.customer.as_deref().unwrap_or_default(), theme.muted()),
            status_cell(t, theme),
            Cell::new(t.priority.as_str(), prio_style),
            Cell::new(t.assignee.as_deref().unwrap_or_default(), theme.muted()),
            sla,
        ])
    });
    let query = &state.tickets.source;
    let sort = match (query.due_before, query.recently_resolved) {
        (Some(_), _) => "by SLA due",
        (None, true) => "recently resolved first",
        (None, false) => "newest first",
    };
    Table {
        title: title(state, &state.ticket_scope.title("Open", "tickets"), sort),
        columns: columns(state.ticket_scope.is_finished()),
        rows,
        selected: state.tickets.selected,
    }
}
