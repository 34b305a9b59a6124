//! How the desk is doing: per week, month, assignee, priority, channel or
//! segment, the tickets opened and resolved, first-response and resolution
//! times, the share of each SLA clock met, the backlog and CSAT.
//!
//! Each figure goes to the bucket where its event happened: a ticket counts
//! as opened where it was opened, its first response where that was given,
//! its resolution time and rating where it was finished. A clock counts
//! where it was decided: met when it stopped in time, missed when its due
//! time passed (answered late or not at all). Backlog is what was open at a
//! bucket's end (or now, if sooner). Pure: the store hands in slim rows.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};

use super::sla_clock::ClockState;
use super::{Channel, Priority, SlaPolicy, ValidationError};

/// What a report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportBy {
    #[default]
    Week,
    Month,
    Assignee,
    Priority,
    Channel,
    Segment,
}

impl ReportBy {
    pub const ALL: [ReportBy; 6] = [
        ReportBy::Week,
        ReportBy::Month,
        ReportBy::Assignee,
        ReportBy::Priority,
        ReportBy::Channel,
        ReportBy::Segment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportBy::Week => "week",
            ReportBy::Month => "month",
            ReportBy::Assignee => "assignee",
            ReportBy::Priority => "priority",
            ReportBy::Channel => "channel",
            ReportBy::Segment => "segment",
        }
    }

    pub fn parse(text: &str) -> Result<ReportBy, ValidationError> {
        let wanted = text.trim().to_ascii_lowercase();
        ReportBy::ALL
            .into_iter()
            .find(|by| by.as_str() == wanted)
            .ok_or_else(|| {
                let words: Vec<_> = ReportBy::ALL.iter().map(|b| b.as_str()).collect();
                ValidationError::new("by", format!("must be one of {}", words.join(", ")))
            })
    }

    /// The heading of the rows' column: "WEEK", "ASSIGNEE" ...
    pub fn heading(self) -> &'static str {
        match self {
            ReportBy::Week => "WEEK",
            ReportBy::Month => "MONTH",
            ReportBy::Assignee => "ASSIGNEE",
            ReportBy::Priority => "PRIORITY",
            ReportBy::Channel => "CHANNEL",
            ReportBy::Segment => "SEGMENT",
        }
    }

    /// The grouping after this one (the Reports tab's key steps through).
    pub fn next(self) -> ReportBy {
        let all = ReportBy::ALL;
        let i = all.iter().position(|b| *b == self).unwrap_or(0);
        all[(i + 1) % all.len()]
    }

    /// Whether the rows are spans of time (else groups of the whole period).
    pub fn is_time(self) -> bool {
        matches!(self, ReportBy::Week | ReportBy::Month)
    }

    /// The period a report covers when none is given, ending `today`: the
    /// last 12 months by month, else the last 12 weeks (Monday to today).
    pub fn default_period(self, today: Date) -> (Date, Date) {
        let from = match self {
            ReportBy::Month => today
                .first_of_month()
                .checked_sub(11.months())
                .unwrap_or(today),
            _ => weeks_back(today, 12),
        };
        (from, today)
    }
}

/// What a report reads of a ticket (not deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTicket {
    pub opened_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub first_response_due_at: Option<Timestamp>,
    /// When it was resolved or closed, if it is now.
    pub finished_at: Option<Timestamp>,
    pub due_at: Timestamp,
    pub paused_at: Option<Timestamp>,
    pub priority: Priority,
    pub channel: Channel,
    pub assignee: Option<String>,
    /// The customer's segment.
    pub segment: Option<String>,
    pub csat: Option<u8>,
}

/// Which report: its rows and period (whole days in `tz`, `to` included).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSpec {
    pub by: ReportBy,
    pub from: Date,
    pub to: Date,
    pub tz: TimeZone,
}

impl ReportSpec {
    /// The period as instants: from the start of `from` until the end of `to`.
    pub fn bounds(&self) -> (Timestamp, Timestamp) {
        let end = self
            .to
            .tomorrow()
            .map_or(Timestamp::MAX, |d| start_of(d, &self.tz));
        (start_of(self.from, &self.tz), end)
    }
}

/// Median and 90th percentile of some durations, in whole minutes
/// (nearest rank: the values themselves, never averages of two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Durations {
    pub count: u64,
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

