package io.joinery.proxy;

import io.joinery.proxy.config.JoineryConfig;

import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * Closes the sidecar (stops the listeners, letting requests in flight finish for the shutdown
 * grace, then closes the pools and the embedded database), but never for longer than {@code bound}:
 * then the process halts, so that a stop always ends it (a wedged close used to hang it for good).
 * {@link Termination} runs it on SIGTERM and SIGINT, {@link Main}'s shutdown hook on any other exit.
 */
final class GracefulShutdown implements Runnable {

    /** What closing takes beyond the requests in flight: the pools, telemetry, the embedded database. */
    static final Duration CLOSE_MARGIN = Duration.ofSeconds(5);
    /** The exit code when the bound ran out. */
    static final int HALTED = 1;

    private final Runnable close;
    private final Duration bound;
    private final IntConsumer halt;

    GracefulShutdown(Runnable close, Duration bound, IntConsumer halt) {
        this.close = close;
        this.bound = bound;
        this.halt = halt;
    }

    /** The longest a close may take: the grace of the requests in flight, and the margin. */
    static Duration bound(JoineryConfig.Lifecycle lifecycle) {
        return lifecycle.shutdownGrace().plus(CLOSE_MARGIN);
    }

    @Override
    public void run() {
        Thread closing = Thread.ofPlatform().daemon().name("joinery-close").start(close);
        try {
            closing.join(bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            System.err.println("joinery: shutdown did not finish within " + bound.toSeconds() + " s: halting");
            halt.accept(HALTED);
        }
    }
}
