-- The terms of the interactions' index, one row per occurrence (fts5vocab
-- 'instance', read lazily; 'row' would count every entry of a term first).
-- Search turns a word still being typed into the few terms it begins, as
-- whole words, instead of a prefix query that merges every entry of those
-- terms before it can return the newest. A view of the index: nothing to
-- fill, nothing to keep in sync.
CREATE VIRTUAL TABLE interactions_terms USING fts5vocab (interactions_fts, 'instance');
