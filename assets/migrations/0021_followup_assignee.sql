-- Who does a follow-up (free text, as a ticket's assignee). Those there are
-- get their customer's owner, as new ones do when nobody is named.
ALTER TABLE followups ADD COLUMN assignee TEXT;
UPDATE followups SET assignee = (SELECT c.owner FROM customers c WHERE c.id = followups.customer_id);
-- `followup list --assignee`: a person's planned follow-ups by due date.
CREATE INDEX followups_planned_by_assignee ON followups (assignee COLLATE NOCASE, due_on, id)
    WHERE deleted_at IS NULL AND status = 'planned';
