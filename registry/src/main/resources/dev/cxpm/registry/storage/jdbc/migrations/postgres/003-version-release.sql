-- A version without its build metadata (1.0.0+rebuilt is 1.0.0): SemVer gives both the same precedence,
-- so a plugin holds at most one version per release. Rows published before this rule keep their full
-- version as release when an earlier row already holds the same one, so the unique index can be built.
ALTER TABLE versions ADD COLUMN version_release TEXT;
UPDATE versions SET version_release = split_part(version, '+', 1);
UPDATE versions SET version_release = version WHERE EXISTS (SELECT 1 FROM versions o WHERE o.plugin_id = versions.plugin_id AND o.version_release = versions.version_release AND o.seq < versions.seq);
CREATE UNIQUE INDEX versions_release ON versions(plugin_id, version_release);
