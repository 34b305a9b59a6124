//! A list on screen over a table of any size: a window of rows fetched by
//! keyset pages as the selection moves, so scrolling a million rows costs what
//! scrolling a hundred does.

use crate::domain::{Customer, Followup, Ticket};
use crate::store::{CustomerQuery, FollowupQuery, Page, Result, Store, TicketQuery};

/// Rows fetched per trip to the store.
pub const PAGE: usize = 100;
/// Rows kept in memory; beyond this the far end of the window is dropped.
const MAX_WINDOW: usize = 500;

/// A query the store can page through in both directions.
pub trait Source {
    type Row: Clone;
    fn after(&self, store: &Store, row: Option<&Self::Row>, n: usize) -> Result<Page<Self::Row>>;
    fn before(&self, store: &Store, row: Option<&Self::Row>, n: usize) -> Result<Page<Self::Row>>;
    fn id(row: &Self::Row) -> i64;
}

impl Source for CustomerQuery {
    type Row = Customer;
    fn after(&self, store: &Store, row: Option<&Customer>, n: usize) -> Result<Page<Customer>> {
        store.customers_page(self, row.map(|r| self.cursor_of(r)).as_ref(), n)
    }
    fn before(&self, store: &Store, row: Option<&Customer>, n: usize) -> Result<Page<Customer>> {
        store.customers_page_before(self, row.map(|r| self.cursor_of(r)).as_ref(), n)
    }
    fn id(row: &Customer) -> i64 {
        row.id
    }
}

impl Source for TicketQuery {
    type Row = Ticket;
    fn after(&self, store: &Store, row: Option<&Ticket>, n: usize) -> Result<Page<Ticket>> {
        store.tickets_page(self, row.map(|r| self.cursor_of(r)).as_ref(), n)
    }
    fn before(&self, store: &Store, row: Option<&Ticket>, n: usize) -> Result<Page<Ticket>> {
        store.tickets_page_before(self, row.map(|r| self.cursor_of(r)).as_ref(), n)
    }
    fn id(row: &Ticket) -> i64 {
        row.id
    }
}

impl Source for FollowupQuery {
    type Row = Followup;
    fn after(&self, store: &Store, row: Option<&Followup>, n: usize) -> Result<Page<Followup>> {
        store.followups_page(self, row.map(|r| self.cursor_of(r)).as_ref(), n)
    }
    fn before(&self, store: &Store, row: Option<&Followup>, n: usize) -> Result<Page<Followup>> {
        store.followups_page_before(self, row.map(|r| self.cursor_of(r)).as_ref(), n)
    }
    fn id(row: &Followup) -> i64 {
        row.id
    }
}

#[derive(Debug, Clone)]
pub struct ListView<S: Source> {
    pub source: S,
    pub rows: Vec<S::Row>,
    /// Index into `rows`.
    pub selected: usize,
    /// First row drawn; kept so the list scrolls only when the selection leaves the screen.
    pub offset: usize,
    more_before: bool,
    more_after: bool,
}

impl<S: Source> ListView<S> {
    pub fn new(source: S) -> ListView<S> {
        ListView {
            source,
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            more_before: false,
            more_after: false,
        }
    }

