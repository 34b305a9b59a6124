-- The terms of each search index, one row per occurrence (fts5vocab
-- 'instance', read lazily; 'row' would count every entry of a term first).
-- Search turns a word still being typed into the few terms it begins, as
-- whole words, instead of a prefix query that merges every entry of those
-- terms before it can return the newest. Views of the indexes: nothing to
-- fill, nothing to keep in sync, instant to add.
CREATE VIRTUAL TABLE customers_terms USING fts5vocab (customers_fts, 'instance');
CREATE VIRTUAL TABLE customer_names_terms USING fts5vocab (customer_names_fts, 'instance');
CREATE VIRTUAL TABLE tickets_terms USING fts5vocab (tickets_fts, 'instance');
CREATE VIRTUAL TABLE ticket_subjects_terms USING fts5vocab (ticket_subjects_fts, 'instance');
CREATE VIRTUAL TABLE interactions_terms USING fts5vocab (interactions_fts, 'instance');
