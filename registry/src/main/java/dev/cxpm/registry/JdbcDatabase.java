package dev.cxpm.registry;

import dev.cxpm.core.pack.Integrity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The metadata store over JDBC, one class for both setups: the embedded SQLite file (WAL mode,
 * FTS5 search) and PostgreSQL for scale-out (tsvector search); the {@link Dialect} holds the few
 * statements that differ. Writes go through one connection under a lock (SQLite has one writer
 * anyway, and queuing here beats SQLITE_BUSY retries); reads share a small pool. Across processes
 * (PostgreSQL), a publish takes a transaction-scoped advisory lock on the plugin's name, and the
 * unique keys on names and versions stand behind it.
 */
public final class JdbcDatabase implements RegistryDatabase {


    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;

    private final Dialect dialect;

    /** The embedded database: one SQLite file. */
    public static JdbcDatabase sqlite(Path file) {
        return open("jdbc:sqlite:" + file.toAbsolutePath(), Dialect.SQLITE);
    }

    /** A PostgreSQL database, e.g. {@code jdbc:postgresql://host:5432/cxpm?user=..&password=..}. */
    public static JdbcDatabase postgres(String jdbcUrl) {
        return open(jdbcUrl, Dialect.POSTGRES);
    }

    /**
     * No connection to the database could be made (server down, wrong host or port, credentials or
     * database refused): nothing was read or written. Callers tell an operator to check the URL
     * instead of reporting a bug.
     */
    public static final class CannotConnect extends IllegalStateException {
        CannotConnect(String message, SQLException cause) {
            super(message, cause);
        }
    }

    /** A JDBC URL as it may be shown or logged: its password replaced by {@code ***}. */
    public static String redacted(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    private static JdbcDatabase open(String url, Dialect dialect) {
        try {
            return new JdbcDatabase(url, dialect);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the registry database " + redacted(url) + ": " + e.getMessage(), e);
        }
    }

    private JdbcDatabase(String url, Dialect dialect) throws SQLException {
        this.dialect = dialect;
        writer = connect(url);
        if (dialect == Dialect.SQLITE) {
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
            }
        }
        dialect.migrate(writer);
        readers = new ArrayBlockingQueue<>(dialect.readers());
        for (int i = 0; i < dialect.readers(); i++) {
            readers.add(connect(url));
        }
    }

