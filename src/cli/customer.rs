//! `tuicrm customer ...`

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::choices::choice;
use super::listing;
use super::output::{Column, Fields, Table, local_time, note, print_json, say};
use super::{CliError, Context, LimitArg};
use crate::domain::edit::OnConflict;
use crate::domain::followup::renewal_suggestion;
use crate::domain::health::Health;
use crate::domain::time::{days_until, parse_date, relative_date};
use crate::domain::{
    Customer, CustomerDraft, CustomerKind, Followup, Interaction, Money, Stage, Ticket,
};
use crate::store::{CustomerQuery, CustomerSort, FollowupQuery, TicketQuery};
use crate::ui::text::width;

/// The orders `customer list` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListSort {
    Name,
    Updated,
    Newest,
    Health,
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Add a person (or, with --organization, an organization)
    Add {
        /// Full name of the person or organization
        name: String,
        /// Add an organization instead of a person
        #[arg(long)]
        organization: bool,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// List customers, by name (or --sort)
    List {
        /// Only customers matching every one of these words (name, email, notes or tags)
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        /// Only customers in this segment (any case)
        #[arg(long, value_name = "S")]
        segment: Option<String>,
        /// Only customers with this tag
        #[arg(long, value_name = "T")]
        tag: Option<String>,
        /// Only customers at this stage of the relationship
        #[arg(long, value_name = "S", value_parser = choice::<Stage>())]
        stage: Option<Stage>,
        /// The trash instead of live customers
        #[arg(long)]
        trash: bool,
        /// Only customers whose health score is below N (0-100; 60 finds those at risk)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=101))]
        health_below: Option<u32>,
        /// Order of the list: by name, recently updated first, newest first, or lowest health first (then by name)
        #[arg(long, value_enum, default_value_t = ListSort::Name)]
        sort: ListSort,
        #[command(flatten)]
        limit: LimitArg,
    },
    /// Show one customer with its people, open tickets, follow-ups and recent log
    Show {
        /// The customer's id
        id: i64,
    },
    /// Change a customer's fields (an empty value clears a field)
    Edit {
        /// The customer's id
        id: i64,
        /// New full name
        #[arg(long)]
        name: Option<String>,
        /// Make the customer a person or an organization
        #[arg(long, value_name = "KIND", value_parser = choice::<CustomerKind>())]
        kind: Option<CustomerKind>,
        /// Remove a tag (repeatable)
        #[arg(long, value_name = "T")]
        untag: Vec<String>,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Move a customer to the trash (restore brings it back)
    Delete {
        /// The customer's id
        id: i64,
    },
    /// Bring a customer back from the trash
    Restore {
        /// The customer's id (see `customer list --trash`)
        id: i64,
    },
    /// List groups of likely duplicates, each with its reason (same email, same phone digits, same name, similar names in one organization)
    Duplicates {
        #[command(flatten)]
        limit: LimitArg,
    },
    /// Merge OTHER into KEEP: its tickets, follow-ups, log and tags move over, empty fields are filled, OTHER goes to the trash
    Merge {
        /// Id of the customer that stays
        keep: i64,
        /// Id of the customer merged into KEEP and moved to the trash
        other: i64,
    },
}

/// Flags shared by add and edit.
#[derive(Debug, Args)]
pub struct CustomerFields {
    /// Organization the person belongs to, by name or id ("" to unlink)
    #[arg(long, value_name = "NAME|ID")]
    org: Option<String>,
    /// Main email address
    #[arg(long, value_name = "E")]
    email: Option<String>,
    /// Main phone number, in any format
    #[arg(long, value_name = "P")]
    phone: Option<String>,
    /// Job title
    #[arg(long, value_name = "T")]
    title: Option<String>,
    /// Free text such as SMB or Enterprise
    #[arg(long, value_name = "S")]
    segment: Option<String>,
    /// Add a tag (repeatable)
    #[arg(long, value_name = "T")]
    tag: Vec<String>,
    /// Stage of the relationship ("at risk" as shown, or at_risk)
    #[arg(long, value_name = "S", value_parser = choice::<Stage>())]
    stage: Option<Stage>,
    /// Account owner on our side
    #[arg(long, value_name = "O")]
    owner: Option<String>,
    /// Renewal date: YYYY-MM-DD, today, +30d, +1y ...
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    renewal: Option<String>,
    /// Contract value such as 12000, 12,000.50 or "9000 EUR"
    #[arg(long, value_name = "AMT")]
    value: Option<String>,
    /// Free-form notes
    #[arg(long, value_name = "TEXT")]
    notes: Option<String>,
}

pub fn run(ctx: &mut Context, command: CustomerCommand) -> Result<(), CliError> {
    match command {
        CustomerCommand::Add {
            name,
            organization,
            fields,
        } => {
            let kind = if organization {
                CustomerKind::Organization
            } else {
                CustomerKind::Person
            };
            let mut draft = CustomerDraft::new(kind, name);
            fields.apply(ctx, &mut draft)?;
            let customer = ctx.store.add_customer(draft)?;
            print_changed(ctx, &customer, "added")
        }
        CustomerCommand::Edit {
            id,
            name,
            kind,
            untag,
            fields,
        } => {
            let base = ctx.store.customer(id)?.draft();
            let mut draft = base.clone();
            if let Some(name) = name {
                draft.name = name;
            }
            if let Some(kind) = kind {
                draft.kind = kind;
            }
            fields.apply(ctx, &mut draft)?;
            draft
                .tags
                .retain(|t| !untag.iter().any(|u| u.trim().eq_ignore_ascii_case(t)));
            // Only the fields named on the command line are written; they
            // win over anything saved since they were read.
            let customer = ctx
                .store
                .update_customer(id, &base, draft, OnConflict::Overwrite)?;
            print_changed(ctx, &customer, "saved")
        }
        CustomerCommand::Delete { id } => {
            let customer = ctx.store.delete_customer(id)?;
            print_changed(
                ctx,
                &customer,
                "moved to the trash (tuicrm undo, or customer restore, brings it back):",
            )
        }
        CustomerCommand::Restore { id } => {
            let customer = ctx.store.restore_customer(id)?;
            print_changed(ctx, &customer, "restored")
        }
        CustomerCommand::Show { id } => show(ctx, id),
        CustomerCommand::Merge { keep, other } => {
            let customer = ctx.store.merge_customers(keep, other)?;
            print_changed(ctx, &customer, &format!("merged customer {other} into"))
        }
        CustomerCommand::Duplicates { limit } => {
            let groups = ctx.store.duplicate_groups(limit.rows())?;
            if ctx.json {
                return print_json(&groups);
            }
            if groups.is_empty() {
                note("no likely duplicates found");
            }
            for (i, group) in groups.iter().enumerate() {
                if i > 0 {
                    say("")?;
                }
                say(&format!("{}:", group.reason))?;
                print_customers(&group.customers)?;
            }
            Ok(())
        }
        CustomerCommand::List {
            search,
            segment,
            tag,
            stage,
            trash,
            health_below,
            sort,
            limit,
        } => {
            let query = CustomerQuery {
                search,
                segment,
                tag,
                stage,
                trash,
                sort: match sort {
                    ListSort::Name | ListSort::Health => CustomerSort::Name,
                    ListSort::Updated => CustomerSort::RecentlyUpdated,
                    ListSort::Newest => CustomerSort::Newest,
                },
                ..CustomerQuery::default()
            };
            let worst_first = sort == ListSort::Health;
            list(ctx, &query, (health_below, worst_first), limit.rows())
        }
    }
}

impl CustomerFields {
    /// Writes the given flags into `draft`; an empty value clears the field.
    fn apply(self, ctx: &Context, draft: &mut CustomerDraft) -> Result<(), CliError> {
        let today = ctx.clock().today();
        if let Some(org) = self.org {
            draft.organization_id = ctx.store.resolve_organization(&org)?;
        }
        let set = |slot: &mut Option<String>, value: Option<String>| {
            if let Some(v) = value {
                *slot = Some(v);
            }
        };
        set(&mut draft.email, self.email);
        set(&mut draft.phone, self.phone);
        set(&mut draft.title, self.title);
        set(&mut draft.segment, self.segment);
        set(&mut draft.owner, self.owner);
        set(&mut draft.notes, self.notes);
        draft.tags.extend(self.tag);
        if let Some(stage) = self.stage {
            draft.stage = stage;
        }
        if let Some(renewal) = self.renewal {
            draft.renewal_on = match renewal.trim() {
                "" | "none" => None,
                text => Some(parse_date("renewal", text, today)?),
            };
        }
        if let Some(value) = self.value {
            draft.contract_value = match value.trim() {
                "" | "none" => None,
                text => Some(Money::parse(text, &ctx.config.currency)?),
            };
        }
        Ok(())
    }
}

fn print_changed(ctx: &Context, customer: &Customer, verb: &str) -> Result<(), CliError> {
    if ctx.json {
        return print_json(customer);
    }
    // Like the ticket, follow-up and log lines: the record, then what it is
    // and whom it belongs with.
    let what = match (customer.kind, &customer.organization) {
        (CustomerKind::Person, Some(org)) => format!("person at {org}"),
        (kind, _) => kind.to_string(),
    };
    say(&format!(
        "{verb} customer {}: {} ({what})",
        customer.id, customer.name
    ))
}

/// A customer of `customer list`: the record and its health.
#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    customer: Customer,
    health: Health,
}

