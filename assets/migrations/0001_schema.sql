-- Core records. Times are RFC 3339 UTC text of fixed width (text order = time
-- order); dates are YYYY-MM-DD. Every table has id, created_at, updated_at.
-- Closed sets are checked with OR chains, not `IN (...)`: SQLite builds a
-- temporary b-tree for every row checked against an IN list of three or more.

CREATE TABLE customers (
    id              INTEGER PRIMARY KEY,
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
    deleted_at      TEXT
);
-- Keyset paging by name; the id breaks ties so every row has one place.
CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_updated ON customers (updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_by_org ON customers (organization_id) WHERE organization_id IS NOT NULL;
CREATE INDEX customers_by_email ON customers (email COLLATE NOCASE) WHERE email IS NOT NULL;
-- The trash is small: this finds it without reading the live customers.
CREATE INDEX customers_in_trash ON customers (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE customer_tags (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (customer_id, tag_id)
);
CREATE INDEX customer_tags_by_tag ON customer_tags (tag_id, customer_id);

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
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
CREATE INDEX tickets_by_customer ON tickets (customer_id, opened_at);
CREATE INDEX tickets_by_due ON tickets (due_at, id)
    WHERE deleted_at IS NULL AND status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_by_opened ON tickets (opened_at, id) WHERE deleted_at IS NULL;

CREATE TABLE followups (
    id           INTEGER PRIMARY KEY,
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
CREATE INDEX followups_by_customer ON followups (customer_id, due_on);
-- status and deleted_at lead (constant inside this partial index) so the
-- planner both pages by due_on from it and counts overdue work from it alone.
CREATE INDEX followups_planned_by_due ON followups (status, deleted_at, due_on)
    WHERE deleted_at IS NULL AND status = 'planned';

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
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
CREATE INDEX interactions_by_customer ON interactions (customer_id, occurred_at, id);
CREATE INDEX interactions_by_ticket ON interactions (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX interactions_by_followup ON interactions (followup_id) WHERE followup_id IS NOT NULL;

-- One row per user action (add, edit, delete, log, ...); the unit of undo.
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL,
    undone_at  TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every field a change touched, old and new. op: 'insert' (row created;
-- undo deletes it), 'update' (field changed), 'link'/'unlink' (tag added/removed).
CREATE TABLE history (
    id         INTEGER PRIMARY KEY,
    change_id  INTEGER NOT NULL REFERENCES changes(id),
    table_name TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    op         TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'link' OR op = 'unlink'),
    field      TEXT,
    old        ANY,
    new        ANY,
    at         TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX history_by_change ON history (change_id);
CREATE INDEX history_by_record ON history (table_name, record_id);
