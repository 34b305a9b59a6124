//! Customers: people and organizations and their tags, read and written
//! one at a time (their lists are in `customer_list.rs`).

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::customer_list::CustomerQuery;
use super::error::{Context, Result, StoreError};
use super::search::Indexed;
use super::tags::set_tags;
use super::values::{self, get_choice, get_opt_date, get_opt_ts, get_ts, int, split_tags, text};
use super::{Store, Write};
use crate::domain::customer::Extra;
use crate::domain::edit::OnConflict;
use crate::domain::membership::{MembershipError, check_member, check_target};
use crate::domain::{Customer, CustomerDraft, CustomerKind};

/// The columns `customer_from_row` reads (and `listed_customer_from_row`
/// one more, the people count), from the given FROM clause.
macro_rules! select_customer {
    ($from:literal) => {
        select_customer!("", $from)
    };
    // A list page also counts each organization's people, for its column:
    // one lookup on `customers_by_org` per organization on the page (a
    // 100-row page at a million customers stays a few milliseconds); exports
    // and single reads do without.
    (people, $from:literal) => {
        select_customer!(
            ", CASE WHEN c.kind = 'organization' THEN
                 (SELECT count(*) FROM customers p WHERE p.organization_id = c.id AND p.deleted_at IS NULL)
               END",
            $from
        )
    };
    ($more:literal, $from:literal) => {
        concat!(
            "SELECT c.id, c.kind, c.name, c.organization_id, o.name, c.email, c.phone, c.title, c.segment,
                    (SELECT group_concat(t.name, char(31)) FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                      WHERE ct.customer_id = c.id),
                    c.stage, c.owner, c.renewal_on, c.contract_value, c.currency, c.notes,
                    c.created_at, c.updated_at, c.deleted_at, c.extra ",
            $more,
            " ",
            $from
        )
    };
}
const SELECT_CUSTOMER: &str =
    select_customer!("FROM customers c LEFT JOIN customers o ON o.id = c.organization_id");
/// The columns of a list page: a customer and its people count.
pub(super) const LISTED_COLUMNS: &str = select_customer!(people, "");

fn customer_from_row(row: &Row) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get(0)?,
        kind: get_choice(row, 1)?,
        name: row.get(2)?,
        organization_id: row.get(3)?,
        organization: row.get(4)?,
        people: None,
        email: row.get(5)?,
        phone: row.get(6)?,
        title: row.get(7)?,
        segment: row.get(8)?,
        tags: split_tags(row.get(9)?),
        stage: get_choice(row, 10)?,
        owner: row.get(11)?,
        renewal_on: get_opt_date(row, 12)?,
        contract_value: row.get(13)?,
        currency: row.get(14)?,
        notes: row.get(15)?,
        created_at: get_ts(row, 16)?,
        updated_at: get_ts(row, 17)?,
        deleted_at: get_opt_ts(row, 18)?,
        // Unreadable extras are dropped rather than hiding the customer.
        extra: values::opt_text_at(row, 19)?
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default(),
    })
}

/// A row of a list page: the customer and its people count.
pub(super) fn listed_customer_from_row(row: &Row) -> rusqlite::Result<Customer> {
    let mut customer = customer_from_row(row)?;
    customer.people = row.get(20)?;
    Ok(customer)
}

/// The extra details as stored: JSON, or NULL when there are none.
pub(super) fn extra_json(extra: &Extra) -> Option<String> {
    if extra.is_empty() {
        None
    } else {
        serde_json::to_string(extra).ok()
    }
}

