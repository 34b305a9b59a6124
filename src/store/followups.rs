//! Success follow-ups: plan, finish (done/skip/cancel, with the next one of a
//! recurring series in the same transaction), list by due date.

use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params};

use super::customers::live_customer_in;
use super::error::{Context, Result, StoreError};
use super::interactions::insert_interaction_row;
use super::paging::{Order, Window, finish_sql, list_sql};
use super::search::{Indexed, fts_query};
use super::values::{self, get_choice, get_date, get_opt_ts, get_recurrence, get_ts, text};
use super::{Cursor, Page, Store, Write};
use crate::domain::edit::OnConflict;
use crate::domain::{Followup, FollowupDraft, FollowupStatus};

const SELECT_FOLLOWUP: &str = "
    SELECT f.id, f.customer_id, c.name, f.kind, f.due_on, f.status, f.recurrence, f.note,
           f.completed_at, f.outcome, f.created_at, f.updated_at, f.deleted_at, f.assignee
      FROM followups f JOIN customers c ON c.id = f.customer_id";

fn followup_from_row(row: &Row) -> rusqlite::Result<Followup> {
    Ok(Followup {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        customer: row.get(2)?,
        kind: get_choice(row, 3)?,
        due_on: get_date(row, 4)?,
        status: get_choice(row, 5)?,
        recurrence: get_recurrence(row, 6)?,
        note: row.get(7)?,
        completed_at: get_opt_ts(row, 8)?,
        outcome: row.get(9)?,
        created_at: get_ts(row, 10)?,
        updated_at: get_ts(row, 11)?,
        deleted_at: get_opt_ts(row, 12)?,
        assignee: row.get(13)?,
    })
}

