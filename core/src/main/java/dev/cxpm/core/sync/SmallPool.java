package dev.cxpm.core.sync;

import dev.cxpm.core.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A few threads for sync's per-plugin work that mostly waits on the file system (checking or making the store's tree
 * of a plugin, reading it): each job touches only its own plugin's tree. Callers take the results in
 * lock order, so the first plugin's failure is the one reported, as when they ran one after another. {@link #close}
 * waits for every job, so nothing is still writing when the caller deletes what the jobs wrote into.
 *
 * <p>The threads are the process's, shared by every pool and started once: a sync uses three or four pools one after
 * another (trees, approvals, placing; packing in a first sync), and a warm daemon started two new threads for each, on
 * every command. They end after a minute without work. A job never waits on another job of a pool (a pool opened on one
 * of these threads runs its jobs on that thread), so sharing two threads cannot leave a job waiting for a thread.
 */
public final class SmallPool implements AutoCloseable {
    /** Two cores here; the jobs wait on the disk as much as they compute (pnpm uses several threads too). */
    public static final int THREADS = 2;

    private static final ThreadPoolExecutor WORKERS = workers();

    /** Whether this pool's jobs go to the shared threads; else each runs on the caller's thread as it is submitted. */
    private final boolean shared;
    private final List<Job<?>> jobs = new ArrayList<>();

    /** jobs: how many will be submitted (one or none runs on the caller's thread, with no thread of the pool). */
    public SmallPool(int jobs) {
        this(jobs >= 2);
    }

    private SmallPool(boolean shared) {
        this.shared = shared && !(Thread.currentThread() instanceof Worker);
    }

    /** For a job that runs beside the caller's own work (taken after it): on a shared thread even when it is the only one. */
    static SmallPool besideCaller() {
        return new SmallPool(true);
    }

    public <R> Future<R> submit(Callable<R> job) {
        if (shared) {
            Job<R> j = new Job<>(job);
            jobs.add(j);
            WORKERS.execute(j);
            return j;
        }
        try {
            return CompletableFuture.completedFuture(job.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The job's result, or its failure rethrown as it was thrown. */
    public static <R> R result(Future<R> f) {
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

    /**
     * Stops this pool's jobs as a pool of its own was shut down at once: a job not started never starts, a running one is
     * interrupted; then waits until none of them is running.
     */
    @Override
    public void close() {
        List<Job<?>> running = new ArrayList<>();
        for (Job<?> j : jobs) { // none of the waiting ones starts on a thread the interrupts below free
            if (!j.dropIfWaiting()) {
                running.add(j);
            }
        }
        running.forEach(j -> j.cancel(true)); // interrupted (nothing when it has finished); it counts ended down as it returns
        boolean interrupted = false;
        for (Job<?> j : jobs) {
            while (true) {
                try {
                    j.ended.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A job that says when it has ended, or that it never will start. */
    private static final class Job<R> extends FutureTask<R> {
        private final AtomicBoolean taken = new AtomicBoolean();
        final CountDownLatch ended = new CountDownLatch(1);

        Job(Callable<R> job) {
            super(job);
        }

        @Override
        public void run() {
            if (!taken.compareAndSet(false, true)) {
                return; // stopped before it started
            }
            try {
                super.run();
            } finally {
                ended.countDown();
            }
        }

        /** True when it had not started: then it never will. */
        boolean dropIfWaiting() {
            if (!taken.compareAndSet(false, true)) {
                return false;
            }
            cancel(false);
            ended.countDown();
            return true;
        }
    }

    /** A thread of the shared pool: a pool opened on one runs its jobs on it. */
    private static final class Worker extends Thread {
        Worker(Runnable r) {
            super(r, "cxpm-sync");
            setDaemon(true);
        }
    }

    private static ThreadPoolExecutor workers() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), Worker::new);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