/// How many clocks were decided in time and how many were missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetShare {
    pub met: u64,
    pub missed: u64,
}

impl MetShare {
    /// The share met, 0–100; `None` with nothing decided.
    pub fn percent(&self) -> Option<f64> {
        let all = self.met + self.missed;
        (all > 0).then(|| self.met as f64 * 100.0 / all as f64)
    }
}

impl serde::Serialize for MetShare {
    /// With the share met, to a tenth of a percent (`null` with none decided).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("MetShare", 3)?;
        out.serialize_field("met", &self.met)?;
        out.serialize_field("missed", &self.missed)?;
        let percent = self.percent().map(|p| (p * 10.0).round() / 10.0);
        out.serialize_field("met_percent", &percent)?;
        out.end()
    }
}

/// The tickets open at a moment, by how long they had been open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Backlog {
    pub open: u64,
    pub under_1d: u64,
    #[serde(rename = "1d_to_7d")]
    pub days_1_to_7: u64,
    #[serde(rename = "7d_to_30d")]
    pub days_7_to_30: u64,
    pub over_30d: u64,
}

impl Backlog {
    fn add(&mut self, age: SignedDuration) {
        const DAY: i64 = 86_400;
        self.open += 1;
        match age.as_secs() {
            s if s < DAY => self.under_1d += 1,
            s if s < 7 * DAY => self.days_1_to_7 += 1,
            s if s < 30 * DAY => self.days_7_to_30 += 1,
            _ => self.over_30d += 1,
        }
    }
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportRow {
    /// "2026-W48", "2026-11", an assignee, a priority ... or "total".
    pub bucket: String,
    /// The days a time bucket covers (within the period).
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub opened: u64,
    pub resolved: u64,
    pub first_response: Durations,
    pub resolution: Durations,
    pub first_response_sla: MetShare,
    pub resolution_sla: MetShare,
    pub backlog: Backlog,
    #[serde(serialize_with = "two_decimals")]
    pub csat_average: Option<f64>,
    pub csat_ratings: u64,
}

fn two_decimals<S: serde::Serializer>(value: &Option<f64>, out: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    value.map(|v| (v * 100.0).round() / 100.0).serialize(out)
}

/// A whole report: its rows in order and the total over the period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    pub by: &'static str,
    pub from: Date,
    pub to: Date,
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
}

/// What a row gathers before its figures are worked out.
#[derive(Debug, Default)]
struct Tally {
    opened: u64,
    resolved: u64,
    first_response: Vec<i64>,
    resolution: Vec<i64>,
    first_response_sla: MetShare,
    resolution_sla: MetShare,
    backlog: Backlog,
    csat_sum: u64,
    csat_ratings: u64,
}

impl Tally {
    fn row(mut self, bucket: String, days: Option<(Date, Date)>) -> ReportRow {
        ReportRow {
            bucket,
            from: days.map(|d| d.0),
            to: days.map(|d| d.1),
            opened: self.opened,
            resolved: self.resolved,
            first_response: durations(&mut self.first_response),
            resolution: durations(&mut self.resolution),
            first_response_sla: self.first_response_sla,
            resolution_sla: self.resolution_sla,
            backlog: self.backlog,
            csat_average: (self.csat_ratings > 0)
                .then(|| self.csat_sum as f64 / self.csat_ratings as f64),
            csat_ratings: self.csat_ratings,
        }
    }
}

fn durations(seconds: &mut [i64]) -> Durations {
    if seconds.is_empty() {
        return Durations::default();
    }
    seconds.sort_unstable();
    let rank = |share: f64| {
        let n = seconds.len();
        // Nearest rank: the smallest value with `share` of them at or below.
        let at = ((share * n as f64).ceil() as usize).clamp(1, n) - 1;
        seconds.get(at).map(|s| (s + 30) / 60)
    };
    Durations {
        count: seconds.len() as u64,
        median_minutes: rank(0.5),
        p90_minutes: rank(0.9),
    }
}

/// A row's span of time: its label, its days and its instants.
struct TimeBucket {
    label: String,
    days: (Date, Date),
    start: Timestamp,
    end: Timestamp,
}

