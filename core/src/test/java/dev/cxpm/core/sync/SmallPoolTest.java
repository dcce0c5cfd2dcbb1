package dev.cxpm.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SmallPoolTest {

    @Test
    void poolsOneAfterAnotherRunOnTheSameTwoThreadsNotNewOnesEachTime() {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 5; round++) {
            try (SmallPool pool = new SmallPool(4)) {
                List<Future<Object>> jobs = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    jobs.add(pool.submit(() -> ran.add(Thread.currentThread())));
                }
                jobs.forEach(SmallPool::result);
            }
        }
        assertThat(ran).hasSizeBetween(1, SmallPool.THREADS).allMatch(t -> t != Thread.currentThread());
    }

    @Test
    void closingInterruptsARunningJobAndReturnsOnlyOnceItHasEnded() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        SmallPool pool = new SmallPool(2);
        pool.submit(() -> {
            running.countDown();
            try {
                new CountDownLatch(1).await(); // until interrupted
            } catch (InterruptedException stopped) {
                Thread.sleep(20); // still writing for a moment after the interrupt
                ended.set(true);
            }
            return null;
        });
        running.await();
        pool.close();
        assertThat(ended).isTrue();
    }

    @Test
    void aJobNotStartedWhenThePoolClosesNeverStarts() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(SmallPool.THREADS);
        AtomicBoolean thirdRan = new AtomicBoolean();
        SmallPool pool = new SmallPool(3);
        for (int i = 0; i < SmallPool.THREADS; i++) {
            pool.submit(() -> {
                bothRunning.countDown();
                new CountDownLatch(1).await(); // until interrupted
                return null;
            });
        }
        pool.submit(() -> thirdRan.getAndSet(true));
        bothRunning.await();
        pool.close();
        try (SmallPool next = new SmallPool(2)) { // the threads are free again, and the third job is not among their work
            next.submit(() -> null);
            SmallPool.result(next.submit(() -> null));
        }
        assertThat(thirdRan).isFalse();
    }

    @Test
    void aPoolOpenedInAJobRunsItsJobsOnThatJobsThread() {
        try (SmallPool outer = new SmallPool(2)) {
            Future<Boolean> sameThread = outer.submit(() -> {
                Thread mine = Thread.currentThread();
                try (SmallPool inner = new SmallPool(2)) {
                    Future<Thread> a = inner.submit(Thread::currentThread);
                    Future<Thread> b = inner.submit(Thread::currentThread);
                    return SmallPool.result(a) == mine && SmallPool.result(b) == mine;
                }
            });
            assertThat(SmallPool.result(sameThread)).isTrue();
        }
    }
}
