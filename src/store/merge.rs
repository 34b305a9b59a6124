//! Finding likely duplicate customers and merging two into one, undoably.

use rusqlite::types::Value;
use rusqlite::{Connection, params};
use serde::Serialize;

use super::customers::{check_organization, customer_in, save_customer};
use super::error::{Context, Result, StoreError};
use super::values::get_choice;
use super::{Store, Write};
use crate::domain::duplicates::{
    Candidate, Finder, Group, Member, Rule, email_key, name_key, phone_key, similar_in,
};
use crate::domain::{Customer, CustomerDraft, CustomerKind};

#[derive(Debug, Clone, Serialize)]
pub struct DuplicateGroup {
    /// Which rule found them: same_email, same_phone, same_name, similar_name.
    pub rule: Rule,
    /// "same email jane@example.com", "same phone 15550102000", "same name
    /// Jane Doe", "similar names in Acme: Kathryn Meyer, Kathryn Meyers"
    pub reason: String,
    pub customers: Vec<Customer>,
}

/// A live customer as the duplicate rules see it.
const SELECT_CANDIDATE: &str =
    "SELECT c.id, c.kind, c.organization_id, o.name, c.name, c.email, c.phone
   FROM customers c LEFT JOIN customers o ON o.id = c.organization_id
  WHERE c.deleted_at IS NULL";

fn candidate_from_row(r: &rusqlite::Row) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        id: r.get(0)?,
        kind: get_choice(r, 1)?,
        organization_id: r.get(2)?,
        organization: r.get(3)?,
        name: r.get(4)?,
        email: r.get(5)?,
        phone: r.get(6)?,
    })
}

/// SQL that keeps a phone's usual punctuation out, to narrow the rows the
/// domain's phone rule then judges exactly.
const PHONE_DIGITS: &str = "replace(replace(replace(replace(replace(replace(replace(c.phone, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), '+', '')";
/// SQL that keeps a name's case, spaces and usual punctuation out, likewise.
const NAME_KEY: &str =
    "lower(replace(replace(replace(replace(c.name, ' ', ''), '.', ''), ',', ''), '-', ''))";

impl Store {
    /// Groups of live customers that are probably the same, by the rules of
    /// `domain::duplicates`, each with its reason, at most `limit`. SQLite
    /// groups by the domain's keys (its sorter, not this process, holds a
    /// big database's keys); similar names are compared one organization at
    /// a time as its people stream by.
    pub fn duplicate_groups(&self, limit: usize) -> Result<Vec<DuplicateGroup>> {
        self.register_duplicate_keys()?;
        let exact = [
            (
                Rule::SameEmail,
                "tuicrm_email_key(email)",
                "email IS NOT NULL",
            ),
            (
                Rule::SamePhone,
                "tuicrm_phone_key(phone)",
                "phone IS NOT NULL",
            ),
            (
                Rule::SameName,
                "kind || ':' || coalesce(organization_id, '') || ':' || tuicrm_name_key(name)",
                "1",
            ),
        ];
        let mut groups = Vec::new();
        for (rule, key, filter) in exact {
            let sql = format!(
                "SELECT {key} AS k, group_concat(id) FROM customers
                  WHERE deleted_at IS NULL AND {filter}
                  GROUP BY k HAVING k IS NOT NULL AND count(*) > 1 ORDER BY min(id) LIMIT ?1"
            );
            let found: Vec<(String, String)> = self
                .conn
                .prepare(&sql)
                .and_then(|mut stmt| {
                    stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect()
                })
                .context("looking for duplicates")?;
            for (key, ids) in found {
                let mut ids: Vec<i64> = ids.split(',').filter_map(|id| id.parse().ok()).collect();
                ids.sort_unstable();
                let customers = ids
                    .iter()
                    .map(|&id| self.customer(id))
                    .collect::<Result<Vec<_>>>()?;
                // A name is shown as its first customer writes it, not as a key.
                let shown = match (rule, customers.first()) {
                    (Rule::SameName, Some(first)) => first.name.clone(),
                    _ => key,
                };
                let group = Group::same(rule, &shown, ids);
                groups.push(DuplicateGroup {
                    rule,
                    reason: group.reason,
                    customers,
                });
            }
        }
        if groups.len() < limit {
            let similar = self.similar_name_groups()?;
            groups.extend(self.groups_of(similar)?);
        }
        groups.truncate(limit);
        Ok(groups)
    }

