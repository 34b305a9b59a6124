-- Full-text search. Contentless tables (the text lives in the records; the
-- index holds only tokens) keyed by the record's id; the store writes them in
-- the same transaction as the record. Prefix indexes make search-as-you-type cheap.

CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name, email, notes,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIRTUAL TABLE tickets_fts USING fts5 (
    subject, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIRTUAL TABLE interactions_fts USING fts5 (
    summary, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO customers_fts (rowid, name, email, notes)
    SELECT id, name, coalesce(email, ''), coalesce(notes, '') FROM customers WHERE deleted_at IS NULL;
INSERT INTO tickets_fts (rowid, subject, body)
    SELECT id, subject, coalesce(body, '') FROM tickets WHERE deleted_at IS NULL;
INSERT INTO interactions_fts (rowid, summary, body)
    SELECT id, summary, coalesce(body, '') FROM interactions;
