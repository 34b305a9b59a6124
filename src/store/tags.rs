//! Tags of customers: linked and unlinked by name, each tag kept only
//! while some customer has it.

use rusqlite::params;
use rusqlite::types::Value;

use super::Write;
use super::error::{Context, Result};

/// Links and unlinks tags so the customer has exactly `new`; history rows
/// name the tag, so undo can put it back.
pub(super) fn set_tags(
    w: &Write,
    customer_id: i64,
    old: &[String],
    new: &[String],
) -> Result<bool> {
    let has = |list: &[String], tag: &str| list.iter().any(|t| t.eq_ignore_ascii_case(tag));
    let mut changed = false;
    for tag in old.iter().filter(|t| !has(new, t)) {
        unlink_tag(w, customer_id, tag)?;
        w.history(
            "customer_tags",
            customer_id,
            "unlink",
            Some("tag"),
            &Value::Text(tag.clone()),
            &Value::Null,
        )?;
        changed = true;
    }
    for tag in new.iter().filter(|t| !has(old, t)) {
        link_tag(w, customer_id, tag)?;
        w.history(
            "customer_tags",
            customer_id,
            "link",
            Some("tag"),
            &Value::Null,
            &Value::Text(tag.clone()),
        )?;
        changed = true;
    }
    Ok(changed)
}

/// Tags customer `customer_id` (making the tag if it is new). Returns
/// whether the link is new.
pub(super) fn link_tag(w: &Write, customer_id: i64, tag: &str) -> Result<bool> {
    let linked =
        w.tx.prepare_cached(
            "INSERT OR IGNORE INTO tags (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
        )
        .and_then(|mut s| s.execute(params![tag, w.now_text]))
        .and_then(|_| {
            w.tx.prepare_cached(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id, created_at, updated_at)
                 SELECT ?1, id, ?3, ?3 FROM tags WHERE name = ?2",
            )?
            .execute(params![customer_id, tag, w.now_text])
        })
        .context("tagging a customer")?;
    Ok(linked > 0)
}

/// Untags a customer; a tag that no customer has any more goes, so lists
/// of tags offer only tags in use (and `check` finds none left over).
pub(super) fn unlink_tag(w: &Write, customer_id: i64, tag: &str) -> Result<()> {
    w.tx.prepare_cached(
        "DELETE FROM customer_tags WHERE customer_id = ?1 AND tag_id IN (SELECT id FROM tags WHERE name = ?2)",
    )
    .and_then(|mut s| s.execute(params![customer_id, tag]))
    .and_then(|_| {
        w.tx.prepare_cached(
            "DELETE FROM tags WHERE name = ?1
               AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.tag_id = tags.id)",
        )?
        .execute([tag])
    })
    .context("untagging a customer")?;
    Ok(())
}

/// Removes every tag no customer has: after customers were deleted (an
/// undo), whose links went with them.
pub(super) fn drop_orphan_tags(w: &Write) -> Result<()> {
    w.tx.prepare_cached(
        "DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.tag_id = tags.id)",
    )
    .and_then(|mut s| s.execute([]))
    .context("removing tags no customer has")?;
    Ok(())
}
