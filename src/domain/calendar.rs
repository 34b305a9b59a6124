//! Business time: the hours a team works in a week, in its time zone, less
//! its holidays. SLA targets count only this time when a calendar is set
//! (`[sla.calendar]`); without one every hour counts (24×7).
//!
//! Times are worked out day by day in the calendar's zone, each open span
//! of a day made a pair of instants there, so a span that a DST change
//! shortens or lengthens counts what the clock on the wall says happened:
//! 09:00–17:00 on the day clocks go forward is still 8 hours of work.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::ValidationError;

/// Days looked at before giving up on finding open time (a calendar always
/// has some each week; holidays are finite): about ten years.
const DAYS_AHEAD: usize = 3_660;

/// When work counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Calendar {
    /// Every hour of every day.
    Always,
    Business(BusinessHours),
}

/// Open hours per weekday in a zone, and days off.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessHours {
    zone: TimeZone,
    /// Monday first: each day's open spans as minutes after midnight
    /// `[start, end)`, sorted and apart; `end` may be 1440 (midnight after).
    week: [Vec<Span>; 7],
    holidays: BTreeSet<Date>,
}

const DAY_MINUTES: u16 = 24 * 60;

/// Open from and until, in minutes after midnight.
type Span = (u16, u16);

impl Calendar {
    /// A calendar from `hours` (such as `"mon-fri 09:00-17:30"`, `"sat
    /// 10:00-13:00"`; a span past midnight, `"fri 22:00-06:00"`, ends the
    /// next day), a zone, and holidays (`YYYY-MM-DD`).
    pub fn business(
        hours: &[String],
        zone: TimeZone,
        holidays: &[String],
    ) -> Result<Calendar, ValidationError> {
        let mut week: [Vec<Span>; 7] = Default::default();
        for line in hours {
            let (days, spans) = parse_hours_line(line)?;
            for day in days {
                for &(start, end) in &spans {
                    if start < end {
                        week[day].push((start, end));
                    } else {
                        // Past midnight: the rest of this day, then the next morning.
                        week[day].push((start, DAY_MINUTES));
                        if end > 0 {
                            week[(day + 1) % 7].push((0, end));
                        }
                    }
                }
            }
        }
        for day in &mut week {
            day.sort_unstable();
            // Overlapping or touching spans are one.
            let mut merged: Vec<Span> = Vec::with_capacity(day.len());
            for &(start, end) in day.iter() {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            *day = merged;
        }
        if week.iter().all(Vec::is_empty) {
            return Err(ValidationError::new(
                "sla.calendar.hours",
                "has no open hours: give some, such as \"mon-fri 09:00-17:30\"".to_string(),
            ));
        }
        let holidays = holidays
            .iter()
            .map(|text| {
                text.trim().parse::<Date>().map_err(|_| {
                    ValidationError::new(
                        "sla.calendar.holidays",
                        format!("must be dates such as 2026-12-25, not {text:?}"),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Calendar::Business(BusinessHours {
            zone,
            week,
            holidays,
        }))
    }

    /// The moment `work` of counted time after `start` (`start` itself for
    /// none or less).
    pub fn add(&self, start: Timestamp, work: SignedDuration) -> Timestamp {
        match self {
            Calendar::Always => start
                .checked_add(work.max(SignedDuration::ZERO))
                .unwrap_or(start),
            Calendar::Business(hours) => hours.add(start, work),
        }
    }

    /// The latest moment from which `work` of counted time has passed by
    /// `now`: a clock started before it with that target is past due.
    pub fn latest_start(&self, now: Timestamp, work: SignedDuration) -> Timestamp {
        match self {
            Calendar::Always => now
                .checked_sub(work.max(SignedDuration::ZERO))
                .unwrap_or(Timestamp::MIN),
            Calendar::Business(hours) => hours.latest_start(now, work),
        }
    }

    /// The counted time from `from` to `to` (none when `to` is not later).
    pub fn between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        if to <= from {
            return SignedDuration::ZERO;
        }
        match self {
            Calendar::Always => to.duration_since(from),
            Calendar::Business(hours) => hours.between(from, to),
        }
    }
}

impl BusinessHours {
    /// The open spans of `day` as instants, in order (none on a holiday).
    fn spans(&self, day: Date) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        let open = if self.holidays.contains(&day) {
            &[][..]
        } else {
            &self.week[weekday_index(day.weekday())][..]
        };
        open.iter()
            .filter_map(move |&(start, end)| {
                Some((self.instant(day, start)?, self.instant(day, end)?))
            })
            // A span a DST gap swallows whole is no time at all.
            .filter(|(start, end)| start < end)
    }

    /// `minutes` after midnight of `day` in the zone (1440: the next
    /// midnight); a wall time that does not exist (a DST gap) is taken as
    /// the moment after the gap, as clocks jump there.
    fn instant(&self, day: Date, minutes: u16) -> Option<Timestamp> {
        let (day, minutes) = if minutes >= DAY_MINUTES {
            (day.tomorrow().ok()?, minutes - DAY_MINUTES)
        } else {
            (day, minutes)
        };
        let time = Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()?;
        self.zone.to_timestamp(day.to_datetime(time)).ok()
    }

    fn local_date(&self, at: Timestamp) -> Date {
        self.zone.to_datetime(at).date()
    }

    fn add(&self, start: Timestamp, work: SignedDuration) -> Timestamp {
        let mut left = work;
        if left <= SignedDuration::ZERO {
            return start;
        }
        // From the day before: a span of yesterday may run past midnight.
        let mut day = self
            .local_date(start)
            .yesterday()
            .unwrap_or(self.local_date(start));
        for _ in 0..DAYS_AHEAD {
            for (open, close) in self.spans(day) {
                if close <= start {
                    continue;
                }
                let from = open.max(start);
                let here = close.duration_since(from);
                if left <= here {
                    return from.checked_add(left).unwrap_or(from);
                }
                left -= here;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        // No open time for years (every day a holiday): nothing is due.
        Timestamp::MAX
    }

    fn latest_start(&self, now: Timestamp, work: SignedDuration) -> Timestamp {
        let mut left = work;
        if left <= SignedDuration::ZERO {
            return now;
        }
        // From the day after: a span of today's may be tomorrow's by date.
        let mut day = self
            .local_date(now)
            .tomorrow()
            .unwrap_or(self.local_date(now));
        for _ in 0..DAYS_AHEAD {
            let spans: Vec<_> = self.spans(day).collect();
            for (open, close) in spans.into_iter().rev() {
                if open >= now {
                    continue;
                }
                let until = close.min(now);
                let here = until.duration_since(open);
                if left <= here {
                    return until.checked_sub(left).unwrap_or(open);
                }
                left -= here;
            }
            match day.yesterday() {
                Ok(previous) => day = previous,
                Err(_) => break,
            }
        }
        Timestamp::MIN
    }

    fn between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        let mut total = SignedDuration::ZERO;
        let last = self.local_date(to);
        let mut day = self
            .local_date(from)
            .yesterday()
            .unwrap_or(self.local_date(from));
        while day <= last {
            for (open, close) in self.spans(day) {
                let (start, end) = (open.max(from), close.min(to));
                if start < end {
                    total += end.duration_since(start);
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        total
    }
}

fn weekday_index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

/// `"mon-fri 09:00-17:30, 18:00-20:00"`: the weekdays (Monday 0) and spans.
fn parse_hours_line(line: &str) -> Result<(Vec<usize>, Vec<Span>), ValidationError> {
    let bad = |why: &str| {
        ValidationError::new(
            "sla.calendar.hours",
            format!("{why} in {line:?} (write it as \"mon-fri 09:00-17:30\")"),
        )
    };
    let line = line.trim();
    let (days, spans) = line
        .split_once(char::is_whitespace)
        .ok_or_else(|| bad("days and hours are missing"))?;
    let day_of = |name: &str| {
        let name = name.trim().to_ascii_lowercase();
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .position(|d| name == *d || (full_day(&name) && name.starts_with(d)))
            .ok_or_else(|| bad(&format!("unknown day {name:?}")))
    };
    let mut weekdays = Vec::new();
    for part in days.split(',').filter(|p| !p.trim().is_empty()) {
        match part.split_once('-') {
            Some((first, last)) => {
                let (first, last) = (day_of(first)?, day_of(last)?);
                let mut day = first;
                loop {
                    weekdays.push(day);
                    if day == last {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => weekdays.push(day_of(part)?),
        }
    }
    let minutes = |text: &str| -> Result<u16, ValidationError> {
        let (h, m) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| bad(&format!("{text:?} is not a time such as 09:00")))?;
        let h: u16 = h
            .parse()
            .map_err(|_| bad(&format!("{text:?} is not a time")))?;
        let m: u16 = m
            .parse()
            .map_err(|_| bad(&format!("{text:?} is not a time")))?;
        if m >= 60 || h > 24 || (h == 24 && m > 0) {
            return Err(bad(&format!("{text:?} is not a time of day")));
        }
        Ok(h * 60 + m)
    };
    let mut open = Vec::new();
    for span in spans.split(',').filter(|s| !s.trim().is_empty()) {
        let (start, end) = span
            .split_once('-')
            .ok_or_else(|| bad(&format!("{span:?} is not a span such as 09:00-17:30")))?;
        let (start, end) = (minutes(start)?, minutes(end)?);
        if start == end {
            return Err(bad(&format!("{span:?} is empty")));
        }
        open.push((start, end));
    }
    if weekdays.is_empty() || open.is_empty() {
        return Err(bad("days or hours are missing"));
    }
    Ok((weekdays, open))
}

/// Whether `name` is a weekday spelled out ("monday").
fn full_day(name: &str) -> bool {
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .contains(&name)
}

#[cfg(test)]
mod tests;
