package io.joinery.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Note [Out of memory]: after an {@link OutOfMemoryError} a JVM is not to be trusted: the one seen
 * in the wild killed the GraphQL listener's accept thread, every request then hung and SIGTERM hung.
 * {@code -XX:+ExitOnOutOfMemoryError} is the cure, but {@code java -jar} cannot set it from inside,
 * so Joinery does the same by default: the first OutOfMemoryError it sees makes the process halt
 * with exit code 3 (as the flag does), so that the orchestrator restarts it. It sees those thrown by
 * a request (an error handler of each routing: Helidon's routing catches every throwable, so a
 * filter would not see it), by a Vert.x handler (its exception handler), by a thread that dies of
 * one (the default uncaught-exception handler), and those a library catches and logs (Helidon's
 * listener does: a handler on the root logger, attached again once the server has started, since
 * Helidon resets the logging configuration then). With {@code JOINERY_EXIT_ON_OUT_OF_MEMORY=false}
 * the process stays up and {@code /health/live} answers 503 instead.
 */
public final class OutOfMemory {

    /** The exit code of {@code -XX:+ExitOnOutOfMemoryError}. */
    public static final int EXIT_CODE = 3;
    /** Allocated up front: there may be no memory left to build it when it is needed. */
    private static final byte[] EXITING = ("joinery: out of memory: exiting (exit code " + EXIT_CODE
            + "; JOINERY_EXIT_ON_OUT_OF_MEMORY=false keeps the process up with /health/live failing)\n").getBytes(StandardCharsets.UTF_8);

    private static volatile boolean exit = true;
    private static volatile boolean hit;
    private static boolean installed;

    private OutOfMemory() {
    }

    /** Whether the process has seen an OutOfMemoryError. */
    public static boolean hit() {
        return hit;
    }

    /**
     * Installs the process-wide hooks (once) and sets whether an OutOfMemoryError halts the process;
     * the last sidecar started in a process decides.
     */
    static synchronized void watch(boolean exitOnOutOfMemory) {
        exit = exitOnOutOfMemory;
        Logger root = Logger.getLogger("");
        if (java.util.Arrays.stream(root.getHandlers()).noneMatch(LoggedErrors.class::isInstance)) {
            root.addHandler(new LoggedErrors());
        }
        if (installed) {
            return;
        }
        installed = true;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            check(error);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                thread.getThreadGroup().uncaughtException(thread, error);
            }
        });
    }

    /** If {@code error} is (or was caused by) an OutOfMemoryError: marks the process and, by default, halts it. */
    static void check(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                hit = true;
                if (exit) {
                    System.err.write(EXITING, 0, EXITING.length);
                    System.err.flush();
                    Runtime.getRuntime().halt(EXIT_CODE);
                }
                return;
            }
        }
    }

    /** Sees the errors that libraries catch and only log, such as Helidon's listener thread dying of one. */
    private static final class LoggedErrors extends Handler {
        @Override
        public void publish(LogRecord record) {
            if (record.getThrown() != null) {
                check(record.getThrown());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
