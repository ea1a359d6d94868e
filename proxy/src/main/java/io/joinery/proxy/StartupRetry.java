package io.joinery.proxy;

import io.joinery.admin.store.MetadataStoreException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Retries a step of the start that needs a database (seeding the metadata store, the sources
 * answering) with a growing delay, 0.25 s doubling to 5 s, until {@code timeout} after the start
 * began; then the start fails with one line: Note [Start and stop] in {@link Sidecar}. Only
 * unreachable databases are retried: anything else fails at once.
 */
final class StartupRetry {

    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());
    private static final Duration FIRST_DELAY = Duration.ofMillis(250);
    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final Duration timeout;
    private final long deadline;
    private final Consumer<String> waiting;

    /** @param waiting told what the start waits for, at each failed attempt (readiness' reason) */
    StartupRetry(Duration timeout, Consumer<String> waiting) {
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
        this.waiting = waiting;
    }

    <T> T attempt(String what, Supplier<T> step) {
        Duration delay = FIRST_DELAY;
        while (true) {
            waiting.accept("waiting for " + what);
            try {
                return step.get();
            } catch (MetadataStoreException | Unreachable e) {
                String reason = "waiting for " + what + ": " + e.getMessage();
                waiting.accept(reason);
                if (System.nanoTime() + delay.toNanos() > deadline) {
                    throw new StartupException("gave up starting after " + timeout.toSeconds()
                            + " s (JOINERY_STARTUP_TIMEOUT_SECONDS), " + reason);
                }
                LOGGER.log(Level.WARNING, reason + "; retrying in " + delay.toMillis() + " ms");
                sleep(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for the databases");
        }
    }

    /** A database of the start does not answer yet: worth another attempt. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** The start failed for good; the message is the one line {@link Main} prints. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }
    }
}