    private Connection connect(String url) throws SQLException {
        Connection c;
        try {
            c = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new CannotConnect("cannot connect to the registry database " + redacted(url) + ": " + e.getMessage(), e);
        }
        dialect.configure(c);
        return c;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database read failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    private <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            writer.setAutoCommit(false);
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            } finally {
                writer.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database write failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private static final String PLUGIN_COLUMNS =
            "p.name, p.display_name, p.description, p.category, p.keywords, p.capabilities, p.latest_version, p.created_at, p.updated_at";

    private static PluginRow pluginRow(ResultSet rs) throws SQLException {
        return new PluginRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                words(rs.getString(5)), words(rs.getString(6)), rs.getString(7),
                Instant.parse(rs.getString(8)), Instant.parse(rs.getString(9)));
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.split("\n"));
    }

    private static String joinWords(List<String> list) {
        return list.stream().map(w -> w.replace('\n', ' ')).collect(Collectors.joining("\n"));
    }

    @Override
    public Optional<PluginRow> plugin(String name) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + PLUGIN_COLUMNS + " FROM plugins p WHERE p.name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(pluginRow(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public java.util.Map<String, List<String>> pluginOwners() {
        return read(JdbcDatabase::pluginOwners);
    }

    private static java.util.Map<String, List<String>> pluginOwners(Connection c) throws SQLException {
        java.util.Map<String, List<String>> out = new java.util.HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT p.name, o.user_name FROM plugins p LEFT JOIN owners o ON o.plugin_id = p.id");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                List<String> owners = out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                if (rs.getString(2) != null) {
                    owners.add(rs.getString(2));
                }
            }
        }
        return out;
    }

    private static final String VERSION_COLUMNS =
            "p.name, v.version, v.integrity, v.size, v.manifest, v.dependencies, v.yanked, v.published_by, v.published_at, v.deprecated";

    private static VersionRow versionRow(ResultSet rs) throws SQLException {
        return new VersionRow(rs.getString(1), rs.getString(2), Integrity.fromHex(rs.getString(3)), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), Instant.parse(rs.getString(9)), rs.getString(10));
    }

    @Override
    public List<VersionRow> versions(String plugin) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = ? ORDER BY v.seq")) {
                p.setString(1, plugin);
                List<VersionRow> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(versionRow(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<VersionRow> version(String plugin, String version) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM versions v JOIN plugins p ON p.id = v.plugin_id WHERE p.name = ? AND v.version = ?")) {
                p.setString(1, plugin);
                p.setString(2, version);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(versionRow(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public PublishOutcome insertVersion(VersionRow v, Summary summary, boolean anyOwner, NewNameRule newName) {
        return write(c -> {
            String now = v.publishedAt().toString();
            dialect.lockName(c, v.plugin().toLowerCase(Locale.ROOT));
            Long id = null;
            try (PreparedStatement p = c.prepareStatement("SELECT id, name FROM plugins WHERE name_key = ?")) {
                p.setString(1, v.plugin().toLowerCase(Locale.ROOT));
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        if (!rs.getString(2).equals(v.plugin())) {
                            return PublishOutcome.NAME_TAKEN;
                        }
                        id = rs.getLong(1);
                    }
                }
            }
            if (id == null) {
                // a new name is judged against every other name, so new names are decided one at a time
                dialect.lockNewNames(c);
                if (newName.confusableWith(v.plugin(), pluginOwners(c)).isPresent()) {
                    return PublishOutcome.NAME_CONFUSABLE;
                }
                try (PreparedStatement p = prepare(c, "INSERT INTO plugins (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id",
                        v.plugin(), v.plugin().toLowerCase(Locale.ROOT), now, now);
                     ResultSet keys = p.executeQuery()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                update(c, "INSERT INTO owners (plugin_id, user_name) VALUES (?, ?)", id, v.publishedBy());
            } else if (!anyOwner && !exists(c, "SELECT 1 FROM owners WHERE plugin_id = ? AND user_name = ?", id, v.publishedBy())) {
                return PublishOutcome.NOT_OWNER;
            }
            String release = Versions.withoutBuild(v.version());
            if (exists(c, "SELECT 1 FROM versions WHERE plugin_id = ? AND version_release = ?", id, release)) {
                return PublishOutcome.VERSION_EXISTS;
            }
            update(c, "INSERT INTO versions (plugin_id, version, version_release, seq, integrity, size, manifest, dependencies, yanked, published_by, published_at)"
                    + " VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions WHERE plugin_id = ?), ?, ?, ?, ?, 0, ?, ?)",
                    id, v.version(), release, id, v.integrity().hex(), v.size(), v.manifest(), v.dependencies(), v.publishedBy(), now);
            String latest = refreshLatest(c, id, now);
            if (v.version().equals(latest)) {
                update(c, "UPDATE plugins SET display_name = ?, description = ?, category = ?, keywords = ?, capabilities = ? WHERE id = ?",
                        summary.displayName(), summary.description(), summary.category(),
                        joinWords(summary.keywords()), joinWords(summary.capabilities()), id);
                dialect.index(c, id, splitName(v.plugin()), summary.displayName(), String.join(" ", summary.keywords()),
                        summary.description(), String.join(" ", summary.capabilities()));
            }
            return PublishOutcome.PUBLISHED;
        });
    }

    /** "github-issues" is also found by "github" and "issues": the tokenizer keeps words, not names. */
    private static String splitName(String name) {
        String spaced = name.replaceAll("[._-]+", " ");
        return spaced.equals(name) ? name : name + " " + spaced;
    }

    private static String refreshLatest(Connection c, long id, String now) throws SQLException {
        List<String> live = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT version FROM versions WHERE plugin_id = ? AND yanked = 0")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    live.add(rs.getString(1));
                }
            }
        }
        String latest = Versions.latest(live).orElse(null);
        update(c, "UPDATE plugins SET latest_version = ?, updated_at = ? WHERE id = ?", latest, now, id);
        return latest;
    }

    @Override
    public java.util.Map<String, String> surfaces(String plugin) {
        return read(c -> {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            try (PreparedStatement p = prepare(c, "SELECT v.version, v.surface FROM versions v JOIN plugins p ON p.id = v.plugin_id"
                    + " WHERE p.name = ? AND v.surface IS NOT NULL", plugin); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    @Override
    public void setSurface(String plugin, String version, String surfaceJson) {
        write(c -> {
            Long id = pluginId(c, plugin);
            return id == null ? 0 : update(c, "UPDATE versions SET surface = ? WHERE plugin_id = ? AND version = ? AND surface IS NULL",
                    surfaceJson, id, version);
        });
    }

    @Override
    public boolean setYanked(String plugin, String version, boolean yanked) {
        return write(c -> {
            Long id = pluginId(c, plugin);
            if (id == null) {
                return false;
            }
            int n = update(c, "UPDATE versions SET yanked = ? WHERE plugin_id = ? AND version = ?", yanked ? 1 : 0, id, version);
            if (n > 0) {
                refreshLatest(c, id, Instant.now().toString());
            }
            return n > 0;
        });
    }

    private static Long pluginId(Connection c, String plugin) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM plugins WHERE name = ?")) {
            p.setString(1, plugin);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    @Override
    public boolean setDeprecated(String plugin, String version, String message) {
        return write(c -> {
            Long id = pluginId(c, plugin);
            return id != null && update(c, "UPDATE versions SET deprecated = ? WHERE plugin_id = ? AND version = ?", message, id, version) > 0;
        });
    }

    @Override
    public List<String> ownedBy(String user) {
        return read(c -> strings(c, "SELECT p.name FROM owners o JOIN plugins p ON p.id = o.plugin_id WHERE o.user_name = ? ORDER BY p.name", user));
    }

    @Override
    public List<String> owners(String plugin) {
        return read(c -> strings(c, "SELECT o.user_name FROM owners o JOIN plugins p ON p.id = o.plugin_id WHERE p.name = ? ORDER BY o.user_name", plugin));
    }

    @Override
    public void addOwner(String plugin, String user) {
        write(c -> {
            Long id = pluginId(c, plugin);
            if (id != null) {
                if (!exists(c, "SELECT 1 FROM owners WHERE plugin_id = ? AND user_name = ?", id, user)) {
                    update(c, "INSERT INTO owners (plugin_id, user_name) VALUES (?, ?)", id, user);
                }
            }
            return null;
        });
    }

    @Override
    public boolean removeOwner(String plugin, String user) {
        return write(c -> {
            Long id = pluginId(c, plugin);
            return id != null && update(c, "DELETE FROM owners WHERE plugin_id = ? AND user_name = ?", id, user) > 0;
        });
    }

    @Override
    public SearchPage search(SearchQuery q) {
        String match = dialect.searchQuery(q.text());
        String category = q.category() == null || q.category().isBlank() ? null : q.category().toLowerCase(Locale.ROOT);
        int offset = Math.max(0, (q.page() - 1) * q.perPage());
        return read(c -> {
            String from = match == null
                    ? " FROM plugins p WHERE p.latest_version IS NOT NULL"
                    : dialect.searchFrom() + " AND p.latest_version IS NOT NULL";
            if (category != null) {
                from += " AND lower(p.category) = ?";
            }
            List<Object> args = new ArrayList<>();
            if (match != null) {
                args.add(match);
            }
            if (category != null) {
                args.add(category);
            }
            long total;
            try (PreparedStatement p = prepare(c, "SELECT COUNT(*)" + from, args.toArray())) {
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            String order = match == null ? " ORDER BY p.name" : dialect.searchOrder();
            args.add(q.perPage());
            args.add(offset);
            List<PluginRow> rows = new ArrayList<>();
            try (PreparedStatement p = prepare(c, "SELECT " + PLUGIN_COLUMNS + from + order + " LIMIT ? OFFSET ?", args.toArray())) {
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        rows.add(pluginRow(rs));
                    }
                }
            }
            return new SearchPage(total, rows);
        });
    }

    @Override
    public List<Integrity> integrities() {
        return read(c -> strings(c, "SELECT integrity FROM versions").stream().map(Integrity::fromHex).toList());
    }

    @Override
    public void insertToken(TokenRow t) {
        write(c -> update(c, "INSERT INTO tokens (id, user_name, secret_hash, scopes, description, created_at, expires_at, revoked_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                t.id(), t.user(), t.secretHash(), String.join(" ", t.scopes()), t.description(), t.createdAt().toString(),
                t.expiresAt() == null ? null : t.expiresAt().toString(), t.revokedAt() == null ? null : t.revokedAt().toString()));
    }

    private static final String TOKEN_COLUMNS = "id, user_name, secret_hash, scopes, description, created_at, expires_at, revoked_at";

    private static TokenRow tokenRow(ResultSet rs) throws SQLException {
        String scopes = rs.getString(4);
        return new TokenRow(rs.getString(1), rs.getString(2), rs.getString(3),
                scopes.isBlank() ? List.of() : List.of(scopes.split(" ")), rs.getString(5), Instant.parse(rs.getString(6)),
                rs.getString(7) == null ? null : Instant.parse(rs.getString(7)),
                rs.getString(8) == null ? null : Instant.parse(rs.getString(8)));
    }

    @Override
    public Optional<TokenRow> tokenBySecretHash(String secretHash) {
        return read(c -> {
            try (PreparedStatement p = prepare(c, "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE secret_hash = ?", secretHash);
                 ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(tokenRow(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public boolean revokeToken(String id, Instant at) {
        return write(c -> update(c, "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at.toString(), id) > 0);
    }

    @Override
    public List<TokenRow> tokens(String user) {
        return read(c -> {
            List<TokenRow> out = new ArrayList<>();
            try (PreparedStatement p = prepare(c, "SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE user_name = ? ORDER BY created_at", user);
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(tokenRow(rs));
                }
            }
            return out;
        });
    }

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i]);
        }
        return p;
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args)) {
            return p.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            return rs.next();
        }
    }

    private static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            writer.close();
            for (Connection c : readers) {
                c.close();
            }
        } catch (SQLException e) {
            // closing at shutdown: nothing left to do with the error
        } finally {
            writeLock.unlock();
        }
    }
}
