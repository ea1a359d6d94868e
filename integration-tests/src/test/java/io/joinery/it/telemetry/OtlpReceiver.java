package io.joinery.it.telemetry;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OTLP/HTTP trace receiver on a free port: {@code POST /v1/traces} with a protobuf
 * {@link ExportTraceServiceRequest}, decoded with the protocol's own classes; keeps every span.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span, its ids as hex, its attributes as text (numbers in decimal). */
    record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
                        Map<String, String> attributes, Status.StatusCode status, String statusMessage, List<String> events) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    /** What the receiver could not decode, reported by {@link #awaitTrace}. */
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    OtlpReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            try {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
                for (ResourceSpans resource : request.getResourceSpansList()) {
                    for (ScopeSpans scope : resource.getScopeSpansList()) {
                        scope.getSpansList().forEach(span -> spans.add(received(span)));
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException | Error e) {
                failures.add(e);
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    /** The spans of one trace once they are {@code complete} (the exporter sends them in batches, as they end). */
    List<ReceivedSpan> awaitTrace(String traceId, Predicate<List<ReceivedSpan>> complete) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            List<ReceivedSpan> trace = spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
            if (complete.test(trace)) {
                return trace;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("trace " + traceId + " did not arrive complete: " + trace);
                failures.forEach(error::addSuppressed);
                throw error;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    private static ReceivedSpan received(Span span) {
        HexFormat hex = HexFormat.of();
        Map<String, String> attributes = span.getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()), (a, b) -> b, java.util.LinkedHashMap::new));
        List<String> events = new ArrayList<>();
        span.getEventsList().forEach(event -> events.add(event.getName() + ":" + event.getAttributesList().stream()
                .map(kv -> kv.getKey() + "=" + text(kv.getValue())).collect(Collectors.joining(","))));
        return new ReceivedSpan(hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                hex.formatHex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(), attributes,
                span.getStatus().getCode(), span.getStatus().getMessage(), events);
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            default -> value.toString();
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
