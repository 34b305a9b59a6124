//! `tuicrm followup ...`

use clap::Subcommand;

use super::choices::choice;
use super::listing::print_stream;
use super::output::{Column, Fields, Table, local_time, print_json, say};
use super::{CliError, Context, NoLimitArg};
use crate::domain::time::{parse_date, relative_date};
use crate::domain::{Followup, FollowupDraft, FollowupKind, FollowupStatus, Recurrence};
use crate::store::{FollowupOrder, FollowupQuery};

#[derive(Debug, Subcommand)]
pub enum FollowupCommand {
    /// Plan a follow-up (a check-in due in 7 days unless told otherwise)
    Add {
        /// Id of the customer to follow up with
        customer_id: i64,
        /// What the follow-up is for (default check_in)
        #[arg(long, value_name = "K", value_parser = choice::<FollowupKind>())]
        kind: Option<FollowupKind>,
        /// YYYY-MM-DD, today, tomorrow, +3d, +2w, +1m
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: Option<String>,
        /// Repeat every N days/weeks/months: 3d, 2w, 1m
        #[arg(long, value_name = "N")]
        every: Option<String>,
        /// What to do or talk about
        #[arg(long, value_name = "N")]
        note: Option<String>,
        /// Who does it ("me": you, as [user] name or $USER); default the customer's owner
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
    },
    /// Change a planned follow-up: its kind, due date, repeat, note or assignee
    Set {
        /// The follow-up's id
        id: i64,
        /// What the follow-up is for
        #[arg(long, value_name = "K", value_parser = choice::<FollowupKind>())]
        kind: Option<FollowupKind>,
        /// YYYY-MM-DD, today, tomorrow, +3d, +2w, +1m
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due: Option<String>,
        /// Repeat every N days/weeks/months (3d, 2w, 1m); "" stops repeating
        #[arg(long, value_name = "N")]
        every: Option<String>,
        /// What to do or talk about ("" clears it)
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Who does it ("me": you; "" unassigns)
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
    },
    /// List planned follow-ups, soonest due first
    List {
        /// Only those due before this date
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        due_before: Option<String>,
        /// Only this customer's (an organization: with its people's)
        #[arg(long, value_name = "ID")]
        customer: Option<i64>,
        /// Include done, skipped and cancelled ones
        #[arg(long)]
        all: bool,
        /// The trash (deleted follow-ups, and those of customers in the trash)
        #[arg(long)]
        trash: bool,
        /// Only those this person does ("me": you)
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
        #[command(flatten)]
        limit: NoLimitArg,
    },
    /// Show one follow-up
    Show {
        /// The follow-up's id
        id: i64,
    },
    /// Mark done; a recurring follow-up plans its next occurrence
    Done {
        /// The follow-up's id
        id: i64,
        /// What came of it
        #[arg(long, value_name = "TEXT")]
        outcome: Option<String>,
    },
    /// Skip this occurrence (a recurring one still plans the next)
    Skip {
        /// The follow-up's id
        id: i64,
        /// Why it was skipped
        #[arg(long, value_name = "TEXT")]
        outcome: Option<String>,
    },
    /// Cancel (ends a recurring series)
    Cancel {
        /// The follow-up's id
        id: i64,
        /// Why it was cancelled
        #[arg(long, value_name = "TEXT")]
        outcome: Option<String>,
    },
}

