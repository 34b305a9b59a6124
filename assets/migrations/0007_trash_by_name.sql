-- Importing an export that holds trashed customers looks for each among
-- the trashed ones here by name; without an index that is a scan of the
-- trash per record. The trash is small, so is this index.
CREATE INDEX customers_trashed_by_name ON customers (name COLLATE NOCASE, id)
    WHERE deleted_at IS NOT NULL;
