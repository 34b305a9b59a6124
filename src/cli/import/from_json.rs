//! Our own JSON export back in, read record by record (never the whole
//! document in memory) and written as it arrives.
//!
//! Customers the database has already (same email, or name and phone) are
//! updated, not doubled; their tickets, follow-ups and interactions are added
//! unless the same one is there already, so importing an export twice adds
//! nothing and a newer export adds only what is new. Trashed records come
//! back in the trash.

use std::fmt;
use std::io::BufRead;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;

use super::contacts::updated;
use super::{Added, ImportArgs, Summary, in_transaction, no_contacts};
use crate::cli::export::FORMAT_VERSION;
use crate::cli::output::note;
use crate::cli::{CliError, Context};
use crate::domain::membership::{MembershipError, check_member, check_target};
use crate::domain::{Customer, CustomerKind, Followup, Interaction, InteractionDraft, Ticket};
use crate::store::{Contact, Importer, Mapped, Record};

/// One record of the document, as it is read.
enum Item {
    Customer(Customer),
    Ticket(Ticket),
    Followup(Followup),
    Interaction(Interaction),
    /// The end of the customers: every organization a person names has come.
    CustomersEnd,
    /// A record that is well-formed JSON but not a valid record of its kind
    /// (a stage that does not exist, a field missing).
    Bad {
        noun: &'static str,
        id: Option<i64>,
        reason: String,
    },
}

pub(super) fn import(
    ctx: &mut Context,
    args: &ImportArgs,
    mut input: super::decode::Text,
) -> Result<Summary, CliError> {
    let path = args.path.display().to_string();
    let skip_invalid = args.skip_invalid;
    let empty = input
        .fill_buf()
        .map_err(|e| CliError::runtime(format!("{path}: {e}")))?
        .iter()
        .all(u8::is_ascii_whitespace);
    if empty {
        return Err(no_contacts(args));
    }
    in_transaction(ctx, args, 20_000, |importer, progress| {
        let mut state = State {
            importer,
            summary: Summary {
                added: Some(Added::default()),
                ..Summary::default()
            },
            skip_invalid,
        };
        read_document(input, &mut |item| {
            if !matches!(item, Item::CustomersEnd) {
                progress.tick("records read");
            }
            state.add(item)
        })
        .map_err(|what| CliError::runtime(format!("{path}{what}")))?;
        Ok(state.summary)
    })
}

/// Reads the document, handing each record to `handle` as it comes. The
/// error reads on after the file's name: ", line 3: ..." or ": customer 4: ...".
fn read_document(
    input: impl std::io::Read,
    handle: &mut dyn FnMut(Item) -> Result<(), Failure>,
) -> Result<(), String> {
    let mut failure = None;
    let seed = Document {
        handle,
        failure: &mut failure,
        header: Header::default(),
    };
    let mut reader = serde_json::Deserializer::from_reader(input);
    let read = seed.deserialize(&mut reader).and_then(|()| reader.end());
    if let Some(Failure(what)) = failure {
        return Err(format!(": {what}"));
    }
    read.map_err(|e| {
        let what = if e.is_eof() {
            "the file ends in the middle (cut off?)".to_string()
        } else if e.is_syntax() {
            format!("not valid JSON: {}", without_position(&e))
        } else {
            format!("not a tuicrm JSON export: {}", without_position(&e))
        };
        format!(", line {}: {what}; nothing was imported", e.line())
    })
}

/// serde_json's message without its " at line 1 column 60" (which counts
/// within one record, or repeats the line given already).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

struct State<'i, 'w, 'c> {
    importer: &'i mut Importer<'w, 'c>,
    summary: Summary,
    skip_invalid: bool,
}

/// A record the import stops at (or, with `--skip-invalid`, skips).
struct Bad {
    what: String,
}