/// The start of `day` in `tz` as an instant.
fn start_of(day: Date, tz: &TimeZone) -> Timestamp {
    tz.to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .unwrap_or(Timestamp::MIN)
}

/// The Monday that starts `weeks` whole weeks ending with `today`'s.
pub fn weeks_back(today: Date, weeks: u16) -> Date {
    let monday = monday_of(today);
    let back = (i64::from(weeks) - 1).max(0) * 7;
    monday.checked_sub(back.days()).unwrap_or(monday)
}

pub fn monday_of(day: Date) -> Date {
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(back.days()).unwrap_or(day)
}

/// The weeks (Monday on) or months of the period, cut to it.
fn spans(spec: &ReportSpec) -> Vec<TimeBucket> {
    let mut spans = Vec::new();
    let mut day = spec.from;
    while day <= spec.to {
        let (label, next) = match spec.by {
            ReportBy::Month => (
                format!("{:04}-{:02}", day.year(), day.month()),
                day.first_of_month().checked_add(1.month()),
            ),
            _ => {
                let week = day.iso_week_date();
                (
                    format!("{:04}-W{:02}", week.year(), week.week()),
                    monday_of(day).checked_add(7.days()),
                )
            }
        };
        let Ok(next) = next else { break };
        let last = next.yesterday().map_or(spec.to, |d| d.min(spec.to));
        spans.push(TimeBucket {
            label,
            days: (day, last),
            start: start_of(day, &spec.tz),
            end: start_of(next.min(spec.to.tomorrow().unwrap_or(next)), &spec.tz),
        });
        day = next;
    }
    spans
}

/// The events of one ticket, as the report counts them.
struct Events {
    first_response: Option<(Timestamp, i64)>,
    resolution: Option<(Timestamp, i64)>,
    first_response_decided: Option<(Timestamp, bool)>,
    resolution_decided: Option<(Timestamp, bool)>,
}

fn events(ticket: &ReportTicket, sla: &SlaPolicy, now: Timestamp) -> Events {
    let rules = sla.rules(ticket.priority);
    let target = sla.target(ticket.priority);
    let opened = ticket.opened_at;
    let first_due = ticket
        .first_response_due_at
        .unwrap_or_else(|| sla.first_response_due(opened, ticket.priority));
    let answer = rules.first_response_from(
        (first_due, ticket.first_response_at.or(ticket.finished_at)),
        target.first_response,
        now,
    );
    let resolve = rules.resolution_from(
        (ticket.due_at, ticket.paused_at, ticket.finished_at),
        target.resolution,
        now,
    );
    let decided = |state: ClockState, stopped: Option<Timestamp>, due: Timestamp| match state {
        ClockState::Met => stopped.map(|at| (at, true)),
        ClockState::MetLate | ClockState::Breached => Some((due, false)),
        _ => None,
    };
    let calendar = rules.calendar;
    let stopped = rules.stopped_so_far(opened, ticket.due_at, target.resolution);
    Events {
        first_response: ticket
            .first_response_at
            .map(|at| (at, calendar.between(opened, at).as_secs())),
        resolution: ticket.finished_at.map(|at| {
            let ran = (calendar.between(opened, at) - stopped).max(SignedDuration::ZERO);
            (at, ran.as_secs())
        }),
        first_response_decided: decided(
            answer.state,
            ticket.first_response_at.or(ticket.finished_at),
            answer.due_at,
        ),
        resolution_decided: decided(resolve.state, ticket.finished_at, resolve.due_at),
    }
}

/// Counts one ticket's events into `tally` where `place` says they belong
/// (`place(at)`: whether an event at `at` falls in the row's time).
fn count(
    tally: &mut Tally,
    ticket: &ReportTicket,
    events: &Events,
    within: impl Fn(Timestamp) -> bool,
) {
    if within(ticket.opened_at) {
        tally.opened += 1;
    }
    if let Some((at, secs)) = events.first_response
        && within(at)
    {
        tally.first_response.push(secs);
    }
    if let Some((at, secs)) = events.resolution
        && within(at)
    {
        tally.resolved += 1;
        tally.resolution.push(secs);
        if let Some(csat) = ticket.csat {
            tally.csat_sum += u64::from(csat);
            tally.csat_ratings += 1;
        }
    }
    let share = |share: &mut MetShare, decided: Option<(Timestamp, bool)>| {
        if let Some((at, met)) = decided
            && within(at)
        {
            if met {
                share.met += 1;
            } else {
                share.missed += 1;
            }
        }
    };
    share(&mut tally.first_response_sla, events.first_response_decided);
    share(&mut tally.resolution_sla, events.resolution_decided);
}

