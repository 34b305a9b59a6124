//! `tuicrm log ...` and `tuicrm interaction ...`: the interaction log from
//! the command line — logged, listed, shown whole, corrected, deleted.

use clap::{Args, Subcommand};

use super::choices::{choice, choice_of};
use super::listing::print_stream;
use super::output::{Column, Fields, Table, local_time, print_json, say};
use super::{CliError, Context, LimitArg};
use crate::domain::edit::OnConflict;
use crate::domain::time::{parse_time, relative_time};
use crate::domain::{Direction, Interaction, InteractionDraft, InteractionKind};
use crate::store::InteractionQuery;

#[derive(Debug, Subcommand)]
pub enum InteractionCommand {
    /// Log an interaction (the same as `tuicrm log`)
    Add(LogArgs),
    /// List interactions, newest first
    List {
        /// Only this customer's (an organization: with its people's)
        #[arg(long, value_name = "ID")]
        customer: Option<i64>,
        /// Only those logged on this ticket
        #[arg(long, value_name = "ID")]
        ticket: Option<i64>,
        #[command(flatten)]
        limit: LimitArg,
    },
    /// Show one interaction with its whole body
    Show {
        /// The interaction's id
        id: i64,
    },
    /// Correct what was logged: summary, body, kind, direction or time
    Edit {
        /// The interaction's id
        id: i64,
        /// New one-line summary
        #[arg(long, value_name = "TEXT")]
        summary: Option<String>,
        /// New full text ("" removes it)
        #[arg(long, value_name = "B")]
        body: Option<String>,
        /// New kind (the direction follows unless it was changed or is given)
        #[arg(long, value_name = "K",
              value_parser = choice_of(InteractionKind::FIELD, InteractionKind::LOGGABLE))]
        kind: Option<InteractionKind>,
        /// New direction
        #[arg(long, value_name = "D", value_parser = choice::<Direction>())]
        direction: Option<Direction>,
        /// When it happened: RFC 3339, "YYYY-MM-DD HH:MM", -2h, yesterday
        #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
        at: Option<String>,
    },
    /// Delete an interaction from the log (`tuicrm undo` brings it back)
    Delete {
        /// The interaction's id
        id: i64,
    },
}

impl InteractionCommand {
    pub fn only_reads(&self) -> bool {
        matches!(
            self,
            InteractionCommand::List { .. } | InteractionCommand::Show { .. }
        )
    }
}

pub fn run(ctx: &mut Context, command: InteractionCommand) -> Result<(), CliError> {
    match command {
        InteractionCommand::Add(args) => log(ctx, args),
        InteractionCommand::List {
            customer,
            ticket,
            limit,
        } => list(ctx, customer, ticket, limit.rows()),
        InteractionCommand::Show { id } => show(ctx, id),
        InteractionCommand::Edit {
            id,
            summary,
            body,
            kind,
            direction,
            at,
        } => {
            if summary.is_none()
                && body.is_none()
                && kind.is_none()
                && direction.is_none()
                && at.is_none()
            {
                return Err(CliError::usage(
                    "nothing to change: give --summary, --body, --kind, --direction or --at",
                ));
            }
            let clock = ctx.clock().clone();
            let current = ctx.store.interaction(id)?;
            let base = current.edit();
            let mut draft = base.clone();
            if let Some(kind) = kind {
                // As in the log form: a direction left at the old kind's
                // default follows the new kind.
                if draft.direction == draft.kind.default_direction() {
                    draft.direction = kind.default_direction();
                }
                draft.kind = kind;
            }
            if let Some(direction) = direction {
                draft.direction = direction;
            }
            if let Some(summary) = summary {
                draft.summary = summary;
            }
            if let Some(body) = body {
                draft.body = Some(body);
            }
            if let Some(at) = at {
                draft.occurred_at = parse_time("at", &at, clock.now(), clock.tz())?;
            }
            let saved = ctx
                .store
                .edit_interaction(id, &base, draft, OnConflict::Refuse)?;
            print_changed(ctx, &saved, "saved")
        }
        InteractionCommand::Delete { id } => {
            let deleted = ctx.store.delete_interaction(id)?;
            print_changed(ctx, &deleted, "deleted")
        }
    }
}

/// "saved interaction 7: outbound call with Jane Doe"
fn print_changed(ctx: &Context, i: &Interaction, verb: &str) -> Result<(), CliError> {
    if ctx.json {
        return print_json(i);
    }
    say(&format!(
        "{verb} interaction {}: {} {} with {}",
        i.id,
        i.direction,
        i.kind,
        i.customer.clone().unwrap_or_default()
    ))
}

fn list(
    ctx: &Context,
    customer: Option<i64>,
    ticket: Option<i64>,
    limit: usize,
) -> Result<(), CliError> {
    // A mistyped id is said so, not shown as an empty log.
    if let Some(id) = customer {
        ctx.store.customer(id)?;
    }
    if let Some(id) = ticket {
        ctx.store.ticket(id)?;
    }
    let query = InteractionQuery {
        customer_id: customer,
        ticket_id: ticket,
    };
    let now = ctx.clock().now();
    print_stream(
        ctx,
        limit,
        |each| ctx.store.each_interaction(&query, limit, each),
        &interaction_columns(),
        |i| interaction_cells(i, now),
        "no interactions found",
    )
}