impl State<'_, '_, '_> {
    fn add(&mut self, item: Item) -> Result<(), Failure> {
        let result = match item {
            Item::Customer(c) => self.customer(c),
            Item::Ticket(t) => self.ticket(t),
            Item::Followup(f) => self.followup(f),
            Item::Interaction(i) => self.interaction(i),
            Item::CustomersEnd => return self.link_deferred(),
            Item::Bad { noun, id, reason } => Err(Stop::Bad(Bad {
                what: match id {
                    Some(id) => format!("{noun} {id}: {reason}"),
                    None => format!("a {noun}: {reason}"),
                },
            })),
        };
        match result {
            Ok(()) => Ok(()),
            Err(Stop::Store(e)) => Err(store_failure(e)),
            Err(Stop::Bad(bad)) => self.skip_or_stop(bad),
        }
    }

    fn skip_or_stop(&mut self, bad: Bad) -> Result<(), Failure> {
        if !self.skip_invalid {
            return Err(Failure(format!(
                "{}; nothing was imported (--skip-invalid imports the rest)",
                bad.what
            )));
        }
        note(&format!("skipped {}", bad.what));
        self.summary.skipped += 1;
        Ok(())
    }

    /// People whose organization came after them: linked now, or, when it
    /// is a person, bad records like any other (skipped ones taken back, so
    /// their tickets and the rest find no customer).
    fn link_deferred(&mut self) -> Result<(), Failure> {
        let bad_links = self.importer.link_deferred().map_err(store_failure)?;
        for bad in bad_links {
            // An organization the file does not have (or that was skipped)
            // is left out, as before, rather than losing its people too.
            if let MembershipError::Missing(org) = bad.reason {
                note(&format!(
                    "customer {}: its organization {org} is not in the file; imported without it",
                    bad.record
                ));
                continue;
            }
            let what = format!("customer {}: {}", bad.record, bad.reason);
            if self.skip_invalid {
                // Counted once as created, updated or unchanged: no longer.
                let changed = self.importer.skip(&bad).map_err(store_failure)?;
                let slot = match (bad.known, changed) {
                    (false, _) => &mut self.summary.created,
                    (true, true) => &mut self.summary.updated,
                    (true, false) => &mut self.summary.unchanged,
                };
                *slot = slot.saturating_sub(1);
            }
            self.skip_or_stop(Bad { what })?;
        }
        Ok(())
    }

    fn added(&mut self) -> &mut Added {
        self.summary.added.get_or_insert_default()
    }

    fn customer(&mut self, c: Customer) -> Result<(), Stop> {
        // The rule every path in follows, on the file's own ids.
        check_member(c.kind, Some(c.id), c.organization_id)
            .map_err(|e| Stop::bad("customer", c.id, e))?;
        let trashed = c.deleted_at.is_some();
        let mut draft = c.draft();
        let contact = Contact::of(&draft, c.organization.as_deref(), true);
        // A customer restored or trashed since the last export is still that
        // customer: found in either state, and left in the one it is in here.
        let known = match self.importer.existing(&contact, trashed)? {
            Some(found) => Some(found),
            None => self.importer.existing(&contact, !trashed)?,
        };
        let differently_trashed = known
            .as_ref()
            .is_some_and(|k| k.deleted_at.is_some() != trashed);
        // Its organization, when the file had it already; else checked
        // (and linked) at the end of the customers.
        let old_org = draft.organization_id.take();
        let mut later = None;
        if let Some(old) = old_org {
            match self.importer.recall(Record::Customer, old)? {
                Some(org) => {
                    check_target(old, self.importer.kind_of(org.id)?)
                        .map_err(|e| Stop::bad("customer", c.id, e))?;
                    draft.organization_id = Some(org.id);
                }
                None => later = Some(old),
            }
        }
        let draft = draft
            .normalized()
            .map_err(|e| Stop::bad("customer", c.id, e))?;
        let mapped = match known {
            Some(current) => {
                let before = current.draft();
                let after = updated(&before, &draft);
                if after == before || trashed || differently_trashed {
                    self.summary.unchanged += 1;
                } else {
                    self.importer.update_customer(&current, &after)?;
                    self.summary.updated += 1;
                }
                Mapped {
                    id: current.id,
                    known: true,
                }
            }
            None => {
                let id = self
                    .importer
                    .add_customer(&draft, c.created_at, c.deleted_at)?;
                self.summary.created += 1;
                Mapped { id, known: false }
            }
        };
        // A customer that was here keeps its organization; its link is
        // checked all the same, so a file is right or wrong wherever it goes.
        if let Some(old) = later
            && c.kind == CustomerKind::Person
        {
            self.importer
                .link_later(mapped.id, c.id, old, !mapped.known)?;
        }
        self.importer.remember(Record::Customer, c.id, mapped)?;
        Ok(())
    }

    /// The customer a record of the file belongs to.
    fn owner(&self, what: &'static str, id: i64, customer: i64) -> Result<Mapped, Stop> {
        self.importer
            .recall(Record::Customer, customer)?
            .ok_or_else(|| {
                Stop::bad(
                    what,
                    id,
                    format!("its customer {customer} is not in the file before it"),
                )
            })
    }

    fn ticket(&mut self, t: Ticket) -> Result<(), Stop> {
        let owner = self.owner("ticket", t.id, t.customer_id)?;
        if t.subject.trim().is_empty() {
            return Err(Stop::bad("ticket", t.id, "subject must not be blank"));
        }
        let added = self.place(
            Record::Ticket,
            owner,
            t,
            |t| t.id,
            |importer, customer, t| importer.same_ticket(customer, t),
            |importer, customer, mut t| {
                t.customer_id = customer;
                importer.add_ticket(&t)
            },
        )?;
        self.added().tickets += usize::from(added);
        Ok(())
    }

    fn followup(&mut self, f: Followup) -> Result<(), Stop> {
        let owner = self.owner("follow-up", f.id, f.customer_id)?;
        let added = self.place(
            Record::Followup,
            owner,
            f,
            |f| f.id,
            |importer, customer, f| importer.same_followup(customer, f),
            |importer, customer, mut f| {
                f.customer_id = customer;
                importer.add_followup(&f)
            },
        )?;
        self.added().followups += usize::from(added);
        Ok(())
    }

    /// A ticket or follow-up of `owner`: the same one when the customer was
    /// here already and has it, else added; remembered for the interactions
    /// that point at it. True when it was added.
    fn place<T>(
        &mut self,
        record: Record,
        owner: Mapped,
        item: T,
        old_id: fn(&T) -> i64,
        same: fn(&Importer, i64, &T) -> crate::store::Result<Option<i64>>,
        add: fn(&Importer, i64, T) -> crate::store::Result<i64>,
    ) -> Result<bool, Stop> {
        let old = old_id(&item);
        let same = if owner.known {
            same(self.importer, owner.id, &item)?
        } else {
            None
        };
        let id = match same {
            Some(id) => id,
            None => add(self.importer, owner.id, item)?,
        };
        let mapped = Mapped {
            id,
            known: same.is_some(),
        };
        self.importer.remember(record, old, mapped)?;
        Ok(same.is_none())
    }

    fn interaction(&mut self, i: Interaction) -> Result<(), Stop> {
        let owner = self.owner("interaction", i.id, i.customer_id)?;
        if i.summary.trim().is_empty() {
            return Err(Stop::bad("interaction", i.id, "summary must not be blank"));
        }
        let link = |record, old: Option<i64>| -> Result<Option<i64>, Stop> {
            Ok(match old {
                Some(old) => self.importer.recall(record, old)?.map(|m| m.id),
                None => None,
            })
        };
        let draft = InteractionDraft {
            customer_id: owner.id,
            ticket_id: link(Record::Ticket, i.ticket_id)?,
            followup_id: link(Record::Followup, i.followup_id)?,
            kind: i.kind,
            direction: i.direction,
            occurred_at: i.occurred_at,
            summary: i.summary,
            body: i.body,
        };
        if owner.known && self.importer.same_interaction(&draft)?.is_some() {
            return Ok(());
        }
        self.importer.add_interaction(&draft, i.created_at)?;
        self.added().interactions += 1;
        Ok(())
    }
}

