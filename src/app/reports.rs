//! The Reports tab: the figures of `tuicrm report` for the last 12, 26 or
//! 52 weeks, by week, month, assignee, priority, channel or segment; asked
//! for when the tab opens or the data changes, scrolled a row at a time.
//! A report over a million customers takes a moment: the event loop reads
//! it on a thread of its own (`tui::ReportThread`) and hands it back with
//! `received`, so keys never wait on it; `read_wanted` reads it in place.

use crate::domain::report::{Report, ReportBy, ReportSpec, weeks_back};
use crate::store::{Result, Store};

use super::State;

/// The periods `report_period` steps through, in weeks.
pub const PERIODS: [u16; 3] = [12, 26, 52];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportView {
    pub by: ReportBy,
    /// An index into `PERIODS`.
    pub period: usize,
    pub report: Option<Report>,
    /// The first table row shown.
    pub scroll: usize,
    /// A report asked for and not sent to be read yet.
    pub wanted: Option<ReportAsk>,
    /// The number of the last report asked for, until it arrives: an
    /// answer to an earlier question (the same spec before the data
    /// changed, too) is told from it and dropped.
    pub waiting_for: Option<u64>,
    /// How many reports were asked for.
    pub asked: u64,
}

/// One question for the report reader: which report, numbered.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportAsk {
    pub number: u64,
    pub spec: ReportSpec,
}

impl ReportView {
    pub fn weeks(&self) -> u16 {
        PERIODS[self.period % PERIODS.len()]
    }

    /// The period ending `state.today`: whole weeks from a Monday, as the
    /// CLI's `report --from <that Monday>` gives.
    pub fn spec(&self, state: &State) -> ReportSpec {
        ReportSpec {
            by: self.by,
            from: weeks_back(state.today, self.weeks()),
            to: state.today,
            tz: state.tz.clone(),
        }
    }

    /// Rows of the table: each bucket, then the total.
    pub fn rows(&self) -> usize {
        self.report.as_ref().map_or(0, |r| r.rows.len() + 1)
    }
}

/// Asks for the report the view shows (read by the event loop).
pub fn load(state: &mut State, _store: &Store) -> Result<()> {
    let spec = state.reports.spec(state);
    let view = &mut state.reports;
    view.asked += 1;
    view.wanted = Some(ReportAsk {
        number: view.asked,
        spec,
    });
    view.waiting_for = Some(view.asked);
    Ok(())
}

/// Reads the report asked for, if any, here and now (tests, and where no
/// thread reads it).
pub fn read_wanted(state: &mut State, store: &Store) {
    if let Some(ask) = state.reports.wanted.take() {
        let read = store.report(&ask.spec);
        received(state, &ask, read);
    }
}

/// A report read for `ask`: shown if it is the one last asked for.
pub fn received(state: &mut State, ask: &ReportAsk, read: Result<Report>) {
    if state.reports.waiting_for != Some(ask.number) {
        return;
    }
    state.reports.waiting_for = None;
    match read {
        Ok(report) => {
            state.reports.report = Some(report);
            let last = state.reports.rows().saturating_sub(1);
            state.reports.scroll = state.reports.scroll.min(last);
        }
        Err(e) => state.fail(&e),
    }
}

impl ReportView {
    /// Whether a report asked for has not arrived yet.
    pub fn loading(&self) -> bool {
        self.waiting_for.is_some()
    }

    /// The reader went away before answering: nothing is on its way.
    pub fn gave_up(&mut self) {
        self.waiting_for = None;
    }
}

/// The next grouping (week, month, assignee ...), read at once.
pub fn cycle_by(state: &mut State, store: &Store) -> Result<()> {
    state.reports.by = state.reports.by.next();
    state.reports.scroll = 0;
    load(state, store)
}

/// The next period (12, 26, 52 weeks), read at once.
pub fn cycle_period(state: &mut State, store: &Store) -> Result<()> {
    state.reports.period = (state.reports.period + 1) % PERIODS.len();
    load(state, store)
}

/// Scrolls the table by `delta` rows (kept on the table).
pub fn scroll(state: &mut State, delta: isize) {
    let last = state.reports.rows().saturating_sub(1);
    state.reports.scroll = state.reports.scroll.saturating_add_signed(delta).min(last);
}
