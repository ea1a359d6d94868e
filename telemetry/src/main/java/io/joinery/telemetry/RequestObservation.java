package io.joinery.telemetry;

import java.util.Map;
import java.util.function.Supplier;

/**
 * One request being observed; returned by {@link EngineObserver#begin}. Thread-safe: the engine
 * may report from the virtual threads that execute SQL and remote calls concurrently.
 *
 * <p>Use it with try-with-resources so {@link #end()} always runs:
 * <pre>{@code
 * try (RequestObservation request = observer.begin(null, body.operationName(), session.role())) {
 *     var parsed = request.inSpan(SpanNames.PARSE, Map.of(), () -> parser.parse(body));
 *     request.parsed(parsed.operationType(), parsed.operationName(), parsed.cacheHit());
 *     ...
 * }
 * }</pre>
 */
public interface RequestObservation extends AutoCloseable {

    /** The document was parsed and validated; names the operation if {@code begin} could not. */
    void parsed(String operationType, String operationName, boolean cacheHit);

    /** The request was planned; counts {@code joinery.plan.cache} hits and misses. */
    void planned(boolean cacheHit);

    /** One SQL statement ran against {@code source} (a source name from metadata). */
    void sqlExecuted(String source, long nanos, boolean ok);

    /** One call to a remote schema for its root fields ({@code joinery.remote.calls}; joins are counted apart). */
    void remoteCalled(String remote, long nanos, boolean ok);

    /**
     * One call of a join — an HTTP request of a remote join, or a table join's keyed statement —
     * carrying {@code keys} distinct keys: {@code joinery.join.calls} and {@code joinery.join.keys}.
     */
    void joinCall(JoinTags join, int keys, long nanos, CallOutcome outcome);

    /** One call to an action's REST handler. */
    void actionCalled(String action, long nanos, boolean ok);

    /**
     * The response carries an error with this code ({@code validation-failed}, …): counted in
     * {@code joinery.request.errors}, and the request span is marked ERROR with the message and an
     * {@code exception} event. Report each error of a partial answer too.
     */
    void error(String code, String message);

    /** Marks the current span as failed (a join whose answer has errors): ERROR status with the message, and an {@code exception} event. */
    void currentSpanFailed(String type, String message);

    /** The request's trace id (32 hex digits), for log lines; all zeros when tracing is off. */
    String traceId();

    /** Ends the request: records {@code joinery.requests} and ends the server span. Idempotent. */
    void end();

    /** Same as {@link #end()}. */
    @Override
    default void close() {
        end();
    }

    /**
     * Runs {@code work} in a child span named {@code name} (see {@link SpanNames}), made current so
     * that spans started inside nest under it. The parent is the current span if it belongs to this
     * request, the request's server span otherwise (for example on a fresh virtual thread). An
     * exception thrown by {@code work} is recorded on the span and rethrown.
     */
    <T> T inSpan(String name, Map<String, ?> attributes, Supplier<T> work);

    /** Like {@link #inSpan(String, Map, Supplier)}, under an explicit parent from {@link #parent()}. */
    <T> T inSpan(SpanParent parent, String name, Map<String, ?> attributes, Supplier<T> work);

    /**
     * Starts the CLIENT span of an outgoing HTTP call under {@code parent}; the caller writes its
     * trace headers into the request and ends it. Attribute values: strings, numbers, booleans.
     */
    ClientCall startCall(SpanParent parent, String name, Map<String, ?> attributes);

    /** The span that work started now nests under; pass it along with work handed to another thread. */
    SpanParent parent();
}