enum Stop {
    Store(crate::store::StoreError),
    Bad(Bad),
}

impl Stop {
    fn bad(what: &str, id: i64, reason: impl fmt::Display) -> Stop {
        Stop::Bad(Bad {
            what: format!("{what} {id}: {reason}"),
        })
    }
}

fn store_failure(e: crate::store::StoreError) -> Failure {
    Failure(format!("{e}; nothing was imported"))
}

impl From<crate::store::StoreError> for Stop {
    fn from(e: crate::store::StoreError) -> Stop {
        Stop::Store(e)
    }
}

/// Why reading stopped before the end, kept beside serde's own error
/// (which would add its own words and position to it).
struct Failure(String);

#[derive(Default)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// The document: its header checked before any record is handled, then each
/// array's elements handed over one at a time.
struct Document<'h> {
    handle: &'h mut dyn FnMut(Item) -> Result<(), Failure>,
    failure: &'h mut Option<Failure>,
    header: Header,
}

impl Document<'_> {
    fn check_header(&mut self) -> Result<(), String> {
        match (&self.header.format, self.header.version) {
            (Some(format), Some(version)) if format == "tuicrm" && version == FORMAT_VERSION => {
                Ok(())
            }
            (Some(format), Some(version)) => Err(format!(
                "this is format {format:?} version {version}, this tuicrm reads \"tuicrm\" version {FORMAT_VERSION}"
            )),
            _ => Err(
                "not a tuicrm JSON export (no \"format\" and \"version\" before the records)"
                    .into(),
            ),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a tuicrm export object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => self.header.format = Some(map.next_value()?),
                "version" => self.header.version = Some(map.next_value()?),
                "customers" => self.records(&mut map, "customer", Item::Customer)?,
                "tickets" => self.records(&mut map, "ticket", Item::Ticket)?,
                "followups" => self.records(&mut map, "follow-up", Item::Followup)?,
                "interactions" => self.records(&mut map, "interaction", Item::Interaction)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.header_ok()
    }
}

