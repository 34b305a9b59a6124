-- Every email of a customer (the main one is customers.email; the others
-- live in the extra JSON as EMAIL) where an import can look one up by
-- index: "match on any of the customer's emails". Triggers keep it in step
-- with customers.extra on every write, undo included, so no code path can
-- forget it. Times are the row's own (the clock of the trigger).
CREATE TABLE customer_emails (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    email       TEXT NOT NULL COLLATE NOCASE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX customer_emails_by_email ON customer_emails (email);
CREATE INDEX customer_emails_by_customer ON customer_emails (customer_id);

INSERT INTO customer_emails (customer_id, email, created_at, updated_at)
    SELECT c.id, e.value, c.updated_at, c.updated_at
      FROM customers c, json_each(c.extra, '$.EMAIL') e
     WHERE c.extra IS NOT NULL AND e.type = 'text';

CREATE TRIGGER customer_emails_on_insert AFTER INSERT ON customers
    WHEN new.extra IS NOT NULL
BEGIN
    INSERT INTO customer_emails (customer_id, email, created_at, updated_at)
        SELECT new.id, value, new.updated_at, new.updated_at
          FROM json_each(new.extra, '$.EMAIL') WHERE type = 'text';
END;

CREATE TRIGGER customer_emails_on_update AFTER UPDATE OF extra ON customers
BEGIN
    DELETE FROM customer_emails WHERE customer_id = new.id;
    INSERT INTO customer_emails (customer_id, email, created_at, updated_at)
        SELECT new.id, value, new.updated_at, new.updated_at
          FROM json_each(new.extra, '$.EMAIL')
         WHERE new.extra IS NOT NULL AND type = 'text';
END;
