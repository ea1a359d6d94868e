package io.joinery.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestSpansTest {
    private final InMemorySpanExporter exporter = new InMemorySpanExporter();
    private final Telemetry telemetry = Telemetry.forTests(exporter);
    private final EngineObserver observer = telemetry.observer();

    @AfterEach
    void close() {
        telemetry.close();
    }

    @Test
    void serverSpanIsNamedAfterOperationTypeWithOperationNameAttribute() {
        try (RequestObservation request = observer.begin(null, "GetAuthors", "user")) {
            request.parsed("QUERY", "GetAuthors", true);
        }

        SpanData server = exporter.span("query");
        assertEquals(SpanKind.SERVER, server.getKind());
        assertEquals("GetAuthors", attribute(server, SpanNames.OPERATION_NAME));
        assertEquals("query", attribute(server, SpanNames.OPERATION_TYPE));
        assertEquals("user", attribute(server, SpanNames.ROLE));
        assertEquals("joinery", server.getResource().getAttribute(AttributeKey.stringKey("service.name")));
    }

    @Test
    void nestedSpansNestUnderTheCurrentSpan() {
        try (RequestObservation request = observer.begin("query", null, "user")) {
            request.inSpan(SpanNames.REMOTE_JOIN, Map.of(SpanNames.REMOTE, "countries"),
                () -> request.inSpan(SpanNames.REMOTE_CALL, Map.of(SpanNames.REMOTE, "countries"), () -> "data"));
        }

        SpanData server = exporter.span("query");
        SpanData join = exporter.span(SpanNames.REMOTE_JOIN);
        SpanData call = exporter.span(SpanNames.REMOTE_CALL);
        assertEquals(server.getSpanId(), join.getParentSpanId(), "remote.join nests under the server span");
        assertEquals(join.getSpanId(), call.getParentSpanId(), "remote.call nests under remote.join");
        assertEquals(server.getTraceId(), call.getTraceId());
        assertEquals("countries", attribute(call, SpanNames.REMOTE));
        assertEquals(SpanKind.CLIENT, call.getKind());
        assertEquals(SpanKind.INTERNAL, join.getKind());
    }

    @Test
    void workOnAnotherThreadNestsUnderTheRequestOrTheParentItWasGiven() throws Exception {
        try (RequestObservation request = observer.begin("query", null, "user");
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            threads.submit(() -> request.inSpan(SpanNames.DB_QUERY, Map.of(SpanNames.SOURCE, "default"), () -> 1)).get();
            request.inSpan(SpanNames.REMOTE_JOIN, Map.of(), () -> {
                SpanParent join = request.parent();
                return CompletableFuture.supplyAsync(
                    () -> request.inSpan(join, SpanNames.REMOTE_CALL, Map.of(), () -> 2), threads).join();
            });
        }

        SpanData server = exporter.span("query");
        assertEquals(server.getSpanId(), exporter.span(SpanNames.DB_QUERY).getParentSpanId(),
            "a span started on a fresh virtual thread nests under the server span, not in a new trace");
        assertEquals(exporter.span(SpanNames.REMOTE_JOIN).getSpanId(), exporter.span(SpanNames.REMOTE_CALL).getParentSpanId(),
            "a span given an explicit parent nests under it");
    }

    @Test
    void exceptionIsRecordedOnTheSpanAndRethrown() {
        IllegalStateException failure = new IllegalStateException("connection refused");
        try (RequestObservation request = observer.begin("query", null, "user")) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> request.inSpan(SpanNames.DB_QUERY, Map.of(), () -> { throw failure; }));
            assertSame(failure, thrown);
        }

        SpanData db = exporter.span(SpanNames.DB_QUERY);
        assertEquals(StatusCode.ERROR, db.getStatus().getStatusCode());
        assertTrue(db.getEvents().stream().anyMatch(event -> event.getName().equals("exception")),
            "the exception is recorded as a span event");
    }

    @Test
    void errorMarksTheServerSpanAndFailedCallsMarkTheirSpan() {
        try (RequestObservation request = observer.begin("mutation", null, "user")) {
            request.inSpan(SpanNames.REMOTE_JOIN, Map.of(SpanNames.JOIN_KEYS, 7), () -> {
                request.currentSpanFailed("remote-schema-error", "countries are down");
                return null;
            });
            request.error("remote-schema-error", "remote schema 'countries': down");
        }

        SpanData server = exporter.span("mutation");
        assertEquals(StatusCode.ERROR, server.getStatus().getStatusCode());
        assertEquals("remote schema 'countries': down", server.getStatus().getDescription());
        assertEquals("remote-schema-error", attribute(server, SpanNames.ERROR_CODE));
        SpanData join = exporter.span(SpanNames.REMOTE_JOIN);
        assertEquals(StatusCode.ERROR, join.getStatus().getStatusCode());
        assertEquals("countries are down", join.getStatus().getDescription());
        assertTrue(join.getEvents().stream().anyMatch(event -> event.getName().equals("exception")
            && "countries are down".equals(event.getAttributes().get(AttributeKey.stringKey("exception.message")))), join.toString());
        assertEquals(7L, join.getAttributes().get(AttributeKey.longKey(SpanNames.JOIN_KEYS)));
    }

    @Test
    void continuesTheCallersTraceFromTraceparent() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpanId = "00f067aa0ba902b7";
        Map<String, String> headers = Map.of("traceparent", "00-" + traceId + "-" + callerSpanId + "-01");

        observer.begin("query", null, "user", headers::get).end();

        SpanData server = exporter.span("query");
        assertEquals(traceId, server.getTraceId());
        assertEquals(callerSpanId, server.getParentSpanId());
    }

    @Test
    void injectsTheCurrentSpanIntoOutgoingHeaders() {
        Map<String, String> outgoing = new HashMap<>();
        try (RequestObservation request = observer.begin("query", null, "user")) {
            request.inSpan(SpanNames.REMOTE_CALL, Map.of(), () -> {
                try (ClientCall call = request.startCall(request.parent(), SpanNames.HTTP_POST, Map.of(SpanNames.SERVER_PORT, 4000))) {
                    call.injectTraceHeaders(outgoing::put);
                    call.status(502);
                }
                return null;
            });
        }

        SpanData call = exporter.span(SpanNames.HTTP_POST);
        assertEquals(exporter.span(SpanNames.REMOTE_CALL).getSpanId(), call.getParentSpanId());
        assertEquals(SpanKind.CLIENT, call.getKind());
        assertEquals(4000L, call.getAttributes().get(AttributeKey.longKey(SpanNames.SERVER_PORT)));
        assertEquals(502L, call.getAttributes().get(AttributeKey.longKey(SpanNames.HTTP_STATUS)));
        assertEquals(StatusCode.ERROR, call.getStatus().getStatusCode());
        String traceparent = outgoing.get("traceparent");
        assertTrue(traceparent != null && traceparent.startsWith("00-" + call.getTraceId() + "-" + call.getSpanId() + "-"),
            "traceparent names the HTTP call's span: " + traceparent);
    }

    @Test
    void theStatementTextIsOnItsSpanOnlyWhenOptedIn() {
        for (boolean optedIn : new boolean[] {false, true}) {
            InMemorySpanExporter spans = new InMemorySpanExporter();
            try (Telemetry traced = Telemetry.forTests(spans, new TelemetryOptions(false, false, optedIn))) {
                try (RequestObservation request = traced.observer().begin("query", null, "user")) {
                    request.inSpan(SpanNames.DB_QUERY, Map.of(SpanNames.DB_QUERY_TEXT, "SELECT 1", SpanNames.SERVER_PORT, 5432), () -> 1);
                }
            }
            SpanData db = spans.span(SpanNames.DB_QUERY);
            assertEquals(optedIn ? "SELECT 1" : null, attribute(db, SpanNames.DB_QUERY_TEXT), "opted in: " + optedIn);
            assertEquals(5432L, db.getAttributes().get(AttributeKey.longKey(SpanNames.SERVER_PORT)), "numbers stay numbers");
        }
    }

    @Test
    void serverSpanNameStaysBounded() {
        assertEquals("query", SpanNames.server("query"));
        assertEquals("mutation", SpanNames.server("MUTATION"));
        assertEquals(SpanNames.UNKNOWN_OPERATION, SpanNames.server(null));
        assertEquals(SpanNames.UNKNOWN_OPERATION, SpanNames.server("GetAuthors"));
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }
}
