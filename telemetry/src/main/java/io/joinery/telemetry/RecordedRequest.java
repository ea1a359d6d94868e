package io.joinery.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** One request recorded by {@link RecordingObserver}: its server span, its start time, its outcome. */
final class RecordedRequest implements RequestObservation {
    private static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    private static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    // Note [Attribute keys made once]
    private static final AttributeKey<String> ROLE = AttributeKeys.SHARED.string(SpanNames.ROLE);
    private static final AttributeKey<Boolean> PLAN_CACHE_HIT = AttributeKeys.SHARED.flag(SpanNames.PLAN_CACHE_HIT);
    private static final AttributeKey<String> ERROR_CODE = AttributeKeys.SHARED.string(SpanNames.ERROR_CODE);
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKeys.SHARED.string(SpanNames.OPERATION_TYPE);
    private static final AttributeKey<String> OPERATION_NAME = AttributeKeys.SHARED.string(SpanNames.OPERATION_NAME);

    private final RecordingObserver observer;
    private final String role;
    private final long startNanos = System.nanoTime();
    private final Span span;
    private final SpanParent requestParent;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Set<String> errorCodes = new TreeSet<>();
    private volatile String operationType;
    private volatile String operationName;
    private volatile boolean failed;
    /** Work of the sidecar's own, not a request: no request metric or access-log line. */
    private final boolean background;

    RecordedRequest(RecordingObserver observer, Context parent, String operationType, String operationName,
            String role) {
        this(observer, parent, SpanNames.server(operationType), SpanKind.SERVER, operationType, operationName, role, false);
    }

    /** Work of the sidecar's own ({@link EngineObserver#background}): an INTERNAL root span, and no request. */
    RecordedRequest(RecordingObserver observer, Context parent, String name, String role) {
        this(observer, parent, name, SpanKind.INTERNAL, null, null, role, true);
    }

