//! The forms of tuicrm: what each one asks, with which defaults, and how its
//! values become a domain draft and a store call. Every field but the main
//! one starts with a default, so `a`, type, Enter always saves.

use crate::domain::edit::OnConflict;
use crate::domain::ticket::TicketChange;
use crate::domain::time::{parse_date, parse_time};
use crate::domain::{
    Channel, Choice, Clock, Customer, CustomerDraft, CustomerKind, Direction, Followup,
    FollowupDraft, FollowupKind, FollowupStatus, InteractionDraft, InteractionKind, Money,
    Priority, Recurrence, Stage, Ticket, TicketDraft, ValidationError,
};
use crate::store::{Store, StoreError};

use super::form::{Base, Field, Form, FormKind};

fn words<T: Choice + 'static>(all: &'static [T]) -> Vec<&'static str> {
    all.iter().map(|c| c.word()).collect()
}

pub fn customer_form(existing: Option<&Customer>) -> Form {
    let blank = CustomerDraft::new(CustomerKind::Person, "");
    let (kind, title, d) = match existing {
        Some(c) => (
            FormKind::EditCustomer(c.id),
            format!("Edit {}", c.name),
            c.draft(),
        ),
        None => (FormKind::AddCustomer, "Add customer".to_string(), blank),
    };
    let organization = existing
        .and_then(|c| c.organization.clone())
        .unwrap_or_default();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let base = existing.map(|_| Base::Customer(Box::new(d.clone())));
    let form = Form::new(
        kind,
        title,
        vec![
            Field::text("name", "Name", &d.name, ""),
            Field::choice("kind", "Kind", words(CustomerKind::ALL), d.kind.as_str()),
            Field::text("organization", "Organization", &organization, "name or id"),
            Field::text("email", "Email", &opt(&d.email), ""),
            Field::text("phone", "Phone", &opt(&d.phone), ""),
            Field::text("title", "Title", &opt(&d.title), ""),
            Field::text(
                "segment",
                "Segment",
                &opt(&d.segment),
                "SMB, Enterprise, ...",
            ),
            Field::text("tags", "Tags", &d.tags.join(", "), "comma-separated"),
            Field::choice("stage", "Stage", words(Stage::ALL), d.stage.as_str()),
            Field::text("owner", "Owner", &opt(&d.owner), ""),
            Field::text(
                "renewal",
                "Renewal",
                &d.renewal_on.map(|r| r.to_string()).unwrap_or_default(),
                "YYYY-MM-DD, +30d, +1y",
            ),
            Field::text(
                "value",
                "Contract value",
                &d.contract_value.map(|m| m.display()).unwrap_or_default(),
                "12000 or 9000 EUR",
            ),
            Field::long_text("notes", "Notes", &opt(&d.notes)),
        ],
    );
    let mut form = with_base(form, base);
    show_fields_of_kind(&mut form);
    form
}

/// An organization belongs to no organization and has no job title: those
/// fields show only for a person.
fn show_fields_of_kind(form: &mut Form) {
    let organization = form.value("kind") == CustomerKind::Organization.as_str();
    form.set_hidden("organization", organization);
    form.set_hidden("title", organization);
}

fn with_base(form: Form, base: Option<Base>) -> Form {
    match base {
        Some(base) => form.with_base(base),
        None => form,
    }
}

pub fn ticket_form(customer: &Customer, existing: Option<&Ticket>) -> Form {
    let (kind, title) = match existing {
        Some(t) => (
            FormKind::EditTicket(t.id),
            format!("Edit ticket {}", super::update::quoted(&t.subject)),
        ),
        None => (
            FormKind::AddTicket {
                customer_id: customer.id,
            },
            format!("New ticket for {}", customer.name),
        ),
    };
    let subject = existing.map(|t| t.subject.as_str()).unwrap_or("");
    let priority = existing.map_or(Priority::Normal, |t| t.priority);
    let channel = existing.map_or(Channel::Other, |t| t.channel);
    let body = existing.and_then(|t| t.body.clone()).unwrap_or_default();
    // A new ticket goes to the customer's owner unless told otherwise.
    let assignee = match existing {
        Some(t) => t.assignee.clone(),
        None => customer.owner.clone(),
    }
    .unwrap_or_default();
    let base = existing.map(|t| Base::Ticket(Box::new(t.clone())));
    let form = Form::new(
        kind,
        title,
        vec![
            Field::text("subject", "Subject", subject, ""),
            Field::choice(
                "priority",
                "Priority",
                words(Priority::ALL),
                priority.as_str(),
            ),
            Field::choice("channel", "Channel", words(Channel::ALL), channel.as_str()),
            Field::text("assignee", "Assignee", &assignee, "who works on it"),
            Field::long_text("body", "Body", &body),
        ],
    );
    with_base(form, base)
}

