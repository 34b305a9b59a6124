//! Schema versions: `assets/migrations/NNNN_*.sql`, applied in order, each in
//! one transaction, tracked by `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::error::{Context, Result};

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
    let current = user_version(conn)?;
    for (version, sql) in MIGRATIONS {
        if *version <= current || *version > target {
            continue;
        }
        let context = format!("applying schema migration {version}");
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context(&context)?;
        tx.execute_batch(sql).context(&context)?;
        tx.pragma_update(None, "user_version", version)
            .context(&context)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .context(&context)?;
        tx.commit().context(&context)?;
    }
    Ok(())
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
