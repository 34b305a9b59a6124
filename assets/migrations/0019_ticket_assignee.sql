-- Who works on a ticket (free text, as a customer's owner). Tickets there
-- are get their customer's owner, as new ones do when nobody is named.
ALTER TABLE tickets ADD COLUMN assignee TEXT;
UPDATE tickets SET assignee = (SELECT c.owner FROM customers c WHERE c.id = tickets.customer_id);
-- `ticket list --assignee` and the team's queues: a person's open tickets.
CREATE INDEX tickets_open_by_assignee ON tickets (assignee COLLATE NOCASE, opened_at, id)
    WHERE deleted_at IS NULL AND status IN ('new', 'open', 'pending');
