-- What lists and health scores need of each account's records, kept by the
-- store in the same transaction as every write to those records, so a list
-- of a million customers reads one row per customer instead of walking
-- their tickets, follow-ups and interactions (src/store/stats.rs).
-- An account is a customer's own records and, for an organization, those of
-- its live people too, as a health score counts them. An account with no
-- records has no row. `check` recounts them all.
-- The first and last of each kind of date let a reader know, for most
-- customers, how many are past a given moment without looking at them
-- (none before the first, all after the last).
CREATE TABLE customer_stats (
    customer_id       INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    -- live tickets in an open status (new, open, pending), and their earliest and latest due_at
    open_tickets      INTEGER NOT NULL DEFAULT 0,
    first_open_due    TEXT,
    last_open_due     TEXT,
    -- live planned follow-ups other than renewals: how many, earliest and latest due_on
    planned_followups INTEGER NOT NULL DEFAULT 0,
    next_followup_on  TEXT,
    last_followup_on  TEXT,
    -- the same for live planned renewals
    planned_renewals  INTEGER NOT NULL DEFAULT 0,
    next_renewal_on   TEXT,
    last_renewal_on   TEXT,
    -- the latest occurred_at of live interactions
    last_contact_at   TEXT,
    -- live resolved tickets with a CSAT rating: how many, the sum of ratings,
    -- and their earliest and latest resolved_at
    rated_tickets     INTEGER NOT NULL DEFAULT 0,
    csat_sum          INTEGER NOT NULL DEFAULT 0,
    first_rated_at    TEXT,
    last_rated_at     TEXT
);

-- The same recount as stats.rs's, for the records already here: each
-- customer's own figures, counted for itself and for a live person's
-- organization.
INSERT INTO customer_stats
WITH own AS MATERIALIZED (
    SELECT customer_id, sum(open_tickets) AS open_tickets, min(first_open_due) AS first_open_due,
           max(last_open_due) AS last_open_due, sum(planned_followups) AS planned_followups,
           min(next_followup_on) AS next_followup_on, max(last_followup_on) AS last_followup_on,
           sum(planned_renewals) AS planned_renewals, min(next_renewal_on) AS next_renewal_on,
           max(last_renewal_on) AS last_renewal_on, max(last_contact_at) AS last_contact_at,
           sum(rated_tickets) AS rated_tickets, sum(csat_sum) AS csat_sum,
           min(first_rated_at) AS first_rated_at, max(last_rated_at) AS last_rated_at
    FROM (
        SELECT customer_id,
               count(*) FILTER (WHERE status IN ('new', 'open', 'pending')) AS open_tickets,
               min(due_at) FILTER (WHERE status IN ('new', 'open', 'pending')) AS first_open_due,
               max(due_at) FILTER (WHERE status IN ('new', 'open', 'pending')) AS last_open_due,
               0 AS planned_followups, NULL AS next_followup_on, NULL AS last_followup_on,
               0 AS planned_renewals, NULL AS next_renewal_on, NULL AS last_renewal_on,
               NULL AS last_contact_at,
               count(*) FILTER (WHERE csat IS NOT NULL AND resolved_at IS NOT NULL) AS rated_tickets,
               coalesce(sum(csat) FILTER (WHERE csat IS NOT NULL AND resolved_at IS NOT NULL), 0) AS csat_sum,
               min(resolved_at) FILTER (WHERE csat IS NOT NULL AND resolved_at IS NOT NULL) AS first_rated_at,
               max(resolved_at) FILTER (WHERE csat IS NOT NULL AND resolved_at IS NOT NULL) AS last_rated_at
          FROM tickets WHERE deleted_at IS NULL GROUP BY customer_id
        UNION ALL
        SELECT customer_id, 0, NULL, NULL,
               count(*) FILTER (WHERE kind != 'renewal'),
               min(due_on) FILTER (WHERE kind != 'renewal'), max(due_on) FILTER (WHERE kind != 'renewal'),
               count(*) FILTER (WHERE kind = 'renewal'),
               min(due_on) FILTER (WHERE kind = 'renewal'), max(due_on) FILTER (WHERE kind = 'renewal'),
               NULL, 0, 0, NULL, NULL
          FROM followups WHERE deleted_at IS NULL AND status = 'planned' GROUP BY customer_id
        UNION ALL
        SELECT customer_id, 0, NULL, NULL, 0, NULL, NULL, 0, NULL, NULL, max(occurred_at), 0, 0, NULL, NULL
          FROM interactions WHERE deleted_at IS NULL GROUP BY customer_id
    )
    GROUP BY customer_id
)
SELECT account, sum(open_tickets), min(first_open_due), max(last_open_due),
       sum(planned_followups), min(next_followup_on), max(last_followup_on),
       sum(planned_renewals), min(next_renewal_on), max(last_renewal_on),
       max(last_contact_at), sum(rated_tickets), sum(csat_sum), min(first_rated_at), max(last_rated_at)
FROM (
    SELECT customer_id AS account, * FROM own
    UNION ALL
    SELECT p.organization_id, own.* FROM own CROSS JOIN customers p ON p.id = own.customer_id
     WHERE p.organization_id IS NOT NULL AND p.deleted_at IS NULL
)
GROUP BY account
HAVING sum(open_tickets) > 0 OR sum(planned_followups) > 0 OR sum(planned_renewals) > 0
    OR max(last_contact_at) IS NOT NULL OR sum(rated_tickets) > 0;
