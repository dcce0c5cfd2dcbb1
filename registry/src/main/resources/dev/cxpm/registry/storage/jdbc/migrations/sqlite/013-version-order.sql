-- Each version's SemVer precedence as text that sorts as the versions do (Versions.orderKey), so a plugin's page reads
-- its newest versions a page at a time from this index instead of every row sorted in Java (issue 12: 5,000 versions),
-- read backwards (newest first; of equal ones, the first published first) from where the page starts, no sort.
-- Written at publish; rows from before this migration (or imported) are filled at start, in batches.
ALTER TABLE versions ADD COLUMN version_order TEXT;
CREATE INDEX versions_order ON versions (plugin_id, version_order, seq DESC);
-- The rows still to fill, found without a scan of the table at every start (empty once they are filled).
CREATE INDEX versions_unordered ON versions (plugin_id, version) WHERE version_order IS NULL;
