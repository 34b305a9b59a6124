//! Support tickets: the reactive side, worked until resolved, measured by SLA
//! and satisfaction.

use super::edit::{FieldConflict, opt_text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{
    Channel, Priority, SlaPolicy, TicketStatus, ValidationError, long_text, required_text,
};

pub const MAX_SUBJECT: usize = 200;

/// An assignee as given: trimmed, blank is nobody, one line of at most 100.
pub fn assignee_text(text: Option<&str>) -> Result<Option<String>, ValidationError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(name) => required_text("assignee", name, 100).map(Some),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketDraft {
    pub customer_id: i64,
    pub subject: String,
    pub body: Option<String>,
    pub priority: Priority,
    pub channel: Channel,
    /// Who works on it; `None`: the customer's owner, if any.
    pub assignee: Option<String>,
}

impl TicketDraft {
    /// The shortest path: `normal` priority on channel `other`.
    pub fn new(customer_id: i64, subject: impl Into<String>) -> TicketDraft {
        TicketDraft {
            customer_id,
            subject: subject.into(),
            body: None,
            priority: Priority::Normal,
            channel: Channel::Other,
            assignee: None,
        }
    }

    pub fn normalized(self) -> Result<TicketDraft, ValidationError> {
        Ok(TicketDraft {
            subject: required_text("subject", &self.subject, MAX_SUBJECT)?,
            body: long_text("body", self.body.as_deref())?,
            assignee: assignee_text(self.assignee.as_deref())?,
            ..self
        })
    }

    /// A new ticket opened at `now`, due by the SLA of its priority.
    pub fn open(self, now: Timestamp, sla: &SlaPolicy) -> Result<Ticket, ValidationError> {
        let draft = self.normalized()?;
        Ok(Ticket {
            id: 0,
            customer_id: draft.customer_id,
            customer: None,
            subject: draft.subject,
            body: draft.body,
            status: TicketStatus::New,
            priority: draft.priority,
            channel: draft.channel,
            assignee: draft.assignee,
            opened_at: now,
            first_response_at: None,
            first_response_due_at: Some(sla.first_response_due(now, draft.priority)),
            resolved_at: None,
            due_at: sla.resolution_due(now, draft.priority),
            paused_at: None,
            csat: None,
            created_at: now,
            updated_at: now,
            deleted_at: None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: i64,
    pub customer_id: i64,
    /// The customer's name, for display; not a stored column.
    pub customer: Option<String>,
    pub subject: String,
    pub body: Option<String>,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    /// Who works on it (free text, as a customer's owner).
    #[serde(default)]
    pub assignee: Option<String>,
    pub opened_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    /// When the first response is due (from opening, on the priority's
    /// calendar). Missing only in a file from before it was kept.
    #[serde(default)]
    pub first_response_due_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// When the resolution is due, as the clock's stops so far have moved
    /// it (`Ticket::clocks` tells where it stands now).
    pub due_at: Timestamp,
    /// Since when the ticket waits on the customer (a pausing status), if
    /// it does: its resolution clock stands still.
    #[serde(default)]
    pub paused_at: Option<Timestamp>,
    pub csat: Option<u8>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
}

/// What `ticket set` and the status popup can change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketChange {
    pub subject: Option<String>,
    pub body: Option<Option<String>>,
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
    pub csat: Option<u8>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<String>>,
}

impl Ticket {
    /// The ticket after `change`, with the rules applied: resolved_at follows the
    /// status, due_at follows the priority, CSAT only on finished tickets.
    pub fn changed(
        &self,
        change: &TicketChange,
        now: Timestamp,
        sla: &SlaPolicy,
    ) -> Result<Ticket, ValidationError> {
        let mut next = self.clone();
        if let Some(subject) = &change.subject {
            next.subject = required_text("subject", subject, MAX_SUBJECT)?;
        }
        if let Some(body) = &change.body {
            next.body = long_text("body", body.as_deref())?;
        }
        if let Some(channel) = change.channel {
            next.channel = channel;
        }
        if let Some(assignee) = &change.assignee {
            next.assignee = assignee_text(assignee.as_deref())?;
        }
        if let Some(priority) = change.priority {
            next.priority = priority;
        }
        if let Some(status) = change.status {
            next.status = status;
            next.resolved_at = match (self.status.is_finished(), status.is_finished()) {
                (false, true) => Some(now),
                (true, true) => self.resolved_at.or(Some(now)),
                (_, false) => None,
            };
            if !status.is_finished() {
                // A reopened ticket's old rating no longer describes it.
                next.csat = None;
            }
        }
        self.carry_clock(&mut next, now, sla);
        if let Some(csat) = change.csat {
            if !(1..=5).contains(&csat) {
                return Err(ValidationError::new(
                    "csat",
                    format!("must be from 1 to 5, not {csat}"),
                ));
            }
            if !next.status.is_finished() {
                return Err(ValidationError::new(
                    "csat",
                    format!(
                        "can only be set on a resolved or closed ticket (this one is {})",
                        next.status
                    ),
                ));
            }
            next.csat = Some(csat);
        }
        Ok(next)
    }

    /// An outbound interaction at `at` is this ticket's first response when
    /// it comes before any answer known so far: a reply logged later with its
    /// real time moves the first response back. (One from before the ticket
    /// was opened counts too: the call was answered before it was written down.)
    pub fn answered_first_by(&self, at: Timestamp) -> bool {
        self.first_response_at.is_none_or(|first| at < first)
    }
}

impl TicketChange {
    /// Only what changes `base`: a field set to the value it had is left out,
    /// so saving a form writes only the fields the user changed.
    pub fn against(self, base: &Ticket) -> TicketChange {
        fn keep<V: PartialEq>(new: Option<V>, old: &V) -> Option<V> {
            new.filter(|v| v != old)
        }
        TicketChange {
            subject: keep(self.subject, &base.subject),
            body: keep(self.body, &base.body),
            status: keep(self.status, &base.status),
            priority: keep(self.priority, &base.priority),
            channel: keep(self.channel, &base.channel),
            csat: self.csat.filter(|v| Some(*v) != base.csat),
            assignee: keep(self.assignee, &base.assignee),
        }
    }

    /// The fields of this change that another process changed since `base`
    /// (to `theirs`) to some other value.
    pub fn conflicts(&self, base: &Ticket, theirs: &Ticket) -> Vec<FieldConflict> {
        let mut out = Vec::new();
        // `same`: they saved what I typed; `moved`: they changed it since base.
        let mut check = |field: &'static str, same: bool, moved: bool, now: String| {
            if !same && moved {
                out.push(FieldConflict { field, now });
            }
        };
        if let Some(s) = &self.subject {
            check(
                "subject",
                theirs.subject == *s,
                theirs.subject != base.subject,
                theirs.subject.clone(),
            );
        }
        if let Some(b) = &self.body {
            check(
                "body",
                theirs.body == *b,
                theirs.body != base.body,
                opt_text(&theirs.body),
            );
        }
        if let Some(s) = self.status {
            check(
                "status",
                theirs.status == s,
                theirs.status != base.status,
                theirs.status.as_str().to_string(),
            );
        }
        if let Some(p) = self.priority {
            check(
                "priority",
                theirs.priority == p,
                theirs.priority != base.priority,
                theirs.priority.as_str().to_string(),
            );
        }
        if let Some(c) = self.channel {
            check(
                "channel",
                theirs.channel == c,
                theirs.channel != base.channel,
                theirs.channel.as_str().to_string(),
            );
        }
        if let Some(a) = &self.assignee {
            check(
                "assignee",
                theirs.assignee == *a,
                theirs.assignee != base.assignee,
                opt_text(&theirs.assignee),
            );
        }
        if let Some(c) = self.csat {
            check(
                "satisfaction",
                theirs.csat == Some(c),
                theirs.csat != base.csat,
                opt_text(&theirs.csat),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn ticket() -> Ticket {
        TicketDraft::new(1, " Printer on fire ")
            .open(at("2026-11-25T10:00:00Z"), &SlaPolicy::default())
            .unwrap()
    }

    #[test]
    fn the_first_response_is_the_earliest_answer() {
        let mut t = ticket();
        assert!(t.answered_first_by(at("2026-11-25T12:00:00Z")));
        t.first_response_at = Some(at("2026-11-25T12:00:00Z"));
        assert!(
            t.answered_first_by(at("2026-11-25T11:00:00Z")),
            "an earlier reply"
        );
        assert!(!t.answered_first_by(at("2026-11-25T13:00:00Z")));
    }

    #[test]
    fn opens_with_sla_due() {
        let t = ticket();
        assert_eq!(t.subject, "Printer on fire");
        assert_eq!(t.status, TicketStatus::New);
        assert_eq!(t.due_at, at("2026-11-28T10:00:00Z"));
    }

    #[test]
    fn resolving_sets_and_reopening_clears_resolved_at() {
        let sla = SlaPolicy::default();
        let now = at("2026-11-26T09:00:00Z");
        let resolved = ticket()
            .changed(
                &TicketChange {
                    status: Some(TicketStatus::Resolved),
                    csat: Some(4),
                    ..Default::default()
                },
                now,
                &sla,
            )
            .unwrap();
        assert_eq!(resolved.resolved_at, Some(now));
        assert_eq!(resolved.csat, Some(4));
        let reopened = resolved
            .changed(
                &TicketChange {
                    status: Some(TicketStatus::Open),
                    ..Default::default()
                },
                now,
                &sla,
            )
            .unwrap();
        assert_eq!(reopened.resolved_at, None);
        assert_eq!(reopened.csat, None);
    }

    #[test]
    fn priority_recomputes_due() {
        let sla = SlaPolicy::default();
        let urgent = ticket()
            .changed(
                &TicketChange {
                    priority: Some(Priority::Urgent),
                    ..Default::default()
                },
                at("2026-11-25T11:00:00Z"),
                &sla,
            )
            .unwrap();
        assert_eq!(urgent.due_at, at("2026-11-25T14:00:00Z"));
    }

    #[test]
    fn csat_rules() {
        let sla = SlaPolicy::default();
        let now = at("2026-11-25T11:00:00Z");
        let open_csat = TicketChange {
            csat: Some(5),
            ..Default::default()
        };
        assert_eq!(
            ticket()
                .changed(&open_csat, now, &sla)
                .unwrap_err()
                .to_string(),
            "csat can only be set on a resolved or closed ticket (this one is new)"
        );
        let bad = TicketChange {
            status: Some(TicketStatus::Closed),
            csat: Some(6),
            ..Default::default()
        };
        assert_eq!(
            ticket().changed(&bad, now, &sla).unwrap_err().to_string(),
            "csat must be from 1 to 5, not 6"
        );
    }
}
