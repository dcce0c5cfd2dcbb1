-- A plugin's words are replaced at each publish, yank or deprecation (DELETE ... WHERE plugin_id = ?), and start-up
-- asks which plugins have words: without this index each is a scan of the whole table (about ten rows a plugin),
-- O(N) per publish and O(N^2) for a registry filled publish by publish.
CREATE INDEX search_words_by_plugin ON search_words (plugin_id);
