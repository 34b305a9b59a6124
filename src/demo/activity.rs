//! What happens to one demo customer: tickets, follow-ups and the interaction
//! log that ties them together.

use crate::domain::bulk::{BulkCustomer, BulkInteraction};
use crate::domain::recurrence::RecurrenceUnit;
use crate::domain::{
    Channel, Direction, Followup, FollowupKind, FollowupStatus, InteractionKind, Recurrence, Stage,
    Ticket, TicketStatus,
};

use super::words::{
    ACTIVITIES, ACTIVITY_BODIES, FOLLOWUP_LOGS, FOLLOWUP_NOTES, FOLLOWUP_OUTCOMES, SKIP_OUTCOMES,
    TICKET_BODIES, TICKET_CLOSINGS, TICKET_REPLIES, TICKET_SUBJECTS,
};
use super::{
    CHANNELS, CSAT, DAY, DemoGenerator, HOUR, MIN, PRIORITIES, Profile, interaction,
    ticket_statuses, ts,
};

/// Row of the per-kind follow-up word lists.
fn kind_index(kind: FollowupKind) -> usize {
    match kind {
        FollowupKind::Onboarding => 0,
        FollowupKind::CheckIn | FollowupKind::Other => 1,
        FollowupKind::Review => 2,
        FollowupKind::Renewal => 3,
        FollowupKind::Upsell => 4,
    }
}

impl DemoGenerator {
    pub(super) fn tickets(&mut self, c: &mut BulkCustomer, p: Profile) {
        let odds = match p.stage {
            Stage::Prospect => 10,
            Stage::Onboarding => 45,
            Stage::Active => 40,
            Stage::AtRisk => 60,
            Stage::Churned => 35,
        };
        if self.rng.chance(odds) {
            for _ in 0..self.rng.weighted(&[(1, 50), (2, 28), (3, 14), (4, 8)]) {
                self.ticket(c, p);
            }
        }
    }

    fn ticket(&mut self, c: &mut BulkCustomer, p: Profile) {
        let now = self.now;
        let r = &mut self.rng;
        // A few tickets are fresh, so some are near or past their SLA; churned
        // customers stopped writing a while ago.
        let age = match p.stage {
            Stage::Churned => r.range(60 * DAY, 180 * DAY),
            _ if r.chance(15) => r.range(5 * MIN, 3 * DAY),
            _ => r.range(DAY, 180 * DAY),
        };
        let earliest = p.created + HOUR;
        let opened = if now - age < earliest {
            r.range(earliest, now - 5 * MIN)
        } else {
            now - age
        };
        let opened = opened.min(now - 5 * MIN);
        let age = now - opened;
        let status = r.weighted(ticket_statuses(age));
        let priority = r.weighted(PRIORITIES);
        let channel = r.weighted(CHANNELS);
        let target = self.sla.target(priority);
        let first_target = target.first_response.as_secs().max(MIN);
        let resolve_target = target.resolution.as_secs().max(MIN);
        let (mut first, mut resolved) = (None, None);
        if status.is_finished() {
            let took = r.range(10 * MIN, resolve_target * 3 / 2);
            let took = if took >= age {
                r.range(2 * MIN, age)
            } else {
                took
            };
            resolved = Some(opened + took);
            if r.chance(92) {
                first = Some(opened + r.range(MIN, (2 * first_target).min(took - MIN)));
            }
        } else if status != TicketStatus::New && r.chance(90) {
            first = Some(opened + r.range(MIN, (2 * first_target).min(age)));
        }
        let mut subject = r.pick(TICKET_SUBJECTS);
        if c.tickets.iter().any(|t| t.subject == subject) {
            subject = r.pick(TICKET_SUBJECTS);
        }
        let body = r.chance(50).then(|| r.pick(TICKET_BODIES).to_string());
        let csat = (status.is_finished() && r.chance(60)).then(|| r.weighted(CSAT));

        // The customer's message opens the ticket; our first outbound reply is
        // what sets first_response_at.
        let index = c.tickets.len();
        let kind = match channel {
            Channel::Phone => InteractionKind::Call,
            Channel::Chat => InteractionKind::Chat,
            _ => InteractionKind::Email,
        };
        let linked = |interaction| BulkInteraction {
            interaction,
            ticket: Some(index),
            followup: None,
        };
        c.interactions.push(linked(interaction(
            opened,
            kind,
            Direction::Inbound,
            subject,
        )));
        if let Some(first) = first {
            let reply = r.pick(TICKET_REPLIES);
            c.interactions
                .push(linked(interaction(first, kind, Direction::Outbound, reply)));
            if let Some(resolved) = resolved
                && r.chance(50)
            {
                let closing = r.pick(TICKET_CLOSINGS);
                c.interactions.push(linked(interaction(
                    resolved,
                    kind,
                    Direction::Outbound,
                    closing,
                )));
            }
        }
        // The account's owner works on its tickets.
        let owner = c.draft.owner.clone();
        c.tickets.push(
            Ticket {
                id: 0,
                customer_id: 0,
                customer: None,
                subject: subject.to_string(),
                body,
                status,
                priority,
                channel,
                assignee: owner,
                opened_at: ts(opened),
                first_response_at: first.map(ts),
                first_response_due_at: None,
                resolved_at: resolved.map(ts),
                due_at: self.sla.resolution_due(ts(opened), priority),
                csat,
                created_at: ts(opened),
                updated_at: ts(resolved.or(first).unwrap_or(opened)),
                deleted_at: None,
                paused_at: None,
            }
            .with_clocks_known(&self.sla),
        );
    }

