-- The registry's first schema. Statements end with ';' at the end of a line (Migrations splits there).
CREATE TABLE plugins (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  name_key TEXT NOT NULL UNIQUE,          -- lower-cased name: one plugin per name whatever the case
  display_name TEXT,
  description TEXT,
  category TEXT,
  keywords TEXT NOT NULL DEFAULT '',      -- space-separated, for search
  capabilities TEXT NOT NULL DEFAULT '',
  latest_version TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX plugins_category ON plugins(lower(category));
CREATE TABLE owners (
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  user_name TEXT NOT NULL,
  PRIMARY KEY (plugin_id, user_name)
);
CREATE TABLE versions (
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  version TEXT NOT NULL,
  seq INTEGER NOT NULL,
  integrity TEXT NOT NULL,
  size INTEGER NOT NULL,
  manifest TEXT NOT NULL,
  dependencies TEXT NOT NULL DEFAULT '{}',
  yanked INTEGER NOT NULL DEFAULT 0,
  published_by TEXT NOT NULL,
  published_at TEXT NOT NULL,
  PRIMARY KEY (plugin_id, version)
);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  description TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
CREATE VIRTUAL TABLE plugin_search USING fts5(name, display_name, keywords, description, capabilities, tokenize = 'unicode61');
