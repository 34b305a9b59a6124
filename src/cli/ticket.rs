//! `tuicrm ticket ...`

use clap::Subcommand;
use serde::Serialize;

use super::choices::choice;
use super::listing::print_stream;
use super::output::{Column, Fields, Table, local_time, print_json, say};
use super::{CliError, Context, LimitArg};
use crate::domain::sla_clock::{ClockState, SlaClock};
use crate::domain::ticket::TicketChange;
use crate::domain::ticket_sla::ClockKind;
use crate::domain::time::relative_time;
use crate::domain::{Channel, Interaction, Priority, SlaPolicy, Ticket, TicketDraft, TicketStatus};
use crate::store::TicketQuery;

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// Open a ticket for a customer (normal priority, channel other by default)
    Add {
        /// Id of the customer who asked
        customer_id: i64,
        /// One line: what it is about
        subject: String,
        /// How urgent it is (default normal)
        #[arg(long, value_name = "P", value_parser = choice::<Priority>())]
        priority: Option<Priority>,
        /// How the customer reached us (default other)
        #[arg(long, value_name = "C", value_parser = choice::<Channel>())]
        channel: Option<Channel>,
        /// The full description
        #[arg(long, value_name = "B")]
        body: Option<String>,
        /// Who works on it ("me": you, as [user] name or $USER); default the customer's owner
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
    },
    /// List tickets, newest first
    List {
        /// Only tickets in these states (repeatable, or comma-separated)
        #[arg(long, value_name = "S", value_delimiter = ',', value_parser = choice::<TicketStatus>())]
        status: Vec<TicketStatus>,
        /// Only this customer's (an organization: with its people's)
        #[arg(long, value_name = "ID")]
        customer: Option<i64>,
        /// Only unfinished tickets past either SLA clock (first response or
        /// resolution), soonest resolution first
        #[arg(long)]
        overdue: bool,
        /// The trash (deleted tickets, and those of customers in the trash)
        #[arg(long)]
        trash: bool,
        /// Only those this person works on ("me": you)
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
        #[command(flatten)]
        limit: LimitArg,
    },
    /// Show one ticket with its interactions
    Show {
        /// The ticket's id
        id: i64,
    },
    /// Change status, priority, CSAT, subject or channel
    Set {
        /// The ticket's id
        id: i64,
        /// New state (resolved and closed record when it was solved)
        #[arg(long, value_name = "S", value_parser = choice::<TicketStatus>())]
        status: Option<TicketStatus>,
        /// New priority
        #[arg(long, value_name = "P", value_parser = choice::<Priority>())]
        priority: Option<Priority>,
        /// Satisfaction 1-5 (resolved or closed tickets)
        #[arg(long, value_name = "N")]
        csat: Option<u8>,
        /// New subject
        #[arg(long, value_name = "TEXT")]
        subject: Option<String>,
        /// New channel
        #[arg(long, value_name = "C", value_parser = choice::<Channel>())]
        channel: Option<Channel>,
        /// Who works on it ("me": you; "" for nobody)
        #[arg(long, value_name = "NAME")]
        assignee: Option<String>,
    },
    /// Move a ticket to the trash
    Delete {
        /// The ticket's id
        id: i64,
    },
    /// Bring a ticket back from the trash
    Restore {
        /// The ticket's id
        id: i64,
    },
}

