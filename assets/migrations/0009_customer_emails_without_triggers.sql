-- The triggers of migration 8 made SQLite keep a statement journal (a
-- temporary file) for every insert into customers, which doubled the time
-- of an import. The store now keeps customer_emails itself, in the same
-- transaction as the write to customers.extra.
DROP TRIGGER IF EXISTS customer_emails_on_insert;
DROP TRIGGER IF EXISTS customer_emails_on_update;
