package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A few threads for sync's per-plugin work that mostly waits on the file system (checking or making the store's tree
 * of a plugin, reading it): each job touches only its own plugin's tree. Callers take the results in
 * lock order, so the first plugin's failure is the one reported, as when they ran one after another. {@link #close}
 * waits for every job, so nothing is still writing when the caller deletes what the jobs wrote into.
 */
final class SmallPool implements AutoCloseable {
    /** Two cores here; the jobs wait on the disk as much as they compute (pnpm uses several threads too). */
    static final int THREADS = 2;

    private final ExecutorService pool;

    /** jobs: how many will be submitted (one or none runs on the caller's thread, with no pool). */
    SmallPool(int jobs) {
        this.pool = jobs < 2 ? null : Executors.newFixedThreadPool(Math.min(THREADS, jobs), r -> {
            Thread t = new Thread(r, "cxpm-sync");
            t.setDaemon(true);
            return t;
        });
    }

    <R> Future<R> submit(Callable<R> job) {
        if (pool != null) {
            return pool.submit(job);
        }
        try {
            return CompletableFuture.completedFuture(job.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The job's result, or its failure rethrown as it was thrown. */
    static <R> R result(Future<R> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(UserError.Kind.IO, "interrupted; nothing was changed", null, e);
        }
    }

    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
