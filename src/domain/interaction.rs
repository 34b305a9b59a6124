//! The interaction log: calls, emails, meetings, chats and notes, append-only.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Direction, InteractionKind, ValidationError, long_text, required_text};

pub const MAX_SUMMARY: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionDraft {
    pub customer_id: i64,
    pub ticket_id: Option<i64>,
    pub followup_id: Option<i64>,
    pub kind: InteractionKind,
    pub direction: Direction,
    pub occurred_at: Timestamp,
    pub summary: String,
    pub body: Option<String>,
}

impl InteractionDraft {
    /// The shortest path: an internal note, now.
    pub fn new(customer_id: i64, summary: impl Into<String>, now: Timestamp) -> InteractionDraft {
        InteractionDraft {
            customer_id,
            ticket_id: None,
            followup_id: None,
            kind: InteractionKind::Note,
            direction: Direction::Internal,
            occurred_at: now,
            summary: summary.into(),
            body: None,
        }
    }

    pub fn normalized(self) -> Result<InteractionDraft, ValidationError> {
        Ok(InteractionDraft {
            summary: required_text("summary", &self.summary, MAX_SUMMARY)?,
            body: long_text("body", self.body.as_deref())?,
            ..self
        })
    }

    /// Only an answer to the customer counts as a ticket's first response;
    /// internal notes and inbound messages do not.
    pub fn is_response(&self) -> bool {
        self.direction == Direction::Outbound
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: i64,
    pub customer_id: i64,
    /// The customer's name, for display; not a stored column.
    pub customer: Option<String>,
    pub ticket_id: Option<i64>,
    pub followup_id: Option<i64>,
    pub kind: InteractionKind,
    pub direction: Direction,
    pub occurred_at: Timestamp,
    pub summary: String,
    pub body: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
