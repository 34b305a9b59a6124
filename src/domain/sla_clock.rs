//! A ticket's two service-level clocks, first response and resolution, as
//! of `now`: when each is due, and whether it is running fine, close to its
//! due time, past it, paused, or stopped in time or late.
//!
//! The resolution clock does not run while the ticket waits on the
//! customer (a pausing status) nor while it was resolved before being
//! reopened: those spans, from the ticket's status history, push its due
//! time out by their length in counted time. Times count on the calendar's
//! hours (`calendar.rs`); without one, every hour.

use jiff::{SignedDuration, Timestamp};

use super::calendar::Calendar;

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    Ok,
    /// Running, with little of its target left.
    Warning,
    /// Running, past its due time.
    Breached,
    /// Stopped for now (the ticket waits on the customer).
    Paused,
    /// Stopped in time.
    Met,
    /// Stopped after its due time.
    MetLate,
}

impl ClockState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Ok => "ok",
            ClockState::Warning => "warning",
            ClockState::Breached => "breached",
            ClockState::Paused => "paused",
            ClockState::Met => "met",
            ClockState::MetLate => "met late",
        }
    }
}

/// How much of a target left turns a clock `warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarnBefore {
    /// This share of the target, in percent.
    Share(u8),
    /// This much counted time.
    Time(SignedDuration),
}

impl Default for WarnBefore {
    fn default() -> Self {
        WarnBefore::Share(25)
    }
}

impl WarnBefore {
    fn of(self, target: SignedDuration) -> SignedDuration {
        match self {
            WarnBefore::Share(percent) => target * i32::from(percent.min(100)) / 100,
            WarnBefore::Time(time) => time,
        }
    }
}

/// One clock as of a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlaClock {
    pub due_at: Timestamp,
    pub state: ClockState,
    /// Counted time left before the due time (running), or over it (negative:
    /// breached or met late); zero for a clock met in time.
    pub left: SignedDuration,
    /// Since when a paused clock stands still.
    pub paused_since: Option<Timestamp>,
}

/// What the clocks of a ticket are worked out from.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketTimes {
    pub opened_at: Timestamp,
    /// The first outbound answer.
    pub first_response_at: Option<Timestamp>,
    /// When it was resolved or closed, if it is now.
    pub finished_at: Option<Timestamp>,
    /// Spans the resolution clock stood still (waiting on the customer, or
    /// resolved before a reopen), in order and apart; the last may still
    /// be open (`None`: until now).
    pub stopped: Vec<(Timestamp, Option<Timestamp>)>,
}

/// How clocks count.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRules<'a> {
    pub calendar: &'a Calendar,
    pub warn_before: WarnBefore,
}

impl ClockRules<'_> {
    /// The first-response clock: from opening to the first answer (or, with
    /// none, to the ticket's finish).
    pub fn first_response(
        &self,
        times: &TicketTimes,
        target: SignedDuration,
        now: Timestamp,
    ) -> SlaClock {
        let due_at = self.calendar.add(times.opened_at, target);
        let stopped_at = times.first_response_at.or(times.finished_at);
        self.first_response_from((due_at, stopped_at), target, now)
    }

    /// The first-response clock from its due time and when it stopped.
    pub fn first_response_from(
        &self,
        (due_at, stopped_at): (Timestamp, Option<Timestamp>),
        target: SignedDuration,
        now: Timestamp,
    ) -> SlaClock {
        self.clock(due_at, target, stopped_at, None, now)
    }

    /// The resolution clock: from opening to resolution, less its stops.
    pub fn resolution(
        &self,
        times: &TicketTimes,
        target: SignedDuration,
        now: Timestamp,
    ) -> SlaClock {
        let mut due_at = self.calendar.add(times.opened_at, target);
        let mut paused_at = None;
        for &(from, until) in &times.stopped {
            match until {
                Some(until) => due_at = self.resumed(due_at, from.max(times.opened_at), until),
                None => paused_at = Some(from),
            }
        }
        self.resolution_from((due_at, paused_at, times.finished_at), target, now)
    }

    /// The resolution clock from its stored due time: the due time the
    /// stops so far have moved, and since when it stands still now, if it
    /// does (`paused_at`; the pause moves the due time on as it lasts).
    pub fn resolution_from(
        &self,
        (due_at, paused_at, finished_at): (Timestamp, Option<Timestamp>, Option<Timestamp>),
        target: SignedDuration,
        now: Timestamp,
    ) -> SlaClock {
        let (due_at, paused_since) = match (finished_at, paused_at) {
            // Paused only after it was due: the breach stands.
            (None, Some(since)) if since < due_at => (
                self.calendar.add(due_at, self.calendar.between(since, now)),
                Some(since),
            ),
            _ => (due_at, None),
        };
        self.clock(due_at, target, finished_at, paused_since, now)
    }

    /// How long a resolution clock opened at `opened_at` with `target` has
    /// stood still so far: what its due time `due_at` moved on beyond the
    /// target.
    pub fn stopped_so_far(
        &self,
        opened_at: Timestamp,
        due_at: Timestamp,
        target: SignedDuration,
    ) -> SignedDuration {
        (self.calendar.between(opened_at, due_at) - target).max(SignedDuration::ZERO)
    }

    /// `due_at` moved on by a stop from `since` until `now`, as a ticket
    /// leaving a pause (or a reopened one) carries its clock on; a stop
    /// that began after the due time moves nothing.
    pub fn resumed(&self, due_at: Timestamp, since: Timestamp, now: Timestamp) -> Timestamp {
        if since < due_at {
            self.calendar.add(due_at, self.calendar.between(since, now))
        } else {
            due_at
        }
    }

    fn clock(
        &self,
        due_at: Timestamp,
        target: SignedDuration,
        stopped_at: Option<Timestamp>,
        paused_since: Option<Timestamp>,
        now: Timestamp,
    ) -> SlaClock {
        let cal = self.calendar;
        let (state, left) = match (stopped_at, paused_since) {
            (Some(at), _) if at <= due_at => (ClockState::Met, SignedDuration::ZERO),
            (Some(at), _) => (ClockState::MetLate, -cal.between(due_at, at)),
            (None, Some(_)) => (ClockState::Paused, cal.between(now, due_at)),
            (None, None) if now > due_at => (ClockState::Breached, -cal.between(due_at, now)),
            (None, None) => {
                let left = cal.between(now, due_at);
                let state = if left <= self.warn_before.of(target) {
                    ClockState::Warning
                } else {
                    ClockState::Ok
                };
                (state, left)
            }
        };
        SlaClock {
            due_at,
            state,
            left,
            paused_since,
        }
    }
}

#[cfg(test)]
mod tests;
