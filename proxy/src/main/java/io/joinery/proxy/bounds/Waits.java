package io.joinery.proxy.bounds;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounds of the waits for the database's answers, kept by one thread for the whole process.
 *
 * <p>Note [Waits watched by one thread]: a request's thread waits for each answer with no timeout of
 * its own, and this class's thread, every {@link #TICK_MILLIS} ms, fails a wait that has outlived its
 * bound ({@link TimeoutException}, as a timed wait would) and runs the checks a wait makes as it
 * goes on ({@link Check}, e.g. whether its client has gone: Note [Client disconnects] in
 * {@code execute.Database}). A timed wait on a virtual thread schedules a wake-up on the JDK's delay
 * scheduler and cancels it when the answer comes first, which is nearly always: each of the two
 * signals that scheduler's thread, a futex wake-up and a run of another thread for every
 * statement and remote call: with that thread's own work, 8.4% of the sidecar's CPU samples at Q3
 * (async-profiler, 2 connections). Registering here is an insertion into a concurrent set; the
 * thread ticks only while something waits, and sleeps while nothing does (an idle sidecar is not
 * woken 50 times a second), so the first wait after a quiet spell wakes it: one signal, where a
 * busy sidecar, whose set is never empty, sends none. A bound is enforced up to a tick late, which
 * bounds of seconds do not notice. Measured against the timed
 * waits (the ninth session, two interleaved rounds of 10 s at 16 connections, the sidecar's CPU per
 * request): Q1 104-109 against 112-129 µs, Q2 254-260 against 264-301, Q3 559-560 against 651-739.
 */
public final class Waits {

    /** How often the bounds are looked at. */
    static final long TICK_MILLIS = 20;

    private static final Waits SHARED = new Waits();

    private final Set<Wait<?>> waiting = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    /** Whether the thread is (about to be) parked with nothing to watch: the next wait must wake it. */
    private volatile boolean idle;

    private Waits() {
        thread = Thread.ofPlatform().daemon().name("joinery-waits").start(this::loop);
    }

    /** What a wait checks at each tick past its start; {@code elapsedNanos} since it began. */
    @FunctionalInterface
    public interface Check {
        void check(Wait<?> wait, long elapsedNanos);

        Check NONE = (wait, elapsed) -> {
        };
    }

    /** One wait for {@code answer}, failed with a {@link TimeoutException} once {@code boundMillis} have passed. */
    public static final class Wait<T> {
        private final CompletableFuture<T> answer;
        private final long start = System.nanoTime();
        private final long deadline;
        private final Check check;

        private Wait(CompletableFuture<T> answer, long boundMillis, Check check) {
            this.answer = answer;
            this.deadline = start + TimeUnit.MILLISECONDS.toNanos(boundMillis);
            this.check = check;
        }

        /** Ends the wait with {@code failure}, unless the answer came first. */
        public void fail(Throwable failure) {
            answer.completeExceptionally(failure);
        }

        public boolean isDone() {
            return answer.isDone();
        }
    }

    /**
     * Waits for {@code answer}, at most about {@code boundMillis} (then {@link TimeoutException}), running
     * {@code check} on this class's thread at each tick while it waits.
     */
    public static <T> T await(CompletableFuture<T> answer, long boundMillis, Check check)
            throws TimeoutException, ExecutionException, InterruptedException {
        if (answer.isDone()) {
            return unwrap(answer);
        }
        Wait<T> wait = new Wait<>(answer, boundMillis, check);
        SHARED.waiting.add(wait);
        if (SHARED.idle) {
            LockSupport.unpark(SHARED.thread);
        }
        try {
            return unwrap(answer);
        } finally {
            SHARED.waiting.remove(wait);
        }
    }

    /** The answer, or the {@link TimeoutException} a tick put in its place. */
    private static <T> T unwrap(CompletableFuture<T> answer) throws TimeoutException, ExecutionException, InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BoundPassed) {
                throw new TimeoutException();
            }
            throw e;
        }
    }

    private void loop() {
        while (true) {
            if (waiting.isEmpty()) {
                // idle before looking again: a wait added after this look sees idle and wakes the thread
                idle = true;
                if (waiting.isEmpty()) {
                    LockSupport.park(this);
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Wait<?> wait : waiting) {
                if (wait.answer.isDone()) {
                    continue;
                }
                if (now - wait.deadline >= 0) {
                    wait.answer.completeExceptionally(new BoundPassed());
                    continue;
                }
                try {
                    wait.check.check(wait, now - wait.start);
                } catch (RuntimeException e) {
                    wait.answer.completeExceptionally(e);
                }
            }
        }
    }

    /** Put in place of an answer that did not come within its bound; its waiter gets a {@link TimeoutException}. */
    private static final class BoundPassed extends RuntimeException {
        BoundPassed() {
            super("the bound of the wait passed", null, false, false);
        }
    }
}
