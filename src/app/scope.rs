//! Which work the tickets and follow-ups tabs list: what is still to do,
//! what is finished (with its CSAT or outcome), or both. Tickets tell
//! finished ones apart: resolved (may come back) and closed.

use jiff::Timestamp;

use crate::domain::{FollowupStatus, TicketStatus};
use crate::store::{FollowupOrder, FollowupQuery, TicketQuery};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Open,
    /// Tickets only: resolved ones.
    Resolved,
    /// Tickets only: closed ones.
    Closed,
    /// Follow-ups: done, skipped or cancelled.
    Finished,
    All,
}

impl Scope {
    /// The next one the `cycle_scope` key shows on the follow-ups tab.
    pub fn next(self) -> Scope {
        match self {
            Scope::Open => Scope::Finished,
            Scope::Finished | Scope::Resolved | Scope::Closed => Scope::All,
            Scope::All => Scope::Open,
        }
    }

    /// The next one the `cycle_scope` key shows on the tickets tab.
    pub fn next_ticket(self) -> Scope {
        match self {
            Scope::Open => Scope::Resolved,
            Scope::Resolved => Scope::Closed,
            Scope::Closed | Scope::Finished => Scope::All,
            Scope::All => Scope::Open,
        }
    }

    /// Whether only finished work is listed.
    pub fn is_finished(self) -> bool {
        matches!(self, Scope::Resolved | Scope::Closed | Scope::Finished)
    }

    /// "Open tickets", "Finished follow-ups", "All tickets".
    pub fn title(self, open: &str, records: &str) -> String {
        match self {
            Scope::Open => format!("{open} {records}"),
            Scope::Resolved => format!("Resolved {records}"),
            Scope::Closed => format!("Closed {records}"),
            Scope::Finished => format!("Finished {records}"),
            Scope::All => format!("All {records}"),
        }
    }

    /// Tickets in this scope; `by_due` (open ones only: a finished ticket
    /// has no SLA left) orders them soonest due first, otherwise newest
    /// first; finished ones the most recently resolved first.
    pub fn tickets(self, by_due: bool) -> TicketQuery {
        let statuses = match self {
            Scope::Open => TicketStatus::OPEN.to_vec(),
            Scope::Resolved => vec![TicketStatus::Resolved],
            Scope::Closed => vec![TicketStatus::Closed],
            Scope::Finished => TicketStatus::FINISHED.to_vec(),
            Scope::All => Vec::new(),
        };
        TicketQuery {
            statuses,
            due_before: (by_due && self == Scope::Open).then_some(Timestamp::MAX),
            recently_resolved: self.is_finished(),
            ..TicketQuery::default()
        }
    }

    /// Follow-ups in this scope: planned ones soonest due first, finished
    /// ones the most recently finished first (what was just done is on top),
    /// all of them the latest due first.
    pub fn followups(self) -> FollowupQuery {
        let statuses = match self {
            Scope::Open => vec![FollowupStatus::Planned],
            Scope::Finished | Scope::Resolved | Scope::Closed => FollowupStatus::FINISHED.to_vec(),
            Scope::All => Vec::new(),
        };
        FollowupQuery {
            statuses,
            order: match self {
                Scope::Open => FollowupOrder::Due,
                Scope::Finished | Scope::Resolved | Scope::Closed => {
                    FollowupOrder::RecentlyFinished
                }
                Scope::All => FollowupOrder::LatestDue,
            },
            ..FollowupQuery::default()
        }
    }
}