fn columns(f: &Followup) -> [(&'static str, Value); 9] {
    [
        ("kind", Value::Text(f.kind.as_str().to_string())),
        ("due_on", Value::Text(values::date(f.due_on))),
        ("status", Value::Text(f.status.as_str().to_string())),
        (
            "recurrence",
            text(f.recurrence.map(|r| r.to_string()).as_deref()),
        ),
        ("note", text(f.note.as_deref())),
        (
            "completed_at",
            text(values::opt_ts(f.completed_at).as_deref()),
        ),
        ("outcome", text(f.outcome.as_deref())),
        ("deleted_at", text(values::opt_ts(f.deleted_at).as_deref())),
        ("assignee", text(f.assignee.as_deref())),
    ]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowupQuery {
    /// Empty: every status.
    pub statuses: Vec<FollowupStatus>,
    /// This customer's follow-ups, and for an organization its people's too.
    pub customer_id: Option<i64>,
    /// Words matching the customer's name, email or notes.
    pub search: Option<String>,
    /// Due strictly before this date.
    pub due_before: Option<Date>,
    pub order: FollowupOrder,
    /// The trash (deleted ones, and those of customers in the trash)
    /// instead of the live ones.
    pub trash: bool,
    /// This person's (any case).
    pub assignee: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FollowupOrder {
    /// Soonest due first: what to do next.
    #[default]
    Due,
    /// Latest due first.
    LatestDue,
    /// Most recently finished first (finished ones only).
    RecentlyFinished,
}

impl Default for FollowupQuery {
    /// What is still to do.
    fn default() -> Self {
        FollowupQuery {
            statuses: vec![FollowupStatus::Planned],
            customer_id: None,
            search: None,
            due_before: None,
            order: FollowupOrder::Due,
            trash: false,
            assignee: None,
        }
    }
}

/// Where a finished follow-up sorts: when it was finished (its due date for
/// one imported without that time). The migration indexes the same expression.
const FINISHED_KEY: &str = "coalesce(f.completed_at, f.due_on)";

impl FollowupQuery {
    fn order(&self) -> Order<'static> {
        let (key, descending) = match self.order {
            FollowupOrder::Due => ("f.due_on", false),
            FollowupOrder::LatestDue => ("f.due_on", true),
            FollowupOrder::RecentlyFinished => (FINISHED_KEY, true),
        };
        Order {
            key,
            id: "f.id",
            descending,
        }
    }

    pub fn cursor_of(&self, f: &Followup) -> Cursor {
        let key = match (self.order, f.completed_at) {
            (FollowupOrder::RecentlyFinished, Some(at)) => values::ts(at),
            _ => values::date(f.due_on),
        };
        Cursor {
            key: Some(key),
            id: f.id,
        }
    }
}

impl Store {
    /// Follow-ups by id after `after_id`, trash included (for exports).
    pub fn followups_by_id(&self, after_id: i64, limit: usize) -> Result<Vec<Followup>> {
        self.fetch_by_id(SELECT_FOLLOWUP, "f", after_id, limit, followup_from_row)
    }

    pub fn followup(&self, id: i64) -> Result<Followup> {
        let sql = format!("{SELECT_FOLLOWUP} WHERE f.id = +?1");
        self.fetch_one(&sql, id, followup_from_row, "follow-up")
    }

    /// Soonest due first.
    pub fn followups_page(
        &self,
        query: &FollowupQuery,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Followup>> {
        self.followups_window(query, Window::After(after), limit)
    }

    /// The page before `before` (`None`: the last page), in display order.
    pub fn followups_page_before(
        &self,
        query: &FollowupQuery,
        before: Option<&Cursor>,
        limit: usize,
    ) -> Result<Page<Followup>> {
        self.followups_window(query, Window::Before(before), limit)
    }

    fn followups_window(
        &self,
        query: &FollowupQuery,
        window: Window,
        limit: usize,
    ) -> Result<Page<Followup>> {
        self.fetch_built(
            self.followups_sql(query, window, limit)?,
            (window, limit),
            followup_from_row,
            |x| query.cursor_of(x),
            "listing follow-ups",
        )
    }

    /// `query`'s list streamed from one statement: `each` gets a batch at
    /// a time with whether more follow, at most `limit`; the result says
    /// whether the limit left some out.
    pub fn each_followup<E: From<StoreError>>(
        &self,
        query: &FollowupQuery,
        limit: usize,
        each: impl FnMut(Vec<Followup>, bool) -> std::result::Result<(), E>,
    ) -> std::result::Result<bool, E> {
        let whole = query.customer_id.is_none() && query.search.is_none();
        self.stream_list(
            ("FROM followups f", whole),
            (limit, limit),
            |window, limit| self.followups_sql(query, window, limit),
            (followup_from_row, Ok),
            each,
            "listing follow-ups",
        )
    }

    /// The statement and arguments of `query` in a window; `None` when
    /// nothing can match (a search of no words).
    fn followups_sql(
        &self,
        query: &FollowupQuery,
        window: Window,
        limit: usize,
    ) -> Result<Option<(String, Vec<Value>)>> {
        let mut args: Vec<Value> = Vec::new();
        let mut sql = list_sql(
            SELECT_FOLLOWUP,
            ("followups", "f", "followups_by_customer"),
            (&query.statuses, query.customer_id, query.trash),
            &mut args,
        );
        if let Some(words) = query.search.as_deref() {
            let Some(m) = fts_query(words) else {
                return Ok(None);
            };
            sql.push_str(" AND f.customer_id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?)");
            args.push(Value::Text(m));
        }
        if let Some(before) = query.due_before {
            sql.push_str(" AND f.due_on < ?");
            args.push(Value::Text(values::date(before)));
        }
        if let Some(who) = &query.assignee {
            sql.push_str(" AND f.assignee = ? COLLATE NOCASE");
            args.push(Value::Text(who.clone()));
        }
        finish_sql(&mut sql, &mut args, &query.order(), window, limit);
        Ok(Some((sql, args)))
    }

    pub fn add_followup(&mut self, draft: FollowupDraft) -> Result<Followup> {
        let id = self.write("followup.add", |w| {
            let customer = live_customer_in(&w.tx, draft.customer_id)?;
            let mut draft = draft.normalized()?;
            // Nobody named: the customer's owner does it.
            if draft.assignee.is_none() {
                draft.assignee = customer.owner;
            }
            insert_followup(w, &draft)
        })?;
        self.followup(id)
    }

    /// Marks a follow-up done, skipped or cancelled; a recurring one plans its
    /// next occurrence, and an outcome goes into the customer's log, in the
    /// same transaction (one undo step). Returns (finished, next).
    pub fn finish_followup(
        &mut self,
        id: i64,
        status: FollowupStatus,
        outcome: Option<&str>,
    ) -> Result<(Followup, Option<Followup>)> {
        let now = self.clock.now();
        let action = format!("followup.{}", status.as_str());
        // Read inside the transaction: of two processes finishing the same
        // follow-up, the second is told it is finished already, and only one
        // next occurrence is planned.
        let next_id = self.write(&action, |w| {
            let current = followup_in(&w.tx, id)?;
            if current.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "follow-up {id} is in the trash"
                )));
            }
            let (finished, next) = current.finish(status, outcome, now)?;
            save_followup(w, &current, &finished)?;
            if let Some(entry) = finished.outcome_entry(now) {
                let id = insert_interaction_row(w, &entry.normalized()?, &w.now_text)?;
                w.record_insert("interactions", id)?;
                w.reindex(Indexed::Interaction, id)?;
            }
            next.as_ref()
                .map(|draft| insert_followup(w, draft))
                .transpose()
        })?;
        let next = next_id.map(|id| self.followup(id)).transpose()?;
        Ok((self.followup(id)?, next))
    }

    /// Changes what is planned (kind, due date, recurrence, note): what
    /// `draft` changes of `base`, merged as `update_customer` does.
    pub fn update_followup(
        &mut self,
        id: i64,
        base: &FollowupDraft,
        draft: FollowupDraft,
        on_conflict: OnConflict,
    ) -> Result<Followup> {
        let draft = draft.normalized()?;
        self.write("followup.edit", |w| {
            let current = followup_in(&w.tx, id)?;
            if current.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "follow-up {id} is in the trash"
                )));
            }
            let draft =
                FollowupDraft::merge(base, &draft, &current.draft(), on_conflict.overwrites())
                    .map_err(|conflicts| StoreError::ChangedMeanwhile {
                        what: format!("follow-up {id}"),
                        conflicts,
                    })?;
            let next = Followup {
                kind: draft.kind,
                due_on: draft.due_on,
                recurrence: draft.recurrence,
                note: draft.note,
                assignee: draft.assignee,
                ..current.clone()
            };
            save_followup(w, &current, &next)
        })?;
        self.followup(id)
    }

    pub fn delete_followup(&mut self, id: i64) -> Result<Followup> {
        let now = self.clock.now();
        self.write("followup.delete", |w| {
            let current = followup_in(&w.tx, id)?;
            if current.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "follow-up {id} is already in the trash"
                )));
            }
            let mut next = current.clone();
            next.deleted_at = Some(now);
            save_followup(w, &current, &next)
        })?;
        self.followup(id)
    }
}

