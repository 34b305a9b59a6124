//! What the detail and log panes show for the selected record: read when the
//! selection changes, never while drawing.

use crate::domain::health::Health;
use crate::domain::{Customer, CustomerKind, Followup, Interaction, Ticket};
use crate::store::{CustomerQuery, FollowupQuery, Result, Store, TicketQuery};

use super::{State, Tab};

/// How many related rows the detail pane lists, and log entries it reads.
const RELATED: usize = 50;
const LOG: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    None,
    Customer {
        customer: Customer,
        health: Health,
        /// Average CSAT of recently rated tickets and how many there were.
        csat: Option<(f64, u32)>,
        /// An organization's people.
        people: Vec<Customer>,
        tickets: Vec<Ticket>,
        followups: Vec<Followup>,
    },
    Ticket {
        ticket: Ticket,
        customer: Customer,
    },
    Followup {
        followup: Followup,
        customer: Customer,
    },
}

/// A line of the detail pane that opens a record (a customer's ticket or
/// follow-up), picked with j/k while the pane has focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Ticket(i64),
    Followup(i64),
}

impl Detail {
    /// The lines that can be picked, in the order the pane shows them.
    pub fn picks(&self) -> Vec<Pick> {
        match self {
            Detail::Customer {
                tickets, followups, ..
            } => tickets
                .iter()
                .map(|t| Pick::Ticket(t.id))
                .chain(followups.iter().map(|f| Pick::Followup(f.id)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The customer this detail is about (the ticket's or follow-up's customer).
    pub fn customer(&self) -> Option<&Customer> {
        match self {
            Detail::None => None,
            Detail::Customer { customer, .. }
            | Detail::Ticket { customer, .. }
            | Detail::Followup { customer, .. } => Some(customer),
        }
    }
}

/// The record selected on the current tab, as (customer id, ticket id, follow-up id).
pub fn selection(state: &State) -> Option<(i64, Option<i64>, Option<i64>)> {
    match state.tab {
        Tab::Customers => state.customers.selected_row().map(|c| (c.id, None, None)),
        Tab::Tickets => state
            .tickets
            .selected_row()
            .map(|t| (t.customer_id, Some(t.id), None)),
        Tab::Followups => state
            .followups
            .selected_row()
            .map(|f| (f.customer_id, None, Some(f.id))),
        Tab::Agenda => state.agenda.selected_row().map(|line| match line.kind {
            crate::domain::Entity::Ticket => (line.customer_id, Some(line.id), None),
            crate::domain::Entity::Followup => (line.customer_id, None, Some(line.id)),
            _ => (line.customer_id, None, None),
        }),
        Tab::Reports => None,
    }
}

pub fn load(state: &State, store: &Store) -> Result<(Detail, Vec<Interaction>)> {
    let Some((customer_id, ticket_id, followup_id)) = selection(state) else {
        return Ok((Detail::None, Vec::new()));
    };
    let customer = store.customer(customer_id)?;
    if let Some(id) = ticket_id {
        let ticket = store.ticket(id)?;
        let log = store.ticket_interactions(id)?;
        return Ok((Detail::Ticket { ticket, customer }, log));
    }
    let log = store.interactions_page(customer_id, None, LOG)?.items;
    if let Some(id) = followup_id {
        let followup = store.followup(id)?;
        return Ok((Detail::Followup { followup, customer }, log));
    }
    let people = match customer.kind {
        CustomerKind::Organization => {
            let query = CustomerQuery {
                organization_id: Some(customer_id),
                ..CustomerQuery::default()
            };
            store.customers_page(&query, None, RELATED)?.items
        }
        CustomerKind::Person => Vec::new(),
    };
    let open_tickets = TicketQuery {
        customer_id: Some(customer_id),
        ..super::Scope::Open.tickets(true)
    };
    let tickets = store.tickets_page(&open_tickets, None, RELATED)?.items;
    let planned = FollowupQuery {
        customer_id: Some(customer_id),
        ..FollowupQuery::default()
    };
    let followups = store.followups_page(&planned, None, RELATED)?.items;
    // Usually already read for the list row.
    let super::Scored { health, inputs } = state.scored(store, customer_id)?;
    let csat = inputs.recent_csat.map(|avg| (avg, inputs.rated_tickets));
    Ok((
        Detail::Customer {
            customer,
            health,
            csat,
            people,
            tickets,
            followups,
        },
        log,
    ))
}

/// j/k with the detail pane in focus, as a pager with links: the next (or
/// previous) ticket or follow-up line is picked when it is on screen or just
/// past its edge, and kept in view; otherwise the pane scrolls a row, and a
/// picked line that scrolls out of view is let go. A page key only scrolls.
/// So a long detail reads to its end and back with j/k alone.
pub fn move_in_detail(state: &mut State, delta: isize) {
    let rows = &state.detail_pick_rows;
    let top = state.detail_scroll;
    let shown = state.detail_rows_shown.max(1);
    if !rows.is_empty() && delta.unsigned_abs() == 1 {
        let candidate = match (state.detail_pick, delta > 0) {
            (Some(i), true) => Some(i + 1),
            (Some(i), false) => i.checked_sub(1),
            (None, true) => rows.iter().position(|r| *r >= top),
            (None, false) => rows.iter().rposition(|r| *r < top + shown),
        };
        let reachable = |row: usize| row + 1 >= top && row <= top + shown;
        if let Some((j, &row)) = candidate.and_then(|j| Some((j, rows.get(j)?)))
            && reachable(row)
        {
            state.detail_pick = Some(j);
            if row < top {
                state.detail_scroll = row;
            } else if row >= top + shown {
                state.detail_scroll = (row + 1 - shown).min(state.detail_scroll_max);
            }
            return;
        }
    }
    state.detail_scroll = top
        .saturating_add_signed(delta)
        .min(state.detail_scroll_max);
    let (top, rows) = (state.detail_scroll, &state.detail_pick_rows);
    if let Some(row) = state.detail_pick.and_then(|i| rows.get(i))
        && (*row < top || *row >= top + shown)
    {
        state.detail_pick = None;
    }
}