pub fn followup_form(customer: &Customer, existing: Option<&Followup>, clock: &Clock) -> Form {
    let fresh = FollowupDraft::new(customer.id, clock.today());
    let (kind, title) = match existing {
        Some(f) => (
            FormKind::EditFollowup {
                id: f.id,
                customer_id: f.customer_id,
            },
            format!("Edit the {} with {}", f.kind, customer.name),
        ),
        None => (
            FormKind::AddFollowup {
                customer_id: customer.id,
            },
            format!("New follow-up with {}", customer.name),
        ),
    };
    let note = existing.and_then(|f| f.note.clone()).unwrap_or_default();
    let followup_kind = existing.map_or(fresh.kind, |f| f.kind);
    let due = existing.map_or(fresh.due_on, |f| f.due_on);
    let every = existing
        .and_then(|f| f.recurrence)
        .map(|r| r.to_string())
        .unwrap_or_default();
    // A new follow-up goes to the customer's owner unless told otherwise.
    let assignee = match existing {
        Some(f) => f.assignee.clone(),
        None => customer.owner.clone(),
    }
    .unwrap_or_default();
    let base = existing.map(|f| Base::Followup(f.draft()));
    let form = Form::new(
        kind,
        title,
        vec![
            Field::text("note", "Note", &note, ""),
            Field::choice(
                "kind",
                "Kind",
                words(FollowupKind::ALL),
                followup_kind.as_str(),
            ),
            Field::text(
                "due",
                "Due",
                &due.to_string(),
                "YYYY-MM-DD, tomorrow, +3d, +2w",
            ),
            Field::text("recurrence", "Every", &every, "blank, 3d, 2w, 1m"),
            Field::text("assignee", "Assignee", &assignee, "who does it"),
        ],
    );
    with_base(form, base)
}

pub fn log_form(customer: &Customer, ticket_id: Option<i64>, followup_id: Option<i64>) -> Form {
    let about = match (ticket_id, followup_id) {
        (Some(t), _) => format!(" (ticket {t})"),
        (None, Some(f)) => format!(" (follow-up {f})"),
        (None, None) => String::new(),
    };
    Form::new(
        FormKind::LogInteraction {
            customer_id: customer.id,
            ticket_id,
            followup_id,
        },
        format!("Log interaction with {}{about}", customer.name),
        vec![
            Field::text("summary", "Summary", "", ""),
            Field::choice(
                "kind",
                "Kind",
                words(InteractionKind::LOGGABLE),
                InteractionKind::Note.as_str(),
            ),
            Field::choice(
                "direction",
                "Direction",
                words(Direction::ALL),
                InteractionKind::Note.default_direction().as_str(),
            ),
            Field::text("at", "When", "now", "now, -2h, YYYY-MM-DD HH:MM"),
            Field::long_text("body", "Body", ""),
        ],
    )
}

/// After a choice changed from `kind_before`: in the log form the direction
/// follows the kind (an email is outbound, a note internal) until the user
/// sets it to something else.
pub fn follow_choice(form: &mut Form, kind_before: &str) {
    if matches!(form.kind, FormKind::AddCustomer | FormKind::EditCustomer(_)) {
        return show_fields_of_kind(form);
    }
    if !matches!(
        form.kind,
        FormKind::LogInteraction { .. } | FormKind::EditInteraction(_)
    ) {
        return;
    }
    let (Ok(before), Ok(now)) = (
        InteractionKind::parse_word(kind_before),
        InteractionKind::parse_word(form.value("kind")),
    ) else {
        return;
    };
    if before != now && form.value("direction") == before.default_direction().as_str() {
        form.set_choice("direction", now.default_direction().as_str());
    }
}

