package io.joinery.telemetry;

import io.opentelemetry.context.Context;

/**
 * The span that work handed to another thread should nest under. Take it with
 * {@link RequestObservation#parent()} on the thread that hands the work off, and pass it to
 * {@link RequestObservation#inSpan(SpanParent, String, java.util.Map, java.util.function.Supplier)}
 * on the thread that runs it. Opaque so that only this module sees OpenTelemetry.
 */
public final class SpanParent {
    static final SpanParent ROOT = new SpanParent(Context.root());

    final Context context;

    SpanParent(Context context) {
        this.context = context;
    }
}
