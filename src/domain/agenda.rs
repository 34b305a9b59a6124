//! The agenda: what needs attention now, each line saying why it is there.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::time::{compact_duration, days_until};
use super::{Entity, Followup, Ticket};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Overdue,
    Today,
    Upcoming,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaLine {
    pub section: Section,
    pub kind: Entity,
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    /// "renewal follow-up", "ticket: Cannot log in"
    pub what: String,
    /// A follow-up's note (what it is about), whole; `None` for tickets.
    pub note: Option<String>,
    /// "overdue 3d", "SLA breached 2h ago", "due in 4h"
    pub reason: String,
    /// Seconds from now until it is due, for ordering: follow-ups at the
    /// start of their day, counted from today as if it began now.
    #[serde(skip)]
    sort_key: i64,
}

impl AgendaLine {
    /// Where the line sorts: due first, follow-ups before tickets on a tie,
    /// then id. The section follows from the key alone (overdue below 0,
    /// today below a day), so this order is also the order of sections, and
    /// each kind's part of it is its table's due order: the store pages the
    /// two tables by keyset and merges them.
    pub fn order_key(&self) -> (i64, u8, i64) {
        let rank = match self.kind {
            Entity::Followup => 0,
            _ => 1,
        };
        (self.sort_key, rank, self.id)
    }

    /// The line in words for a list: a follow-up's kind and the first line
    /// of its note ("check-in · Ask about the Q3 rollout"), else `what`.
    pub fn headline(&self) -> String {
        let first = self
            .note
            .as_deref()
            .and_then(|n| n.lines().map(str::trim).find(|l| !l.is_empty()));
        match (self.kind, first) {
            (Entity::Followup, Some(line)) => {
                let kind = self.what.trim_end_matches(" follow-up");
                format!("{kind} · {line}")
            }
            _ => self.what.clone(),
        }
    }

    /// Seconds from the agenda's `now` until due (see `sort_key`).
    pub fn due_key(&self) -> i64 {
        self.sort_key
    }
}

/// How many lines each section has, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SectionCount {
    pub followups: i64,
    pub tickets: i64,
}

impl SectionCount {
    pub fn total(&self) -> i64 {
        self.followups + self.tickets
    }
}

/// Every line due in an agenda's window, counted without reading them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AgendaCounts {
    pub overdue: SectionCount,
    pub today: SectionCount,
    pub upcoming: SectionCount,
}

impl AgendaCounts {
    pub fn total(&self) -> i64 {
        self.overdue.total() + self.today.total() + self.upcoming.total()
    }

    pub fn of(&self, section: Section) -> SectionCount {
        match section {
            Section::Overdue => self.overdue,
            Section::Today => self.today,
            Section::Upcoming => self.upcoming,
        }
    }
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Overdue => "overdue",
            Section::Today => "today",
            Section::Upcoming => "coming",
        }
    }
}

