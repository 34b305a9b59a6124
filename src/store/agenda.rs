//! The agenda: planned follow-ups and unfinished tickets due in a window,
//! sorted and explained by the domain rule (`domain::agenda`). Both tables are
//! paged by keyset and merged, so a page costs the same at line 10 and at line
//! 100,000, and nothing is left out: the CLI streams every page, the TUI
//! holds a window of them.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;

use crate::domain::Entity;
use crate::domain::agenda::{self, AgendaCounts, AgendaLine, SectionCount};

use super::error::{Context, Result, StoreError};
use super::tickets::ATTENTION_KEY;
use super::values;
use super::{Cursor, FollowupQuery, Page, Store, TicketQuery};

const DAY: i64 = 86_400;

/// One agenda: what is overdue, due today, and due in the next `days` days,
/// as seen at `now` (pinned, so paging stays consistent while time moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaQuery {
    pub now: Timestamp,
    pub today: Date,
    pub days: u16,
}

/// The window's ends: follow-ups due before a date, tickets before an instant.
struct Horizon {
    followups: Date,
    tickets: Timestamp,
}

impl AgendaQuery {
    fn horizon(&self) -> Result<Horizon> {
        let days = i64::from(self.days);
        let too_far = || StoreError::Conflict(format!("{days} days ahead is too far"));
        Ok(Horizon {
            followups: self.date_at(days + 1).ok_or_else(too_far)?,
            tickets: self.instant_at(days * DAY).ok_or_else(too_far)?,
        })
    }

    fn date_at(&self, days: i64) -> Option<Date> {
        self.today.checked_add(jiff::Span::new().days(days)).ok()
    }

    /// `now` (whole seconds, as stored) plus `seconds`.
    fn instant_at(&self, seconds: i64) -> Option<Timestamp> {
        Timestamp::from_second(self.now.as_second().checked_add(seconds)?).ok()
    }

    fn queries(&self) -> Result<(FollowupQuery, TicketQuery)> {
        let horizon = self.horizon()?;
        Ok((
            FollowupQuery {
                due_before: Some(horizon.followups),
                ..FollowupQuery::default()
            },
            // By when each needs us: an answer owed, or the resolution
            // (not while it waits on the customer).
            TicketQuery {
                due_before: Some(horizon.tickets),
                by_attention: true,
                ..TicketQuery::default()
            },
        ))
    }

    /// Where each table's part of the agenda stands at `line`, as keyset
    /// cursors that `after` / `before` pages take. A line of the other kind
    /// becomes a bound that no row equals on both key and id: with
    /// follow-ups first on a tie, after a ticket due at `k` come follow-ups
    /// due on a later day than `k`'s, and after a follow-up due at `k` come
    /// tickets due at `k` or later.
    fn cursors(&self, line: &AgendaLine) -> Result<(Cursor, Cursor)> {
        let key = line.due_key();
        let bad = || StoreError::Conflict("the agenda line is out of range".into());
        let day = self.date_at(key.div_euclid(DAY)).ok_or_else(bad)?;
        let instant = self.instant_at(key).ok_or_else(bad)?;
        let (followup_id, ticket_id) = match line.kind {
            Entity::Followup => (line.id, 0),
            _ => (i64::MAX, line.id),
        };
        Ok((
            Cursor {
                key: Some(values::date(day)),
                id: followup_id,
            },
            Cursor {
                key: Some(values::ts(instant)),
                id: ticket_id,
            },
        ))
    }
}

impl Store {
    /// The agenda `days` ahead as of now.
    pub fn agenda_query(&self, days: u16) -> AgendaQuery {
        AgendaQuery {
            now: self.clock.now(),
            today: self.clock.today(),
            days,
        }
    }

