//! The agenda: planned follow-ups and unfinished tickets due soon, sorted and
//! explained by the domain rule (`domain::agenda`). One query pair for the
//! CLI and the TUI alike.

use crate::domain::agenda::{self, AgendaLine};

use super::error::{Result, StoreError};
use super::{FollowupQuery, Store, TicketQuery};

/// Enough lines for any real day; the agenda is a to-do list, not a report.
const LIMIT: usize = 500;

impl Store {
    /// What is overdue, due today, and due in the next `days` days.
    pub fn agenda(&self, days: u16) -> Result<Vec<AgendaLine>> {
        let (now, today) = (self.clock.now(), self.clock.today());
        let too_far = || StoreError::Conflict(format!("{days} days ahead is too far"));
        let horizon = today
            .checked_add(jiff::Span::new().days(i64::from(days) + 1))
            .map_err(|_| too_far())?;
        let followups = self
            .followups_page(
                &FollowupQuery {
                    due_before: Some(horizon),
                    ..FollowupQuery::default()
                },
                None,
                LIMIT,
            )?
            .items;
        let ticket_horizon = now
            .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .map_err(|_| too_far())?;
        let tickets = self
            .tickets_page(
                &TicketQuery {
                    due_before: Some(ticket_horizon),
                    ..TicketQuery::default()
                },
                None,
                LIMIT,
            )?
            .items;
        Ok(agenda::build(&followups, &tickets, now, today))
    }
}