/// Closing a follow-up as done, skipped or cancelled: what came of it.
pub fn finish_form(followup: &Followup, status: FollowupStatus) -> Form {
    let verb = match status {
        FollowupStatus::Done => "Done",
        FollowupStatus::Skipped => "Skip",
        FollowupStatus::Cancelled => "Cancel",
        FollowupStatus::Planned => "Plan",
    };
    let whom = followup.customer.clone().unwrap_or_default();
    Form::new(
        FormKind::FinishFollowup {
            id: followup.id,
            status,
        },
        format!("{verb}: {} with {whom}", followup.kind.label()),
        vec![Field::text(
            "outcome",
            "Outcome",
            "",
            "optional: what came of it",
        )],
    )
}

/// The edit form again, filled from the record as saved now (the user's
/// typing is dropped: they asked to see theirs). `None` for forms that add.
pub fn reload(form: &Form, store: &Store) -> Result<Option<Form>, StoreError> {
    let fresh = match form.kind {
        FormKind::EditCustomer(id) => customer_form(Some(&store.customer(id)?)),
        FormKind::EditTicket(id) => {
            let ticket = store.ticket(id)?;
            ticket_form(&store.customer(ticket.customer_id)?, Some(&ticket))
        }
        FormKind::EditFollowup { id, customer_id } => followup_form(
            &store.customer(customer_id)?,
            Some(&store.followup(id)?),
            store.clock(),
        ),
        FormKind::EditInteraction(id) => super::interaction::reload(store, id)?,
        _ => return Ok(None),
    };
    let mut fresh = fresh;
    fresh.focus = form.focus.min(fresh.fields.len().saturating_sub(1));
    Ok(Some(fresh))
}

/// What a saved form did, for the status bar and the selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    Customer(Customer),
    Ticket(Ticket),
    Followup(Followup),
    Interaction {
        customer_id: i64,
    },
    EditedInteraction(crate::domain::Interaction),
    Finished {
        followup: Followup,
        next: Option<Followup>,
    },
}

/// While another process holds the write lock, a save is tried again this
/// often, this many times (30 s) before the form says it gave up.
pub const SAVE_RETRY_MS: u32 = 200;
pub const SAVE_TRIES: u32 = 150;

/// Saves the form. On a problem the form gets the reason beside the field and
/// stays open, and `None` comes back.
pub fn submit(form: &mut Form, store: &mut Store, currency: &str) -> Option<Saved> {
    form.clear_errors();
    let waiting = form.waiting.take();
    let clock = store.clock().clone();
    match save(form, store, currency, &clock) {
        Ok(saved) => Some(saved),
        Err(e) => {
            match e {
                StoreError::Invalid(v) => {
                    // Beside its field the reason alone reads best; elsewhere it needs the name.
                    let text = if form.fields.iter().any(|f| f.key == v.field) {
                        v.reason.clone()
                    } else {
                        v.to_string()
                    };
                    form.set_error(v.field, text)
                }
                StoreError::NotFound {
                    entity: "organization",
                    ..
                } => form.set_error("organization", e.to_string()),
                StoreError::Conflict(m) if m.contains("organization") => {
                    form.set_error("organization", m)
                }
                StoreError::Busy { .. } => {
                    let tries = waiting.map_or(1, |n| n + 1);
                    form.waiting = Some(tries);
                    form.error = Some(if tries >= SAVE_TRIES {
                        form.waiting = None;
                        format!(
                            "could not save: another process kept the database locked for {} s; your text is kept — save again to retry",
                            SAVE_TRIES * SAVE_RETRY_MS / 1000
                        )
                    } else {
                        "waiting for the database: another process is writing (an import?) — saving as soon as it is done".to_string()
                    });
                }
                conflict @ StoreError::ChangedMeanwhile { .. } => {
                    form.conflict_shown = true;
                    form.error = Some(conflict.to_string());
                }
                other => form.error = Some(other.to_string()),
            }
            None
        }
    }
}

/// The user has seen what another process saved and saves again: theirs goes.
fn on_conflict(form: &Form) -> OnConflict {
    if form.conflict_shown {
        OnConflict::Overwrite
    } else {
        OnConflict::Refuse
    }
}

fn optional(form: &Form, key: &str) -> Option<String> {
    Some(form.value(key).to_string()).filter(|v| !v.trim().is_empty())
}

fn choice<T: Choice>(form: &Form, key: &'static str) -> Result<T, ValidationError> {
    T::parse_word(form.value(key))
}

