//! A ticket's service levels: its two clocks as of now, and how a change of
//! status or priority carries its resolution clock on. The stored `due_at`
//! is the resolution due time as the stops so far have moved it; `paused_at`
//! says since when the ticket waits on the customer, if it does.

use jiff::{SignedDuration, Timestamp};

use super::sla_clock::{ClockState, SlaClock};
use super::time::{compact_duration, relative_time};
use super::{SlaPolicy, Ticket, TicketStatus};

/// Which of a ticket's clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    FirstResponse,
    Resolution,
}

/// Both clocks of a ticket as of a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketClocks {
    pub first_response: SlaClock,
    pub resolution: SlaClock,
}

/// How pressing a clock's state is, most first.
fn urgency(state: ClockState) -> u8 {
    match state {
        ClockState::Breached => 0,
        ClockState::Warning => 1,
        ClockState::Ok => 2,
        ClockState::Paused => 3,
        ClockState::MetLate => 4,
        ClockState::Met => 5,
    }
}

impl TicketClocks {
    /// The clock a one-line flag tells of: the more pressing one (the
    /// sooner due of two alike), a running one before a stopped one.
    pub fn pressing(&self) -> (ClockKind, &SlaClock) {
        let first = (
            urgency(self.first_response.state),
            self.first_response.due_at,
        );
        let resolution = (urgency(self.resolution.state), self.resolution.due_at);
        // A first answer given (or owed no more) leaves the resolution.
        if first < resolution && self.first_response.state != ClockState::Met {
            (ClockKind::FirstResponse, &self.first_response)
        } else {
            (ClockKind::Resolution, &self.resolution)
        }
    }

    /// Whether either clock is past its due time and still running.
    pub fn breached(&self) -> bool {
        self.first_response.state == ClockState::Breached
            || self.resolution.state == ClockState::Breached
    }

    /// Whether either clock is close to its due time (and none past it).
    pub fn warning(&self) -> bool {
        !self.breached()
            && (self.first_response.state == ClockState::Warning
                || self.resolution.state == ClockState::Warning)
    }
}

impl Ticket {
    /// The ticket's two clocks at `now` under `sla`.
    pub fn clocks(&self, sla: &SlaPolicy, now: Timestamp) -> TicketClocks {
        let rules = sla.rules(self.priority);
        let target = sla.target(self.priority);
        let finished_at = self.finished_at();
        let first_due = self
            .first_response_due_at
            .unwrap_or_else(|| sla.first_response_due(self.opened_at, self.priority));
        TicketClocks {
            first_response: rules.first_response_from(
                (first_due, self.first_response_at.or(finished_at)),
                target.first_response,
                now,
            ),
            resolution: rules.resolution_from(
                (self.due_at, self.paused_at, finished_at),
                target.resolution,
                now,
            ),
        }
    }

    /// Whether either clock is past its due time and still running.
    pub fn is_breached(&self, sla: &SlaPolicy, now: Timestamp) -> bool {
        self.clocks(sla, now).breached()
    }

    /// When this unfinished ticket next needs us: the sooner of the first
    /// response owed and the resolution (unless it waits on the customer);
    /// `None` when neither is owed. The store's `ATTENTION_KEY`.
    pub fn attention_due(&self) -> Option<Timestamp> {
        let answer = self
            .first_response_due_at
            .filter(|_| self.first_response_at.is_none());
        let resolve = (!self.waits_on_customer()).then_some(self.due_at);
        match (answer, resolve) {
            (Some(a), Some(r)) => Some(a.min(r)),
            (a, r) => a.or(r),
        }
    }

    /// Whether the ticket waits on the customer: paused before its
    /// resolution was due. It is not overdue, and costs no health.
    pub fn waits_on_customer(&self) -> bool {
        self.paused_at.is_some_and(|since| since < self.due_at)
    }

    /// When a resolved or closed ticket was finished.
    pub fn finished_at(&self) -> Option<Timestamp> {
        self.status
            .is_finished()
            .then(|| self.resolved_at.unwrap_or(self.updated_at))
    }

    /// Sets `next`'s due time and pause after it moved from `self` to a new
    /// status or priority at `now`: a stop that ends (a pause, or a
    /// resolution reopened) moves the due time on by its length, a pausing
    /// status starts one, and a new priority's target counts from opening
    /// with the stops kept.
    pub(super) fn carry_clock(&self, next: &mut Ticket, now: Timestamp, sla: &SlaPolicy) {
        if next.priority != self.priority {
            next.first_response_due_at =
                Some(sla.first_response_due(self.opened_at, next.priority));
            let stopped = sla.rules(self.priority).stopped_so_far(
                self.opened_at,
                self.due_at,
                sla.target(self.priority).resolution,
            );
            let target = sla.target(next.priority).resolution;
            next.due_at = sla
                .calendar_of(next.priority)
                .add(self.opened_at, target + stopped);
        }
        if next.status == self.status {
            return;
        }
        let stopped_since = self.paused_at.or_else(|| self.finished_at());
        let still_finished = self.status.is_finished() && next.status.is_finished();
        if let Some(since) = stopped_since
            && !still_finished
        {
            next.due_at = sla.rules(next.priority).resumed(next.due_at, since, now);
        }
        next.paused_at = sla.pauses(next.status).then_some(now);
    }

