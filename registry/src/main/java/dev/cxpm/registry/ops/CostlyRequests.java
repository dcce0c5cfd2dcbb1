package dev.cxpm.registry.ops;

import dev.cxpm.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the requests that cost CPU time run (searches, rendered pages): a few platform threads and a bounded queue,
 * apart from the virtual threads that answer everything else. Virtual threads are not preempted: a search holding one
 * of the few carrier threads for milliseconds made every cached index read queued behind it wait (index reads beside
 * 16 searches had a p99 of 25 ms against 4 ms alone). Platform threads are scheduled by the kernel, which lets a
 * woken carrier run at once; and past {@link Limits#atOnce} running and {@link Limits#waiting} queued, a costly request
 * is refused with 503 and Retry-After, as a registry under more load than it can answer sheds it, instead of queueing
 * without bound.
 */
public final class CostlyRequests implements AutoCloseable {

    /** How many costly requests run at once (platform threads) and how many may wait for one. */
    public record Limits(int atOnce, int waiting) {
        public static final int MAX = 1024;

        public Limits {
            if (atOnce < 1 || atOnce > MAX || waiting < 0 || waiting > MAX * 16) {
                throw new IllegalArgumentException("costly requests: 1 to " + MAX + " at once and 0 to " + MAX * 16 + " waiting");
            }
        }

        /**
         * Half the cores (at least one): the other half stays free for the cheap reads, as the search connections did
         * before searches ran in memory. At 10,000 plugins on 2 loaded cores one search thread answered as many
         * searches as two (315 vs 308 a second) while index reads beside them went from 2.2k to 5.3k a second. Enough
         * wait to absorb a burst: 32 per core, on 2 cores 64 searches of ~2.4 ms, under 160 ms.
         */
        public static Limits defaults() {
            int cores = Runtime.getRuntime().availableProcessors();
            return new Limits(Math.max(1, cores / 2), 32 * cores);
        }
    }

    /** The answer when the queue is full: come back in a second. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final ThreadPoolExecutor pool;

    public CostlyRequests(Limits limits) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(limits.atOnce(), limits.atOnce(), 0, TimeUnit.SECONDS,
                // a SynchronousQueue when none may wait: the work is handed to an idle thread or refused
                limits.waiting() == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.waiting()),
                r -> {
                    Thread t = new Thread(r, "cxpm-costly-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    public interface Work {
        void run() throws IOException;
    }

    /**
     * Runs {@code work} on one of the threads and waits for it (a virtual thread waiting here frees its carrier);
     * 503 with Retry-After when as many wait as the limits allow. Its exceptions are the caller's, as if it ran here.
     */
    public void run(Work work, java.util.function.Consumer<Integer> retryAfter) throws IOException {
        Future<?> done;
        try {
            done = pool.submit((Callable<Void>) () -> {
                work.run();
                return null;
            });
        } catch (RejectedExecutionException full) {
            retryAfter.accept(RETRY_AFTER_SECONDS);
            throw new RegistryException(503, "busy", "the registry is answering as many searches and pages as it can; try again in "
                    + RETRY_AFTER_SECONDS + " second(s)");
        }
        try {
            done.get();
        } catch (InterruptedException e) {
            done.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the request ran", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new UncheckedIOException(new IOException(e.getCause()));
            }
        }
    }

    /** Costly requests queued now (for the gauges and tests). */
    public int waiting() {
        return pool.getQueue().size();
    }

    /** Runs {@code task} as a costly request would (tests: holds a thread). */
    public Future<?> submit(Runnable task) {
        return pool.submit(task);
    }

    /** After the server's handlers have returned: nothing is queued any more; the threads end. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
