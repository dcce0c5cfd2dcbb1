-- A signed index document carries its plugin's sequence: bumped by every change to what the document says (a
-- publish, a yank or its undo, a deprecation), so a client that verified sequence N refuses an older document replayed
-- to it. Each version keeps where it was built from when its publisher's checkout was clean (repository URL, commit).
ALTER TABLE plugins ADD COLUMN index_sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE versions ADD COLUMN source_repository TEXT;
ALTER TABLE versions ADD COLUMN source_commit TEXT;
