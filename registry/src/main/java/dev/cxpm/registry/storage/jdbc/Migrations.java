package dev.cxpm.registry.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a database's schema up to date at start: plain SQL files, listed in order in
 * {@code migrations/<dialect>/index.txt}, each run once in its own transaction and recorded in
 * {@code schema_migrations}. Chosen over Flyway: a dozen lines, no dependency, and the same files
 * are readable by hand; a database newer than this code is refused rather than touched.
 */
final class Migrations {

    private Migrations() {
    }

    /** Applies the missing migrations; returns how many ran. */
    static int apply(Connection c, String dialect) throws SQLException {
        List<String> files = resourceLines("migrations/" + dialect + "/index.txt");
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }
        int current = 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            if (rs.next()) {
                current = rs.getInt(1);
            }
        }
        if (current > files.size()) {
            throw new IllegalStateException("the database schema (version " + current
                    + ") is newer than this cxpm knows (" + files.size() + "); upgrade cxpm");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int v = current + 1; v <= files.size(); v++) {
                String name = files.get(v - 1);
                for (String sql : statements(resource("migrations/" + dialect + "/" + name))) {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO schema_migrations VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, name);
                    p.setString(3, Instant.now().toString());
                    p.executeUpdate();
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return files.size() - current;
    }

    /** Splits a file into statements at lines ending with ';' (comment lines dropped). */
    static List<String> statements(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n")) {
            String code = line.strip();
            if (code.startsWith("--") || code.isEmpty()) {
                continue;
            }
            cur.append(line).append('\n');
            if (code.endsWith(";") || code.matches(".*;\\s*--.*")) {
                String stmt = cur.toString().strip();
                out.add(stmt.substring(0, stmt.lastIndexOf(';')));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    private static List<String> resourceLines(String path) {
        return resource(path).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String resource(String path) {
        try (InputStream in = Migrations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