    private RecordedRequest(RecordingObserver observer, Context parent, String spanName, SpanKind kind, String operationType,
            String operationName, String role, boolean background) {
        this.observer = observer;
        this.role = role;
        this.operationType = operationType;
        this.background = background;
        this.span = observer.tracer.spanBuilder(spanName)
            .setParent(parent)
            .setSpanKind(kind)
            .startSpan();
        this.requestParent = new SpanParent(parent.with(span));
        nameOperation(operationType, operationName);
        if (role != null) {
            span.setAttribute(ROLE, role);
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
        span.setAttribute(PLAN_CACHE_HIT, cacheHit);
    }

    @Override
    public void sqlExecuted(String source, long nanos, boolean ok) {
        observer.dbQueries.with(source, RecordingObserver.outcome(ok))
            .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void remoteCalled(String remote, long nanos, boolean ok) {
        observer.remoteCalls.withTags("remote", remote, "outcome", RecordingObserver.outcome(ok))
            .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void joinCall(JoinTags join, int keys, long nanos, CallOutcome outcome) {
        String level = Integer.toString(join.level());
        observer.joinCalls.withTags("relationship", join.relationship(), "target", join.target(), "form", join.form(),
                "level", level, "outcome", outcome.tag())
            .record(nanos, TimeUnit.NANOSECONDS);
        observer.joinKeys.withTags("relationship", join.relationship(), "target", join.target(), "form", join.form(),
                "level", level)
            .record(keys);
    }

    @Override
    public void actionCalled(String action, long nanos, boolean ok) {
        observer.actionCalls.withTags("action", action, "outcome", RecordingObserver.outcome(ok))
            .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void error(String code, String message) {
        String tag = RecordingObserver.orUnknown(code);
        failed = true;
        synchronized (errorCodes) {
            errorCodes.add(tag);
        }
        observer.errors.withTags("code", tag).increment();
        span.setAttribute(ERROR_CODE, tag);
        fail(span, tag, message);
    }

    @Override
    public void currentSpanFailed(String type, String message) {
        fail(Span.current(), type, message);
    }

    @Override
    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    @Override
    public void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (background) {
            span.end();
            return;
        }
        long nanos = System.nanoTime() - startNanos;
        String name = SpanNames.server(operationType);
        String operation = name.equals(SpanNames.UNKNOWN_OPERATION) ? RecordingObserver.UNKNOWN : name;
        observer.requests
            .with(operation, RecordingObserver.orUnknown(role), RecordingObserver.outcome(!failed))
            .record(nanos, TimeUnit.NANOSECONDS);
        span.end();
        if (observer.accessLog.enabled()) {
            String[] codes;
            synchronized (errorCodes) {
                codes = errorCodes.toArray(String[]::new);
            }
            observer.accessLog.write(new AccessLog.Entry(traceId(), operation, operationName, role, nanos, !failed, codes));
        }
    }

    @Override
    public <T> T inSpan(String name, Map<String, ?> attributes, Supplier<T> work) {
        return inSpan(parent(), name, attributes, work);
    }

    @Override
    public <T> T inSpan(SpanParent parent, String name, Map<String, ?> attributes, Supplier<T> work) {
        Span child = start(parent, name, attributes, kind(name));
        Scope scope = parent.context.with(child).makeCurrent();
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            fail(child, e.getClass().getName(), e.getMessage());
            throw e;
        } finally {
            scope.close();
            child.end();
        }
    }

    @Override
    public ClientCall startCall(SpanParent parent, String name, Map<String, ?> attributes) {
        Span call = start(parent, name, attributes, SpanKind.CLIENT);
        return new RecordedCall(observer, parent.context.with(call), call);
    }

    @Override
    public SpanParent parent() {
        Context current = Context.current();
        SpanContext currentSpan = Span.fromContext(current).getSpanContext();
        boolean inThisRequest = currentSpan.isValid()
            && currentSpan.getTraceId().equals(span.getSpanContext().getTraceId());
        return inThisRequest ? new SpanParent(current) : requestParent;
    }

    private Span start(SpanParent parent, String name, Map<String, ?> attributes, SpanKind kind) {
        SpanBuilder builder = observer.tracer.spanBuilder(name).setParent(parent.context).setSpanKind(kind);
        // A span nothing records drops its attributes, but the SDK's builder collects them for its sampler first:
        // with the always-off sampler of Note [Traces when nothing is exported] (in Telemetry), they are skipped.
        if (observer.spansRecorded) {
            for (Map.Entry<String, ?> entry : attributes.entrySet()) {
                attribute(builder, entry.getKey(), entry.getValue());
            }
        }
        return builder.startSpan();
    }

    /** Sets one attribute with the type of its value; {@code db.query.text} only when the options opt in. */
    private void attribute(SpanBuilder builder, String key, Object value) {
        switch (value) {
            case null -> { }
            case Integer number -> builder.setAttribute(AttributeKeys.SHARED.number(key), number.longValue());
            case Long number -> builder.setAttribute(AttributeKeys.SHARED.number(key), number);
            case Boolean flag -> builder.setAttribute(AttributeKeys.SHARED.flag(key), flag);
            default -> {
                if (!key.equals(SpanNames.DB_QUERY_TEXT) || observer.queryText) {
                    builder.setAttribute(AttributeKeys.SHARED.string(key), value.toString());
                }
            }
        }
    }

    private void nameOperation(String type, String name) {
        if (type != null) {
            span.setAttribute(OPERATION_TYPE, SpanNames.server(type));
        }
        if (name != null) {
            operationName = name;
            span.setAttribute(OPERATION_NAME, name);
        }
    }

    /** ERROR status with the message, and the {@code exception} event of the semantic conventions, without a stack trace. */
    static void fail(Span span, String type, String message) {
        String text = message == null ? type : message;
        span.setStatus(StatusCode.ERROR, text);
        span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, type, EXCEPTION_MESSAGE, text));
    }

    private static SpanKind kind(String name) {
        return switch (name) {
            case SpanNames.DB_QUERY, SpanNames.REMOTE_CALL, SpanNames.ACTION_CALL -> SpanKind.CLIENT;
            default -> SpanKind.INTERNAL;
        };
    }
}