impl Document<'_> {
    /// Fails (and says why) unless the header has come and is ours.
    fn header_ok<E: de::Error>(&mut self) -> Result<(), E> {
        self.check_header().map_err(|what| {
            *self.failure = Some(Failure(what.clone()));
            E::custom(what)
        })
    }

    fn records<'de, A: MapAccess<'de>, T: DeserializeOwned>(
        &mut self,
        map: &mut A,
        noun: &'static str,
        wrap: fn(T) -> Item,
    ) -> Result<(), A::Error> {
        self.header_ok()?;
        map.next_value_seed(Records {
            document: &mut *self,
            wrap,
            noun,
        })?;
        if noun == "customer"
            && let Err(failure) = (self.handle)(Item::CustomersEnd)
        {
            *self.failure = Some(failure);
            return Err(de::Error::custom("stopped"));
        }
        Ok(())
    }
}

/// The id of a record that could not be read otherwise, to name it.
#[derive(serde::Deserialize)]
struct Id {
    id: Option<i64>,
}

/// One array of records, each handed over as soon as it is read.
struct Records<'d, 'h, T> {
    noun: &'static str,
    document: &'d mut Document<'h>,
    wrap: fn(T) -> Item,
}

impl<'de, T: DeserializeOwned> DeserializeSeed<'de> for Records<'_, '_, T> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for Records<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Each record is first taken whole as JSON, then read as a record:
        // one that does not fit is a bad record (skippable), not a broken file.
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            let item = match serde_json::from_str::<T>(raw.get()) {
                Ok(record) => (self.wrap)(record),
                Err(e) => Item::Bad {
                    noun: self.noun,
                    id: serde_json::from_str::<Id>(raw.get())
                        .ok()
                        .and_then(|i| i.id),
                    reason: without_position(&e),
                },
            };
            if let Err(failure) = (self.document.handle)(item) {
                *self.document.failure = Some(failure);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &[u8]) -> Result<usize, String> {
        let mut n = 0;
        read_document(text, &mut |item| {
            n += usize::from(!matches!(item, Item::CustomersEnd));
            Ok(())
        })?;
        Ok(n)
    }

    #[test]
    fn records_come_one_by_one_after_the_header() {
        let doc = br#"{"format":"tuicrm","version":1,"exported_at":"2026-11-25T10:00:00Z","customers":[],"tickets":[],"followups":[],"interactions":[]}"#;
        assert_eq!(count(doc), Ok(0));
        let foreign = br#"{"format":"other","version":1,"customers":[]}"#;
        assert!(count(foreign).unwrap_err().contains("\"other\""));
        let headless = br#"{"customers":[]}"#;
        assert!(
            count(headless)
                .unwrap_err()
                .contains("not a tuicrm JSON export")
        );
        let cut = br#"{"format":"tuicrm","version":1,"customers":["#;
        assert!(count(cut).unwrap_err().starts_with(", line 1:"));
    }

    proptest::proptest! {
        /// Any bytes give records or an error, never a panic.
        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = count(&bytes);
            let with_header = [&br#"{"format":"tuicrm","version":1,"customers":["#[..], &bytes].concat();
            let _ = count(&with_header);
        }
    }
}
