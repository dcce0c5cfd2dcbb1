package dev.cxpm.registry.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells every registry process on one PostgreSQL database that a plugin changed, so each drops what it cached
 * (index documents, search answers) and brings its git view up to date. A write announces the plugin with
 * {@code pg_notify} inside its own transaction, so the news goes out on commit and never for a write rolled back;
 * each process listens on a connection of its own. A dropped connection is opened again, and since notices sent
 * meanwhile are lost, the process is then told that everything may have changed (a null name).
 * SQLite has one process and needs none of this.
 *
 * <p>{@link #current()} says whether every change committed up to a moment ago has been told: the loop makes a round
 * trip on the listening connection about every {@link #POLL_MILLIS} (a connection that died silently stops them, and
 * is dropped after {@link #NETWORK_TIMEOUT_MILLIS}), and tells the notices that came with it before it counts the
 * round trip. While it is not current (no connection, a round trip overdue, or the thread busy telling a change),
 * a caller must ask the database instead of trusting what it cached.
 */
public final class ChangeFeed implements AutoCloseable {

    static final String CHANNEL = "cxpm_changes";
    /** How long a wait for notices lasts before the loop checks whether it should stop. */
    private static final int POLL_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final int NETWORK_TIMEOUT_MILLIS = 2_000;
    /** How old the last round trip may be for the feed to count as current. */
    static final long CURRENT_NANOS = 2L * POLL_MILLIS * 1_000_000L;
    private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());

    private final String url;
    private final Consumer<String> changed;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;
    /** When the last round trip that found every notice before it began started (System.nanoTime); 0: none yet. */
    private volatile long heardUpTo;

    /** Announces inside the caller's transaction that {@code plugin} changed; delivered to listeners when it commits. */
    static void announce(Connection c, String plugin) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            p.setString(1, plugin);
            p.execute();
        }
    }

    /**
     * Listens until closed, calling {@code changed} in its own thread with each plugin changed by any process
     * (this one included), or null when notices may have been missed and everything must be read again.
     */
    static ChangeFeed listen(String url, Consumer<String> changed) {
        return new ChangeFeed(url, changed);
    }

    private ChangeFeed(String url, Consumer<String> changed) {
        this.url = url;
        this.changed = changed;
        try {
            connection = open();
        } catch (SQLException e) {
            // the pool opened a moment ago; the loop keeps trying
            LOG.log(System.Logger.Level.WARNING, "cannot listen for registry changes yet: " + e.getMessage());
        }
        thread = new Thread(this::run, "cxpm-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    /** Every change committed more than a moment ago (at most {@link #CURRENT_NANOS}) has been told. */
    public boolean current() {
        long heard = heardUpTo;
        return connection != null && heard != 0 && System.nanoTime() - heard < CURRENT_NANOS;
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        c.setClientInfo("ApplicationName", "cxpm-change-feed");
        c.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }
        return c;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try {
                Connection c = connection;
                if (c == null) {
                    c = open();
                    connection = c;
                    backoff = 100;
                    tell(null); // whatever was announced while no one listened
                }
                // the round trip brings every notice committed before it began; told, they make the feed current up to then
                long began = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                tellAll(c.unwrap(PGConnection.class).getNotifications());
                heardUpTo = began;
                tellAll(c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS));
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "lost the registry change feed, reconnecting: " + e.getMessage());
                closeQuietly();
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private void tellAll(PGNotification[] notes) {
        if (notes != null) {
            for (PGNotification n : notes) {
                tell(n.getParameter());
            }
        }
    }

    private void tell(String plugin) {
        try {
            changed.accept(plugin);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "acting on a registry change failed", e);
        }
    }

    private void closeQuietly() {
        Connection c = connection;
        connection = null;
        heardUpTo = 0;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly();
        try {
            thread.join(2 * POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