/// `customer list`: one statement streamed, each batch's health settled
/// from the kept stats, printed before the next is read, so memory stays
/// flat however many customers there are.
/// `health_below`: only the customers scoring under it, in the same order;
/// `worst_first`: lowest score first instead of the query's order.
fn list(
    ctx: &Context,
    query: &CustomerQuery,
    (health_below, worst_first): (Option<u32>, bool),
    limit: usize,
) -> Result<(), CliError> {
    // Scores are 0-100: "below 101" is everyone.
    let below = health_below.map(|below| u8::try_from(below).unwrap_or(u8::MAX));
    listing::print_stream(
        ctx,
        limit,
        |each| {
            let each = |batch: Vec<(Customer, Health)>, more| {
                let listed = batch
                    .into_iter()
                    .map(|(customer, health)| Listed { customer, health })
                    .collect();
                each(listed, more)
            };
            let (store, weights) = (&ctx.store, &ctx.config.health);
            if worst_first {
                store.each_customer_by_health(query, (limit, below), weights, each)
            } else {
                store.each_customer_with_health(query, (limit, below), weights, each)
            }
        },
        &columns(ctx, true)?,
        |l| customer_cells(&l.customer, Some(&l.health)),
        "no customers found",
    )
}

fn print_customers(customers: &[Customer]) -> Result<(), CliError> {
    if customers.is_empty() {
        note("no customers found");
        return Ok(());
    }
    let headers: Vec<&str> = headers(false).iter().map(|c| c.header).collect();
    let mut table = Table::new(&headers);
    for c in customers {
        table.row(customer_cells(c, None));
    }
    table.print()
}