/// Follow-ups (planned) and unfinished tickets, sorted into overdue, today and
/// upcoming; inside a section, soonest due first (see `AgendaLine::order_key`).
pub fn build(
    followups: &[Followup],
    tickets: &[Ticket],
    now: Timestamp,
    today: Date,
) -> Vec<AgendaLine> {
    let mut lines = Vec::with_capacity(followups.len() + tickets.len());
    for f in followups.iter().filter(|f| f.status.is_open()) {
        let days = days_until(f.due_on, today);
        let (section, reason) = match days {
            d if d < 0 => (Section::Overdue, format!("overdue {}d", -d)),
            0 => (Section::Today, "due today".to_string()),
            1 => (Section::Upcoming, "due tomorrow".to_string()),
            d => (Section::Upcoming, format!("due in {d}d")),
        };
        lines.push(AgendaLine {
            section,
            kind: Entity::Followup,
            id: f.id,
            customer_id: f.customer_id,
            customer: f.customer.clone().unwrap_or_default(),
            what: format!("{} follow-up", f.kind.label()),
            note: f.note.clone(),
            reason,
            sort_key: days * 86_400,
        });
    }
    for t in tickets.iter().filter(|t| !t.status.is_finished()) {
        // By when it needs us, and for what: an answer owed, or the
        // resolution; one waiting on the customer needs nothing.
        let Some(due) = t.attention_due() else {
            continue;
        };
        let answer = t.first_response_at.is_none() && t.first_response_due_at == Some(due);
        let seconds = due.as_second() - now.as_second();
        let span = compact_duration(seconds.unsigned_abs());
        let (section, reason) = match (seconds < 0, answer) {
            (true, true) => (Section::Overdue, format!("no answer yet, due {span} ago")),
            (true, false) => (Section::Overdue, format!("SLA breached {span} ago")),
            // A ticket due within a day needs attention today.
            (false, _) => {
                let section = if seconds < 86_400 {
                    Section::Today
                } else {
                    Section::Upcoming
                };
                let what = if answer { "reply" } else { "SLA" };
                (section, format!("{what} due in {span}"))
            }
        };
        lines.push(AgendaLine {
            section,
            kind: Entity::Ticket,
            id: t.id,
            customer_id: t.customer_id,
            customer: t.customer.clone().unwrap_or_default(),
            what: format!("{} ticket: {}", t.priority, t.subject),
            note: None,
            reason,
            sort_key: seconds,
        });
    }
    lines.sort_by_key(AgendaLine::order_key);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FollowupKind, FollowupStatus, SlaPolicy, TicketDraft};
    use jiff::civil::date;

    fn followup(id: i64, due_on: Date) -> Followup {
        Followup {
            id,
            customer_id: 1,
            customer: Some("Acme".into()),
            kind: FollowupKind::CheckIn,
            due_on,
            status: FollowupStatus::Planned,
            recurrence: None,
            note: None,
            completed_at: None,
            outcome: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            deleted_at: None,
            assignee: None,
        }
    }

    #[test]
    fn sections_in_order_with_reasons() {
        let now: Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
        let today = date(2026, 11, 25);
        let mut breached = TicketDraft::new(1, "Down")
            .open(
                "2026-11-20T08:00:00Z".parse().unwrap(),
                &SlaPolicy::default(),
            )
            .unwrap();
        breached.id = 9;
        breached.first_response_at = Some("2026-11-20T09:00:00Z".parse().unwrap());
        // Not answered: the answer owed is what is due first.
        let mut unanswered = breached.clone();
        unanswered.id = 10;
        unanswered.first_response_at = None;
        unanswered.opened_at = "2026-11-25T06:00:00Z".parse().unwrap();
        unanswered.first_response_due_at = Some("2026-11-25T14:00:00Z".parse().unwrap());
        unanswered.due_at = "2026-11-28T06:00:00Z".parse().unwrap();
        // Answered and waiting on the customer: nothing to do.
        let mut waiting = breached.clone();
        waiting.id = 11;
        waiting.paused_at = Some("2026-11-21T00:00:00Z".parse().unwrap());
        let lines = build(
            &[
                followup(1, date(2026, 11, 28)),
                followup(2, date(2026, 11, 22)),
                followup(3, today),
            ],
            &[breached, unanswered, waiting],
            now,
            today,
        );
        let summary: Vec<(Section, i64, &str)> = lines
            .iter()
            .map(|l| (l.section, l.id, l.reason.as_str()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Section::Overdue, 2, "overdue 3d"),
                (Section::Overdue, 9, "SLA breached 2d ago"),
                (Section::Today, 3, "due today"),
                (Section::Today, 10, "reply due in 4h"),
                (Section::Upcoming, 1, "due in 3d"),
            ]
        );
    }

    #[test]
    fn a_follow_up_line_says_what_its_note_is_about() {
        let today = date(2026, 11, 25);
        let mut with_note = followup(1, today);
        with_note.note = Some("\n  Ask about the Q3 rollout\nand the invoices".into());
        let lines = build(
            &[with_note, followup(2, today)],
            &[],
            Timestamp::UNIX_EPOCH,
            today,
        );
        assert_eq!(lines[0].headline(), "check-in · Ask about the Q3 rollout");
        assert_eq!(lines[1].headline(), "check-in follow-up");
    }
}
