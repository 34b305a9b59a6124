-- An organization's live people are read for every organization on a list
-- page and for every health score of one (its people's records count with
-- its own). With `deleted_at` in the index that lookup never visits the
-- people's rows (src/store/health.rs, src/store/customers.rs).
DROP INDEX customers_by_org;
CREATE INDEX customers_by_org ON customers (organization_id, deleted_at) WHERE organization_id IS NOT NULL;
