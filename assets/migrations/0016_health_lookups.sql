-- An organization's live people are read for every organization on a list
-- page and for every health score of one (its people's records count with
-- its own). With `deleted_at` in the index that lookup never visits the
-- people's rows (src/store/health.rs, src/store/customers.rs).
DROP INDEX customers_by_org;
CREATE INDEX customers_by_org ON customers (organization_id, deleted_at) WHERE organization_id IS NOT NULL;

-- A customer's open tickets by due date, rated tickets by when they were
-- resolved, and planned follow-ups by due date, each from the index alone:
-- what a health score looks at when the kept first and last dates
-- (customer_stats) do not settle how many are past the moment.
CREATE INDEX tickets_open_by_customer ON tickets (customer_id, due_at)
    WHERE deleted_at IS NULL AND status IN ('new', 'open', 'pending');
CREATE INDEX tickets_rated_by_customer ON tickets (customer_id, resolved_at, csat)
    WHERE deleted_at IS NULL AND csat IS NOT NULL;
CREATE INDEX followups_planned_by_customer ON followups (customer_id, due_on, kind)
    WHERE deleted_at IS NULL AND status = 'planned';
