package io.joinery.proxy;

import io.joinery.proxy.config.JoineryConfig;
import sun.misc.Signal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * SIGTERM and SIGINT, handled by the sidecar instead of the JVM's shutdown, which would run every
 * shutdown hook at once (the listeners and the embedded database's included) and exit 143: Note
 * [Start and stop] in {@link Sidecar}. SIGTERM drains first; SIGINT (Ctrl-C) stops at once. Both
 * then close the sidecar within its bound (else halt, exit 1) and exit 0.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only way to act on a signal
 * before the shutdown begins; Netty, Hadoop and Jetty use it the same way.
 */
final class Termination {

    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());

    private final String signal;
    private final Runnable drain;
    private final Duration drainTime;
    private final GracefulShutdown shutdown;
    private final IntConsumer exit;

    Termination(String signal, Runnable drain, Duration drainTime, GracefulShutdown shutdown, IntConsumer exit) {
        this.signal = signal;
        this.drain = drain;
        this.drainTime = drainTime;
        this.shutdown = shutdown;
        this.exit = exit;
    }

    /** Handles SIGTERM and SIGINT for {@code sidecar} from now on. */
    static void install(Sidecar sidecar, JoineryConfig.Lifecycle lifecycle) {
        GracefulShutdown shutdown = new GracefulShutdown(sidecar::close, GracefulShutdown.bound(lifecycle), Runtime.getRuntime()::halt);
        Termination term = new Termination("SIGTERM", sidecar::drain, lifecycle.shutdownDrain(), shutdown, System::exit);
        Termination interrupt = new Termination("SIGINT", sidecar::drain, Duration.ZERO, shutdown, System::exit);
        Signal.handle(new Signal("TERM"), received -> term.run());
        Signal.handle(new Signal("INT"), received -> interrupt.run());
    }

    /** Readiness off, requests served for the drain time, then closed (bounded), then exit 0. */
    void run() {
        drain.run();
        LOGGER.log(Level.INFO, signal + ": not ready from now on; serving for " + drainTime.toMillis()
                + " ms (JOINERY_SHUTDOWN_DRAIN_SECONDS), then stopping");
        try {
            Thread.sleep(drainTime);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown.run();
        exit.accept(0);
    }
}
