package dev.cxpm.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each publish, yank or deprecation replaces its plugin's search words with {@code DELETE ... WHERE plugin_id = ?}:
 * SQLite must find them through an index, not by scanning every plugin's words (O(N) a publish, N² to fill a registry).
 */
class SearchWordsByPluginTest {

    @TempDir
    Path dir;

    @Test
    void replacingOnePluginsWordsUsesAnIndexNotAScanOfEveryPluginsWords() throws Exception {
        Path file = dir.resolve("registry.db");
        JdbcDatabase.sqlite(file).close(); // runs every migration
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet plan = s.executeQuery("EXPLAIN QUERY PLAN DELETE FROM search_words WHERE plugin_id = 42")) {
            StringBuilder steps = new StringBuilder();
            while (plan.next()) {
                steps.append(plan.getString("detail")).append('\n');
            }
            assertThat(steps.toString()).contains("USING INDEX search_words_by_plugin").doesNotContain("SCAN search_words");
        }
    }
}
