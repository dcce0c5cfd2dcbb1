package dev.cxpm.registry.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections behind {@link JdbcDatabase}: writes go through one connection under a lock
 * (SQLite has one writer anyway, and queuing here beats SQLITE_BUSY retries); reads share a
 * small pool, and searches (each a full-text match over many rows) have their own, smaller one, so that a burst of
 * searches queues behind itself instead of taking every connection from index reads. Opening migrates the schema
 * before any reader exists.
 */
final class JdbcConnections {

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final BlockingQueue<Connection> searchers;

    private final Dialect dialect;

    JdbcConnections(String url, Dialect dialect) throws SQLException {
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
            throw new JdbcDatabase.CannotConnect("cannot connect to the registry database " + JdbcDatabase.redacted(url) + ": " + e.getMessage(), e);
        }
        dialect.configure(c);
        return c;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T read(Work<T> work) {
        return take(readers, work);
    }

    /**
     * One read transaction that sees a single state of the database however long it runs and whatever commits
     * meanwhile (a WAL read transaction on SQLite, REPEATABLE READ on PostgreSQL): a backup stays consistent while
     * publishes go on. Rows stream (a PostgreSQL cursor needs the transaction anyway).
     */
    <T> T snapshot(Work<T> work) {
        return take(readers, c -> {
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

    <T> T search(Work<T> work) {
        return take(searchers, work);
    }

    private static <T> T take(BlockingQueue<Connection> pool, Work<T> work) {
        Connection c;
        try {
            c = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database read failed: " + e.getMessage(), e);
        } finally {
            pool.add(c);
        }
    }

    <T> T write(Work<T> work) {
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

    void close() {
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