pub fn run(ctx: &mut Context, command: FollowupCommand) -> Result<(), CliError> {
    let today = ctx.clock().today();
    match command {
        FollowupCommand::Add {
            customer_id,
            kind,
            due,
            every,
            note,
            assignee,
        } => {
            let mut draft = FollowupDraft::new(customer_id, today);
            draft.assignee = assignee.map(|a| ctx.config.who(&a));
            if let Some(kind) = kind {
                draft.kind = kind;
            }
            if let Some(due) = due {
                draft.due_on = parse_date("due", &due, today)?;
            }
            if let Some(every) = every {
                draft.recurrence = Recurrence::parse(&every)?;
            }
            draft.note = note;
            let followup = ctx.store.add_followup(draft)?;
            print_changed(ctx, &followup, "planned", None)
        }
        FollowupCommand::Set {
            id,
            kind,
            due,
            every,
            note,
            assignee,
        } => {
            if (&kind, &due, &every, &note, &assignee) == (&None, &None, &None, &None, &None) {
                return Err(CliError::usage(
                    "nothing to change: give --kind, --due, --every, --note or --assignee",
                ));
            }
            let current = ctx.store.followup(id)?;
            if !current.status.is_open() {
                return Err(CliError::usage(format!(
                    "follow-up {id} is {}: only a planned one can be changed",
                    current.status
                )));
            }
            let base = current.draft();
            let mut draft = base.clone();
            if let Some(kind) = kind {
                draft.kind = kind;
            }
            if let Some(due) = due {
                draft.due_on = parse_date("due", &due, today)?;
            }
            if let Some(every) = every {
                draft.recurrence = Recurrence::parse(&every)?;
            }
            if let Some(note) = note {
                draft.note = Some(note);
            }
            if let Some(who) = assignee {
                draft.assignee = Some(ctx.config.who(&who));
            }
            let on_conflict = crate::domain::edit::OnConflict::Refuse;
            let followup = ctx.store.update_followup(id, &base, draft, on_conflict)?;
            print_changed(ctx, &followup, "changed", None)
        }
        FollowupCommand::Done { id, outcome } => finish(ctx, id, FollowupStatus::Done, outcome),
        FollowupCommand::Skip { id, outcome } => finish(ctx, id, FollowupStatus::Skipped, outcome),
        FollowupCommand::Cancel { id, outcome } => {
            finish(ctx, id, FollowupStatus::Cancelled, outcome)
        }
        FollowupCommand::Show { id } => {
            let f = ctx.store.followup(id)?;
            if ctx.json {
                return print_json(&f);
            }
            let tz = ctx.clock().tz();
            let mut fields = Fields::new();
            fields
                .add("id", f.id.to_string())
                .add(
                    "customer",
                    format!(
                        "{} (id {})",
                        f.customer.clone().unwrap_or_default(),
                        f.customer_id
                    ),
                )
                .add("kind", f.kind.to_string())
                .add(
                    "due",
                    format!("{} ({})", f.due_on, relative_date(f.due_on, today)),
                )
                .add("status", f.status.to_string())
                .opt("every", f.recurrence.map(|r| r.to_string()))
                .add(
                    "assignee",
                    f.assignee.clone().unwrap_or_else(|| "nobody".to_string()),
                )
                .opt("note", f.note.clone())
                .opt("completed", f.completed_at.map(|at| local_time(at, tz)))
                .opt("outcome", f.outcome.clone())
                .opt("in trash since", f.deleted_at.map(|d| local_time(d, tz)));
            fields.print()
        }
        FollowupCommand::List {
            due_before,
            customer,
            all,
            trash,
            assignee,
            limit,
        } => {
            let query = FollowupQuery {
                statuses: if all {
                    Vec::new()
                } else {
                    vec![FollowupStatus::Planned]
                },
                customer_id: customer,
                search: None,
                due_before: due_before
                    .map(|d| parse_date("due-before", &d, today))
                    .transpose()?,
                order: FollowupOrder::Due,
                trash,
                assignee: assignee.map(|a| ctx.config.who(&a)),
            };
            if let Some(id) = customer {
                ctx.store.customer(id)?;
            }
            let today = ctx.clock().today();
            let rows = limit.rows();
            print_stream(
                ctx,
                rows,
                |each| ctx.store.each_followup(&query, rows, each),
                &columns(),
                |f| followup_cells(f, today),
                "no follow-ups found",
            )
        }
    }
}

fn finish(
    ctx: &mut Context,
    id: i64,
    status: FollowupStatus,
    outcome: Option<String>,
) -> Result<(), CliError> {
    let (finished, next) = ctx.store.finish_followup(id, status, outcome.as_deref())?;
    print_changed(ctx, &finished, finished.status.as_str(), next.as_ref())
}

fn print_changed(
    ctx: &Context,
    f: &Followup,
    verb: &str,
    next: Option<&Followup>,
) -> Result<(), CliError> {
    if ctx.json {
        return print_json(f);
    }
    let customer = f.customer.clone().unwrap_or_default();
    say(&format!(
        "{verb} follow-up {}: {} with {customer}, due {}",
        f.id, f.kind, f.due_on
    ))?;
    if let Some(next) = next {
        say(&format!(
            "planned follow-up {}: next {} due {}",
            next.id, next.kind, next.due_on
        ))?;
    }
    if !f.status.is_open() && f.outcome.is_some() {
        say(&format!("logged the outcome with {customer}"))?;
    }
    Ok(())
}

pub fn print_followups(ctx: &Context, followups: &[Followup]) -> Result<(), CliError> {
    let today = ctx.clock().today();
    let mut table = Table::new(&HEADERS);
    for f in followups {
        table.row(followup_cells(f, today));
    }
    table.print()
}

const HEADERS: [&str; 9] = [
    "ID", "CUSTOMER", "KIND", "DUE", "WHEN", "STATUS", "ASSIGNEE", "EVERY", "NOTE",
];

/// A streamed follow-up table's columns: ids are never cut (a later, longer
/// one is printed whole), nor dates or the words of a kind or a status.
fn columns() -> Vec<Column> {
    HEADERS
        .iter()
        .map(|&header| match header {
            "KIND" => Column::of_choice::<FollowupKind>(header),
            "STATUS" => Column::of_choice::<FollowupStatus>(header),
            "ID" => Column::new(header, Some(0)),
            "DUE" => Column::new(header, Some("YYYY-MM-DD".len())),
            _ => Column::new(header, None),
        })
        .collect()
}

fn followup_cells(f: &Followup, today: jiff::civil::Date) -> Vec<String> {
    vec![
        f.id.to_string(),
        f.customer.clone().unwrap_or_default(),
        f.kind.to_string(),
        f.due_on.to_string(),
        relative_date(f.due_on, today),
        f.status.to_string(),
        f.assignee.clone().unwrap_or_default(),
        f.recurrence.map(|r| r.to_string()).unwrap_or_default(),
        f.note.clone().unwrap_or_default(),
    ]
}