fn save(
    form: &Form,
    store: &mut Store,
    currency: &str,
    clock: &Clock,
) -> Result<Saved, StoreError> {
    let today = clock.today();
    match form.kind {
        FormKind::AddCustomer | FormKind::EditCustomer(_) => {
            let mut draft = CustomerDraft::new(choice(form, "kind")?, form.value("name"));
            draft.organization_id = store.resolve_organization(form.shown_value("organization"))?;
            draft.email = optional(form, "email");
            draft.phone = optional(form, "phone");
            // A hidden title stays as it was: hiding is no reason to clear it.
            draft.title = optional(form, "title");
            draft.segment = optional(form, "segment");
            draft.tags = form
                .value("tags")
                .split([',', ';'])
                .map(str::to_string)
                .collect();
            draft.stage = choice(form, "stage")?;
            draft.owner = optional(form, "owner");
            draft.renewal_on = optional(form, "renewal")
                .map(|r| parse_date("renewal", &r, today))
                .transpose()?;
            draft.contract_value = optional(form, "value")
                .map(|v| Money::parse(&v, currency))
                .transpose()?;
            draft.notes = optional(form, "notes");
            let saved = match form.kind {
                FormKind::EditCustomer(id) => {
                    let base = match &form.base {
                        Some(Base::Customer(base)) => (**base).clone(),
                        _ => store.customer(id)?.draft(),
                    };
                    // Details the form has no field for (imported addresses,
                    // birthdays ...) are not the user's change: they keep
                    // what is saved.
                    draft.extra = base.extra.clone();
                    store.update_customer(id, &base, draft, on_conflict(form))?
                }
                _ => store.add_customer(draft)?,
            };
            Ok(Saved::Customer(saved))
        }
        FormKind::AddTicket { customer_id } => {
            let mut draft = TicketDraft::new(customer_id, form.value("subject"));
            draft.priority = choice(form, "priority")?;
            draft.channel = choice(form, "channel")?;
            draft.body = optional(form, "body");
            draft.assignee = optional(form, "assignee");
            Ok(Saved::Ticket(store.add_ticket(draft)?))
        }
        FormKind::EditTicket(id) => {
            let change = TicketChange {
                subject: Some(form.value("subject").to_string()),
                body: Some(optional(form, "body")),
                priority: Some(choice(form, "priority")?),
                channel: Some(choice(form, "channel")?),
                assignee: Some(optional(form, "assignee")),
                ..TicketChange::default()
            };
            let base = match &form.base {
                Some(Base::Ticket(base)) => Some(&**base),
                _ => None,
            };
            // Only what the user changed is written.
            let change = match base {
                Some(base) => change.against(base),
                None => change,
            };
            let saved = store.change_ticket_since(id, base, &change, on_conflict(form))?;
            Ok(Saved::Ticket(saved))
        }
        FormKind::AddFollowup { customer_id } | FormKind::EditFollowup { customer_id, .. } => {
            let draft = FollowupDraft {
                customer_id,
                kind: choice(form, "kind")?,
                due_on: parse_date("due", form.value("due"), today)?,
                recurrence: Recurrence::parse(form.value("recurrence"))?,
                note: optional(form, "note"),
                assignee: optional(form, "assignee"),
            };
            let saved = match form.kind {
                FormKind::EditFollowup { id, .. } => {
                    let base = match &form.base {
                        Some(Base::Followup(base)) => base.clone(),
                        _ => store.followup(id)?.draft(),
                    };
                    store.update_followup(id, &base, draft, on_conflict(form))?
                }
                _ => store.add_followup(draft)?,
            };
            Ok(Saved::Followup(saved))
        }
        FormKind::EditInteraction(id) => {
            super::interaction::save(form, store, id, on_conflict(form))
        }
        FormKind::FinishFollowup { id, status } => {
            let outcome = optional(form, "outcome");
            let (followup, next) = store.finish_followup(id, status, outcome.as_deref())?;
            Ok(Saved::Finished { followup, next })
        }
        FormKind::LogInteraction {
            customer_id,
            ticket_id,
            followup_id,
        } => {
            let mut draft = InteractionDraft::new(customer_id, form.value("summary"), clock.now());
            draft.ticket_id = ticket_id;
            draft.followup_id = followup_id;
            draft.kind = choice(form, "kind")?;
            draft.direction = choice(form, "direction")?;
            draft.occurred_at = parse_time("at", form.value("at"), clock.now(), clock.tz())?;
            draft.body = optional(form, "body");
            let logged = store.log_interaction(draft)?;
            Ok(Saved::Interaction {
                customer_id: logged.customer_id,
            })
        }
    }
}
