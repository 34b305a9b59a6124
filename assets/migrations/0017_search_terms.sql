-- Search as you type.
--
-- The terms of each search index, one row per occurrence (fts5vocab
-- 'instance', read lazily; 'row' would count every entry of a term first).
-- Search turns a word still being typed into the few terms it begins, as
-- whole words, instead of a prefix query that merges every entry of those
-- terms before it can return the newest. Views of the indexes: nothing to
-- fill, nothing to keep in sync, instant to add.
--
-- A word of one letter begins too many terms for that; names and subjects,
-- searched first, get an index of one-letter prefixes too, so "sofia g"
-- reads one entry, not those of every name with a word in g. FTS5 cannot
-- change a table's prefixes: both are made again, as 0015 made them.
-- At a million customers (560,000 tickets) this takes about 30 s.
DROP TABLE customer_names_fts;
DROP TABLE ticket_subjects_fts;
CREATE VIRTUAL TABLE customer_names_fts USING fts5 (
    name,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
CREATE VIRTUAL TABLE ticket_subjects_fts USING fts5 (
    subject,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'
);
INSERT INTO customer_names_fts (customer_names_fts, rank) VALUES ('automerge', 0);
INSERT INTO customer_names_fts (customer_names_fts, rank) VALUES ('crisismerge', 64);
INSERT INTO ticket_subjects_fts (ticket_subjects_fts, rank) VALUES ('automerge', 0);
INSERT INTO ticket_subjects_fts (ticket_subjects_fts, rank) VALUES ('crisismerge', 64);
INSERT INTO customer_names_fts (rowid, name)
    SELECT id, name FROM customers WHERE deleted_at IS NULL;
INSERT INTO ticket_subjects_fts (rowid, subject)
    SELECT id, subject FROM tickets WHERE deleted_at IS NULL;
INSERT INTO customer_names_fts (customer_names_fts) VALUES ('optimize');
INSERT INTO ticket_subjects_fts (ticket_subjects_fts) VALUES ('optimize');

CREATE VIRTUAL TABLE customers_terms USING fts5vocab (customers_fts, 'instance');
CREATE VIRTUAL TABLE customer_names_terms USING fts5vocab (customer_names_fts, 'instance');
CREATE VIRTUAL TABLE tickets_terms USING fts5vocab (tickets_fts, 'instance');
CREATE VIRTUAL TABLE ticket_subjects_terms USING fts5vocab (ticket_subjects_fts, 'instance');
CREATE VIRTUAL TABLE interactions_terms USING fts5vocab (interactions_fts, 'instance');