/// The columns of a customer table; with `with_health`, a HEALTH column
/// with the TUI's marks (~ worth watching, ! at risk).
fn headers(with_health: bool) -> Vec<Column> {
    let mut columns = vec![
        Column::new("ID", None),
        Column::new("NAME", None),
        Column::new("KIND", Some(width(kind_word(CustomerKind::Person)))),
        Column::new("ORGANIZATION", None),
        Column::new("EMAIL", None),
        Column::new("SEGMENT", None),
        Column::of_choice::<Stage>("STAGE"),
    ];
    if with_health {
        // "~ 69": a mark, a space and two digits (100 has no mark).
        columns.push(Column::new("HEALTH", Some(4)));
    }
    columns.push(Column::new("TAGS", None));
    columns
}

/// `headers`, with the ID column as wide as the largest id: no id is cut.
fn columns(ctx: &Context, with_health: bool) -> Result<Vec<Column>, CliError> {
    let mut columns = headers(with_health);
    let largest = ctx.store.largest_customer_id()?;
    columns[0].widest = Some(largest.to_string().len());
    Ok(columns)
}

/// One customer's row, before `cells_of`.
fn customer_cells(c: &Customer, health: Option<&Health>) -> Vec<String> {
    let mut row = vec![
        c.id.to_string(),
        c.name.clone(),
        kind_word(c.kind).to_string(),
        c.organization.clone().unwrap_or_default(),
        c.email.clone().unwrap_or_default(),
        c.segment.clone().unwrap_or_default(),
        c.stage.to_string(),
    ];
    if let Some(health) = health {
        let mark = health.band().mark();
        let gap = if mark.is_empty() { "" } else { " " };
        row.push(format!("{mark}{gap}{}", health.score));
    }
    row.push(c.tags.join(", "));
    row
}

