-- Tags become a column of the customers' search index, so the `/` filter,
-- `customer list --search` and `search` find a customer by its tags on every
-- path (before, only one query shape looked tags up beside the index). FTS5
-- cannot add a column: the index is made again, with the settings of 0002/0003.
DROP TABLE customers_fts;
CREATE VIRTUAL TABLE customers_fts USING fts5 (
    name, email, notes, tags,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
INSERT INTO customers_fts (rowid, name, email, notes, tags)
    SELECT c.id, c.name, coalesce(c.email, ''), coalesce(c.notes, ''),
           coalesce((SELECT group_concat(t.name, ' ') FROM customer_tags ct
                       JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = c.id), '')
      FROM customers c WHERE c.deleted_at IS NULL;
INSERT INTO customers_fts (customers_fts, rank) VALUES ('automerge', 0);
INSERT INTO customers_fts (customers_fts, rank) VALUES ('crisismerge', 64);
