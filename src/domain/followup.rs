//! Success follow-ups: the proactive side, planned work with a due date.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::edit::{FieldConflict, Merge, opt_text};
use super::interaction::{InteractionDraft, MAX_SUMMARY};
use super::{FollowupKind, FollowupStatus, Recurrence, ValidationError, long_text};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowupDraft {
    pub customer_id: i64,
    pub kind: FollowupKind,
    pub due_on: Date,
    pub recurrence: Option<Recurrence>,
    pub note: Option<String>,
    /// Who does it (free text); a new one left unassigned gets the
    /// customer's owner.
    pub assignee: Option<String>,
}

impl FollowupDraft {
    /// The shortest path: a check-in due in 7 days.
    pub fn new(customer_id: i64, today: Date) -> FollowupDraft {
        FollowupDraft {
            customer_id,
            kind: FollowupKind::CheckIn,
            due_on: today
                .checked_add(jiff::Span::new().days(7))
                .unwrap_or(today),
            recurrence: None,
            note: None,
            assignee: None,
        }
    }

    pub fn normalized(self) -> Result<FollowupDraft, ValidationError> {
        Ok(FollowupDraft {
            note: long_text("note", self.note.as_deref())?,
            assignee: super::ticket::assignee_text(self.assignee.as_deref())?,
            ..self
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followup {
    pub id: i64,
    pub customer_id: i64,
    /// The customer's name, for display; not a stored column.
    pub customer: Option<String>,
    pub kind: FollowupKind,
    pub due_on: Date,
    pub status: FollowupStatus,
    pub recurrence: Option<Recurrence>,
    pub note: Option<String>,
    pub completed_at: Option<Timestamp>,
    pub outcome: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub deleted_at: Option<Timestamp>,
    /// Who does it; exports from before assignees have none.
    #[serde(default)]
    pub assignee: Option<String>,
}

impl Followup {
    /// Closes this follow-up as `status` (done, skipped or cancelled) and, when it
    /// recurs and was not cancelled, returns the next one: due = old due + interval.
    pub fn finish(
        &self,
        status: FollowupStatus,
        outcome: Option<&str>,
        now: Timestamp,
    ) -> Result<(Followup, Option<FollowupDraft>), ValidationError> {
        if !self.status.is_open() {
            return Err(ValidationError::new(
                "status",
                format!(
                    "is already {}; only a planned follow-up can be finished",
                    self.status
                ),
            ));
        }
        let mut closed = self.clone();
        closed.status = status;
        closed.completed_at = Some(now);
        closed.outcome = long_text("outcome", outcome)?;
        let next = match (self.recurrence, status) {
            (Some(every), FollowupStatus::Done | FollowupStatus::Skipped) => {
                every.next_after(self.due_on).map(|due_on| FollowupDraft {
                    customer_id: self.customer_id,
                    kind: self.kind,
                    due_on,
                    recurrence: self.recurrence,
                    note: self.note.clone(),
                    assignee: self.assignee.clone(),
                })
            }
            _ => None,
        };
        Ok((closed, next))
    }
}

impl Followup {
    /// What finishing this follow-up with an outcome puts in its customer's
    /// log, so the history says what came of it: an internal note linked to
    /// the follow-up, "Review done: Renewal agreed", the whole outcome as
    /// its body when the summary line cannot hold it. None without an outcome.
    pub fn outcome_entry(&self, at: Timestamp) -> Option<InteractionDraft> {
        let outcome = self
            .outcome
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())?;
        let first_line = outcome.lines().next().unwrap_or_default().trim();
        let kind = self.kind.label();
        let mut letters = kind.chars();
        let kind: String = letters
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .chain(letters)
            .collect();
        let head = format!("{kind} {}: ", self.status);
        let room = MAX_SUMMARY.saturating_sub(head.chars().count() + 1);
        let cut = first_line.chars().count() > room;
        let mut summary = head + &first_line.chars().take(room).collect::<String>();
        if cut {
            summary.push('…');
        }
        let whole = !cut && outcome == first_line;
        let mut entry = InteractionDraft::new(self.customer_id, summary, at);
        entry.followup_id = Some(self.id);
        entry.body = (!whole).then(|| outcome.to_string());
        Some(entry)
    }
}

/// How long before a renewal date its follow-up is due.
pub const RENEWAL_LEAD_DAYS: i64 = 30;

/// The renewal follow-up a customer renewing on `renewal_on` should have,
/// when none is planned (`planned`: its planned follow-ups): due 30 days
/// before the renewal, or today when that is already past. None once the
/// renewal date itself has passed.
pub fn renewal_suggestion(
    renewal_on: Option<Date>,
    planned: &[Followup],
    today: Date,
) -> Option<Date> {
    let renewal = renewal_on.filter(|r| *r >= today)?;
    let already = planned
        .iter()
        .any(|f| f.kind == FollowupKind::Renewal && f.status.is_open() && f.due_on <= renewal);
    if already {
        return None;
    }
    let due = renewal
        .checked_sub(jiff::Span::new().days(RENEWAL_LEAD_DAYS))
        .unwrap_or(renewal);
    Some(due.max(today))
}

impl FollowupDraft {
    /// `mine` (edited from `base`) saved over `theirs`: see `edit`.
    pub fn merge(
        base: &FollowupDraft,
        mine: &FollowupDraft,
        theirs: &FollowupDraft,
        overwrite: bool,
    ) -> Result<FollowupDraft, Vec<FieldConflict>> {
        let mut m = Merge::new(base, mine, theirs, overwrite);
        m.field(
            "kind",
            |d| &d.kind,
            |d, v| d.kind = v,
            |v| v.as_str().to_string(),
        )
        .field(
            "due",
            |d| &d.due_on,
            |d, v| d.due_on = v,
            ToString::to_string,
        )
        .field(
            "every",
            |d| &d.recurrence,
            |d, v| d.recurrence = v,
            opt_text,
        )
        .field("note", |d| &d.note, |d, v| d.note = v, opt_text)
        .field("assignee", |d| &d.assignee, |d, v| d.assignee = v, opt_text);
        m.finish()
    }
}

impl Followup {
    /// What an edit form starts from.
    pub fn draft(&self) -> FollowupDraft {
        FollowupDraft {
            customer_id: self.customer_id,
            kind: self.kind,
            due_on: self.due_on,
            recurrence: self.recurrence,
            note: self.note.clone(),
            assignee: self.assignee.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn followup(recurrence: Option<&str>) -> Followup {
        Followup {
            id: 1,
            customer_id: 7,
            customer: None,
            kind: FollowupKind::Review,
            due_on: date(2026, 1, 31),
            status: FollowupStatus::Planned,
            recurrence: recurrence.and_then(|r| Recurrence::parse(r).unwrap()),
            note: Some("QBR".into()),
            completed_at: None,
            outcome: None,
            created_at: Timestamp::UNIX_EPOCH,
            updated_at: Timestamp::UNIX_EPOCH,
            deleted_at: None,
            assignee: Some("ana".into()),
        }
    }

    #[test]
    fn done_recurring_plans_the_next() {
        let now: Timestamp = "2026-02-01T09:00:00Z".parse().unwrap();
        let (done, next) = followup(Some("1m"))
            .finish(FollowupStatus::Done, Some("went well"), now)
            .unwrap();
        assert_eq!(done.status, FollowupStatus::Done);
        assert_eq!(done.completed_at, Some(now));
        assert_eq!(done.outcome.as_deref(), Some("went well"));
        let next = next.unwrap();
        assert_eq!(next.due_on, date(2026, 2, 28));
        assert_eq!(next.kind, FollowupKind::Review);
    }

    #[test]
    fn cancel_ends_the_series_and_one_offs_have_no_next() {
        let now = Timestamp::UNIX_EPOCH;
        assert!(
            followup(Some("2w"))
                .finish(FollowupStatus::Cancelled, None, now)
                .unwrap()
                .1
                .is_none()
        );
        assert!(
            followup(None)
                .finish(FollowupStatus::Done, None, now)
                .unwrap()
                .1
                .is_none()
        );
        assert!(
            followup(Some("2w"))
                .finish(FollowupStatus::Skipped, None, now)
                .unwrap()
                .1
                .is_some()
        );
    }

    #[test]
    fn renewal_is_suggested_thirty_days_ahead_once() {
        let today = date(2026, 11, 25);
        assert_eq!(
            renewal_suggestion(Some(date(2027, 3, 1)), &[], today),
            Some(date(2027, 1, 30))
        );
        // Too close for 30 days' notice: due today.
        assert_eq!(
            renewal_suggestion(Some(date(2026, 12, 10)), &[], today),
            Some(today)
        );
        // Past renewals and customers without one get nothing.
        assert_eq!(
            renewal_suggestion(Some(date(2026, 11, 1)), &[], today),
            None
        );
        assert_eq!(renewal_suggestion(None, &[], today), None);
        // A planned renewal follow-up before the date answers it.
        let mut planned = followup(None);
        planned.kind = FollowupKind::Renewal;
        planned.due_on = date(2027, 2, 1);
        assert_eq!(
            renewal_suggestion(Some(date(2027, 3, 1)), &[planned], today),
            None
        );
    }

    #[test]
    fn an_outcome_becomes_a_log_entry_on_the_followup() {
        let now = Timestamp::UNIX_EPOCH;
        let planned = followup(None);
        let (done, _) = planned
            .finish(FollowupStatus::Done, Some("  Renewal agreed  "), now)
            .unwrap();
        let entry = done.outcome_entry(now).unwrap();
        assert_eq!(entry.summary, "Review done: Renewal agreed");
        assert_eq!(entry.followup_id, Some(done.id));
        assert_eq!(entry.customer_id, done.customer_id);
        assert_eq!(entry.kind, crate::domain::InteractionKind::Note);
        assert_eq!(entry.body, None);
        let (skipped, _) = planned
            .finish(
                FollowupStatus::Skipped,
                Some("Out of office\nback in May"),
                now,
            )
            .unwrap();
        let entry = skipped.outcome_entry(now).unwrap();
        assert_eq!(entry.summary, "Review skipped: Out of office");
        assert_eq!(entry.body.as_deref(), Some("Out of office\nback in May"));
        let long = "x".repeat(MAX_SUMMARY * 2);
        let (done, _) = planned
            .finish(FollowupStatus::Done, Some(&long), now)
            .unwrap();
        let entry = done.outcome_entry(now).unwrap();
        assert_eq!(entry.summary.chars().count(), MAX_SUMMARY);
        assert!(entry.summary.ends_with('…'));
        assert_eq!(entry.body.as_deref(), Some(long.as_str()));
        assert!(entry.normalized().is_ok());
        let (silent, _) = planned
            .finish(FollowupStatus::Done, Some("  "), now)
            .unwrap();
        assert_eq!(silent.outcome_entry(now), None);
    }

    #[test]
    fn finished_cannot_finish_again() {
        let (done, _) = followup(None)
            .finish(FollowupStatus::Done, None, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert!(
            done.finish(FollowupStatus::Done, None, Timestamp::UNIX_EPOCH)
                .is_err()
        );
    }
}
