//! Closed sets of values (status, priority, kind, ...) as enums that know their
//! stored spelling, so the CLI, the store and JSON all agree on one word.

use super::ValidationError;

/// What every closed set of words can do; lets the store read and write any of them.
pub trait Choice: Sized + Copy {
    fn parse_word(text: &str) -> Result<Self, ValidationError>;
    fn word(self) -> &'static str;
    /// Every value, in declaration order (for help and shell completions).
    fn all() -> &'static [Self];
}

/// The stored word `text` names: any case, with `-`, `_` or spaces between
/// words, so `at risk` (as the TUI shows it), `At-Risk` and `at_risk` agree.
fn normalize(text: &str) -> String {
    text.to_ascii_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Declares an enum whose variants map to fixed lowercase words.
/// `parse` gives the human reason listing every allowed word.
macro_rules! choice_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The name of the field this choice fills, used in error messages.
            pub const FIELD: &'static str = $field;

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(text: &str) -> Result<Self, ValidationError> {
                // Stored words are already in their form: no copy for them.
                if let Some(exact) = $name::ALL.iter().copied().find(|c| c.as_str() == text) {
                    return Ok(exact);
                }
                let wanted = normalize(text);
                $name::ALL
                    .iter()
                    .copied()
                    .find(|choice| choice.as_str() == wanted)
                    .ok_or_else(|| ValidationError::new(
                        $field,
                        format!("must be one of {}", $name::words()),
                    ))
            }

            /// "low, normal, high, urgent"
            pub fn words() -> String {
                $name::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
            }

            /// The next value in declaration order, wrapping; for choice fields that cycle.
            pub fn next(self) -> Self {
                let i = $name::ALL.iter().position(|c| *c == self).unwrap_or(0);
                $name::ALL[(i + 1) % $name::ALL.len()]
            }

            pub fn prev(self) -> Self {
                let i = $name::ALL.iter().position(|c| *c == self).unwrap_or(0);
                $name::ALL[(i + $name::ALL.len() - 1) % $name::ALL.len()]
            }
        }

        impl Choice for $name {
            fn parse_word(text: &str) -> Result<Self, ValidationError> { $name::parse(text) }
            fn word(self) -> &'static str { self.as_str() }
            fn all() -> &'static [Self] { $name::ALL }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { $name::parse(s) }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

choice_enum!(CustomerKind, "kind", { Person => "person", Organization => "organization" });
choice_enum!(Stage, "stage", {
    Prospect => "prospect", Onboarding => "onboarding", Active => "active",
    AtRisk => "at_risk", Churned => "churned",
});
choice_enum!(TicketStatus, "status", {
    New => "new", Open => "open", Pending => "pending", Resolved => "resolved", Closed => "closed",
});
choice_enum!(Priority, "priority", { Low => "low", Normal => "normal", High => "high", Urgent => "urgent" });
choice_enum!(Channel, "channel", { Email => "email", Phone => "phone", Chat => "chat", Web => "web", Other => "other" });
choice_enum!(FollowupKind, "kind", {
    Onboarding => "onboarding", CheckIn => "check_in", Review => "review",
    Renewal => "renewal", Upsell => "upsell", Other => "other",
});
choice_enum!(FollowupStatus, "status", {
    Planned => "planned", Done => "done", Skipped => "skipped", Cancelled => "cancelled",
});
choice_enum!(InteractionKind, "kind", {
    Call => "call", Email => "email", Meeting => "meeting", Chat => "chat", Note => "note", System => "system",
});
choice_enum!(Direction, "direction", { Inbound => "inbound", Outbound => "outbound", Internal => "internal" });

impl InteractionKind {
    /// What a person logs by hand: `system` entries are the app's own.
    pub const LOGGABLE: &'static [InteractionKind] = &[
        InteractionKind::Call,
        InteractionKind::Email,
        InteractionKind::Meeting,
        InteractionKind::Chat,
        InteractionKind::Note,
    ];

    /// The direction an interaction of this kind has unless told otherwise:
    /// a call, email, meeting or chat logged by us is our reply to the
    /// customer (so it can be a ticket's first response); a note is internal.
    pub fn default_direction(self) -> Direction {
        match self {
            InteractionKind::Note | InteractionKind::System => Direction::Internal,
            _ => Direction::Outbound,
        }
    }
}

impl TicketStatus {
    /// Still to be worked on: the support queue.
    pub const OPEN: &'static [TicketStatus] =
        &[TicketStatus::New, TicketStatus::Open, TicketStatus::Pending];
    /// Needing no more work.
    pub const FINISHED: &'static [TicketStatus] = &[TicketStatus::Resolved, TicketStatus::Closed];

    /// A reply to the customer takes a new ticket into work.
    pub fn after_reply(self) -> TicketStatus {
        match self {
            TicketStatus::New => TicketStatus::Open,
            other => other,
        }
    }

    /// Resolved and closed tickets need no more work and carry a resolved_at.
    pub fn is_finished(self) -> bool {
        matches!(self, TicketStatus::Resolved | TicketStatus::Closed)
    }
}

impl FollowupKind {
    /// How people read it: "check-in" (the stored word is `check_in`).
    pub fn label(self) -> String {
        self.as_str().replace('_', "-")
    }
}

impl FollowupStatus {
    /// Closed one way or another, with a completion time and maybe an outcome.
    pub const FINISHED: &'static [FollowupStatus] = &[
        FollowupStatus::Done,
        FollowupStatus::Skipped,
        FollowupStatus::Cancelled,
    ];

    pub fn is_open(self) -> bool {
        self == FollowupStatus::Planned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_any_case_and_dashes() {
        assert_eq!(Priority::parse(" URGENT ").unwrap(), Priority::Urgent);
        assert_eq!(
            FollowupKind::parse("check-in").unwrap(),
            FollowupKind::CheckIn
        );
        assert_eq!(Stage::parse("at_risk").unwrap(), Stage::AtRisk);
    }

    #[test]
    fn parse_accepts_words_as_the_tui_shows_them() {
        for text in ["at risk", "At Risk", " at  risk ", "at-risk", "AT_RISK"] {
            assert_eq!(Stage::parse(text).unwrap(), Stage::AtRisk, "{text:?}");
        }
        assert_eq!(
            FollowupKind::parse("check in").unwrap(),
            FollowupKind::CheckIn
        );
        // Gluing the words together is not the same word.
        assert!(Stage::parse("atrisk").is_err());
        assert!(Stage::parse("").is_err());
    }

    #[test]
    fn parse_error_lists_the_choices() {
        let err = Priority::parse("soon").unwrap_err();
        assert_eq!(
            err.to_string(),
            "priority must be one of low, normal, high, urgent"
        );
    }

    #[test]
    fn next_and_prev_wrap() {
        assert_eq!(Priority::Urgent.next(), Priority::Low);
        assert_eq!(Priority::Low.prev(), Priority::Urgent);
    }
}
