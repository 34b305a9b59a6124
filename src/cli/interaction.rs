//! `tuicrm log ...`: the interaction log from the command line.

use clap::Args;

use super::choices::choice;
use super::output::{Table, print_json, say};
use super::{CliError, Context};
use crate::domain::time::{parse_time, relative_time};
use crate::domain::{Direction, Interaction, InteractionDraft, InteractionKind};

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
    let mut table = Table::new(&[
        "ID",
        "WHEN",
        "KIND",
        "DIRECTION",
        "WHO",
        "SUMMARY",
        "TICKET",
    ]);
    for i in interactions {
        table.row(vec![
            i.id.to_string(),
            relative_time(i.occurred_at, now),
            i.kind.to_string(),
            i.direction.to_string(),
            i.customer.clone().unwrap_or_default(),
            i.summary.clone(),
            i.ticket_id.map(|t| format!("#{t}")).unwrap_or_default(),
        ]);
    }
    table.print()
}
