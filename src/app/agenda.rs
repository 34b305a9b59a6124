//! The Agenda tab: a keyset-paged window over everything due (see
//! `store::agenda`), drawn with a header line where each section starts, and
//! a window of 7, 14 or 30 days.

use crate::domain::Entity;
use crate::domain::agenda::{AgendaLine, Section};
use crate::store::{AgendaQuery, Page, Result, Store};

use super::State;
use super::list::{ListView, Source};

/// The windows `agenda_window` steps through.
pub const WINDOWS: [u16; 3] = [7, 14, 30];

impl Source for AgendaQuery {
    type Row = AgendaLine;
    fn after(&self, store: &Store, row: Option<&AgendaLine>, n: usize) -> Result<Page<AgendaLine>> {
        store.agenda_page(self, row, n)
    }
    fn before(
        &self,
        store: &Store,
        row: Option<&AgendaLine>,
        n: usize,
    ) -> Result<Page<AgendaLine>> {
        store.agenda_page_before(self, row, n)
    }
    /// Follow-ups and tickets number their rows apart: one id for both would
    /// let a reload keep the selection on the wrong line.
    fn id(row: &AgendaLine) -> i64 {
        let kind = i64::from(row.kind == Entity::Ticket);
        row.id.saturating_mul(2).saturating_add(kind)
    }
}

/// One line of the agenda pane: a section's header or the window's row `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaRow {
    Header(Section),
    Line(usize),
}

/// What the agenda pane shows from `offset`, in `height` lines: a header
/// above the first row shown and wherever a new section starts. The UI
/// draws this and a click reads it, so both agree on what is where.
pub fn agenda_rows(view: &ListView<AgendaQuery>, height: usize) -> Vec<AgendaRow> {
    let mut rows = Vec::with_capacity(height);
    let mut section = None;
    for (i, line) in view.rows.iter().enumerate().skip(view.offset) {
        // A pane of one line has room for the row alone.
        if section != Some(line.section) && height > 1 {
            if rows.len() + 1 >= height {
                break;
            }
            rows.push(AgendaRow::Header(line.section));
        }
        section = Some(line.section);
        if rows.len() >= height {
            break;
        }
        rows.push(AgendaRow::Line(i));
    }
    rows
}

/// Keeps the selection on screen, headers counted.
pub fn scroll_into_view(state: &mut State) {
    let height = state.list_height.max(2);
    state.agenda.scroll_into_view(height);
    // Headers take at most one line per section; a few steps at most.
    while state.agenda.offset < state.agenda.selected
        && !agenda_rows(&state.agenda, height).contains(&AgendaRow::Line(state.agenda.selected))
    {
        state.agenda.offset += 1;
    }
}

/// Reads the agenda again as of now (same window), with its counts.
pub fn load(state: &mut State, store: &Store) -> Result<()> {
    let days = state.agenda.source.days;
    state.agenda.source = store.agenda_query(days);
    state.agenda.reload(store)?;
    state.agenda_counts = store.agenda_counts(&state.agenda.source)?;
    scroll_into_view(state);
    Ok(())
}

/// The next window (7 → 14 → 30 → 7 days), read from its first line.
pub fn cycle_window(state: &mut State, store: &Store) -> Result<()> {
    let days = state.agenda.source.days;
    let next = WINDOWS
        .iter()
        .copied()
        .find(|w| *w > days)
        .unwrap_or(WINDOWS[0]);
    state.agenda.source = store.agenda_query(next);
    state.agenda.first(store)?;
    state.agenda_counts = store.agenda_counts(&state.agenda.source)?;
    state.set_status(format!("Agenda: the next {next} days"));
    Ok(())
}
