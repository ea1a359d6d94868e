package io.joinery.it.telemetry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.LogCapture;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import io.joinery.it.telemetry.OtlpReceiver.ReceivedSpan;
import io.joinery.telemetry.LogFormat;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.LogRecord;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traces end to end: a sidecar exporting over OTLP/HTTP to a receiver inside the test, a real
 * remote GraphQL server, real Postgres. A table → remote → table query is one trace with a span
 * per stage, per join level and per join, the remote receives the trace, and a caller's
 * {@code traceparent} becomes the request span's parent; an action's handler call is a span with its
 * HTTP call below, whose trace the handler receives.
 */
class TracingTest {

    private static final String TABLE_REMOTE_TABLE = """
            query Authors { author(order_by: {id: asc}, limit: 3) { id profile { bio author { id } } } }""";

    static TestDatabase db;
    static TestGraphqlServer remote;
    /** The remote schema "slow" of it/metadata-telemetry.yaml, which these tests do not query. */
    static TestGraphqlServer slow;
    static OtlpReceiver receiver;
    /** The handler of the action "greet" (it/metadata-telemetry.yaml). */
    static WireMockServer handler;
    static TestSidecar sidecar;
    static GraphqlClient client;
    static LogCapture logs;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("tracing").load("/it/schema.sql")
                .execute("CREATE TABLE person AS SELECT g AS id FROM generate_series(1, 10) g; ALTER TABLE person ADD PRIMARY KEY (id);");
        remote = new TestGraphqlServer();
        receiver = new OtlpReceiver();
        slow = new TestGraphqlServer();
        handler = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        handler.start();
        handler.stubFor(post(urlEqualTo("/greet")).willReturn(okJson("{\"text\": \"hello\", \"author_id\": 2}")));
        handler.stubFor(post(urlEqualTo("/greet-later")).willReturn(okJson("{\"text\": \"later\", \"author_id\": 2}")));
        sidecar = TestSidecar.start(db.url(), "/it/metadata-telemetry.yaml", Map.of(
                "PROFILES_URL", remote.url(), "PROFILES_KEY", "k", "FAULTY_URL", "http://127.0.0.1:9/graphql", "SLOW_URL", slow.url(),
                "GREET_URL", handler.baseUrl() + "/greet", "GREET_LATER_URL", handler.baseUrl() + "/greet-later",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "50"));
        client = sidecar.client();
        logs = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        logs.close();
        sidecar.close();
        handler.stop();
        slow.close();
        receiver.close();
        remote.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        remote.reset();
        logs.clear();
    }

    /**
     * The headers of the remote's requests that carry {@code traceId}: the live query test's refetches
     * may still reach the remote after the next test's reset, so a test counts its own calls only.
     */
    private static List<Map<String, String>> requestsOfTrace(String traceId) {
        return remote.headers().stream().filter(h -> String.valueOf(h.get("traceparent")).contains(traceId)).toList();
    }

    @Test
    void aTableRemoteTableQueryIsOneTraceUnderTheCallersSpan() {
        String traceId = randomHex(16);
        String callerSpan = randomHex(8);
        var answer = client.withHeaders(Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"))
                .query(TABLE_REMOTE_TABLE);
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.errors().isMissingNode() || answer.errors().isEmpty(), answer.toString());

        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("query"))
                && spans.stream().filter(s -> s.name().equals("db.query")).count() == 2);

        ReceivedSpan request = only(trace, "query");
        assertEquals(callerSpan, request.parentSpanId(), "the caller's traceparent is the request span's parent");
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, request.kind());
        assertEquals("Authors", request.attributes().get("graphql.operation.name"));
        assertEquals("query", request.attributes().get("graphql.operation.type"));
        assertEquals("admin", request.attributes().get("joinery.role"));
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, request.status());

        assertEquals(List.of("db.query", "graphql.parse", "graphql.plan", "join.level"), names(children(trace, request)),
                "request → parse, plan (not cached yet), the SQL statement, the first join level");
        ReceivedSpan rootStatement = children(trace, request).stream().filter(s -> s.name().equals("db.query")).findFirst().orElseThrow();
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, rootStatement.kind());
        assertEquals("postgresql", rootStatement.attributes().get("db.system.name"));
        assertEquals(URI.create(db.url()).getPath().substring(1), rootStatement.attributes().get("db.namespace"));
        assertEquals("SELECT", rootStatement.attributes().get("db.operation.name"));
        assertEquals(URI.create(db.url()).getHost(), rootStatement.attributes().get("server.address"));
        assertEquals(Integer.toString(URI.create(db.url()).getPort()), rootStatement.attributes().get("server.port"));
        assertFalse(rootStatement.attributes().containsKey("db.query.text"), "the SQL text only when opted in");

        ReceivedSpan level1 = only(children(trace, request), "join.level");
        assertEquals("1", level1.attributes().get("joinery.join.level"));
        ReceivedSpan remoteJoin = only(children(trace, level1), "remote.join");
        assertEquals(Map.of("joinery.join.relationship", "profile", "joinery.join.target", "profiles", "joinery.join.form", "per-key",
                "joinery.join.level", "1", "joinery.join.keys", "3", "joinery.join.distinct_keys", "3", "joinery.join.chunks", "1"),
                remoteJoin.attributes());
        assertEquals(List.of("POST", "join.level"), names(children(trace, remoteJoin)), "the join's HTTP call, and the level it uncovers");

        ReceivedSpan call = only(children(trace, remoteJoin), "POST");
        URI remoteUrl = URI.create(remote.url());
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, call.kind());
        assertEquals("POST", call.attributes().get("http.request.method"));
        assertEquals(remote.url(), call.attributes().get("url.full"));
        assertEquals(remoteUrl.getHost(), call.attributes().get("server.address"));
        assertEquals(Integer.toString(remoteUrl.getPort()), call.attributes().get("server.port"));
        assertEquals("200", call.attributes().get("http.response.status_code"));

        ReceivedSpan level2 = only(children(trace, remoteJoin), "join.level");
        assertEquals("2", level2.attributes().get("joinery.join.level"));
        ReceivedSpan tableJoin = only(children(trace, level2), "table.join");
        assertEquals("author", tableJoin.attributes().get("joinery.join.relationship"));
        assertEquals("default/public.author", tableJoin.attributes().get("joinery.join.target"));
        assertEquals("table", tableJoin.attributes().get("joinery.join.form"));
        assertEquals("3", tableJoin.attributes().get("joinery.join.distinct_keys"));
        assertEquals(List.of("db.query"), names(children(trace, tableJoin)), "the join's keyed statement");

        List<Map<String, String>> ours = requestsOfTrace(traceId);
        assertEquals(1, ours.size(), "one remote call for the request, with its traceparent: " + remote.headers());
        String sent = ours.getFirst().get("traceparent");
        assertEquals("00-" + traceId + "-" + call.spanId() + "-01", sent, "the remote's parent is the HTTP call's span");
    }

    @Test
    void aRemoteRootFieldIsOneCallWithItsHttpSpanUnderTheRequest() {
        String traceId = randomHex(16);
        var answer = client.withHeaders(Map.of("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01"))
                .query("query One { profile(authorId: 1) { bio } }");
        assertEquals("bio of 1", answer.data().path("profile").path("bio").asText(), answer.toString());

        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("query"))
                && spans.stream().anyMatch(s -> s.name().equals("POST")));
        ReceivedSpan call = only(children(trace, only(trace, "query")), "remote.call");
        assertEquals("profiles", call.attributes().get("joinery.remote"));
        ReceivedSpan http = only(children(trace, call), "POST");
        assertEquals("200", http.attributes().get("http.response.status_code"));
        assertEquals(List.of("00-" + traceId + "-" + http.spanId() + "-01"), requestsOfTrace(traceId).stream().map(h -> h.get("traceparent")).toList());
    }

    @Test
    void anActionIsOneCallWithItsHttpSpanUnderTheRequestAndItsJoinAfter() {
        String traceId = randomHex(16);
        var answer = client.withHeaders(Map.of("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01"))
                .query("query Greet { greet(name: \"ann\") { text author { id } } }");
        assertEquals("{\"greet\":{\"text\":\"hello\",\"author\":{\"id\":2}}}", answer.data().toString(), answer.toString());

        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("query"))
                && spans.stream().anyMatch(s -> s.name().equals("table.join")));
        ReceivedSpan request = only(trace, "query");
        ReceivedSpan call = only(children(trace, request), "action.call");
        assertEquals("greet", call.attributes().get("joinery.action"));
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, call.kind());
        ReceivedSpan http = only(children(trace, call), "POST");
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, http.kind());
        assertEquals("200", http.attributes().get("http.response.status_code"));
        assertEquals(handler.baseUrl().replace("localhost", "127.0.0.1") + "/greet", http.attributes().get("url.full")
                .replace("localhost", "127.0.0.1"));
        assertEquals("greet", http.attributes().get("joinery.action"));
        ReceivedSpan level = only(children(trace, request), "join.level");
        assertEquals("author", only(children(trace, level), "table.join").attributes().get("joinery.join.relationship"));

        List<LoggedRequest> received = handler.findAll(postRequestedFor(urlEqualTo("/greet")));
        assertEquals("00-" + traceId + "-" + http.spanId() + "-01", received.getLast().getHeader("traceparent"),
                "the handler's parent is the HTTP call's span");
    }

    @Test
    void anAsynchronousActionsBackgroundCallIsATraceOfItsOwnThatTheHandlerContinues() {
        var answer = client.query("mutation { greetLater(name: \"bo\") }");
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        List<LoggedRequest> received = handler.findAll(postRequestedFor(urlEqualTo("/greet-later")));
        while (received.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
            received = handler.findAll(postRequestedFor(urlEqualTo("/greet-later")));
        }
        String sent = received.isEmpty() ? null : received.getFirst().getHeader("traceparent");
        assertNotNull(sent, "the background call reached the handler with traceparent: " + received);
        String traceId = sent.split("-")[1];

        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("action.async"))
                && spans.stream().anyMatch(s -> s.name().equals("POST")));
        ReceivedSpan root = only(trace, "action.async");
        assertEquals("", root.parentSpanId(), "a trace of its own: no client request is waiting on it");
        assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, root.kind());
        ReceivedSpan http = only(trace, "POST");
        assertEquals("greetLater", http.attributes().get("joinery.action"));
        // sampled; a trace the sidecar starts also carries W3C's random-trace-id flag (03)
        assertTrue(sent.startsWith("00-" + traceId + "-" + http.spanId() + "-"), "the handler's parent is the HTTP call's span: " + sent);
    }

    @Test
    void aLiveQuerysRefetchJoinsAreATraceOfTheirOwnThatTheRemoteContinues() {
        remote.reset();
        try (var socket = io.joinery.it.support.GraphqlSocket.open(sidecar, io.joinery.it.support.GraphqlSocket.TRANSPORT_WS)
                .init(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET))) {
            socket.subscribe("1", "subscription { author(where: {id: {_eq: 2}}) { id profile { followers } } }", Map.of());
            var first = socket.next("1");
            assertEquals(20, first.path("data").path("author").path(0).path("profile").path("followers").asInt(), first.toString());
        }
        String sent = remote.headers().getFirst().get("traceparent");
        assertNotNull(sent, "the live query's join reached the remote with traceparent: " + remote.headers());
        String traceId = sent.split("-")[1];
        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("subscription.joins")));
        ReceivedSpan root = only(trace, "subscription.joins");
        assertEquals("", root.parentSpanId(), "a trace of its own per refetch");
        assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, root.kind());
    }

    @Test
    void aRequestWithoutTraceparentStartsATraceThatTheRemoteContinues() {
        var answer = client.query("{ author(order_by: {id: asc}, limit: 2) { id profile { followers } } }");
        assertEquals(200, answer.status(), answer.toString());
        // This request's keys are 1 and 2; a refetch of the live query test (key 2 alone) may still reach the remote after the reset.
        List<String> bodies = remote.bodies();
        List<Map<String, String>> headers = remote.headers();
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            if (bodies.get(i).contains("authorId:1")) {
                ours.add(headers.get(i).get("traceparent"));
            }
        }
        assertEquals(1, ours.size(), "one remote call for the request: " + bodies);
        String sent = ours.getFirst();
        assertNotNull(sent, headers.toString());
        String traceId = sent.split("-")[1];

        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("query")));
        assertEquals("", only(trace, "query").parentSpanId(), "a new trace: the request span is its root");
        assertTrue(logs.records().stream().anyMatch(r -> r.getLoggerName().equals("joinery.access") && r.getMessage().contains(traceId)),
                "the access log line carries the trace id");
    }

    @Test
    void aFailedJoinMarksItsSpanAndTheRequestWithTheMessage() {
        String traceId = randomHex(16);
        var answer = client.withHeaders(Map.of("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01"))
                .query("query Broken { author(order_by: {id: asc}, limit: 2) { id profile { broken } } }");
        assertEquals("remote-schema-error", answer.errors().get(0).path("extensions").path("code").asText(), answer.toString());

        List<ReceivedSpan> trace = receiver.awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.name().equals("query")));
        ReceivedSpan request = only(trace, "query");
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, request.status(), "an answer with errors makes the request span an error");
        assertTrue(request.statusMessage().contains("broken on purpose"), request.toString());
        ReceivedSpan join = only(trace, "remote.join");
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, join.status());
        assertTrue(join.statusMessage().contains("broken on purpose"), join.toString());
        assertTrue(join.events().stream().anyMatch(e -> e.startsWith("exception:") && e.contains("broken on purpose")), join.events().toString());

        List<String> warnings = logs.records().stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                .map(r -> LogFormat.formatter(false).format(r)).toList();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("remote join 'profile'") && w.contains("trace_id=" + traceId)), warnings.toString());
        String access = logs.records().stream().filter(r -> r.getLoggerName().equals("joinery.access")).map(LogRecord::getMessage)
                .filter(m -> m.contains(traceId)).findFirst().orElseThrow();
        assertTrue(access.contains("\"operation_name\":\"Broken\"") && access.contains("\"status\":\"error\"")
                && access.contains("\"error_codes\":[\"remote-schema-error\"]"), access);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1;
        return HexFormat.of().formatHex(random);
    }

    private static List<ReceivedSpan> children(List<ReceivedSpan> trace, ReceivedSpan parent) {
        return trace.stream().filter(s -> s.parentSpanId().equals(parent.spanId())).toList();
    }

    private static List<String> names(List<ReceivedSpan> spans) {
        List<String> names = new ArrayList<>(spans.stream().map(ReceivedSpan::name).toList());
        names.sort(null);
        return names;
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name) {
        List<ReceivedSpan> named = spans.stream().filter(s -> s.name().equals(name)).toList();
        assertEquals(1, named.size(), "one span " + name + " in " + spans);
        return named.getFirst();
    }
}