pub fn run(ctx: &mut Context, command: TicketCommand) -> Result<(), CliError> {
    match command {
        TicketCommand::Add {
            customer_id,
            subject,
            priority,
            channel,
            body,
            assignee,
        } => {
            let mut draft = TicketDraft::new(customer_id, subject);
            draft.assignee = assignee.map(|a| ctx.config.who(&a));
            if let Some(p) = priority {
                draft.priority = p;
            }
            if let Some(c) = channel {
                draft.channel = c;
            }
            draft.body = body;
            let ticket = ctx.store.add_ticket(draft)?;
            print_changed(ctx, &ticket, "opened")
        }
        TicketCommand::Set {
            id,
            status,
            priority,
            csat,
            subject,
            channel,
            assignee,
        } => {
            let change = TicketChange {
                subject,
                body: None,
                status,
                priority,
                channel,
                csat,
                assignee: assignee.map(|a| Some(ctx.config.who(&a))),
            };
            if change == TicketChange::default() {
                return Err(CliError::usage(
                    "nothing to change: give --status, --priority, --csat, --subject, --channel or --assignee",
                ));
            }
            let ticket = ctx.store.change_ticket(id, &change)?;
            print_changed(ctx, &ticket, "saved")
        }
        TicketCommand::Delete { id } => {
            let ticket = ctx.store.delete_ticket(id)?;
            print_changed(ctx, &ticket, "moved to the trash:")
        }
        TicketCommand::Restore { id } => {
            let ticket = ctx.store.restore_ticket(id)?;
            print_changed(ctx, &ticket, "restored")
        }
        TicketCommand::Show { id } => show(ctx, id),
        TicketCommand::List {
            status,
            customer,
            overdue,
            trash,
            assignee,
            limit,
        } => {
            let query = TicketQuery {
                statuses: status,
                customer_id: customer,
                search: None,
                // Either clock past due, soonest resolution first.
                due_before: overdue.then_some(jiff::Timestamp::MAX),
                breached_at: overdue.then(|| ctx.clock().now()),
                recently_resolved: false,
                by_attention: false,
                trash,
                assignee: assignee.map(|a| ctx.config.who(&a)),
            };
            if let Some(id) = customer {
                ctx.store.customer(id)?;
            }
            list(ctx, &query, limit.rows())
        }
    }
}

/// `ticket list`, streamed.
fn list(ctx: &Context, query: &TicketQuery, limit: usize) -> Result<(), CliError> {
    let now = ctx.clock().now();
    let sla = ctx.store.sla();
    print_stream(
        ctx,
        limit,
        |each| {
            ctx.store.each_ticket(query, limit, |batch, more| {
                let listed = batch.into_iter().map(|t| Listed::of(t, sla, now)).collect();
                each(listed, more)
            })
        },
        &columns(),
        |l| ticket_cells(&l.ticket, sla, now),
        "no tickets found",
    )
}

/// A ticket as lists and `show` print it in JSON: its fields, and where
/// both of its clocks stand.
#[derive(Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub ticket: Ticket,
    /// As the stops so far (and a pause going on) have moved it.
    pub resolution_due_at: jiff::Timestamp,
    pub sla: ClocksJson,
}

#[derive(Serialize)]
pub struct ClocksJson {
    pub first_response: ClockJson,
    pub resolution: ClockJson,
}

/// One clock: `ok`, `warning`, `breached`, `paused`, `met` or `met late`,
/// with the counted minutes left before its due time or over it.
#[derive(Serialize)]
pub struct ClockJson {
    pub state: &'static str,
    pub due_at: jiff::Timestamp,
    pub minutes_left: Option<i64>,
    pub minutes_over: Option<i64>,
    pub paused_since: Option<jiff::Timestamp>,
}

impl ClockJson {
    fn of(clock: &SlaClock) -> ClockJson {
        let minutes = clock.left.as_mins();
        let (left, over) = match clock.state {
            ClockState::Met => (None, None),
            _ if minutes < 0 => (None, Some(-minutes)),
            _ => (Some(minutes), None),
        };
        ClockJson {
            state: clock.state.as_str(),
            due_at: clock.due_at,
            minutes_left: left,
            minutes_over: over,
            paused_since: clock.paused_since,
        }
    }
}

impl Listed {
    pub fn of(ticket: Ticket, sla: &SlaPolicy, now: jiff::Timestamp) -> Listed {
        let clocks = ticket.clocks(sla, now);
        Listed {
            resolution_due_at: clocks.resolution.due_at,
            sla: ClocksJson {
                first_response: ClockJson::of(&clocks.first_response),
                resolution: ClockJson::of(&clocks.resolution),
            },
            ticket,
        }
    }
}

const HEADERS: [&str; 8] = [
    "ID", "CUSTOMER", "SUBJECT", "STATUS", "PRIORITY", "ASSIGNEE", "SLA", "OPENED",
];

