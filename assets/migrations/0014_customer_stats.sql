-- What lists and health scores need of each customer's records, kept by the
-- store in the same transaction as every write to those records, so a list
-- of a million customers reads one row per customer instead of walking
-- their tickets, follow-ups and interactions (src/store/stats.rs).
-- A customer's own records only: an organization's people are added when
-- read. A customer with no records has no row. `check` recounts them all.
CREATE TABLE customer_stats (
    customer_id      INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    -- live tickets in an open status (new, open, pending), and the earliest due_at among them
    open_tickets     INTEGER NOT NULL DEFAULT 0,
    first_open_due   TEXT,
    -- the earliest due_on of live planned follow-ups: other than renewals, and renewals
    next_followup_on TEXT,
    next_renewal_on  TEXT,
    -- the latest occurred_at of live interactions
    last_contact_at  TEXT,
    -- the latest resolved_at of live tickets with a CSAT rating
    last_rated_at    TEXT
);

-- The same recount as stats.rs's, for the records already here.
INSERT INTO customer_stats
SELECT customer_id, sum(open_tickets), min(first_open_due), min(next_followup_on),
       min(next_renewal_on), max(last_contact_at), max(last_rated_at)
FROM (
    SELECT customer_id,
           count(*) FILTER (WHERE status IN ('new', 'open', 'pending')) AS open_tickets,
           min(due_at) FILTER (WHERE status IN ('new', 'open', 'pending')) AS first_open_due,
           NULL AS next_followup_on, NULL AS next_renewal_on, NULL AS last_contact_at,
           max(resolved_at) FILTER (WHERE csat IS NOT NULL) AS last_rated_at
      FROM tickets WHERE deleted_at IS NULL GROUP BY customer_id
    UNION ALL
    SELECT customer_id, 0, NULL,
           min(due_on) FILTER (WHERE kind != 'renewal'), min(due_on) FILTER (WHERE kind = 'renewal'),
           NULL, NULL
      FROM followups WHERE deleted_at IS NULL AND status = 'planned' GROUP BY customer_id
    UNION ALL
    SELECT customer_id, 0, NULL, NULL, NULL, max(occurred_at), NULL
      FROM interactions WHERE deleted_at IS NULL GROUP BY customer_id
)
GROUP BY customer_id
HAVING sum(open_tickets) > 0 OR min(next_followup_on) IS NOT NULL OR min(next_renewal_on) IS NOT NULL
    OR max(last_contact_at) IS NOT NULL OR max(last_rated_at) IS NOT NULL;
