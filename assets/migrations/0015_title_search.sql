-- Names and subjects get an index of their own. Search looks for a word in
-- names (subjects) before anywhere else; asked of the whole index as a column
-- filter, that pass read every entry of the word, and a word of most emails
-- ("example") made it walk a million before the next pass found any.
-- Interactions keep the column filter: their bodies are short, and indexing
-- millions of summaries again would make this upgrade take minutes.
-- Contentless with deletes, as 0002; merged in the background, as 0003.
-- At a million customers (560,000 tickets) this takes about 30 s.
CREATE VIRTUAL TABLE customer_names_fts USING fts5 (
    name,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE ticket_subjects_fts USING fts5 (
    subject,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
INSERT INTO customer_names_fts (customer_names_fts, rank) VALUES ('automerge', 0);
INSERT INTO customer_names_fts (customer_names_fts, rank) VALUES ('crisismerge', 64);
INSERT INTO ticket_subjects_fts (ticket_subjects_fts, rank) VALUES ('automerge', 0);
INSERT INTO ticket_subjects_fts (ticket_subjects_fts, rank) VALUES ('crisismerge', 64);
INSERT INTO customer_names_fts (rowid, name)
    SELECT id, name FROM customers WHERE deleted_at IS NULL;
INSERT INTO ticket_subjects_fts (rowid, subject)
    SELECT id, subject FROM tickets WHERE deleted_at IS NULL;
-- Filled in one go, each index is a hundred segments that every search
-- would read; made one (about a second at a million).
INSERT INTO customer_names_fts (customer_names_fts) VALUES ('optimize');
INSERT INTO ticket_subjects_fts (ticket_subjects_fts) VALUES ('optimize');
