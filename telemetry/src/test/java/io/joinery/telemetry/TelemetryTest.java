package io.joinery.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What leaves the process, depending on the {@code OTEL_*} environment. */
class TelemetryTest {
    /** How the OTLP protobuf encodes the resource attribute {@code service.name} = {@code joinery}. */
    private static final String JOINERY_SERVICE_NAME = "service.name\u0012\u0009\n\u0007joinery";
    /** The JVM property the SDK reads, like {@code OTEL_EXPORTER_OTLP_ENDPOINT}, below the environment. */
    private static final String SDK_ENDPOINT_PROPERTY = "otel.exporter.otlp.endpoint";

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    @AfterEach
    void stopCollector() {
        if (collector != null) {
            collector.stop(0);
        }
    }

    /**
     * The SDK's default endpoint ({@code localhost:4318}) stands in as a JVM property pointing at a
     * collector on a free port: were the SDK configured without an exporter variable, it would send there.
     */
    @Test
    void exportsNothingWhenNoExporterIsConfigured() throws IOException {
        int port = startCollector();
        String defaultEndpoint = System.setProperty(SDK_ENDPOINT_PROPERTY, "http://127.0.0.1:" + port);

        Map<String, String> outgoing = new HashMap<>();
        try (Telemetry telemetry = Telemetry.create(Map.of("OTEL_SERVICE_NAME", "orders", "PATH", "/usr/bin"))) {
            assertFalse(telemetry.exportsTraces());
            runRequest(telemetry, outgoing);
        } finally {
            restore(SDK_ENDPOINT_PROPERTY, defaultEndpoint);
        }

        assertEquals(List.of(), received, "nothing may be exported without an OTEL exporter variable");
        String traceparent = outgoing.get("traceparent");
        assertTrue(traceparent != null && traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]"),
            "see Note [Traces when nothing is exported]: the context still flows, marked not sampled: " + traceparent);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"OTEL_TRACES_EXPORTER=none", "OTEL_SDK_DISABLED=true"})
    void exportsNothingToAnEndpointWhenTracingIsSwitchedOff(String switchedOff) throws IOException {
        int port = startCollector();
        String[] variable = switchedOff.split("=");

        try (Telemetry telemetry = Telemetry.create(Map.of(
                variable[0], variable[1], "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port))) {
            assertFalse(telemetry.exportsTraces());
            runRequest(telemetry, new HashMap<>());
        }

        assertEquals(List.of(), received, switchedOff + " wins over OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    @Test
    void exportsSpansOverOtlpWhenAnEndpointIsSet() throws IOException {
        int port = startCollector();

        try (Telemetry telemetry = Telemetry.create(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port))) {
            assertTrue(telemetry.exportsTraces());
            runRequest(telemetry, new HashMap<>());
        }

        assertEquals(1, received.size(), "one batch of spans, flushed on close: " + received.size());
        String body = received.getFirst();
        assertTrue(body.startsWith("POST /v1/traces\n"), () -> "OTLP/HTTP trace export, got " + body.lines().findFirst());
        assertTrue(body.contains(JOINERY_SERVICE_NAME), "service name defaults to joinery");
        assertTrue(body.contains(SpanNames.REMOTE_CALL) && body.contains("GetAuthors"), "spans and their attributes are exported");
    }

    @Test
    void serviceNameComesFromTheEnvironmentWhenSet() throws IOException {
        int port = startCollector();

        try (Telemetry telemetry = Telemetry.create(Map.of(
                "OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + port + "/v1/traces",
                "OTEL_RESOURCE_ATTRIBUTES", "service.name=orders-sidecar,deployment.environment=test"))) {
            runRequest(telemetry, new HashMap<>());
        }

        String body = String.join("", received);
        assertTrue(body.contains("orders-sidecar"), "service.name from OTEL_RESOURCE_ATTRIBUTES is kept");
        assertFalse(body.contains(JOINERY_SERVICE_NAME), "the default does not override a configured service name");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
        "OTEL_EXPORTER_OTLP_ENDPOINT, http://collector:4318, true",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, http://collector:4318/v1/traces, true",
        "OTEL_TRACES_EXPORTER, otlp, true",
        "OTEL_TRACES_EXPORTER, none, false",
        "OTEL_SERVICE_NAME, orders, false",
        "OTEL_EXPORTER_OTLP_HEADERS, api-key=secret, false",
        "JOINERY_DATABASE_URL, postgres://db, false",
    })
    void tracesAreExportedOnlyWhenATraceExporterIsConfigured(String variable, String value, boolean exported) {
        assertEquals(exported, Telemetry.configuresTraceExporter(Map.of(variable, value)));
    }

    @Test
    void theStartLineSaysWhereTracesGoWithoutCredentials() {
        assertEquals("traces go over OTLP (http/protobuf) to https://collector:4318/v1/traces, sampler parentbased_traceidratio (0.1)",
            Telemetry.destination(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://user:pw@collector:4318",
                "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.1")));
        assertEquals("traces go to the 'console' exporter, sampler parentbased_always_on",
            Telemetry.destination(Map.of("OTEL_TRACES_EXPORTER", "console")));
        try (Telemetry off = Telemetry.create(Map.of())) {
            assertTrue(off.tracesDestination().startsWith("traces are not exported"), off.tracesDestination());
        }
    }

    @Test
    void sdkDisabledWinsOverAnEndpoint() {
        assertFalse(Telemetry.configuresTraceExporter(
            Map.of("OTEL_SDK_DISABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
    }

    @Test
    void unknownExporterStopsTheStartWithOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Telemetry.create(Map.of("OTEL_TRACES_EXPORTER", "carrier-pigeon")));
        assertTrue(e.getMessage().contains("carrier-pigeon"), e.getMessage());
    }

    private static void runRequest(Telemetry telemetry, Map<String, String> outgoing) {
        try (RequestObservation request = telemetry.observer().begin("query", "GetAuthors", "user")) {
            request.inSpan(SpanNames.REMOTE_CALL, Map.of(SpanNames.REMOTE, "countries"), () -> {
                try (ClientCall call = request.startCall(request.parent(), SpanNames.HTTP_POST, Map.of())) {
                    call.injectTraceHeaders(outgoing::put);
                }
                return null;
            });
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    /** An OTLP/HTTP collector on a free port that keeps each request as "METHOD path\nbody" (body as Latin-1). */
    private int startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + "\n"
                + new String(body, StandardCharsets.ISO_8859_1));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        return collector.getAddress().getPort();
    }
}