    /// `renewal`: days from today to the organization's renewal date.
    pub(super) fn org_followups(&mut self, c: &mut BulkCustomer, p: Profile, renewal: Option<i64>) {
        let renewing = matches!(p.stage, Stage::Active | Stage::AtRisk | Stage::Onboarding);
        let count = if renewing {
            self.rng.range(1, 3)
        } else {
            self.rng.range(0, 1)
        };
        for i in 0..count {
            // The renewal conversation starts a few weeks before the date.
            let due = renewal.map(|k| k - self.rng.range(14, 45));
            let (kind, due) = match due {
                Some(k) if i == 0 && renewing && (-60..=90).contains(&k) => {
                    (FollowupKind::Renewal, Some(k))
                }
                _ if i == 0 && p.stage == Stage::Onboarding => (FollowupKind::Onboarding, None),
                // Prospects get chased, churned customers get a win-back call.
                _ if !renewing => (FollowupKind::CheckIn, None),
                _ => {
                    use FollowupKind::*;
                    (
                        self.rng
                            .weighted(&[(Review, 40), (CheckIn, 45), (Upsell, 15)]),
                        None,
                    )
                }
            };
            self.followup(c, p, kind, due);
        }
    }

    /// `due`: days from today, or `None` for anywhere from 60 days ago to 90 ahead.
    pub(super) fn followup(
        &mut self,
        c: &mut BulkCustomer,
        p: Profile,
        kind: FollowupKind,
        due: Option<i64>,
    ) {
        use FollowupStatus::*;
        let (now, midnight) = (self.now, self.midnight);
        let lo = (-60).max(self.day_of(p.created) + 1);
        let r = &mut self.rng;
        let k = match due {
            Some(k) => k.max(lo),
            None => r.range(lo, 90),
        };
        // Past ones are mostly handled; the planned ones left there are overdue.
        let status = if k < 0 {
            r.weighted(&[(Planned, 30), (Done, 52), (Skipped, 12), (Cancelled, 6)])
        } else {
            // Only what is due soon gets done early.
            r.weighted(&[
                (Planned, 93),
                (Done, if k <= 7 { 5 } else { 0 }),
                (Cancelled, 2),
            ])
        };
        let completed = match (status, k < 0) {
            (Planned, _) => None,
            (_, true) => Some(midnight + (k + r.range(-2, 2)) * DAY + r.range(9 * HOUR, 17 * HOUR)),
            (_, false) => Some(now - r.range(HOUR, 3 * DAY)),
        }
        .map(|at| {
            if at > now {
                now - r.range(10 * MIN, 12 * HOUR)
            } else {
                at
            }
        })
        .map(|at| at.max(p.created + HOUR));
        let planned_by = completed.unwrap_or_else(|| now - r.range(HOUR, 20 * DAY));
        let created = (midnight + (k - r.range(7, 45)) * DAY + r.range(8 * HOUR, 18 * HOUR))
            .min(planned_by)
            .max(p.created);
        let every = |every, unit| Some(Recurrence { every, unit });
        let recurrence = match kind {
            FollowupKind::CheckIn if r.chance(25) => {
                if r.chance(50) {
                    every(2, RecurrenceUnit::Weeks)
                } else {
                    every(1, RecurrenceUnit::Months)
                }
            }
            FollowupKind::Review if r.chance(35) => every(3, RecurrenceUnit::Months),
            FollowupKind::Onboarding if r.chance(15) => every(2, RecurrenceUnit::Weeks),
            _ => None,
        };
        let row = kind_index(kind);
        let note = r
            .chance(50)
            .then(|| r.pick(FOLLOWUP_NOTES[row]).to_string());
        let outcome = match status {
            Done if r.chance(85) => Some(r.pick(FOLLOWUP_OUTCOMES[row])),
            Skipped if r.chance(50) => Some(r.pick(SKIP_OUTCOMES)),
            _ => None,
        };
        let due_on = self.date(k);
        let followup = Followup {
            id: 0,
            customer_id: 0,
            customer: None,
            kind,
            due_on,
            status,
            recurrence,
            note,
            completed_at: completed.map(ts),
            outcome: outcome.map(str::to_string),
            created_at: ts(created),
            updated_at: ts(completed.unwrap_or(created)),
            deleted_at: None,
            // The account's owner does its follow-ups.
            assignee: c.draft.owner.clone(),
        };
        let r = &mut self.rng;
        if status == Done
            && let Some(at) = completed
        {
            let (summary, how) = r.pick(FOLLOWUP_LOGS[row]);
            let mut logged = interaction(at, how, Direction::Outbound, summary);
            if r.chance(30) {
                logged.body = Some(r.pick(ACTIVITY_BODIES).to_string());
            }
            let index = c.followups.len();
            c.interactions.push(BulkInteraction {
                interaction: logged,
                ticket: None,
                followup: Some(index),
            });
        }
        // Finishing a recurring follow-up plans the next one, as the app does.
        let next = match (recurrence, completed, status) {
            (Some(every), Some(at), Done | Skipped) => {
                every.next_after(due_on).map(|due| (due, at))
            }
            _ => None,
        };
        if let Some((due_on, at)) = next {
            let planned = Followup {
                due_on,
                status: Planned,
                completed_at: None,
                outcome: None,
                created_at: ts(at),
                updated_at: ts(at),
                ..followup.clone()
            };
            c.followups.push(followup);
            c.followups.push(planned);
        } else {
            c.followups.push(followup);
        }
    }