    /// The domain's keys as SQL functions on this connection (registering
    /// again replaces them; cheap).
    fn register_duplicate_keys(&self) -> Result<()> {
        use rusqlite::functions::FunctionFlags;
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
        type Key = fn(&str) -> Option<String>;
        let keys: [(&str, Key); 3] = [
            ("tuicrm_email_key", email_key),
            ("tuicrm_phone_key", phone_key),
            ("tuicrm_name_key", |name| {
                Some(name_key(name)).filter(|k| !k.is_empty())
            }),
        ];
        for (name, key) in keys {
            self.conn
                .create_scalar_function(name, 1, flags, move |ctx| {
                    let value: Option<String> = ctx.get(0)?;
                    Ok(value.as_deref().and_then(key))
                })
                .context("preparing the duplicate rules")?;
        }
        Ok(())
    }

    /// Similar names of people in one organization, lowest id first.
    fn similar_name_groups(&self) -> Result<Vec<Group>> {
        let mut groups = Vec::new();
        let mut current: Option<(i64, String)> = None;
        let mut people: Vec<Member> = Vec::new();
        self.conn
            .prepare(
                "SELECT c.organization_id, o.name, c.id, c.name
                   FROM customers c JOIN customers o ON o.id = c.organization_id
                  WHERE c.deleted_at IS NULL AND c.kind = 'person' AND c.organization_id IS NOT NULL
                  ORDER BY c.organization_id",
            )
            .and_then(|mut stmt| {
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let org: i64 = r.get(0)?;
                    // Rows come by organization: one ended, judge its people.
                    if current.as_ref().is_some_and(|(id, _)| *id != org)
                        && let Some((_, org_name)) = current.take()
                    {
                        groups.extend(similar_in(&org_name, std::mem::take(&mut people)));
                    }
                    if current.is_none() {
                        current = Some((org, r.get(1)?));
                    }
                    let name: String = r.get(3)?;
                    people.push((name_key(&name), name, r.get(2)?));
                }
                Ok(())
            })
            .context("looking for duplicates")?;
        if let Some((_, org_name)) = current {
            groups.extend(similar_in(&org_name, people));
        }
        groups.sort_by_key(|g| g.ids.first().copied());
        Ok(groups)
    }

    fn groups_of(&self, groups: Vec<Group>) -> Result<Vec<DuplicateGroup>> {
        groups
            .into_iter()
            .map(|g| {
                Ok(DuplicateGroup {
                    rule: g.rule,
                    reason: g.reason,
                    customers: g
                        .ids
                        .iter()
                        .map(|&id| self.customer(id))
                        .collect::<Result<_>>()?,
                })
            })
            .collect()
    }

    /// Live customers that are probably the same as customer `id`, each with
    /// the reason (the first rule that matched). SQL narrows the rows to
    /// those that can match (same email, same organization, about the same
    /// name or phone); the domain's rules decide.
    pub fn duplicates_of(&self, id: i64) -> Result<Vec<(Customer, String)>> {
        let sql = format!(
            "{SELECT_CANDIDATE} AND (c.id = ?1
                OR c.email = ?2 COLLATE NOCASE
                OR c.organization_id = ?3
                OR (?3 IS NULL AND c.organization_id IS NULL AND {NAME_KEY} = ?4)
                OR (?5 IS NOT NULL AND c.phone IS NOT NULL AND {PHONE_DIGITS} LIKE '%' || ?5))
              ORDER BY c.id LIMIT 1000"
        );
        let me = self.customer(id)?;
        let sql_name_key: String = me
            .name
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | ',' | '-'))
            .collect::<String>()
            .to_lowercase();
        // The last seven digits: what any writing of the number ends with.
        let phone_tail = me.phone.as_deref().and_then(phone_key).map(|digits| {
            let skip = digits.len().saturating_sub(7);
            digits[skip..].to_string()
        });
        let mut finder = Finder::default();
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| {
                let rows = stmt.query_map(
                    params![id, me.email, me.organization_id, sql_name_key, phone_tail],
                    candidate_from_row,
                )?;
                for candidate in rows {
                    finder.add(&candidate?);
                }
                Ok(())
            })
            .context("looking for duplicates")?;
        let mut found: Vec<(i64, String)> = Vec::new();
        for group in finder.groups(usize::MAX) {
            if !group.ids.contains(&id) {
                continue;
            }
            for &other in &group.ids {
                if other != id && !found.iter().any(|(seen, _)| *seen == other) {
                    found.push((other, group.reason.clone()));
                }
            }
        }
        found.sort_by_key(|(other, _)| *other);
        found.truncate(20);
        found
            .into_iter()
            .map(|(other, reason)| Ok((self.customer(other)?, reason)))
            .collect()
    }

    /// Moves everything of `other` (tickets, follow-ups, interactions, tags,
    /// people) to `keep`, fills `keep`'s empty fields from it and puts `other`
    /// in the trash: one transaction, undoable as one change.
    pub fn merge_customers(&mut self, keep: i64, other: i64) -> Result<Customer> {
        if keep == other {
            return Err(StoreError::Conflict(format!(
                "cannot merge customer {keep} into itself"
            )));
        }
        let kept = self.customer(keep)?;
        let merged_away = self.customer(other)?;
        for c in [&kept, &merged_away] {
            if c.deleted_at.is_some() {
                return Err(StoreError::Conflict(format!(
                    "customer {} is in the trash",
                    c.id
                )));
            }
        }
        if merged_away.kind == CustomerKind::Organization && kept.kind == CustomerKind::Person {
            return Err(StoreError::Conflict(format!(
                "customer {other} is an organization and {keep} a person; keep the organization instead"
            )));
        }
        let draft = kept.merged_with(&merged_away).normalized()?;
        self.write("customer.merge", |w| {
            check_organization(w, Some(keep), &draft)?;
            save_customer(w, &kept, &draft)?;
            for (table, column) in [
                ("tickets", "customer_id"),
                ("followups", "customer_id"),
                ("interactions", "customer_id"),
                ("customers", "organization_id"),
            ] {
                move_rows(w, table, column, other, keep)?;
            }
            let now = Value::Text(w.now_text.clone());
            w.set_fields("customers", other, &[("deleted_at", Value::Null, now)])?;
            w.reindex(super::search::Indexed::Customer, other)
        })?;
        self.customer(keep)
    }
}