fn show(ctx: &Context, id: i64) -> Result<(), CliError> {
    let i = ctx.store.interaction(id)?;
    if ctx.json {
        return print_json(&i);
    }
    let tz = ctx.clock().tz();
    let now = ctx.clock().now();
    // The ticket by its subject too; one gone since is still named by id.
    let ticket = i.ticket_id.map(|t| match ctx.store.ticket(t) {
        Ok(ticket) => format!("{t}: {}", ticket.subject),
        Err(_) => t.to_string(),
    });
    let followup = i.followup_id.map(|f| match ctx.store.followup(f) {
        Ok(followup) => format!("{f}: {} due {}", followup.kind, followup.due_on),
        Err(_) => f.to_string(),
    });
    let mut fields = Fields::new();
    fields
        .add("id", i.id.to_string())
        .add(
            "customer",
            format!(
                "{} (id {})",
                i.customer.clone().unwrap_or_default(),
                i.customer_id
            ),
        )
        .add("kind", i.kind.to_string())
        .add("direction", i.direction.to_string())
        .add(
            "when",
            format!(
                "{} ({})",
                local_time(i.occurred_at, tz),
                relative_time(i.occurred_at, now)
            ),
        )
        .opt("ticket", ticket)
        .opt("follow-up", followup)
        .add("summary", i.summary.clone())
        .opt("body", i.body.clone())
        .add("logged", local_time(i.created_at, tz))
        .opt(
            "changed",
            (i.updated_at != i.created_at).then(|| local_time(i.updated_at, tz)),
        )
        .opt("deleted", i.deleted_at.map(|d| local_time(d, tz)));
    fields.print()
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Id of the customer it was with
    customer_id: i64,
    /// One line: what happened
    summary: String,
    /// What kind of contact it was (default note)
    #[arg(long, value_name = "K", value_parser = choice::<InteractionKind>())]
    kind: Option<InteractionKind>,
    /// Who started it (default: internal for notes, outbound otherwise)
    #[arg(long, value_name = "D", value_parser = choice::<Direction>())]
    direction: Option<Direction>,
    /// The full text (notes of a call, an email's body)
    #[arg(long, value_name = "B")]
    body: Option<String>,
    /// The ticket this belongs to (an outbound reply sets its first response)
    #[arg(long, value_name = "ID")]
    ticket: Option<i64>,
    /// The follow-up this belongs to
    #[arg(long, value_name = "ID")]
    followup: Option<i64>,
    /// When it happened: RFC 3339, "YYYY-MM-DD HH:MM", -2h, yesterday (default now)
    #[arg(long, value_name = "WHEN", allow_hyphen_values = true)]
    at: Option<String>,
}

pub fn log(ctx: &mut Context, args: LogArgs) -> Result<(), CliError> {
    let clock = ctx.clock().clone();
    let mut draft = InteractionDraft::new(args.customer_id, args.summary, clock.now());
    if let Some(kind) = args.kind {
        draft.kind = kind;
        draft.direction = draft.kind.default_direction();
    }
    if let Some(direction) = args.direction {
        draft.direction = direction;
    }
    if let Some(at) = args.at {
        draft.occurred_at = parse_time("at", &at, clock.now(), clock.tz())?;
    }
    draft.body = args.body;
    draft.ticket_id = args.ticket;
    draft.followup_id = args.followup;
    let logged = ctx.store.log_interaction(draft)?;
    if ctx.json {
        return print_json(&logged);
    }
    say(&format!(
        "logged interaction {}: {} {} with {}",
        logged.id,
        logged.direction,
        logged.kind,
        logged.customer.clone().unwrap_or_default()
    ))
}

/// The log as a table; entries of an organization's people name the person.
pub fn print_interactions(ctx: &Context, interactions: &[Interaction]) -> Result<(), CliError> {
    let now = ctx.clock().now();
    let headers: Vec<&str> = interaction_columns().iter().map(|c| c.header).collect();
    let mut table = Table::new(&headers);
    for i in interactions {
        table.row(interaction_cells(i, now));
    }
    table.print()
}

fn interaction_columns() -> Vec<Column> {
    [
        "ID",
        "WHEN",
        "KIND",
        "DIRECTION",
        "WHO",
        "SUMMARY",
        "TICKET",
    ]
    .into_iter()
    .map(|header| Column::new(header, None))
    .collect()
}

/// One entry's row of a log table.
fn interaction_cells(i: &Interaction, now: jiff::Timestamp) -> Vec<String> {
    vec![
        i.id.to_string(),
        relative_time(i.occurred_at, now),
        i.kind.to_string(),
        i.direction.to_string(),
        i.customer.clone().unwrap_or_default(),
        i.summary.clone(),
        i.ticket_id.map(|t| format!("#{t}")).unwrap_or_default(),
    ]
}