/// Follow-up `id` read inside a write's transaction.
pub(super) fn followup_in(conn: &Connection, id: i64) -> Result<Followup> {
    let sql = format!("{SELECT_FOLLOWUP} WHERE f.id = +?1");
    super::paging::fetch_one_in(conn, &sql, id, followup_from_row, "follow-up")
}

fn insert_followup(w: &Write, d: &FollowupDraft) -> Result<i64> {
    let id = insert_followup_row(
        w,
        &Followup {
            id: 0,
            customer_id: d.customer_id,
            customer: None,
            kind: d.kind,
            due_on: d.due_on,
            status: FollowupStatus::Planned,
            recurrence: d.recurrence,
            note: d.note.clone(),
            completed_at: None,
            outcome: None,
            created_at: w.now,
            updated_at: w.now,
            deleted_at: None,
            assignee: d.assignee.clone(),
        },
    )?;
    w.record_insert("followups", id)?;
    Ok(id)
}

pub(super) fn insert_followup_row(w: &Write, f: &Followup) -> Result<i64> {
    w.tx.prepare_cached(
        "INSERT INTO followups (customer_id, kind, due_on, status, recurrence, note, completed_at, outcome,
                                created_at, updated_at, assignee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            f.customer_id,
            f.kind.as_str(),
            values::date(f.due_on),
            f.status.as_str(),
            f.recurrence.map(|r| r.to_string()),
            f.note,
            values::opt_ts(f.completed_at),
            f.outcome,
            values::ts(f.created_at),
            values::ts(f.updated_at),
            f.assignee,
        ])
    })
    .context("adding a follow-up")?;
    Ok(w.tx.last_insert_rowid())
}

fn save_followup(w: &Write, old: &Followup, new: &Followup) -> Result<()> {
    let fields: Vec<_> = columns(old)
        .into_iter()
        .zip(columns(new))
        .map(|((name, old), (_, new))| (name, old, new))
        .collect();
    w.set_fields("followups", old.id, &fields)?;
    Ok(())
}
