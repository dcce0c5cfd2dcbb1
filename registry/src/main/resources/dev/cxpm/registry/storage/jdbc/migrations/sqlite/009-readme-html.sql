-- Each version's README as HTML, rendered once (at publish, or on the first page request for a version stored
-- before this column or imported from a backup) so a page request does no Markdown work. Kept apart from the page's
-- JSON, which an export carries, so HTML never comes in from a backup file: it is only ever this registry's rendering.
ALTER TABLE versions ADD COLUMN readme_html TEXT;