    /// This unfinished ticket's clocks worked out again from its opening
    /// under `sla` (new targets, a new calendar), with the stops its
    /// status history tells of: `changes` are its status changes in time
    /// order (when, from, to). A stop is a stretch in a pausing status, or
    /// finished before a reopen. With no history, a pause now is taken as
    /// its only stop.
    pub fn with_clocks_recomputed(
        mut self,
        changes: &[(Timestamp, TicketStatus, TicketStatus)],
        sla: &SlaPolicy,
    ) -> Ticket {
        let stops_clock = |status: TicketStatus| sla.pauses(status) || status.is_finished();
        let rules = sla.rules(self.priority);
        let target = sla.target(self.priority);
        let mut due_at = rules.calendar.add(self.opened_at, target.resolution);
        // Imported already waiting (its first change leaves a pause): the
        // stop ran from the opening.
        let mut stopped_since = changes
            .first()
            .filter(|(_, from, _)| stops_clock(*from))
            .map(|_| self.opened_at);
        for &(at, from, to) in changes {
            match (stops_clock(from), stops_clock(to)) {
                (false, true) => stopped_since = Some(at),
                (true, false) => {
                    if let Some(since) = stopped_since.take() {
                        due_at = rules.resumed(due_at, since.max(self.opened_at), at);
                    }
                }
                _ => {}
            }
        }
        // An answer given was measured against its due time: that stays.
        if self.first_response_at.is_none() {
            self.first_response_due_at =
                Some(sla.first_response_due(self.opened_at, self.priority));
        }
        self.due_at = due_at;
        self.paused_at = if sla.pauses(self.status) {
            stopped_since.or(self.paused_at).or(Some(self.updated_at))
        } else {
            None
        };
        self
    }

    /// A ticket read from elsewhere (an import, a demo) made whole: its
    /// first-response due time from its priority when it has none, and one
    /// that waits on the customer without saying since when, since its last
    /// change.
    pub fn with_clocks_known(mut self, sla: &SlaPolicy) -> Ticket {
        if self.first_response_due_at.is_none() {
            self.first_response_due_at =
                Some(sla.first_response_due(self.opened_at, self.priority));
        }
        if self.paused_at.is_none() && sla.pauses(self.status) {
            self.paused_at = Some(self.updated_at);
        }
        if !sla.pauses(self.status) {
            self.paused_at = None;
        }
        self
    }
}

/// How loudly a flag is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagLevel {
    Plain,
    Muted,
    Warning,
    Danger,
}

impl Ticket {
    /// The one-line SLA flag of a list: the pressing clock of an open
    /// ticket ("! 2h over", "! reply 1h over", "~ in 3h", "in 3d",
    /// "paused"), or a finished one's status ("resolved", "! resolved 2h
    /// late").
    pub fn sla_flag(&self, sla: &SlaPolicy, now: Timestamp) -> (String, FlagLevel) {
        let clocks = self.clocks(sla, now);
        if self.status.is_finished() {
            let late = clocks.resolution;
            return if late.state == ClockState::MetLate {
                let by = compact_duration(late.left.as_secs().unsigned_abs());
                (format!("! {} {by} late", self.status), FlagLevel::Danger)
            } else {
                (self.status.to_string(), FlagLevel::Muted)
            };
        }
        let (kind, clock) = clocks.pressing();
        let text = clock.marked(kind);
        let level = match clock.state {
            ClockState::Breached => FlagLevel::Danger,
            ClockState::Warning => FlagLevel::Warning,
            ClockState::Paused => FlagLevel::Muted,
            _ => FlagLevel::Plain,
        };
        (text, level)
    }
}

impl SlaClock {
    /// "2h over", "in 3d", "paused", "met", "met 2h late"; a first response
    /// "reply 1h over", "reply in 3h" (counted time).
    pub fn words(&self, kind: ClockKind) -> String {
        let span = |d: SignedDuration| compact_duration(d.as_secs().unsigned_abs());
        let answer = kind == ClockKind::FirstResponse;
        match self.state {
            ClockState::Breached if answer => format!("reply {} over", span(self.left)),
            ClockState::Breached => format!("{} over", span(self.left)),
            ClockState::Warning | ClockState::Ok if answer => {
                format!("reply in {}", span(self.left))
            }
            ClockState::Warning | ClockState::Ok => format!("in {}", span(self.left)),
            ClockState::Paused => "paused".to_string(),
            ClockState::Met => "met".to_string(),
            ClockState::MetLate => format!("met {} late", span(self.left)),
        }
    }

    /// `words` after the mark: "! 2h over", "~ reply in 20m", "in 3d".
    pub fn marked(&self, kind: ClockKind) -> String {
        match self.mark() {
            "" => self.words(kind),
            mark => format!("{mark} {}", self.words(kind)),
        }
    }

    /// `marked`, a pause told with since when ("paused 7h ago"), for a
    /// detail line.
    pub fn told(&self, kind: ClockKind, now: Timestamp) -> String {
        match self.paused_since {
            Some(since) => format!("paused {}", relative_time(since, now)),
            None => self.marked(kind),
        }
    }

    /// "!" past due, "~" close to it, "" otherwise.
    pub fn mark(&self) -> &'static str {
        match self.state {
            ClockState::Breached | ClockState::MetLate => "!",
            ClockState::Warning => "~",
            _ => "",
        }
    }
}

#[cfg(test)]
mod tests;
