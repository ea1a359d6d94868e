package io.joinery.telemetry;

import java.util.Map;
import java.util.function.BiConsumer;
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
    public void remoteBatch(String remote, int keys, long nanos, boolean ok) {
    }

    @Override
    public void actionCalled(String action, long nanos, boolean ok) {
    }

    @Override
    public void error(String code) {
    }

    @Override
    public void end() {
    }

    @Override
    public <T> T inSpan(String name, Map<String, String> attributes, Supplier<T> work) {
        return work.get();
    }

    @Override
    public <T> T inSpan(SpanParent parent, String name, Map<String, String> attributes, Supplier<T> work) {
        return work.get();
    }

    @Override
    public SpanParent parent() {
        return SpanParent.ROOT;
    }

    @Override
    public void injectTraceHeaders(BiConsumer<String, String> header) {
    }
}