    /// Everyday calls, emails, meetings, chats and notes; sorts the whole log
    /// by time, so it runs after tickets and follow-ups.
    pub(super) fn activities(&mut self, c: &mut BulkCustomer, p: Profile) {
        let now = self.now;
        let r = &mut self.rng;
        let (lo, hi) = match p.stage {
            Stage::Active => (1, 7),
            Stage::AtRisk => (1, 5),
            Stage::Onboarding => (1, 4),
            Stage::Churned => (0, 3),
            Stage::Prospect => (0, 2),
        };
        let start = p.created.max(now - 365 * DAY);
        // At-risk and churned customers went quiet a while ago.
        let end = match p.stage {
            Stage::AtRisk => now - r.range(14, 45) * DAY,
            Stage::Churned => now - r.range(60, 200) * DAY,
            _ => now,
        }
        .max(start);
        let (first_day, last_day) = (self.day_of(start), self.day_of(end));
        let r = &mut self.rng;
        let days = (last_day - first_day) as u64 + 1;
        for _ in 0..r.range(lo, hi) {
            // The nearer of two days (recent activity is denser), in office
            // hours of the local time zone.
            let day = last_day - r.below(days).min(r.below(days)) as i64;
            let mut at = self.midnight + day * DAY + r.range(8 * HOUR, 19 * HOUR);
            if at > end {
                at = end - r.range(MIN, 3 * HOUR);
            }
            let (summary, kind, direction) = r.pick(ACTIVITIES);
            let mut logged = interaction(at.max(start), kind, direction, summary);
            if r.chance(35) {
                logged.body = Some(r.pick(ACTIVITY_BODIES).to_string());
            }
            c.interactions.push(BulkInteraction {
                interaction: logged,
                ticket: None,
                followup: None,
            });
        }
        c.interactions.sort_by_key(|i| i.interaction.occurred_at);
    }
}
