package io.joinery.proxy.bounds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A permit lost or handed twice would hang a test or break its count: each has a timeout of its own. */
@Timeout(20)
class PermitsTest {

    @Test
    void freePermitsAreTakenAtOnceAndTheNextCallerGetsNone() throws Exception {
        Permits permits = new Permits(2);
        assertTrue(permits.tryAcquire());
        assertTrue(permits.acquire(1_000));
        assertFalse(permits.tryAcquire());
        assertEquals(0, permits.available());
        permits.release();
        assertEquals(1, permits.available());
    }

    @Test
    void aCallerWhoGetsNoPermitWithinItsBoundIsToldSoAndLeavesNothingBehind() throws Exception {
        Permits permits = new Permits(1);
        assertTrue(permits.tryAcquire());
        long start = System.nanoTime();
        assertFalse(permits.acquire(100));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 100 && millis < 2_000, "the bound, within a few ticks: " + millis + " ms");
        assertEquals(0, permits.queued());
        permits.release(); // goes to the free ones: the caller who gave up is no longer queued
        assertEquals(1, permits.available());
    }

    @Test
    void aReleasedPermitGoesToTheCallersInTheOrderTheyCame() throws Exception {
        Permits permits = new Permits(1);
        assertTrue(permits.tryAcquire());
        List<Integer> served = new CopyOnWriteArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                int caller = i;
                threads.submit(() -> {
                    assertTrue(permits.acquire(10_000));
                    served.add(caller);
                    permits.release();
                    return null;
                });
                awaitQueued(permits, i + 1);
            }
            assertFalse(permits.tryAcquire(), "a newcomer does not take a permit ahead of those queued");
            permits.release();
        }
        assertEquals(List.of(0, 1, 2, 3, 4), served);
        assertEquals(1, permits.available());
    }

    @Test
    void anInterruptedCallerLeavesTheQueueWithoutAPermit() throws Exception {
        Permits permits = new Permits(1);
        assertTrue(permits.tryAcquire());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> waiting = threads.submit(() -> permits.acquire(10_000));
            awaitQueued(permits, 1);
            waiting.cancel(true);
        } // closing the executor waits for the interrupted caller to have left
        assertEquals(0, permits.queued());
        permits.release();
        assertEquals(1, permits.available(), "the permit is not held by the caller who left");
    }

    @Test
    void manyCallersShareFewPermitsWithoutEverExceedingThem() throws Exception {
        Permits permits = new Permits(3);
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 200; i++) {
                threads.submit(() -> {
                    go.await();
                    for (int round = 0; round < 20; round++) {
                        assertTrue(permits.tryAcquire() || permits.acquire(10_000));
                        most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        holding.decrementAndGet();
                        served.incrementAndGet();
                        permits.release();
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertEquals(4_000, served.get());
        assertTrue(most.get() <= 3, "at most 3 at once: " + most.get());
        assertEquals(3, permits.available());
    }

    /** Waits until {@code n} callers are queued: none is free and the n-th has parked in its wait. */
    private static void awaitQueued(Permits permits, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (permits.queued() < n) {
            assertTrue(System.nanoTime() < deadline, "callers queued: " + permits.queued() + " of " + n);
            Thread.sleep(5);
        }
    }
}
