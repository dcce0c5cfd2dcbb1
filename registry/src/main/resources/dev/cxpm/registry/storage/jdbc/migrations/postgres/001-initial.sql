-- The registry's first schema on PostgreSQL (same tables as sqlite/001, search as a tsvector column).
CREATE TABLE plugins (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  name_key TEXT NOT NULL UNIQUE,
  display_name TEXT,
  description TEXT,
  category TEXT,
  keywords TEXT NOT NULL DEFAULT '',
  capabilities TEXT NOT NULL DEFAULT '',
  latest_version TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  search TSVECTOR
);
CREATE INDEX plugins_category ON plugins(lower(category));
CREATE INDEX plugins_search ON plugins USING GIN (search);
CREATE TABLE owners (
  plugin_id BIGINT NOT NULL REFERENCES plugins(id),
  user_name TEXT NOT NULL,
  PRIMARY KEY (plugin_id, user_name)
);
CREATE TABLE versions (
  plugin_id BIGINT NOT NULL REFERENCES plugins(id),
  version TEXT NOT NULL,
  seq INTEGER NOT NULL,
  integrity TEXT NOT NULL,
  size BIGINT NOT NULL,
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
