-- Finished work, listed from indexes rather than a sort of the whole table
-- at every page: tickets by when they were resolved, follow-ups by when they
-- were finished (the statuses as the store writes them, so the planner sees
-- that a query implies the index), and every follow-up by due date.
CREATE INDEX tickets_finished ON tickets (coalesce(resolved_at, opened_at), id)
    WHERE deleted_at IS NULL AND status IN ('resolved', 'closed');
CREATE INDEX followups_finished ON followups (coalesce(completed_at, due_on), id)
    WHERE deleted_at IS NULL AND status IN ('done', 'skipped', 'cancelled');
CREATE INDEX followups_by_due ON followups (due_on, id) WHERE deleted_at IS NULL;
