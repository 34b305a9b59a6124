-- Contact details without a field of their own (address, URL, birthday,
-- nickname, more emails and phones ...), kept as they came from an import:
-- a JSON object of property name to list of values.
ALTER TABLE customers ADD COLUMN extra TEXT;
