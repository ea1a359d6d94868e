package io.joinery.telemetry;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every exported span, in the order they ended. */
final class InMemorySpanExporter implements SpanExporter {
    private final List<SpanData> spans = new CopyOnWriteArrayList<>();

    SpanData span(String name) {
        return spans.stream()
            .filter(span -> span.getName().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no span named '" + name + "' among " + spans.stream().map(SpanData::getName).toList()));
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.addAll(batch);
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
