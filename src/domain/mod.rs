//! Plain types, validation and rules. No I/O: time comes in as a parameter.

pub mod agenda;
pub mod bulk;
pub mod calendar;
mod choice;
pub mod customer;
pub mod duplicates;
pub mod edit;
pub mod followup;
pub mod health;
pub mod interaction;
pub mod membership;
pub mod money;
pub mod recurrence;
pub mod report;
pub mod sla;
pub mod sla_clock;
pub mod ticket;
pub mod ticket_sla;
pub mod time;

pub use choice::{
    Channel, Choice, CustomerKind, Direction, FollowupKind, FollowupStatus, InteractionKind,
    Priority, Stage, TicketStatus,
};
pub use customer::{Customer, CustomerDraft};
pub use followup::{Followup, FollowupDraft};
pub use interaction::{Interaction, InteractionDraft, InteractionEdit};
pub use money::Money;
pub use recurrence::Recurrence;
pub use sla::SlaPolicy;
pub use ticket::{Ticket, TicketDraft};
pub use time::Clock;

/// A value a person typed that cannot be stored, with the reason in words:
/// "name must not be blank".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {reason}")]
pub struct ValidationError {
    pub field: &'static str,
    pub reason: String,
}

impl ValidationError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        ValidationError {
            field,
            reason: reason.into(),
        }
    }
}

/// Which kind of record a row is; used by history, search and error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Customer,
    Ticket,
    Followup,
    Interaction,
}

impl Entity {
    pub fn noun(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::Ticket => "ticket",
            Entity::Followup => "follow-up",
            Entity::Interaction => "interaction",
        }
    }
}

/// Trims a free-text field; blank becomes `None` so "no value" has one spelling.
pub fn optional_text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Checks a required one-line text: trimmed, non-blank, at most `max` characters.
pub fn required_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, ValidationError> {
    // One line: a pasted line break or tab becomes a space. Other control
    // characters are kept as typed or imported; output makes them inert
    // (ui::text::sanitize_line).
    let one_line = if value.contains(['\n', '\r', '\t']) {
        value.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        value.to_string()
    };
    let trimmed = one_line.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, "must not be blank"));
    }
    let length = trimmed.chars().count();
    if length > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters (it has {length})"),
        ));
    }
    Ok(trimmed.to_string())
}

/// "check-in" → "Check-in": a word from a closed list opening a sentence.
pub fn sentence_case(word: &str) -> String {
    let mut letters = word.chars();
    letters
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(letters)
        .collect()
}

/// Long texts (notes, bodies) have a generous bound so a runaway paste or
/// import cannot bloat the DB unnoticed.
pub const MAX_LONG_TEXT: usize = 1_000_000;

pub fn long_text(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, ValidationError> {
    let text = value
        .map(|v| v.trim_end().to_string())
        .filter(|v| !v.trim().is_empty());
    if let Some(t) = &text
        && t.len() > MAX_LONG_TEXT
    {
        return Err(ValidationError::new(
            field,
            format!("must be at most {MAX_LONG_TEXT} bytes (it has {})", t.len()),
        ));
    }
    Ok(text)
}
