package io.joinery.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** One request recorded by {@link RecordingObserver}: its server span, its start time, its outcome. */
final class RecordedRequest implements RequestObservation {
    private final RecordingObserver observer;
    private final String role;
    private final long startNanos = System.nanoTime();
    private final Span span;
    private final SpanParent requestParent;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String operationType;
    private volatile boolean failed;

    RecordedRequest(RecordingObserver observer, Context parent, String operationType, String operationName,
            String role) {
        this.observer = observer;
        this.role = role;
        this.operationType = operationType;
        this.span = observer.tracer.spanBuilder(SpanNames.server(operationType))
            .setParent(parent)
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
        this.requestParent = new SpanParent(parent.with(span));
        nameOperation(operationType, operationName);
        if (role != null) {
            span.setAttribute(SpanNames.ROLE, role);
        }
    }

    @Override
    public void parsed(String operationType, String operationName, boolean cacheHit) {
        if (operationType != null) {
            this.operationType = operationType;
            span.updateName(SpanNames.server(operationType));
        }
        nameOperation(operationType, operationName);
        (cacheHit ? observer.parseCacheHits : observer.parseCacheMisses).increment();
    }

    @Override
    public void planned(boolean cacheHit) {
        (cacheHit ? observer.planCacheHits : observer.planCacheMisses).increment();
    }

    @Override
    public void sqlExecuted(String source, long nanos, boolean ok) {
        observer.dbQueries.withTags("source", source, "outcome", RecordingObserver.outcome(ok))
            .record(nanos, TimeUnit.NANOSECONDS);
        markCurrentSpan(ok);
    }

    @Override
    public void remoteCalled(String remote, long nanos, boolean ok) {
        observer.remoteCalls.withTags("remote", remote, "outcome", RecordingObserver.outcome(ok))
            .record(nanos, TimeUnit.NANOSECONDS);
        markCurrentSpan(ok);
    }

    @Override
    public void remoteBatch(String remote, int keys, long nanos, boolean ok) {
        observer.joinKeys.withTags("remote", remote).record(keys);
        Span.current().setAttribute(SpanNames.JOIN_KEYS, keys);
        remoteCalled(remote, nanos, ok);
    }

    @Override
    public void actionCalled(String action, long nanos, boolean ok) {
        observer.actionCalls.withTags("action", action, "outcome", RecordingObserver.outcome(ok))
            .record(nanos, TimeUnit.NANOSECONDS);
        markCurrentSpan(ok);
    }

    @Override
    public void error(String code) {
        String tag = RecordingObserver.orUnknown(code);
        failed = true;
        observer.errors.withTags("code", tag).increment();
        span.setStatus(StatusCode.ERROR, tag);
        span.setAttribute(SpanNames.ERROR_CODE, tag);
    }

    @Override
    public void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        String name = SpanNames.server(operationType);
        String operation = name.equals(SpanNames.UNKNOWN_OPERATION) ? RecordingObserver.UNKNOWN : name;
        observer.requests
            .withTags("operation", operation, "role", RecordingObserver.orUnknown(role),
                "outcome", RecordingObserver.outcome(!failed))
            .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        span.end();
    }

    @Override
    public <T> T inSpan(String name, Map<String, String> attributes, Supplier<T> work) {
        return inSpan(parent(), name, attributes, work);
    }

    @Override
    public <T> T inSpan(SpanParent parent, String name, Map<String, String> attributes, Supplier<T> work) {
        SpanBuilder builder = observer.tracer.spanBuilder(name).setParent(parent.context).setSpanKind(kind(name));
        attributes.forEach(builder::setAttribute);
        Span child = builder.startSpan();
        Scope scope = parent.context.with(child).makeCurrent();
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            child.recordException(e);
            child.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            scope.close();
            child.end();
        }
    }

    @Override
    public SpanParent parent() {
        Context current = Context.current();
        SpanContext currentSpan = Span.fromContext(current).getSpanContext();
        boolean inThisRequest = currentSpan.isValid()
            && currentSpan.getTraceId().equals(span.getSpanContext().getTraceId());
        return inThisRequest ? new SpanParent(current) : requestParent;
    }

    @Override
    public void injectTraceHeaders(BiConsumer<String, String> header) {
        observer.propagator.inject(parent().context, header, BiConsumer::accept);
    }

    private void nameOperation(String type, String name) {
        if (type != null) {
            span.setAttribute(SpanNames.OPERATION_TYPE, SpanNames.server(type));
        }
        if (name != null) {
            span.setAttribute(SpanNames.OPERATION_NAME, name);
        }
    }

    private static void markCurrentSpan(boolean ok) {
        if (!ok) {
            Span.current().setStatus(StatusCode.ERROR);
        }
    }

    private static SpanKind kind(String name) {
        return switch (name) {
            case SpanNames.DB_QUERY, SpanNames.REMOTE_CALL, SpanNames.ACTION_CALL -> SpanKind.CLIENT;
            default -> SpanKind.INTERNAL;
        };
    }
}
