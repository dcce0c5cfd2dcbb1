-- What a plugin page shows, computed at publish so a page request never opens an archive: the README (bounded),
-- the manifest's page fields (PageData as JSON) and the icon (bounded, a checked image type). Versions published
-- before these columns fill them from their blob the first time their page is asked for.
ALTER TABLE versions ADD COLUMN page TEXT;
ALTER TABLE versions ADD COLUMN icon BYTEA;
ALTER TABLE versions ADD COLUMN icon_type TEXT;
-- Blob downloads, added in batches (DownloadCounts) so a download never waits for the writer.
ALTER TABLE versions ADD COLUMN downloads BIGINT NOT NULL DEFAULT 0;
CREATE INDEX versions_integrity ON versions(integrity);
-- The words of each plugin's name, display name and keywords, for typo-tolerant search: a misspelt word is
-- compared only with the words that share its first letter and about its length (an index range, not a scan).
-- Filled at publish; plugins published before it are filled at start-up in batches.
CREATE TABLE search_words (
  word TEXT NOT NULL,
  plugin_id BIGINT NOT NULL REFERENCES plugins(id),
  PRIMARY KEY (word, plugin_id)
);