/// Points every row of `table` whose `column` is `from` at `to`, one history row each.
fn move_rows(
    w: &Write,
    table: &'static str,
    column: &'static str,
    from: i64,
    to: i64,
) -> Result<()> {
    let sql = format!("SELECT id FROM {table} WHERE {column} = ?1");
    let ids: Vec<i64> =
        w.tx.prepare(&sql)
            .and_then(|mut stmt| stmt.query_map(params![from], |r| r.get(0))?.collect())
            .context("finding records to move")?;
    for id in ids {
        w.set_fields(
            table,
            id,
            &[(column, Value::Integer(from), Value::Integer(to))],
        )?;
    }
    Ok(())
}

/// The customer an imported contact is, if any: by our UID (the customer's
/// id), then another writer's UID kept from an earlier import, then email (any of the contact's, any case), then exact name with the same phone digits,
/// then exact name when the contact has neither. Among live customers, or
/// with `trashed`, among those in the trash (a trashed record of an export
/// matches its trashed copy, so importing it twice adds nothing).
pub(super) fn find_existing_in(
    conn: &Connection,
    contact: &Contact,
    trashed: bool,
    last_id_before: i64,
) -> Result<Option<Customer>> {
    // Nothing was here before: nothing to find.
    if contact.known_only && last_id_before == 0 {
        return Ok(None);
    }
    let live = if trashed { "IS NOT NULL" } else { "IS NULL" };
    // The same kind, and (for a whole-database export) a customer that was
    // here before: two people of one file are never each other.
    let fits = |c: &Customer| {
        c.kind == contact.kind
            && c.deleted_at.is_some() == trashed
            && (!contact.known_only || c.id <= last_id_before)
    };
    let first_fitting =
        |ids: Vec<i64>, extra: &dyn Fn(&Customer) -> bool| -> Result<Option<Customer>> {
            for id in ids {
                let c = customer_in(conn, id)?;
                if fits(&c) && extra(&c) {
                    return Ok(Some(c));
                }
            }
            Ok(None)
        };
    // Our UID is the id in the database that wrote the file: the same
    // customer here only if it was here before this import and still has
    // that name or email (another database's customer 42 is somebody else).
    if let Some(id) = contact.id.filter(|id| *id <= last_id_before)
        && let Ok(c) = customer_in(conn, id)
        && fits(&c)
        && (c.name.eq_ignore_ascii_case(contact.name)
            || c.email
                .as_deref()
                .zip(contact.email)
                .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b)))
    {
        return Ok(Some(c));
    }
    // Values are bound as +?1 throughout: SQLite would otherwise weigh each
    // value against the partial indexes and re-prepare the statement for
    // every new one (most of an import's time).
    let ids = |sql: &str, value: &str| -> Result<Vec<(i64, Option<String>)>> {
        conn.prepare_cached(sql)
            .and_then(|mut stmt| {
                stmt.query_map([value], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .context("matching imported contacts")
    };
    let only_ids =
        |found: Vec<(i64, Option<String>)>| found.into_iter().map(|(id, _)| id).collect();
    if let Some(uid) = contact.card_uid {
        let sql = format!(
            "SELECT id, NULL FROM customers WHERE json_extract(extra, '$.UID[0]') = +?1
               AND extra IS NOT NULL AND deleted_at {live} ORDER BY id LIMIT 5"
        );
        if let Some(c) = first_fitting(only_ids(ids(&sql, uid)?), &|_| true)? {
            return Ok(Some(c));
        }
    }
    let sql = format!(
        "SELECT id, phone FROM customers WHERE email = +?1 COLLATE NOCASE AND deleted_at {live} ORDER BY id LIMIT 5"
    );
    let emails = contact
        .email
        .into_iter()
        .chain(contact.other_emails.iter().map(String::as_str));
    // Also a customer's other emails (kept from an earlier import or merge).
    let other_sql = format!(
        "SELECT c.id, NULL FROM customer_emails e JOIN customers c ON c.id = e.customer_id
          WHERE e.email = +?1 AND c.deleted_at {live} ORDER BY c.id LIMIT 5"
    );
    for email in emails {
        for sql in [&sql, &other_sql] {
            if let Some(c) = first_fitting(only_ids(ids(sql, email)?), &|_| true)? {
                return Ok(Some(c));
            }
        }
    }
    // By name only with the same phone, or when the contact has neither; and
    // not when it names another organization (Alex Kim of Acme is not Alex
    // Kim of Globex).
    if contact.phone.is_none() && contact.email.is_some() {
        return Ok(None);
    }
    let digits = |p: &str| p.chars().filter(char::is_ascii_digit).collect::<String>();
    let sql = format!(
        "SELECT id, phone FROM customers WHERE name = +?1 COLLATE NOCASE AND deleted_at {live} ORDER BY id LIMIT 50"
    );
    let named: Vec<i64> = ids(&sql, contact.name)?
        .into_iter()
        .filter(|(_, their_phone)| match (contact.phone, their_phone) {
            (Some(mine), Some(theirs)) => digits(mine) == digits(theirs),
            (None, _) => contact.email.is_none(),
            (Some(_), None) => false,
        })
        .map(|(id, _)| id)
        .collect();
    let same_organization = |c: &Customer| match (contact.organization, c.organization.as_deref()) {
        (Some(mine), Some(theirs)) => mine.trim().eq_ignore_ascii_case(theirs.trim()),
        _ => true,
    };
    first_fitting(named, &same_organization)
}

/// What an imported contact is matched on.
#[derive(Debug, Clone, Copy)]
pub struct Contact<'a> {
    /// Our own id, from a UID we wrote.
    pub id: Option<i64>,
    /// Another address book's UID for the card, kept as extra UID.
    pub card_uid: Option<&'a str>,
    pub kind: CustomerKind,
    /// The organization it belongs to, by name.
    pub organization: Option<&'a str>,
    /// Match only customers that were here before the import began (a
    /// whole-database export: each of its customers is somebody else).
    pub known_only: bool,
    pub name: &'a str,
    pub email: Option<&'a str>,
    /// Its other addresses: a match on any of them is a match.
    pub other_emails: &'a [String],
    pub phone: Option<&'a str>,
}

impl<'a> Contact<'a> {
    /// What `draft` says of itself; our UID (`id`) is left for the caller.
    pub fn of(draft: &'a CustomerDraft, organization: Option<&'a str>, known_only: bool) -> Self {
        Contact {
            id: None,
            card_uid: draft
                .extra
                .get("UID")
                .and_then(|u| u.first())
                .map(String::as_str),
            kind: draft.kind,
            organization,
            known_only,
            name: &draft.name,
            email: draft.email.as_deref(),
            other_emails: draft.extra.get("EMAIL").map_or(&[], Vec::as_slice),
            phone: draft.phone.as_deref(),
        }
    }
}
