-- Finished follow-ups (and all of them) listed latest due first, paged from
-- an index instead of a sort of the whole table at every page.
CREATE INDEX followups_by_due ON followups (due_on, id) WHERE deleted_at IS NULL;
