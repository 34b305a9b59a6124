-- What a service report reads of a ticket, kept in two covering indexes so
-- a report over weeks of a million customers' tickets walks index pages in
-- order instead of seeking each ticket's row: the open tickets, and the
-- finished ones by when they were finished (`store/report.rs`).
CREATE INDEX tickets_open_report ON tickets (
    opened_at, first_response_at, first_response_due_at, due_at, paused_at,
    priority, channel, assignee, csat, customer_id)
    WHERE deleted_at IS NULL AND status NOT IN ('resolved', 'closed');
CREATE INDEX tickets_finished_report ON tickets (
    coalesce(resolved_at, opened_at), opened_at, resolved_at, updated_at,
    first_response_at, first_response_due_at, due_at, paused_at,
    priority, channel, assignee, csat, customer_id)
    WHERE deleted_at IS NULL AND status IN ('resolved', 'closed');
