package io.joinery.proxy;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * The JVM shutdown hook of {@link Main}: closes the sidecar (stops the listeners, letting requests
 * in flight finish for Helidon's grace period, then closes the pools), but never for longer than
 * {@code grace}: then the process halts, so that SIGTERM always ends it (a JVM waits for every
 * shutdown hook, Helidon's own included, and a wedged one used to hang it for good).
 */
final class GracefulShutdown implements Runnable {

    /** The whole shutdown: Helidon's 10 s for requests in flight, then 5 s to close the rest. */
    static final Duration GRACE = Duration.ofSeconds(15);
    /** The exit code when the grace ran out. */
    static final int HALTED = 1;

    private final Runnable close;
    private final Duration grace;
    private final IntConsumer halt;

    GracefulShutdown(Runnable close, Duration grace, IntConsumer halt) {
        this.close = close;
        this.grace = grace;
        this.halt = halt;
    }

    @Override
    public void run() {
        Thread closing = Thread.ofPlatform().daemon().name("joinery-close").start(close);
        try {
            closing.join(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            System.err.println("joinery: shutdown did not finish within " + grace.toSeconds() + " s: halting");
            halt.accept(HALTED);
        }
    }
}
