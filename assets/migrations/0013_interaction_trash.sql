-- The log is history: deleting an interaction marks it (deleted_at) rather
-- than removing the row, so undo can put it back with its search entry.
-- Every read for display, health, search, import matching, counts and
-- export leaves marked ones out; the search index holds only live ones.
ALTER TABLE interactions ADD COLUMN deleted_at TEXT;

-- `interaction list` without a customer: newest first over the whole log,
-- read in order from here instead of sorting millions of rows.
CREATE INDEX interactions_by_time ON interactions (occurred_at, id) WHERE deleted_at IS NULL;
-- The few deleted ones, found without reading the live log (counts, check).
CREATE INDEX interactions_deleted ON interactions (deleted_at) WHERE deleted_at IS NOT NULL;
