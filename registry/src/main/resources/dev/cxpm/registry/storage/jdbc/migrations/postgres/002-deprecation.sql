-- A deprecation message per version (null: not deprecated), shown by the index document and pages.
ALTER TABLE versions ADD COLUMN deprecated TEXT;
CREATE INDEX owners_user ON owners(user_name);
