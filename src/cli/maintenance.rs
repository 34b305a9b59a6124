//! init, demo, search, undo, backup, check.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use serde::Serialize;

use super::listing::print_stream;
use super::output::{Column, print_json, say};
use super::{CliError, Context};
use crate::atomic_file::Existing;
use crate::demo::DemoGenerator;
use crate::domain::Entity;
use crate::ui::text::width;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many customers (organizations and people) to create
    #[arg(long, value_name = "N", default_value_t = 1000)]
    customers: usize,
    /// Same seed, same data
    #[arg(long, value_name = "S", default_value_t = 42)]
    seed: u64,
    /// Add demo data even though the database already has customers
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words to find (each matches as a prefix: "acm corp")
    query: String,
    /// Print at most N matches
    #[arg(long, value_name = "N", default_value_t = 20,
          allow_negative_numbers = true, value_parser = super::parse_limit)]
    limit: usize,
    /// Print every match, however many (instead of --limit)
    #[arg(long, visible_alias = "no-limit", conflicts_with = "limit")]
    all: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy [default: tuicrm-backup-<time>.db beside the database]
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace the file if one already has that name
    #[arg(long)]
    force: bool,
}

#[derive(Serialize)]
struct PathReport<'a> {
    path: &'a Path,
}

pub fn init(ctx: &Context) -> Result<(), CliError> {
    let path = ctx.store.path();
    if ctx.json {
        return print_json(&PathReport { path });
    }
    say(&path.display().to_string())
}

/// Records are generated and written in batches of about this many customers,
/// one transaction each: big enough to be fast, small enough to bound memory.
const DEMO_BATCH: usize = 10_000;

pub fn demo(ctx: &mut Context, args: DemoArgs) -> Result<(), CliError> {
    let existing = ctx.store.counts()?.customers;
    if existing > 0 && !args.force {
        return Err(CliError::runtime(format!(
            "{} already has {existing} customers; demo data goes into an empty database \
             (try --db /tmp/demo.db), or pass --force to add it anyway",
            ctx.store.path().display()
        )));
    }
    let started = Instant::now();
    let clock = ctx.clock().clone();
    let generator = DemoGenerator::new(
        args.customers,
        args.seed,
        clock.now(),
        clock.tz().clone(),
        ctx.config.sla.clone(),
    );
    // An empty database is loaded in one go, indexes built at the end.
    if existing == 0 {
        ctx.store.load_into_empty("demo", generator)?;
        return demo_summary(ctx, started);
    }
    let mut batch = Vec::new();
    let mut batch_customers = 0;
    for account in generator {
        batch_customers += account.customer_count();
        batch.push(account);
        if batch_customers >= DEMO_BATCH {
            ctx.store.insert_accounts("demo", &batch)?;
            batch.clear();
            batch_customers = 0;
        }
    }
    if !batch.is_empty() {
        ctx.store.insert_accounts("demo", &batch)?;
    }
    demo_summary(ctx, started)
}

fn demo_summary(ctx: &Context, started: Instant) -> Result<(), CliError> {
    let counts = ctx.store.counts()?;
    if ctx.json {
        return print_json(&counts);
    }
    say(&format!(
        "added demo data in {:.2}s: {} customers, {} open tickets ({} past SLA), {} planned follow-ups ({} overdue), {} interactions",
        started.elapsed().as_secs_f64(),
        counts.customers,
        counts.open_tickets,
        counts.breached_tickets,
        counts.planned_followups,
        counts.overdue_followups,
        counts.interactions
    ))
}

pub fn search(ctx: &Context, args: SearchArgs) -> Result<(), CliError> {
    let limit = if args.all { usize::MAX } else { args.limit };
    let columns = [
        Column::new("KIND", Some(width(Entity::Interaction.noun()))),
        // Ids are never cut, though the widest is not known.
        Column::new("ID", Some(0)),
        Column::new("CUSTOMER", None),
        Column::new("MATCH", None),
    ];
    print_stream(
        ctx,
        limit,
        |each| ctx.store.each_search_hit(&args.query, limit, each),
        &columns,
        |hit| {
            vec![
                hit.kind.noun().to_string(),
                hit.id.to_string(),
                hit.customer.clone(),
                hit.title.clone(),
            ]
        },
        &format!("nothing matches {:?}", args.query),
    )
}

pub fn undo(ctx: &mut Context) -> Result<(), CliError> {
    let undone = ctx.store.undo_last()?;
    if ctx.json {
        return print_json(&undone);
    }
    match undone {
        Some(u) => say(&format!("undid {}", u.describe())),
        None => say("nothing to undo"),
    }
}

pub fn backup(ctx: &Context, args: BackupArgs) -> Result<(), CliError> {
    let target = match args.out {
        Some(path) => path,
        None => {
            let stamp = ctx.clock().now().strftime("%Y%m%d-%H%M%S").to_string();
            let dir = ctx
                .store
                .path()
                .parent()
                .map(PathBuf::from)
                .unwrap_or_default();
            dir.join(format!("tuicrm-backup-{stamp}.db"))
        }
    };
    if is_database_file(&target, ctx.store.path()) {
        return Err(CliError::runtime(format!(
            "{} is the database itself (or one of its own files); back up to another name",
            target.display()
        )));
    }
    let replacing = target.exists();
    if replacing && !args.force {
        return Err(CliError::runtime(format!(
            "{} already exists; pass --force to replace it",
            target.display()
        )));
    }
    let existing = if args.force {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    ctx.store.backup_with(&target, existing)?;
    if ctx.json {
        #[derive(Serialize)]
        struct Report<'a> {
            path: &'a Path,
            replaced: bool,
        }
        return print_json(&Report {
            path: &target,
            replaced: replacing,
        });
    }
    if replacing {
        say(&format!(
            "backed up to {} (replaced the file that was there)",
            target.display()
        ))
    } else {
        say(&format!("backed up to {}", target.display()))
    }
}

/// The database's own file or one SQLite keeps beside it (-wal, -shm,
/// -journal): a backup put there would replace or garble the live data.
fn is_database_file(target: &Path, db: &Path) -> bool {
    let (Some(target), Some(db)) = (resolved(target), resolved(db)) else {
        return false;
    };
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        target == Path::new(&name)
    })
}

/// `path` with its folder resolved (links, `..`); the file may not exist yet.
fn resolved(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(std::fs::canonicalize(folder).ok()?.join(name))
}

pub fn check(ctx: &Context) -> Result<(), CliError> {
    let problems = ctx.store.check()?;
    if ctx.json {
        #[derive(Serialize)]
        struct Report<'a> {
            ok: bool,
            problems: &'a [String],
        }
        print_json(&Report {
            ok: problems.is_empty(),
            problems: &problems,
        })?;
    } else if problems.is_empty() {
        say(&format!("{}: ok", ctx.store.path().display()))?;
    } else {
        for p in &problems {
            say(p)?;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CliError::runtime(format!(
            "{} problem(s) found",
            problems.len()
        )))
    }
}
