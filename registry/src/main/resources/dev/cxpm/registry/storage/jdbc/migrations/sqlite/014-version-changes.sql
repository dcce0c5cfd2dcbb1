-- What each version changed since its previous release (the "changes" lines of the index document, a JSON array) and
-- which release they were counted from, written when a document is built: a version's surface never changes, so the
-- lines stay true while its previous release stays the same, and a publish, yank or restore diffs only the versions
-- whose previous release it moved, not every version of the plugin (issue 12: 2-3 s of CPU a publish at 5,000
-- versions, N² over N publishes). Empty (NULL) until first built, and for a version without a readable surface.
ALTER TABLE versions ADD COLUMN changes TEXT;
ALTER TABLE versions ADD COLUMN changes_from TEXT;
