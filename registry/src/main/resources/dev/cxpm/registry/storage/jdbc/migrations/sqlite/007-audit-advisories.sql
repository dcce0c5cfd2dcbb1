-- Every write on the registry, appended in the transaction of the write it records (AuditLog): who (user, token id,
-- never a secret), when (the registry's clock, as epoch milliseconds for ordering and as text), from where, what.
-- The triggers make the log append-only for anything that opens this file too, not only for cxpm's own code.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at_ms INTEGER NOT NULL,
  at TEXT NOT NULL,
  user_name TEXT NOT NULL,
  token_id TEXT,
  remote TEXT,
  action TEXT NOT NULL,
  plugin TEXT,
  version TEXT,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_plugin ON audit_log(plugin, id);
CREATE INDEX audit_log_user ON audit_log(user_name, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- Advisories an owner or admin attached to a range of a plugin's versions; a withdrawn one stays, marked.
CREATE TABLE advisories (
  plugin_id INTEGER NOT NULL REFERENCES plugins(id),
  id TEXT NOT NULL,
  version_range TEXT NOT NULL,
  severity TEXT NOT NULL,
  summary TEXT NOT NULL,
  url TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  withdrawn_at TEXT,
  seq BIGINT NOT NULL,
  PRIMARY KEY (plugin_id, id)
);
