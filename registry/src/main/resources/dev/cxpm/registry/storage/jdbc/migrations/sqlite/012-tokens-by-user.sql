-- A user's tokens a page at a time by id (GET /api/v1/tokens?after=ID): a user may hold thousands (CI mints one per run).
CREATE INDEX tokens_by_user ON tokens (user_name, id);