/// The stored columns of a draft, in one place for insert and diff.
fn columns(d: &CustomerDraft) -> [(&'static str, Value); 14] {
    let money = d.contract_value.as_ref();
    [
        ("kind", Value::Text(d.kind.as_str().to_string())),
        ("name", Value::Text(d.name.clone())),
        ("organization_id", int(d.organization_id)),
        ("email", text(d.email.as_deref())),
        ("phone", text(d.phone.as_deref())),
        ("title", text(d.title.as_deref())),
        ("segment", text(d.segment.as_deref())),
        ("stage", Value::Text(d.stage.as_str().to_string())),
        ("owner", text(d.owner.as_deref())),
        (
            "renewal_on",
            text(values::opt_date(d.renewal_on).as_deref()),
        ),
        ("contract_value", int(money.map(|m| m.minor))),
        ("currency", text(money.map(|m| m.currency.as_str()))),
        ("notes", text(d.notes.as_deref())),
        ("extra", text(extra_json(&d.extra).as_deref())),
    ]
}

impl Store {
    /// Customers by id after `after_id`, trash included (for exports).
    pub fn customers_by_id(&self, after_id: i64, limit: usize) -> Result<Vec<Customer>> {
        self.fetch_by_id(SELECT_CUSTOMER, "c", after_id, limit, customer_from_row)
    }

    /// The largest customer id there is (0 with none), trash included: how
    /// wide an id column must be.
    pub fn largest_customer_id(&self) -> Result<i64> {
        self.conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM customers")
            .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
            .context("reading the largest customer id")
    }

    pub fn customer(&self, id: i64) -> Result<Customer> {
        customer_in(&self.conn, id)
    }

    /// The organization `text` names: an id, a name in any case, or words that
    /// match only one organization ("acme" for "Acme Corp"). Blank: none.
    pub fn resolve_organization(&self, text: &str) -> Result<Option<i64>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if let Ok(id) = text.parse::<i64>() {
            return Ok(Some(id));
        }
        let mut found = self.organizations_named(text)?;
        if found.is_empty() {
            let query = CustomerQuery {
                search: Some(text.to_string()),
                kind: Some(CustomerKind::Organization),
                ..CustomerQuery::default()
            };
            found = self.customers_page(&query, None, 5)?.items;
        }
        match found.as_slice() {
            [org] => Ok(Some(org.id)),
            [] => Err(StoreError::Conflict(format!(
                "no organization named {text:?}; add it as an organization first"
            ))),
            many => {
                let ids: Vec<String> = many.iter().map(|o| o.id.to_string()).collect();
                Err(StoreError::Conflict(format!(
                    "several organizations match {text:?} (ids {}); give the id instead",
                    ids.join(", ")
                )))
            }
        }
    }

    /// Live organizations whose name equals `name`, ignoring case.
    pub fn organizations_named(&self, name: &str) -> Result<Vec<Customer>> {
        let sql = format!(
            "{SELECT_CUSTOMER} WHERE c.kind = 'organization' AND c.deleted_at IS NULL
               AND c.name = ?1 COLLATE NOCASE ORDER BY c.id"
        );
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_map([name.trim()], customer_from_row)?.collect())
            .context("looking up organizations")
    }

    pub fn add_customer(&mut self, draft: CustomerDraft) -> Result<Customer> {
        let draft = draft.normalized()?;
        let id = self.write("customer.add", |w| {
            check_organization(w, None, &draft)?;
            let id = insert_customer_row(w, &draft, &w.now_text)?;
            w.record_insert("customers", id)?;
            set_tags(w, id, &[], &draft.tags)?;
            w.reindex(Indexed::Customer, id)?;
            Ok(id)
        })?;
        self.customer(id)
    }

    /// Saves what `draft` changes of `base` (the customer as the editor
    /// first saw it) over customer `id`, read again inside the transaction:
    /// fields the user left alone keep what another process may have saved
    /// meanwhile; a field both changed is a conflict unless `on_conflict`
    /// says to overwrite. Each changed field is one history row.
    pub fn update_customer(
        &mut self,
        id: i64,
        base: &CustomerDraft,
        draft: CustomerDraft,
        on_conflict: OnConflict,
    ) -> Result<Customer> {
        let draft = draft.normalized()?;
        let base = base.clone().normalized().unwrap_or_else(|_| base.clone());
        self.write("customer.edit", |w| {
            let current = customer_in(&w.tx, id)?;
            if current.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "customer {id} is in the trash; restore it first"
                )));
            }
            let draft =
                CustomerDraft::merge(&base, &draft, &current.draft(), on_conflict.overwrites())
                    .map_err(|conflicts| StoreError::ChangedMeanwhile {
                        what: format!("customer {id}"),
                        conflicts,
                    })?;
            // Only a new link is checked: people of an organization in the
            // trash stay editable.
            if draft.organization_id != current.organization_id {
                check_organization(w, Some(id), &draft)?;
            }
            if current.kind == CustomerKind::Organization && draft.kind == CustomerKind::Person {
                let people: i64 =
                    w.tx.query_row(
                        "SELECT count(*) FROM customers WHERE organization_id = ?1",
                        [id],
                        |r| r.get(0),
                    )
                    .context("counting people")?;
                if people > 0 {
                    return Err(StoreError::Conflict(format!(
                        "customer {id} has {people} people; move them before making it a person"
                    )));
                }
            }
            save_customer(w, &current, &draft)
        })?;
        self.customer(id)
    }

    /// Saves the whole of `draft` over customer `id`: every field that differs
    /// from what is saved is written (a script's or a test's "make it so").
    pub fn replace_customer(&mut self, id: i64, draft: CustomerDraft) -> Result<Customer> {
        let base = self.customer(id)?.draft();
        self.update_customer(id, &base, draft, OnConflict::Overwrite)
    }

    /// Moves a customer to the trash; its tickets, follow-ups and log go with it
    /// from every list, and come back on restore.
    pub fn delete_customer(&mut self, id: i64) -> Result<Customer> {
        self.write("customer.delete", |w| {
            if customer_in(&w.tx, id)?.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "customer {id} is already in the trash"
                )));
            }
            let now = Value::Text(w.now_text.clone());
            w.set_fields("customers", id, &[("deleted_at", Value::Null, now)])?;
            w.reindex(Indexed::Customer, id)
        })?;
        self.customer(id)
    }

    pub fn restore_customer(&mut self, id: i64) -> Result<Customer> {
        self.write("customer.restore", |w| {
            let Some(deleted_at) = customer_in(&w.tx, id)?.deleted_at else {
                return Err(StoreError::Conflict(format!(
                    "customer {id} is not in the trash"
                )));
            };
            let old = Value::Text(values::ts(deleted_at));
            w.set_fields("customers", id, &[("deleted_at", old, Value::Null)])?;
            w.reindex(Indexed::Customer, id)
        })?;
        self.customer(id)
    }
}

