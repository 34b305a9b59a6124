-- Ids are never given out twice. Undoing an add deletes the row, and
-- without AUTOINCREMENT SQLite hands the highest id out again: a script's
-- id, or the vCard UID an address book keeps (derived from the id), would
-- then name another customer. So customers, tickets, follow-ups,
-- interactions and changes (the undo stack, read newest id first) become
-- AUTOINCREMENT tables. Tags, customer_tags, customer_emails and history
-- keep theirs: their ids are never shown, and tags are never deleted.
--
-- SQLite's table rebuild (lang_altertable.html#otheralter), with the caller
-- holding the transaction, foreign keys off and checking them at the end:
-- create new_X, copy, drop X, rename new_X to X, recreate X's indexes.
-- Renaming the new table (never the old one) leaves every REFERENCES X in
-- other tables as it is. Each copy is a plain INSERT ... SELECT *: SQLite
-- then copies the rows as they are stored, in rowid order (its transfer
-- optimisation, which an ORDER BY, a column list or foreign keys being on
-- would turn off), keeping every id, so the contentless search tables,
-- keyed by rowid, stay right.
-- Indexes are built once each table is full, sorted, not row by row.
-- Columns, checks and indexes are those of migrations 1 to 9, in order.

CREATE TABLE new_customers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind = 'person' OR kind = 'organization'),
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    organization_id INTEGER REFERENCES customers(id),
    email           TEXT,
    phone           TEXT,
    title           TEXT,
    segment         TEXT,
    stage           TEXT NOT NULL DEFAULT 'prospect'
                    CHECK (stage = 'prospect' OR stage = 'onboarding' OR stage = 'active' OR stage = 'at_risk' OR stage = 'churned'),
    owner           TEXT,
    renewal_on      TEXT,
    contract_value  INTEGER,
    currency        TEXT,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    extra           TEXT
);
INSERT INTO new_customers SELECT * FROM customers;
DROP TABLE customers;
ALTER TABLE new_customers RENAME TO customers;
CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE, id, phone) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_updated ON customers (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_org ON customers (organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX customers_by_email ON customers (email COLLATE NOCASE) WHERE email IS NOT NULL;
CREATE INDEX customers_in_trash ON customers (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX customers_by_card_uid ON customers (json_extract(extra, '$.UID[0]'))
    WHERE extra IS NOT NULL;
CREATE INDEX customers_trashed_by_name ON customers (name COLLATE NOCASE, id)
    WHERE deleted_at IS NOT NULL;

CREATE TABLE new_tickets (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id       INTEGER NOT NULL REFERENCES customers(id),
    subject           TEXT NOT NULL CHECK (length(trim(subject)) > 0),
    body              TEXT,
    status            TEXT NOT NULL CHECK (status = 'new' OR status = 'open' OR status = 'pending' OR status = 'resolved' OR status = 'closed'),
    priority          TEXT NOT NULL CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR priority = 'urgent'),
    channel           TEXT NOT NULL CHECK (channel = 'email' OR channel = 'phone' OR channel = 'chat' OR channel = 'web' OR channel = 'other'),
    opened_at         TEXT NOT NULL,
    first_response_at TEXT,
    resolved_at       TEXT,
    due_at            TEXT NOT NULL,
    csat              INTEGER CHECK (csat BETWEEN 1 AND 5),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT
);
INSERT INTO new_tickets SELECT * FROM tickets;
DROP TABLE tickets;
ALTER TABLE new_tickets RENAME TO tickets;
CREATE INDEX tickets_by_customer ON tickets (customer_id, opened_at);
CREATE INDEX tickets_by_due ON tickets (due_at, id)
    WHERE deleted_at IS NULL AND status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_by_opened ON tickets (opened_at, id) WHERE deleted_at IS NULL;

CREATE TABLE new_followups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    kind         TEXT NOT NULL
                 CHECK (kind = 'onboarding' OR kind = 'check_in' OR kind = 'review' OR kind = 'renewal' OR kind = 'upsell' OR kind = 'other'),
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status = 'planned' OR status = 'done' OR status = 'skipped' OR status = 'cancelled'),
    recurrence   TEXT,
    note         TEXT,
    completed_at TEXT,
    outcome      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
INSERT INTO new_followups SELECT * FROM followups;
DROP TABLE followups;
ALTER TABLE new_followups RENAME TO followups;
CREATE INDEX followups_by_customer ON followups (customer_id, due_on);
CREATE INDEX followups_planned_by_due ON followups (status, deleted_at, due_on)
    WHERE deleted_at IS NULL AND status = 'planned';

CREATE TABLE new_interactions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    ticket_id   INTEGER REFERENCES tickets(id),
    followup_id INTEGER REFERENCES followups(id),
    kind        TEXT NOT NULL CHECK (kind = 'call' OR kind = 'email' OR kind = 'meeting' OR kind = 'chat' OR kind = 'note' OR kind = 'system'),
    direction   TEXT NOT NULL CHECK (direction = 'inbound' OR direction = 'outbound' OR direction = 'internal'),
    occurred_at TEXT NOT NULL,
    summary     TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    body        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO new_interactions SELECT * FROM interactions;
DROP TABLE interactions;
ALTER TABLE new_interactions RENAME TO interactions;
CREATE INDEX interactions_by_customer ON interactions (customer_id, occurred_at, id);
CREATE INDEX interactions_by_ticket ON interactions (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX interactions_by_followup ON interactions (followup_id) WHERE followup_id IS NOT NULL;

CREATE TABLE new_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    action     TEXT NOT NULL,
    undone_at  TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO new_changes SELECT * FROM changes;
DROP TABLE changes;
ALTER TABLE new_changes RENAME TO changes;

-- The next id is above every id ever given out: the highest row left, or
-- a higher one an undone add deleted, which history still names.
DELETE FROM sqlite_sequence
 WHERE name = 'customers' OR name = 'tickets' OR name = 'followups' OR name = 'interactions' OR name = 'changes';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'customers', max((SELECT coalesce(max(id), 0) FROM customers),
                            (SELECT coalesce(max(record_id), 0) FROM history WHERE table_name = 'customers'))
    UNION ALL
    SELECT 'tickets', max((SELECT coalesce(max(id), 0) FROM tickets),
                          (SELECT coalesce(max(record_id), 0) FROM history WHERE table_name = 'tickets'))
    UNION ALL
    SELECT 'followups', max((SELECT coalesce(max(id), 0) FROM followups),
                            (SELECT coalesce(max(record_id), 0) FROM history WHERE table_name = 'followups'))
    UNION ALL
    SELECT 'interactions', max((SELECT coalesce(max(id), 0) FROM interactions),
                               (SELECT coalesce(max(record_id), 0) FROM history WHERE table_name = 'interactions'))
    UNION ALL
    SELECT 'changes', (SELECT coalesce(max(id), 0) FROM changes);
