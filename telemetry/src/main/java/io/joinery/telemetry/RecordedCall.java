package io.joinery.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.function.BiConsumer;

/** {@link ClientCall} of a {@link RecordedRequest}: a CLIENT span and the context its trace headers carry. */
final class RecordedCall implements ClientCall {
    // Note [Attribute keys made once]
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKeys.SHARED.number(SpanNames.HTTP_STATUS);
    private static final AttributeKey<String> ERROR_TYPE = AttributeKeys.SHARED.string(SpanNames.ERROR_TYPE);
    private final RecordingObserver observer;
    private final Context context;
    private final Span span;

    RecordedCall(RecordingObserver observer, Context context, Span span) {
        this.observer = observer;
        this.context = context;
        this.span = span;
    }

    @Override
    public void injectTraceHeaders(BiConsumer<String, String> header) {
        observer.propagator.inject(context, header, BiConsumer::accept);
    }

    @Override
    public void status(int code) {
        span.setAttribute(HTTP_STATUS, code);
        if (code >= 400) {
            span.setAttribute(ERROR_TYPE, Integer.toString(code));
            RecordedRequest.fail(span, Integer.toString(code), "HTTP " + code);
        }
    }

    @Override
    public void failed(String type, String message) {
        span.setAttribute(ERROR_TYPE, type);
        RecordedRequest.fail(span, type, message);
    }

    @Override
    public void end() {
        span.end();
    }
}
