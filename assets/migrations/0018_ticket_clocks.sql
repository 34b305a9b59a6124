-- A ticket's first-response due time, kept like its resolution due time so
-- that lists, counts and the agenda can select and order by it. Tickets
-- there are get it from the default targets (1h/4h/8h/1d by priority).
ALTER TABLE tickets ADD COLUMN first_response_due_at TEXT;
UPDATE tickets SET first_response_due_at = strftime('%Y-%m-%dT%H:%M:%SZ', opened_at,
    CASE priority WHEN 'urgent' THEN '+1 hours' WHEN 'high' THEN '+4 hours'
                  WHEN 'normal' THEN '+8 hours' ELSE '+24 hours' END);

-- Since when a ticket waits on the customer (a pausing status, `[sla]
-- pause_on`): its resolution clock stands still, and `due_at` moves on by
-- the pause when it ends. Tickets pending today are taken as paused since
-- their last change (`pending` is the default pausing status).
ALTER TABLE tickets ADD COLUMN paused_at TEXT;
UPDATE tickets SET paused_at = updated_at WHERE status = 'pending';

-- An open ticket counts against its customer's health by when it next
-- needs us: the sooner of the first response owed (unanswered) and the
-- resolution (unless it waits on the customer); one answered and waiting
-- costs nothing. The kept per-account figures of the accounts with open
-- tickets are recounted so; a row left with nothing to count goes, as a
-- recount would leave none.
CREATE TEMP TABLE open_accounts AS
    SELECT customer_id AS id FROM tickets
     WHERE deleted_at IS NULL AND status IN ('new', 'open', 'pending')
    UNION
    SELECT c.organization_id FROM tickets t JOIN customers c ON c.id = t.customer_id
     WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending')
       AND c.organization_id IS NOT NULL AND c.deleted_at IS NULL;
UPDATE customer_stats SET (open_tickets, first_open_due, last_open_due) = (
    SELECT count(*), min(due), max(due) FROM (
        SELECT coalesce(min(CASE WHEN t.first_response_at IS NULL THEN t.first_response_due_at END,
                            CASE WHEN NOT coalesce(t.paused_at < t.due_at, 0) THEN t.due_at END),
                        CASE WHEN t.first_response_at IS NULL THEN t.first_response_due_at END,
                        CASE WHEN NOT coalesce(t.paused_at < t.due_at, 0) THEN t.due_at END) AS due
          FROM tickets t
         WHERE t.deleted_at IS NULL AND t.status IN ('new', 'open', 'pending')
           AND (t.customer_id = customer_stats.customer_id
                OR t.customer_id IN (SELECT p.id FROM customers p
                                      WHERE p.organization_id = customer_stats.customer_id
                                        AND p.deleted_at IS NULL)))
     WHERE due IS NOT NULL)
 WHERE customer_id IN (SELECT id FROM open_accounts);
DELETE FROM customer_stats
 WHERE open_tickets = 0 AND planned_followups = 0 AND planned_renewals = 0
   AND last_contact_at IS NULL AND rated_tickets = 0;
DROP TABLE open_accounts;

-- The agenda's order of unfinished tickets: the sooner of the first
-- response owed (unanswered) and the resolution (unless waiting on the
-- customer); none when neither is owed. `ATTENTION_KEY` in the code.
CREATE INDEX tickets_by_attention ON tickets (
    coalesce(min(CASE WHEN first_response_at IS NULL THEN first_response_due_at END,
                 CASE WHEN NOT coalesce(paused_at < due_at, 0) THEN due_at END),
             CASE WHEN first_response_at IS NULL THEN first_response_due_at END,
             CASE WHEN NOT coalesce(paused_at < due_at, 0) THEN due_at END),
    id)
    WHERE deleted_at IS NULL AND status NOT IN ('resolved', 'closed');
