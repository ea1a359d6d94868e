package io.joinery.telemetry;

import java.util.function.Function;

/**
 * What the engine tells telemetry about a GraphQL request, in the manner of graphql-java's
 * {@code Instrumentation}: {@link #begin} at the start of a request, then one call per stage
 * boundary on the returned {@link RequestObservation}, then {@link RequestObservation#end()}.
 *
 * <p>Get the recording implementation from {@link Telemetry#observer()}; use {@link #NOOP} where
 * nothing should be recorded (unit tests of the engine).
 */
public interface EngineObserver {

    /** Records nothing, and runs {@code inSpan} work directly. */
    EngineObserver NOOP = NoopObserver.INSTANCE;

    /**
     * Starts observing one request and starts its server span.
     *
     * @param operationType {@code query}, {@code mutation}, {@code subscription}, or null when not
     *     known yet (report it later with {@link RequestObservation#parsed})
     * @param operationName the request's {@code operationName}, or null
     * @param role the session's role, one defined in metadata (never a raw header value: it
     *     becomes a metric tag)
     */
    RequestObservation begin(String operationType, String operationName, String role);

    /**
     * Like {@link #begin(String, String, String)}, continuing the caller's trace when the request
     * carries W3C {@code traceparent}/{@code tracestate} headers.
     *
     * @param header looks a request header up by lower-case name, null when absent
     */
    RequestObservation begin(String operationType, String operationName, String role,
            Function<String, String> header);

    /**
     * Starts observing work the sidecar does on its own, for no client request: an asynchronous action's
     * handler call, a live query's refetch joins. Its calls get their spans and metrics as a request's
     * do, under an INTERNAL root span named {@code name} that starts a trace of its own (so each call
     * carries {@code traceparent}); it is no request: no request metric, no access-log line.
     */
    default RequestObservation background(String name, String role) {
        return begin(null, name, role);
    }
}
