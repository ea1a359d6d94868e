package io.joinery.telemetry;

import java.util.function.BiConsumer;

/**
 * The span of one outgoing HTTP call, started by {@link RequestObservation#startCall}. Thread-safe:
 * the call may be sent from another thread than the one that started it. End it with
 * {@link #end()} (or try-with-resources) whatever happens.
 */
public interface ClientCall extends AutoCloseable {

    /** A call that nothing observes (a remote's introspection at start). */
    ClientCall NONE = new NoCall();

    /** Writes the W3C trace headers ({@code traceparent}, {@code tracestate}, {@code baggage}) of this call. */
    void injectTraceHeaders(BiConsumer<String, String> header);

    /** The HTTP status the remote answered; 4xx and 5xx mark the span as failed. */
    void status(int code);

    /**
     * The call failed: ERROR status with {@code message}, and an {@code exception} event with
     * {@code type} and the message (no stack trace).
     */
    void failed(String type, String message);

    void end();

    @Override
    default void close() {
        end();
    }
}