/// Customer `id` inside a write's transaction, refused when it is in the
/// trash: new work for it is checked where it is written, so a customer
/// trashed by another process meanwhile gets none.
pub(super) fn live_customer_in(conn: &Connection, id: i64) -> Result<Customer> {
    let customer = customer_in(conn, id)?;
    if customer.deleted_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "customer {id} is in the trash"
        )));
    }
    Ok(customer)
}

/// Customer `id` read through `conn` (inside a write: its transaction).
pub(super) fn customer_in(conn: &Connection, id: i64) -> Result<Customer> {
    let sql = format!("{SELECT_CUSTOMER} WHERE c.id = +?1");
    super::paging::fetch_one_in(conn, &sql, id, customer_from_row, "customer")
}

/// Puts customer `id`'s other emails (extra EMAIL) into `customer_emails`,
/// where imports look them up by index. Called after every write of extra.
pub(super) fn resync_emails(w: &Write, id: i64) -> Result<()> {
    w.tx.prepare_cached("DELETE FROM customer_emails WHERE customer_id = ?1")
        .and_then(|mut stmt| stmt.execute([id]))
        .and_then(|_| {
            w.tx.prepare_cached(
                "INSERT INTO customer_emails (customer_id, email, created_at, updated_at)
                 SELECT c.id, e.value, ?2, ?2 FROM customers c, json_each(c.extra, '$.EMAIL') e
                  WHERE c.id = ?1 AND c.extra IS NOT NULL AND e.type = 'text'",
            )?
            .execute(params![id, w.now_text])
        })
        .context("indexing a customer's emails")?;
    Ok(())
}

/// Writes the fields and tags of `draft` that differ from `current`.
pub(super) fn save_customer(w: &Write, current: &Customer, draft: &CustomerDraft) -> Result<()> {
    let fields: Vec<_> = columns(&current.draft())
        .into_iter()
        .zip(columns(draft))
        .map(|((name, old), (_, new))| (name, old, new))
        .collect();
    let changed = w.set_fields("customers", current.id, &fields)?;
    if current.extra != draft.extra {
        resync_emails(w, current.id)?;
    }
    let tags_changed = set_tags(w, current.id, &current.tags, &draft.tags)?;
    if changed || tags_changed {
        w.reindex(Indexed::Customer, current.id)?;
    }
    Ok(())
}

/// The row alone (no tags, history or index): callers add what they need.
pub(super) fn insert_customer_row(
    w: &Write,
    draft: &CustomerDraft,
    created_at: &str,
) -> Result<i64> {
    let cols = columns(draft);
    let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
    let sql = format!(
        "INSERT INTO customers ({}, created_at, updated_at) VALUES ({}, ?, ?)",
        names.join(", "),
        vec!["?"; names.len()].join(", ")
    );
    let mut args: Vec<Value> = cols.into_iter().map(|(_, v)| v).collect();
    args.push(Value::Text(created_at.to_string()));
    args.push(Value::Text(created_at.to_string()));
    w.tx.prepare_cached(&sql)
        .and_then(|mut stmt| stmt.execute(params_from_iter(args)))
        .context("adding a customer")?;
    let id = w.tx.last_insert_rowid();
    if draft.extra.contains_key("EMAIL") {
        resync_emails(w, id)?;
    }
    Ok(id)
}

/// A person's organization: the rule of `domain::membership`, and for a
/// link made by hand, an organization that is not in the trash (an import
/// brings people of a trashed organization back as they were).
pub(super) fn check_organization(w: &Write, id: Option<i64>, draft: &CustomerDraft) -> Result<()> {
    let Some(org) = draft.organization_id else {
        return Ok(());
    };
    check_member(draft.kind, id, Some(org)).map_err(membership_error)?;
    let found: Option<(CustomerKind, Option<String>)> =
        w.tx.query_row(
            "SELECT kind, deleted_at FROM customers WHERE id = ?1",
            [org],
            |r| Ok((get_choice(r, 0)?, r.get(1)?)),
        )
        .optional()
        .context("checking the organization")?;
    check_target(org, found.as_ref().map(|(kind, _)| *kind)).map_err(membership_error)?;
    if let Some((_, Some(_))) = found {
        return Err(StoreError::Conflict(format!(
            "organization {org} is in the trash"
        )));
    }
    Ok(())
}

/// The kind of customer `id`, if there is one (inside a write).
pub(super) fn kind_of(w: &Write, id: i64) -> Result<Option<CustomerKind>> {
    w.tx.prepare_cached("SELECT kind FROM customers WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([id], |r| get_choice(r, 0)).optional())
        .context("checking the organization")
}

/// The store's words for a broken membership rule: a missing organization
/// is "not found", like any missing record.
pub(super) fn membership_error(e: MembershipError) -> StoreError {
    match e {
        MembershipError::Missing(id) => StoreError::NotFound {
            entity: "organization",
            id,
        },
        other => StoreError::Conflict(other.to_string()),
    }
}