    pub fn selected_row(&self) -> Option<&S::Row> {
        self.rows.get(self.selected)
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Whether rows exist before the window (the list is longer than shown).
    pub fn has_more_before(&self) -> bool {
        self.more_before
    }

    pub fn has_more_after(&self) -> bool {
        self.more_after
    }

    pub fn first(&mut self, store: &Store) -> Result<()> {
        let page = self.source.after(store, None, PAGE)?;
        self.more_after = page.next.is_some();
        self.more_before = false;
        self.rows = page.items;
        self.selected = 0;
        self.offset = 0;
        Ok(())
    }

    pub fn last(&mut self, store: &Store) -> Result<()> {
        let page = self.source.before(store, None, PAGE)?;
        self.more_before = page.next.is_some();
        self.more_after = false;
        self.rows = page.items;
        self.selected = self.rows.len().saturating_sub(1);
        // scroll_into_view then fills the pane upward from the last row.
        self.offset = 0;
        Ok(())
    }

    /// Reads the window again from its first row (after an edit, a delete, a
    /// new filter), keeping the selection on the same record when it is still there.
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let keep_id = self.selected_row().map(S::id);
        let keep_index = self.selected;
        let start = match self.rows.first() {
            Some(first) if self.more_before => {
                // The row before the window is where the new page starts after.
                self.source
                    .before(store, Some(first), 1)?
                    .items
                    .into_iter()
                    .next()
            }
            _ => None,
        };
        let page = self
            .source
            .after(store, start.as_ref(), PAGE.max(self.rows.len()))?;
        self.more_before = start.is_some();
        self.more_after = page.next.is_some();
        self.rows = page.items;
        self.selected = keep_id
            .and_then(|id| self.rows.iter().position(|r| S::id(r) == id))
            .unwrap_or(keep_index)
            .min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// Loads the window around `row` and selects it, with up to `context`
    /// rows above it (a record just added lands where it sorts). `false`:
    /// the list's query leaves the row out, and the window is unchanged.
    pub fn show(&mut self, store: &Store, row: &S::Row, context: usize) -> Result<bool> {
        let before = self.source.before(store, Some(row), context)?;
        let after = self.source.after(store, before.items.last(), PAGE)?;
        let (more_before, more_after) = (before.next.is_some(), after.next.is_some());
        let id = S::id(row);
        let mut rows = before.items;
        rows.extend(after.items);
        let Some(index) = rows.iter().position(|r| S::id(r) == id) else {
            return Ok(false);
        };
        self.rows = rows;
        self.more_before = more_before;
        self.more_after = more_after;
        self.selected = index;
        self.offset = index.saturating_sub(context);
        Ok(true)
    }

    pub fn next(&mut self, store: &Store) -> Result<()> {
        if self.selected + 1 >= self.rows.len() && self.more_after {
            let page = self.source.after(store, self.rows.last(), PAGE)?;
            self.more_after = page.next.is_some();
            self.rows.extend(page.items);
            self.trim_front();
        }
        if self.selected + 1 < self.rows.len() {
            self.selected += 1;
        }
        Ok(())
    }

    pub fn prev(&mut self, store: &Store) -> Result<()> {
        if self.selected == 0 && self.more_before {
            let page = self.source.before(store, self.rows.first(), PAGE)?;
            self.more_before = page.next.is_some();
            let added = page.items.len();
            let mut rows = page.items;
            rows.append(&mut self.rows);
            self.rows = rows;
            self.selected += added;
            self.offset += added;
            self.trim_back();
        }
        self.selected = self.selected.saturating_sub(1);
        Ok(())
    }

    pub fn move_by(&mut self, store: &Store, delta: isize) -> Result<()> {
        for _ in 0..delta.unsigned_abs() {
            let before = self.selected_row().map(S::id);
            if delta > 0 {
                self.next(store)?
            } else {
                self.prev(store)?
            }
            if self.selected_row().map(S::id) == before {
                break;
            }
        }
        Ok(())
    }

    /// Selects the row at `index` of the window (a mouse click).
    pub fn select_index(&mut self, index: usize) {
        if index < self.rows.len() {
            self.selected = index;
        }
    }

    /// Keeps the selection inside a viewport of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        // No empty space below the last row while rows above are hidden (a
        // window grown after it was shrunk with the selection at the bottom).
        self.offset = self
            .offset
            .min(self.rows.len().saturating_sub(height))
            .min(self.rows.len().saturating_sub(1));
    }

    fn trim_front(&mut self) {
        if self.rows.len() > MAX_WINDOW {
            let drop = self.rows.len() - MAX_WINDOW;
            self.rows.drain(..drop);
            self.selected = self.selected.saturating_sub(drop);
            self.offset = self.offset.saturating_sub(drop);
            self.more_before = true;
        }
    }

    fn trim_back(&mut self) {
        if self.rows.len() > MAX_WINDOW {
            self.rows.truncate(MAX_WINDOW);
            self.more_after = true;
        }
    }
}
