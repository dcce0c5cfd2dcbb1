-- Every plugin name filed under its look-alike skeleton and each one-letter deletion of that skeleton (NameVariants):
-- two names one typo apart share one of these, so the look-alike check of a new name is one indexed query instead of
-- a pass over every name and its owners. Rows for plugins created before this migration are filled in at start.
CREATE TABLE name_variants (
  variant TEXT NOT NULL,
  plugin_id BIGINT NOT NULL REFERENCES plugins(id),
  PRIMARY KEY (variant, plugin_id)
);
CREATE INDEX name_variants_plugin ON name_variants(plugin_id);
