-- Each plugin's index document as clients read it, signed, stored when a change makes it (issue 12): a read is one
-- indexed lookup and a copy of bytes. A row is current while its sequence is the plugin's index_sequence and its key
-- is the server's; otherwise a reader builds, signs and stores it again (rows from before a key rotation, or written
-- by a server that stopped between a change's commit and storing its document).
CREATE TABLE index_documents (
  plugin_id BIGINT PRIMARY KEY REFERENCES plugins(id) ON DELETE CASCADE,
  sequence BIGINT NOT NULL,
  body BYTEA NOT NULL,
  etag TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL
);
