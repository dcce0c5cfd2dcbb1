-- A plugin's downloads in all, kept beside each version's and added to in the same statement batch (DownloadCounts),
-- so a plugin's page reads one number instead of a SUM over every version row (issue 12: ~10 ms at 5,000 versions).
-- Filled here from the versions' counts; an import fills it the same way.
ALTER TABLE plugins ADD COLUMN downloads BIGINT NOT NULL DEFAULT 0;
UPDATE plugins SET downloads = (SELECT COALESCE(SUM(v.downloads), 0) FROM versions v WHERE v.plugin_id = plugins.id);