/// Adds `ticket` to `backlog` when it was open at `at`. Opened that very
/// second it is when `at` is now (a report read just after a ticket came
/// in counts it), not at a bucket's end (it is the next bucket's).
fn count_open(backlog: &mut Backlog, ticket: &ReportTicket, at: Timestamp, now: Timestamp) {
    let opened = ticket.opened_at < at || (ticket.opened_at == at && at == now);
    let open = opened && ticket.finished_at.is_none_or(|f| f > at);
    if open {
        backlog.add(at.duration_since(ticket.opened_at));
    }
}

/// Which group row a ticket belongs to; `None` sorts last as "(none)".
fn group_of(by: ReportBy, ticket: &ReportTicket) -> (u8, String) {
    let named = |text: &Option<String>| match text {
        Some(t) if !t.trim().is_empty() => (0, t.clone()),
        _ => (1, "(none)".to_string()),
    };
    match by {
        // Most urgent first, channels in their usual order.
        ReportBy::Priority => (
            (Priority::ALL.len() - 1 - ticket.priority as usize) as u8,
            ticket.priority.as_str().to_string(),
        ),
        ReportBy::Channel => (ticket.channel as u8, ticket.channel.as_str().to_string()),
        ReportBy::Segment => named(&ticket.segment),
        _ => named(&ticket.assignee),
    }
}

/// The report `spec` asks for over `tickets` as of `now`.
pub fn report(
    tickets: impl IntoIterator<Item = ReportTicket>,
    spec: &ReportSpec,
    sla: &SlaPolicy,
    now: Timestamp,
) -> Report {
    let (start, end) = spec.bounds();
    let in_period = |at: Timestamp| at >= start && at < end;
    let spans = if spec.by.is_time() {
        spans(spec)
    } else {
        Vec::new()
    };
    let mut by_time: Vec<Tally> = spans.iter().map(|_| Tally::default()).collect();
    let mut by_group: BTreeMap<(u8, String), Tally> = BTreeMap::new();
    let mut total = Tally::default();
    let period_end = end.min(now);
    for ticket in tickets {
        let events = events(&ticket, sla, now);
        count(&mut total, &ticket, &events, in_period);
        count_open(&mut total.backlog, &ticket, period_end, now);
        if spec.by.is_time() {
            for (span, tally) in spans.iter().zip(by_time.iter_mut()) {
                count(tally, &ticket, &events, |at| {
                    at >= span.start && at < span.end
                });
                if span.start <= now {
                    count_open(&mut tally.backlog, &ticket, span.end.min(now), now);
                }
            }
        } else {
            let group = by_group.entry(group_of(spec.by, &ticket)).or_default();
            count(group, &ticket, &events, in_period);
            count_open(&mut group.backlog, &ticket, period_end, now);
        }
    }
    // A group none of whose tickets counted in the period has no row.
    by_group.retain(|_, tally| !tally_is_empty(tally));
    let rows = if spec.by.is_time() {
        spans
            .into_iter()
            .zip(by_time)
            .map(|(span, tally)| tally.row(span.label, Some(span.days)))
            .collect()
    } else {
        by_group
            .into_iter()
            .map(|((_, name), tally)| tally.row(name, None))
            .collect()
    };
    Report {
        by: spec.by.as_str(),
        from: spec.from,
        to: spec.to,
        rows,
        total: total.row("total".to_string(), Some((spec.from, spec.to))),
    }
}

fn tally_is_empty(tally: &Tally) -> bool {
    tally.opened == 0
        && tally.resolved == 0
        && tally.first_response.is_empty()
        && tally.first_response_sla == MetShare::default()
        && tally.resolution_sla == MetShare::default()
        && tally.backlog.open == 0
}

mod text;
pub use text::{ReportColumn, report_duration, table_columns};

#[cfg(test)]
mod tests;
