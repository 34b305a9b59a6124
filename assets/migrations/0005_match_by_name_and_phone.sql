-- Imports match a contact without a known email on its exact name and the
-- same phone digits. With the phone in the name index those candidates are
-- read from the index alone, not from one table row each (common names have
-- dozens). The index still serves the name-sorted list.
DROP INDEX customers_by_name;
CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE, id, phone) WHERE deleted_at IS NULL;
