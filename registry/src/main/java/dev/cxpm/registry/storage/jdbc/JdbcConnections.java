package dev.cxpm.registry.storage.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections behind the registry's JDBC database (storage/JdbcDatabase): writes go through one connection under a lock
 * (SQLite has one writer anyway, and queuing here beats SQLITE_BUSY retries); reads share a
 * small pool, and searches (each a full-text match over many rows) have their own, smaller one, so that a burst of
 * searches queues behind itself instead of taking every connection from index reads. Opening migrates the schema
 * before any reader exists.
 */
public final class JdbcConnections {

    /**
     * No connection to the database could be made (server down, wrong host or port, credentials or
     * database refused): nothing was read or written. Callers tell an operator to check the URL
     * instead of reporting a bug.
     */
    public static final class CannotConnect extends IllegalStateException {
        public CannotConnect(String message, SQLException cause) {
            super(message, cause);
        }
    }

    /** A JDBC URL as it may be shown or logged: its password replaced by {@code ***}. */
    public static String redacted(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }

    /** A pool of connections as it is now, for the metrics an operator watches: its size, idle ones, threads waiting. */
    public record Pool(String name, int size, int idle, int waiting) {
    }

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final BlockingQueue<Connection> searchers;

    private final Dialect dialect;
    /** The SQLite file, checked by {@link #check}: an open connection keeps answering after its file is deleted. */
    private final java.nio.file.Path file;
    /** Threads waiting for a read or search connection, for the pool gauges. */
    private final java.util.concurrent.atomic.AtomicInteger waitingReaders = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger waitingSearchers = new java.util.concurrent.atomic.AtomicInteger();

    public JdbcConnections(String url, Dialect dialect) throws SQLException {
        this.dialect = dialect;
        this.file = dialect == Dialect.SQLITE ? java.nio.file.Path.of(url.substring("jdbc:sqlite:".length())) : null;
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
        searchers = new ArrayBlockingQueue<>(dialect.searchers());
        for (int i = 0; i < dialect.searchers(); i++) {
            searchers.add(connect(url));
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
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T read(Work<T> work) {
        return take(readers, waitingReaders, work);
    }

    /**
     * One read transaction that sees a single state of the database however long it runs and whatever commits
     * meanwhile (a WAL read transaction on SQLite, REPEATABLE READ on PostgreSQL): a backup stays consistent while
     * publishes go on. Rows stream (a PostgreSQL cursor needs the transaction anyway).
     */
    public <T> T snapshot(Work<T> work) {
        return take(readers, waitingReaders, c -> {
            c.setAutoCommit(false);
            int isolation = c.getTransactionIsolation();
            try {
                if (dialect == Dialect.POSTGRES) {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                }
                return work.run(c);
            } finally {
                c.rollback();
                if (dialect == Dialect.POSTGRES) {
                    c.setTransactionIsolation(isolation);
                }
                c.setAutoCommit(true);
            }
        });
    }

    public <T> T search(Work<T> work) {
        return take(searchers, waitingSearchers, work);
    }

    private static <T> T take(BlockingQueue<Connection> pool, java.util.concurrent.atomic.AtomicInteger waiting, Work<T> work) {
        Connection c = pool.poll();
        if (c == null) {
            waiting.incrementAndGet();
            try {
                c = pool.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for a database connection", e);
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database read failed: " + e.getMessage(), e);
        } finally {
            pool.add(c);
        }
    }

    /**
     * One write transaction; a write inside another on the same thread joins it (so an audited write and its audit
     * row commit or roll back together), and only the outermost commits.
     */
    public <T> T write(Work<T> work) {
        writeLock.lock();
        if (writeLock.getHoldCount() > 1) {
            try {
                return work.run(writer);
            } catch (SQLException e) {
                throw new IllegalStateException("database write failed: " + e.getMessage(), e);
            } finally {
                writeLock.unlock();
            }
        }
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

    /** The pools as they are now: connections, idle ones, threads waiting for one. */
    public java.util.List<Pool> pools() {
        return java.util.List.of(
                new Pool("write", 1, writeLock.isLocked() ? 0 : 1, writeLock.getQueueLength()),
                new Pool("read", dialect.readers(), readers.size(), waitingReaders.get()),
                new Pool("search", dialect.searchers(), searchers.size(), waitingSearchers.get()));
    }

    /**
     * Throws unless a read connection answers within the deadline (and, for SQLite, the database file is still
     * there: a deleted or moved file would go on answering through the open connections until the next restart).
     */
    public void check(java.time.Duration deadline) {
        if (file != null && !(java.nio.file.Files.isRegularFile(file) && java.nio.file.Files.isReadable(file)
                && java.nio.file.Files.isWritable(file))) {
            throw new IllegalStateException("the database file " + file + " is missing or not readable and writable");
        }
        Connection c;
        try {
            c = readers.poll(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a database connection", e);
        }
        if (c == null) {
            throw new IllegalStateException("no database connection free within " + deadline.toMillis() + " ms");
        }
        try {
            if (!c.isValid((int) Math.max(1, deadline.toSeconds()))) {
                throw new IllegalStateException("the database connection does not answer");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database check failed: " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    public void close() {
        writeLock.lock();
        try {
            writer.close();
            for (Connection c : readers) {
                c.close();
            }
            for (Connection c : searchers) {
                c.close();
            }
        } catch (SQLException e) {
            // closing at shutdown: nothing left to do with the error
        } finally {
            writeLock.unlock();
        }
    }
}
