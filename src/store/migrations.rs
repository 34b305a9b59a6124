//! Schema versions: `assets/migrations/NNNN_*.sql`, applied in order in one
//! transaction, tracked by `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::error::{Context, Result, StoreError};

/// Marks a file as ours ("tcrm"), so an unrelated SQLite file is never migrated.
pub const APPLICATION_ID: i64 = 0x7463_726d;

pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../assets/migrations/0001_schema.sql")),
    (2, include_str!("../../assets/migrations/0002_search.sql")),
    (
        3,
        include_str!("../../assets/migrations/0003_search_merging.sql"),
    ),
    (
        4,
        include_str!("../../assets/migrations/0004_extra_fields.sql"),
    ),
    (
        5,
        include_str!("../../assets/migrations/0005_match_by_name_and_phone.sql"),
    ),
    (6, include_str!("../../assets/migrations/0006_card_uid.sql")),
    (
        7,
        include_str!("../../assets/migrations/0007_trash_by_name.sql"),
    ),
    (
        8,
        include_str!("../../assets/migrations/0008_customer_emails.sql"),
    ),
    (
        9,
        include_str!("../../assets/migrations/0009_customer_emails_without_triggers.sql"),
    ),
    (
        10,
        include_str!("../../assets/migrations/0010_never_reuse_ids.sql"),
    ),
    (
        11,
        include_str!("../../assets/migrations/0011_finished_work.sql"),
    ),
    (
        12,
        include_str!("../../assets/migrations/0012_tags_in_search.sql"),
    ),
    (
        13,
        include_str!("../../assets/migrations/0013_interaction_trash.sql"),
    ),
    (
        14,
        include_str!("../../assets/migrations/0014_customer_stats.sql"),
    ),
    (
        15,
        include_str!("../../assets/migrations/0015_title_search.sql"),
    ),
    (
        16,
        include_str!("../../assets/migrations/0016_health_lookups.sql"),
    ),
    (
        17,
        include_str!("../../assets/migrations/0017_search_terms.sql"),
    ),
    (
        18,
        include_str!("../../assets/migrations/0018_ticket_clocks.sql"),
    ),
    (
        19,
        include_str!("../../assets/migrations/0019_ticket_assignee.sql"),
    ),
    (
        20,
        include_str!("../../assets/migrations/0020_ticket_reports.sql"),
    ),
    (
        21,
        include_str!("../../assets/migrations/0021_followup_assignee.sql"),
    ),
    (
        22,
        include_str!("../../assets/migrations/0022_settings.sql"),
    ),
];

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|(v, _)| *v).unwrap_or(0)
}

pub fn user_version(conn: &Connection) -> Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .context("reading the schema version")
}

/// Applies every migration above the current version up to `target`.
pub fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    upgrade(conn, target, |_| Ok(())).map(drop)
}

/// Brings the schema up to `target` as one `BEGIN IMMEDIATE` transaction.
/// The version is read inside it, so of many processes opening the same file
/// at once the first applies what is missing and the others find nothing
/// left to do; the version never goes down. `before` runs under the lock,
/// before anything changes, with the version found (only above 0, only in
/// the process that migrates): the place for a backup that really holds that
/// version. Returns the version found when this process migrated.
///
/// Foreign keys are off meanwhile, as SQLite's way of rebuilding a table
/// needs, and checked as a whole before the commit.
pub fn upgrade(
    conn: &mut Connection,
    target: i64,
    before: impl FnOnce(i64) -> Result<()>,
) -> Result<Option<i64>> {
    conn.pragma_update(None, "foreign_keys", false)
        .context("preparing the schema upgrade")?;
    let result = upgrade_locked(conn, target, before);
    let restored = conn
        .pragma_update(None, "foreign_keys", true)
        .context("enabling foreign keys");
    let found = result?;
    restored?;
    Ok(found)
}

fn upgrade_locked(
    conn: &mut Connection,
    target: i64,
    before: impl FnOnce(i64) -> Result<()>,
) -> Result<Option<i64>> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .context("locking the database for a schema upgrade")?;
    let current = user_version(&tx)?;
    if current > latest_version() {
        return Err(StoreError::TooNew {
            path: "the database".into(),
            found: current,
            supported: latest_version(),
        });
    }
    if current >= target {
        return Ok(None);
    }
    if current > 0 {
        before(current)?;
    }
    for (version, sql) in MIGRATIONS {
        if *version <= current || *version > target {
            continue;
        }
        let context = format!("applying schema migration {version}");
        tx.execute_batch(sql).context(&context)?;
        tx.pragma_update(None, "user_version", version)
            .context(&context)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .context("marking the database as tuicrm's")?;
    let broken: i64 = tx
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .context("checking links after the schema upgrade")?;
    if broken > 0 {
        return Err(StoreError::Conflict(format!(
            "the schema upgrade to version {target} would leave {broken} rows pointing to records that do not exist; nothing was changed"
        )));
    }
    tx.commit().context("saving the schema upgrade")?;
    Ok(Some(current))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_names(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn versions_are_increasing_from_one() {
        for (i, (version, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version, i as i64 + 1);
        }
    }

    #[test]
    fn every_older_version_upgrades_to_latest_keeping_data() {
        for start in 0..latest_version() {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, start).unwrap();
            assert_eq!(user_version(&conn).unwrap(), start);
            if start >= 1 {
                conn.execute(
                    "INSERT INTO customers (kind, name, stage, created_at, updated_at)
                     VALUES ('person', 'Kept Across Upgrades', 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                    [],
                )
                .unwrap();
                if start >= 2 {
                    // From version 2 on the app indexes what it writes.
                    conn.execute(
                        "INSERT INTO customers_fts (rowid, name, email, notes) VALUES (last_insert_rowid(), 'Kept Across Upgrades', '', '')",
                        [],
                    )
                    .unwrap();
                }
            }
            migrate_to(&mut conn, latest_version()).unwrap();
            assert_eq!(user_version(&conn).unwrap(), latest_version());
            assert!(table_names(&conn).contains(&"customers_fts".to_string()));
            if start >= 1 {
                let found: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM customers_fts WHERE customers_fts MATCH 'upgrades'",
                        [],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(
                    found, 1,
                    "data from version {start} is indexed after upgrade"
                );
            }
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, latest_version()).unwrap();
        migrate_to(&mut conn, latest_version()).unwrap();
        assert_eq!(user_version(&conn).unwrap(), latest_version());
    }
}