    /// Up to `limit` lines after `after` (`None`: from the first), in order.
    pub fn agenda_page(
        &self,
        query: &AgendaQuery,
        after: Option<&AgendaLine>,
        limit: usize,
    ) -> Result<Page<AgendaLine>> {
        let (fq, tq) = query.queries()?;
        let (fc, tc) = match after {
            Some(line) => query.cursors(line).map(|(f, t)| (Some(f), Some(t)))?,
            None => (None, None),
        };
        let followups = self.followups_page(&fq, fc.as_ref(), limit)?;
        let tickets = self.tickets_page(&tq, tc.as_ref(), limit)?;
        let more = followups.next.is_some() || tickets.next.is_some();
        let mut lines = agenda::build(&followups.items, &tickets.items, query.now, query.today);
        let more = more || lines.len() > limit;
        lines.truncate(limit);
        Ok(page(lines, more, true))
    }

    /// Up to `limit` lines before `before` (`None`: the last ones), in order.
    pub fn agenda_page_before(
        &self,
        query: &AgendaQuery,
        before: Option<&AgendaLine>,
        limit: usize,
    ) -> Result<Page<AgendaLine>> {
        let (fq, tq) = query.queries()?;
        let (fc, tc) = match before {
            Some(line) => query.cursors(line).map(|(f, t)| (Some(f), Some(t)))?,
            None => (None, None),
        };
        let followups = self.followups_page_before(&fq, fc.as_ref(), limit)?;
        let tickets = self.tickets_page_before(&tq, tc.as_ref(), limit)?;
        let more = followups.next.is_some() || tickets.next.is_some();
        let mut lines = agenda::build(&followups.items, &tickets.items, query.now, query.today);
        let more = more || lines.len() > limit;
        lines.drain(..lines.len().saturating_sub(limit));
        Ok(page(lines, more, false))
    }

    /// How many lines each section has, by the same rule as the header's
    /// counts (`attention_counts`): live work of live customers.
    pub fn agenda_counts(&self, query: &AgendaQuery) -> Result<AgendaCounts> {
        let horizon = query.horizon()?;
        let bad = || StoreError::Conflict("today is out of range".into());
        let tomorrow = query.date_at(1).ok_or_else(bad)?;
        let in_a_day = query.instant_at(DAY).ok_or_else(bad)?;
        // Tickets are listed up to the horizon, which `--days 0` puts at now.
        let today_end = in_a_day.min(horizon.tickets);
        Ok(AgendaCounts {
            overdue: self.due_counts((None, query.today), (None, query.now))?,
            today: self.due_counts((Some(query.today), tomorrow), (Some(query.now), today_end))?,
            upcoming: self.due_counts(
                (Some(tomorrow), horizon.followups),
                (Some(in_a_day), horizon.tickets),
            )?,
        })
    }

    /// Planned follow-ups due in `[from, to)` and unfinished tickets due in
    /// `[from, to)` (`None`: no lower end), leaving out work of customers in
    /// the trash. Counted on the partial indexes alone, less that work (found
    /// from the small trash side): no lookup per row, so a few milliseconds
    /// at a million rows.
    pub(super) fn due_counts(
        &self,
        followups: (Option<Date>, Date),
        tickets: (Option<Timestamp>, Timestamp),
    ) -> Result<SectionCount> {
        // '' sorts before every stored date and time: no lower end.
        let args = [
            followups.0.map(values::date).unwrap_or_default(),
            values::date(followups.1),
            tickets.0.map(values::ts).unwrap_or_default(),
            values::ts(tickets.1),
        ];
        let key = &*ATTENTION_KEY;
        self.conn
            .prepare_cached(&format!(
                "SELECT
                    (SELECT count(*) FROM followups
                      WHERE deleted_at IS NULL AND status = 'planned'
                        AND due_on >= ?1 AND due_on < ?2)
                  - (SELECT count(*) FROM customers c CROSS JOIN followups f ON f.customer_id = c.id
                      WHERE c.deleted_at IS NOT NULL
                        AND f.deleted_at IS NULL AND f.status = 'planned'
                        AND f.due_on >= ?1 AND f.due_on < ?2),
                    (SELECT count(*) FROM tickets t
                      WHERE t.deleted_at IS NULL AND t.status NOT IN ('resolved', 'closed')
                        AND {key} >= ?3 AND {key} < ?4)
                  - (SELECT count(*) FROM customers c CROSS JOIN tickets t ON t.customer_id = c.id
                      WHERE c.deleted_at IS NOT NULL
                        AND t.deleted_at IS NULL AND t.status NOT IN ('resolved', 'closed')
                        AND {key} >= ?3 AND {key} < ?4)"
            ))
            .and_then(|mut stmt| {
                stmt.query_row(rusqlite::params_from_iter(args.map(Value::Text)), |r| {
                    Ok(SectionCount {
                        followups: r.get(0)?,
                        tickets: r.get(1)?,
                    })
                })
            })
            .context("counting what is due")
    }
}