/// A streamed ticket table's columns: ids are never cut (a later, longer one
/// is printed whole), nor the words of a status or a priority.
fn columns() -> Vec<Column> {
    HEADERS
        .iter()
        .map(|&header| match header {
            "STATUS" => Column::of_choice::<TicketStatus>(header),
            "PRIORITY" => Column::of_choice::<Priority>(header),
            // Ids are never cut, though the widest is not known.
            "ID" => Column::new(header, Some(0)),
            _ => Column::new(header, None),
        })
        .collect()
}

fn ticket_cells(t: &Ticket, sla: &SlaPolicy, now: jiff::Timestamp) -> Vec<String> {
    vec![
        t.id.to_string(),
        t.customer.clone().unwrap_or_default(),
        t.subject.clone(),
        t.status.to_string(),
        t.priority.to_string(),
        t.assignee.clone().unwrap_or_default(),
        t.sla_flag(sla, now).0,
        relative_time(t.opened_at, now),
    ]
}

fn print_changed(ctx: &Context, ticket: &Ticket, verb: &str) -> Result<(), CliError> {
    if ctx.json {
        return print_json(ticket);
    }
    // Named with its customer, as follow-up and log lines are.
    let customer = ticket.customer.clone().unwrap_or_default();
    say(&format!(
        "{verb} ticket {}: {} for {customer} ({})",
        ticket.id, ticket.subject, ticket.status
    ))
}

pub fn print_tickets(ctx: &Context, tickets: &[Ticket]) -> Result<(), CliError> {
    let now = ctx.clock().now();
    let mut table = Table::new(&HEADERS);
    for t in tickets {
        table.row(ticket_cells(t, ctx.store.sla(), now));
    }
    table.print()
}

#[derive(Serialize)]
struct TicketView {
    #[serde(flatten)]
    ticket: Listed,
    interactions: Vec<Interaction>,
}

fn show(ctx: &Context, id: i64) -> Result<(), CliError> {
    let ticket = ctx.store.ticket(id)?;
    let interactions = ctx.store.ticket_interactions(id)?;
    let tz = ctx.clock().tz();
    let now = ctx.clock().now();
    let sla = ctx.store.sla();
    if ctx.json {
        return print_json(&TicketView {
            ticket: Listed::of(ticket, sla, now),
            interactions,
        });
    }
    let clocks = ticket.clocks(sla, now);
    // "2026-12-07 10:00 (! reply 1h over)", "… (paused 2d ago)".
    let clock = |head: String, clock: &SlaClock, kind: ClockKind| {
        format!("{head} ({})", clock.told(kind, now))
    };
    let t = &ticket;
    let mut fields = Fields::new();
    fields
        .add("id", t.id.to_string())
        .add(
            "customer",
            format!(
                "{} (id {})",
                t.customer.clone().unwrap_or_default(),
                t.customer_id
            ),
        )
        .add("subject", t.subject.clone())
        .add("status", t.status.to_string())
        .add("priority", t.priority.to_string())
        .add("channel", t.channel.to_string())
        .add(
            "assignee",
            t.assignee.clone().unwrap_or_else(|| "nobody".to_string()),
        )
        .add(
            "opened",
            format!(
                "{} ({})",
                local_time(t.opened_at, tz),
                relative_time(t.opened_at, now)
            ),
        )
        .add(
            "first response",
            match t.first_response_at {
                Some(at) => clock(
                    local_time(at, tz),
                    &clocks.first_response,
                    ClockKind::FirstResponse,
                ),
                None => clock(
                    format!("due {}", local_time(clocks.first_response.due_at, tz)),
                    &clocks.first_response,
                    ClockKind::FirstResponse,
                ),
            },
        )
        .add(
            "resolution",
            clock(
                format!("due {}", local_time(clocks.resolution.due_at, tz)),
                &clocks.resolution,
                ClockKind::Resolution,
            ),
        )
        .opt("resolved", t.resolved_at.map(|at| local_time(at, tz)))
        .opt("csat", t.csat.map(|c| format!("{c}/5")))
        .opt("body", t.body.clone())
        .opt("in trash since", t.deleted_at.map(|d| local_time(d, tz)));
    fields.print()?;
    if !interactions.is_empty() {
        say("")?;
        say("Interactions:")?;
        super::interaction::print_interactions(ctx, &interactions)?;
    }
    Ok(())
}
