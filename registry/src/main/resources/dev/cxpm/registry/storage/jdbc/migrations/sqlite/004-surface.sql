-- The surface of each release (skills, MCP servers, apps, ...: core's Surface as JSON), computed at publish so the
-- next publish of the plugin can be held to SemVer and pages can list what each release changed. Releases published
-- before this column are computed from their blob when first needed.
ALTER TABLE versions ADD COLUMN surface TEXT;