/// A merged page; `next` only says whether more follow (the lines themselves
/// are the cursors, see `AgendaQuery::cursors`).
fn page(items: Vec<AgendaLine>, more: bool, forward: bool) -> Page<AgendaLine> {
    let edge = if forward { items.last() } else { items.first() };
    let next = edge.filter(|_| more).map(|line| Cursor {
        key: None,
        id: line.id,
    });
    Page { items, next }
}

/// Rows read per table per trip by `AgendaLines`.
const STREAM_PAGE: usize = 500;

/// One table's part of a streamed agenda: lines read and not yet handed
/// out, and where its next page starts.
struct Part {
    lines: std::collections::VecDeque<AgendaLine>,
    after: Option<Cursor>,
    done: bool,
}

impl Part {
    fn new() -> Part {
        Part {
            lines: std::collections::VecDeque::new(),
            after: None,
            done: false,
        }
    }
}

/// Every line of an agenda in order, a page of each table at a time: the
/// two parts are merged as they are read, so no row is read twice (as a
/// page-by-page merge must) and at most two pages are held.
pub struct AgendaLines<'a> {
    store: &'a Store,
    query: AgendaQuery,
    followup_query: FollowupQuery,
    ticket_query: TicketQuery,
    followups: Part,
    tickets: Part,
}

impl Store {
    pub fn agenda_lines(&self, query: &AgendaQuery) -> Result<AgendaLines<'_>> {
        let (followup_query, ticket_query) = query.queries()?;
        Ok(AgendaLines {
            store: self,
            query: *query,
            followup_query,
            ticket_query,
            followups: Part::new(),
            tickets: Part::new(),
        })
    }
}

impl AgendaLines<'_> {
    /// Reads the next page of a part that has run dry.
    fn fill(&mut self) -> Result<()> {
        let (now, today) = (self.query.now, self.query.today);
        // A loop, though the queries ask for the rows `build` keeps: a part
        // left empty but not done would let the other part's lines pass it.
        while self.followups.lines.is_empty() && !self.followups.done {
            let part = &mut self.followups;
            let page = self.store.followups_page(
                &self.followup_query,
                part.after.as_ref(),
                STREAM_PAGE,
            )?;
            part.done = page.next.is_none();
            part.after = page.items.last().map(|f| self.followup_query.cursor_of(f));
            part.lines = agenda::build(&page.items, &[], now, today).into();
        }
        while self.tickets.lines.is_empty() && !self.tickets.done {
            let part = &mut self.tickets;
            let page =
                self.store
                    .tickets_page(&self.ticket_query, part.after.as_ref(), STREAM_PAGE)?;
            part.done = page.next.is_none();
            part.after = page.items.last().map(|t| self.ticket_query.cursor_of(t));
            part.lines = agenda::build(&[], &page.items, now, today).into();
        }
        Ok(())
    }
}

impl Iterator for AgendaLines<'_> {
    type Item = Result<AgendaLine>;

    fn next(&mut self) -> Option<Result<AgendaLine>> {
        if let Err(e) = self.fill() {
            // Said once; the walk ends there.
            self.followups = Part {
                done: true,
                ..Part::new()
            };
            self.tickets = Part {
                done: true,
                ..Part::new()
            };
            return Some(Err(e));
        }
        let first = match (self.followups.lines.front(), self.tickets.lines.front()) {
            (Some(f), Some(t)) if t.order_key() < f.order_key() => &mut self.tickets,
            (Some(_), _) => &mut self.followups,
            (None, Some(_)) => &mut self.tickets,
            (None, None) => return None,
        };
        first.lines.pop_front().map(Ok)
    }
}
