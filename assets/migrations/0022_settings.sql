-- What the database's stored figures were worked out under, by name: the
-- service levels (`sla`) that unfinished tickets' due times follow, so a
-- change of targets or calendar in the settings can work them out again.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
