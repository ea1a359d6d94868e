package io.joinery.telemetry;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@link EngineObserver#NOOP}: one stateless instance serves as observer and observation. */
final class NoopObserver implements EngineObserver, RequestObservation {
    static final NoopObserver INSTANCE = new NoopObserver();

    private NoopObserver() {
    }

    @Override
    public RequestObservation begin(String operationType, String operationName, String role) {
        return this;
    }

    @Override
    public RequestObservation begin(String operationType, String operationName, String role,
            Function<String, String> header) {
        return this;
    }

    @Override
    public void parsed(String operationType, String operationName, boolean cacheHit) {
    }

    @Override
    public void planned(boolean cacheHit) {
    }

    @Override
    public void sqlExecuted(String source, long nanos, boolean ok) {
    }

    @Override
    public void remoteCalled(String remote, long nanos, boolean ok) {
    }

    @Override
    public void joinCall(JoinTags join, int keys, long nanos, CallOutcome outcome) {
    }

    @Override
    public void actionCalled(String action, long nanos, boolean ok) {
    }

    @Override
    public void error(String code, String message) {
    }

    @Override
    public void currentSpanFailed(String type, String message) {
    }

    @Override
    public String traceId() {
        return "00000000000000000000000000000000";
    }

    @Override
    public void end() {
    }

    @Override
    public <T> T inSpan(String name, Map<String, ?> attributes, Supplier<T> work) {
        return work.get();
    }

    @Override
    public <T> T inSpan(SpanParent parent, String name, Map<String, ?> attributes, Supplier<T> work) {
        return work.get();
    }

    @Override
    public SpanParent parent() {
        return SpanParent.ROOT;
    }

    @Override
    public ClientCall startCall(SpanParent parent, String name, Map<String, ?> attributes) {
        return ClientCall.NONE;
    }
}
