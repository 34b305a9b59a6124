//! The interaction log: calls, emails, meetings, chats and notes. It is
//! history: an entry can be corrected, or deleted (only marked, so undo
//! brings it back).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::edit::{FieldConflict, Merge, opt_text};
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
    /// Deleted (the log is history: the row stays, for undo). Written only
    /// when set, so exports and imports of live entries keep their shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
}

impl Interaction {
    /// What an edit may change, as saved now.
    pub fn edit(&self) -> InteractionEdit {
        InteractionEdit {
            kind: self.kind,
            direction: self.direction,
            occurred_at: self.occurred_at,
            summary: self.summary.clone(),
            body: self.body.clone(),
        }
    }

    /// "the call “Asked for a discount”", for messages about this entry.
    pub fn title(&self) -> String {
        let short: String = self.summary.chars().take(40).collect();
        let cut = if short.len() < self.summary.len() {
            "…"
        } else {
            ""
        };
        format!("the {} “{short}{cut}”", self.kind)
    }
}

/// The fields of a logged interaction a person may correct; who it was with
/// and what it belongs to stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionEdit {
    pub kind: InteractionKind,
    pub direction: Direction,
    pub occurred_at: Timestamp,
    pub summary: String,
    pub body: Option<String>,
}

impl InteractionEdit {
    /// Checked as a new entry is; `was` is the kind saved now: `system`
    /// entries are the app's own, so nothing becomes one by hand (one that
    /// is one may keep its kind).
    pub fn normalized(self, was: InteractionKind) -> Result<InteractionEdit, ValidationError> {
        if self.kind == InteractionKind::System && was != InteractionKind::System {
            return Err(ValidationError::new(
                "kind",
                "must be call, email, meeting, chat or note (system entries are tuicrm's own)",
            ));
        }
        Ok(InteractionEdit {
            summary: required_text("summary", &self.summary, MAX_SUMMARY)?,
            body: long_text("body", self.body.as_deref())?,
            ..self
        })
    }

    /// `mine` (edited from `base`) saved over `theirs`: see `edit`.
    pub fn merge(
        base: &InteractionEdit,
        mine: &InteractionEdit,
        theirs: &InteractionEdit,
        overwrite: bool,
    ) -> Result<InteractionEdit, Vec<FieldConflict>> {
        let mut m = Merge::new(base, mine, theirs, overwrite);
        m.field(
            "kind",
            |d| &d.kind,
            |d, v| d.kind = v,
            |v| v.as_str().to_string(),
        )
        .field(
            "direction",
            |d| &d.direction,
            |d, v| d.direction = v,
            |v| v.as_str().to_string(),
        )
        .field(
            "when",
            |d| &d.occurred_at,
            |d, v| d.occurred_at = v,
            ToString::to_string,
        )
        .field(
            "summary",
            |d| &d.summary,
            |d, v| d.summary = v,
            Clone::clone,
        )
        .field("body", |d| &d.body, |d, v| d.body = v, opt_text);
        m.finish()
    }
}
