package io.joinery.proxy.bounds;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed number of permits, handed to those who wait for one in the order they came, each wait
 * bounded by {@link Waits} rather than by a timed wait of its own.
 *
 * <p>Note [Permits handed over, waits bounded by one thread]: at load, most callers wait for a
 * permit (at 16 connections and a pool of 4, twelve of them at any time). A fair
 * {@code Semaphore}'s timed {@code tryAcquire} parks each of them with a timeout, which on a
 * virtual thread schedules a wake-up on the JDK's delay scheduler and cancels it once the permit
 * comes: two signals of that scheduler's thread per waiting caller, 5.8% of the sidecar's CPU samples
 * at Q2 (async-profiler, 16 connections), for bounds of seconds that nearly never pass. Here a caller
 * that finds no permit free queues a future and waits for it through {@link Waits} (Note [Waits watched
 * by one thread]); {@link #release()} hands the permit straight to the first caller still waiting,
 * and adds it to the free ones only when nobody waits, so a newcomer never takes a permit ahead of
 * those already queued. Everything that moves a permit happens under one lock, so a caller leaving
 * the queue (its bound passed, or it was interrupted) knows whether a permit reached it first.
 * Measured against the fair semaphore (two sidecars side by side, 8 alternating rounds of 6 s at 16
 * connections, the sidecar's CPU per request, medians): Q1 137 against 144 µs (lower in 7 rounds of
 * 8), Q2 406 against 473 µs, Q2's rate 765 against 721 req/s (higher in 7 of 8).
 */
public final class Permits {

    private final ReentrantLock lock = new ReentrantLock();
    /** Callers waiting, first come first; a future completed normally carries a permit to its caller. */
    private final ArrayDeque<CompletableFuture<Void>> queue = new ArrayDeque<>();
    private int free;

    public Permits(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1: " + permits);
        }
        this.free = permits;
    }

    /** Takes a permit if one is free now, without waiting. */
    public boolean tryAcquire() {
        lock.lock();
        try {
            if (free > 0) {
                free--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a permit, waiting behind those who came first, at most about {@code boundMillis} (a tick of
     * {@link Waits} late at worst); {@code false} when none came in time.
     */
    public boolean acquire(long boundMillis) throws InterruptedException {
        CompletableFuture<Void> handed;
        lock.lock();
        try {
            if (free > 0) {
                free--;
                return true;
            }
            handed = new CompletableFuture<>();
            queue.addLast(handed);
        } finally {
            lock.unlock();
        }
        try {
            Waits.await(handed, boundMillis, Waits.Check.NONE);
            return true;
        } catch (TimeoutException e) {
            return leave(handed);
        } catch (InterruptedException e) {
            if (leave(handed)) {
                release();
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a permit's future failed: only Waits' bound may end it", e);
        }
    }

    /** Gives a permit back: to the first caller still waiting, or to the free ones. */
    public void release() {
        lock.lock();
        try {
            for (CompletableFuture<Void> next; (next = queue.pollFirst()) != null; ) {
                if (next.complete(null)) {
                    return;
                }
                // its bound passed while it was queued: it leaves without a permit
            }
            free++;
        } finally {
            lock.unlock();
        }
    }

    /** Permits free now (for tests). */
    public int available() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    /** Callers waiting now (for tests). */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code handed} out of the queue; {@code true} when a permit reached it first (the caller holds it). */
    private boolean leave(CompletableFuture<Void> handed) {
        lock.lock();
        try {
            if (queue.remove(handed)) {
                return false;
            }
            return handed.isDone() && !handed.isCompletedExceptionally();
        } finally {
            lock.unlock();
        }
    }
}