fn kind_word(kind: CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Person => "person",
        CustomerKind::Organization => "org",
    }
}

/// `customer show --json`: the customer's fields and what belongs to it.
#[derive(Serialize)]
struct CustomerView {
    #[serde(flatten)]
    customer: Customer,
    health: Health,
    /// Due date of the renewal follow-up to plan, when one is missing.
    renewal_suggestion: Option<jiff::civil::Date>,
    people: Vec<Customer>,
    tickets: Vec<Ticket>,
    followups: Vec<Followup>,
    interactions: Vec<Interaction>,
}

const RELATED_LIMIT: usize = 20;

fn show(ctx: &Context, id: i64) -> Result<(), CliError> {
    let store = &ctx.store;
    let customer = store.customer(id)?;
    let people = match customer.kind {
        CustomerKind::Organization => {
            let query = CustomerQuery {
                organization_id: Some(id),
                ..CustomerQuery::default()
            };
            store.customers_page(&query, None, RELATED_LIMIT)?.items
        }
        CustomerKind::Person => Vec::new(),
    };
    let tickets = store
        .tickets_page(
            &TicketQuery {
                customer_id: Some(id),
                ..TicketQuery::default()
            },
            None,
            RELATED_LIMIT,
        )?
        .items;
    let followups = store
        .followups_page(
            &FollowupQuery {
                customer_id: Some(id),
                ..FollowupQuery::default()
            },
            None,
            RELATED_LIMIT,
        )?
        .items;
    let interactions = store.interactions_page(id, None, RELATED_LIMIT)?.items;
    let health = store.health(id, &ctx.config.health)?;
    let renewal_suggestion =
        renewal_suggestion(customer.renewal_on, &followups, ctx.clock().today());
    let view = CustomerView {
        customer,
        health,
        renewal_suggestion,
        people,
        tickets,
        followups,
        interactions,
    };
    if ctx.json {
        return print_json(&view);
    }
    print_customer_view(ctx, &view)
}

fn print_customer_view(ctx: &Context, view: &CustomerView) -> Result<(), CliError> {
    let c = &view.customer;
    let tz = ctx.clock().tz();
    let today = ctx.clock().today();
    let mut fields = Fields::new();
    fields
        .add("id", c.id.to_string())
        .add("name", c.name.clone())
        .add("kind", c.kind.to_string())
        .opt(
            "organization",
            c.organization
                .as_ref()
                .map(|o| format!("{o} (id {})", c.organization_id.unwrap_or(0))),
        )
        .opt("email", c.email.clone())
        .opt("phone", c.phone.clone())
        .opt("title", c.title.clone())
        .opt("segment", c.segment.clone())
        .add("stage", c.stage.to_string())
        .add("tags", c.tags.join(", "))
        .opt("owner", c.owner.clone())
        .opt(
            "renewal",
            c.renewal_on
                .map(|d| format!("{d} ({})", relative_date(d, today))),
        )
        .opt("value", c.money().map(|m| m.display()))
        .add("health", format!("{} ({})", view.health.score, view.health.explain()))
        .opt(
            "suggested",
            view.renewal_suggestion
                .map(|due| format!("renewal follow-up due {due}: tuicrm followup add {} --kind renewal --due {due}", c.id)),
        )
        .opt("notes", c.notes.clone())
        .add("created", local_time(c.created_at, tz))
        .add("updated", local_time(c.updated_at, tz))
        .opt("in trash since", c.deleted_at.map(|d| local_time(d, tz)));
    fields.print()?;
    if !view.people.is_empty() {
        say("")?;
        say("People:")?;
        print_customers(&view.people)?;
    }
    if !view.tickets.is_empty() {
        say("")?;
        say("Tickets:")?;
        super::ticket::print_tickets(ctx, &view.tickets)?;
    }
    if !view.followups.is_empty() {
        say("")?;
        say("Planned follow-ups:")?;
        super::followup::print_followups(ctx, &view.followups)?;
    }
    if !view.interactions.is_empty() {
        say("")?;
        say("Recent interactions:")?;
        super::interaction::print_interactions(ctx, &view.interactions)?;
    }
    let overdue = view
        .followups
        .iter()
        .filter(|f| days_until(f.due_on, today) < 0)
        .count();
    if overdue > 0 {
        note(&format!("{overdue} follow-up(s) overdue"));
    }
    Ok(())
}
