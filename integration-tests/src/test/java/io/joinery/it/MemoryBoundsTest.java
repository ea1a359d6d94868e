package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import io.joinery.policies.Session;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.engine.GraphqlRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request's memory is bounded (issue 15, finding 2): the plan cache stays within its byte
 * budget whatever documents arrive, failures are not cached, a batch has a maximum number of
 * operations, a response a maximum size, and the admin listener a maximum body. Heap is measured
 * through the memory MXBean after a full GC, not by timing.
 */
class MemoryBoundsTest {

    private static final long PLAN_CACHE_BYTES = 8L << 20;
    private static final int MAX_BATCH_SIZE = 10;
    private static final int MAX_RESPONSE_BYTES = 20_000;
    private static final int MAX_ADMIN_REQUEST_BYTES = 100_000;
    /** What the heap may grow by beyond the budget: allocator slack, class loading, pools warming up. */
    private static final long SLACK = 24L << 20;

    static TestDatabase database;
    static StatementRecorder recorder;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        database = TestDatabase.create("memory").load("/it/schema.sql");
        recorder = StatementRecorder.forward(database.url());
        sidecar = TestSidecar.start(recorder.url(database.url()), "/it/metadata.yaml", Map.of(
                "JOINERY_PLAN_CACHE_BYTES", String.valueOf(PLAN_CACHE_BYTES),
                "JOINERY_MAX_BATCH_SIZE", String.valueOf(MAX_BATCH_SIZE),
                "JOINERY_MAX_RESPONSE_BYTES", String.valueOf(MAX_RESPONSE_BYTES),
                "JOINERY_MAX_ADMIN_REQUEST_BYTES", String.valueOf(MAX_ADMIN_REQUEST_BYTES)));
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = database; StatementRecorder closingRecorder = recorder; TestSidecar closingSidecar = sidecar) {
            // closes the sidecar, then the recorder, then the database
        }
    }

    @Test
    void aThousandDistinctOneMegabyteDocumentsStayWithinThePlanCacheBudget() {
        GraphqlEngine engine = sidecar.sidecar().engine();
        String padding = "#" + "x".repeat(1_000_000 - 100) + "\n";
        long before = heapAfterGc();

        for (int i = 0; i < 1_000; i++) {
            String answer = engine.execute(new GraphqlRequest(padding + "query Q" + i + " { author(limit: 1) { id } }", null, Map.of()), Session.admin());
            assertTrue(answer.startsWith("{\"data\":{\"author\":[{"), "document " + i + " runs: " + answer);
        }

        long growth = heapAfterGc() - before;
        System.out.println("heap growth after 1,000 distinct 1 MB documents: " + mb(growth));
        assertTrue(growth < PLAN_CACHE_BYTES + SLACK, "heap grew by " + mb(growth) + " after 1,000 distinct 1 MB documents; the plan cache's budget is "
                + mb(PLAN_CACHE_BYTES));
    }

    @Test
    void cacheableDocumentsAreWeighedSoundly() {
        GraphqlEngine engine = sidecar.sidecar().engine();
        long before = heapAfterGc();

        // ~1,500 aliased columns each (~20 KB of text, a dense AST, ~50 KB of SQL): cached, so the
        // weigher's estimate, not a size cutoff, is what keeps them within the budget.
        for (int i = 0; i < 300; i++) {
            StringBuilder query = new StringBuilder("query Q").append(i).append(" { author(limit: 1) {");
            for (int c = 0; c < 1_500; c++) {
                query.append(" c").append(c).append(c % 2 == 0 ? ": id" : ": name");
            }
            engine.execute(new GraphqlRequest(query.append(" } }").toString(), null, Map.of()), Session.admin());
        }

        long growth = heapAfterGc() - before;
        System.out.println("heap growth after 300 distinct dense documents: " + mb(growth) + ", cache estimate "
                + mb(engine.state().cachedBytes()) + " in " + engine.state().cachedOperations() + " operations");
        assertTrue(engine.state().cachedBytes() <= PLAN_CACHE_BYTES, "the cache's estimate is within its budget");
        assertTrue(growth < PLAN_CACHE_BYTES + SLACK, "heap grew by " + mb(growth) + " after 300 distinct dense documents; the plan cache's budget is "
                + mb(PLAN_CACHE_BYTES));
    }

    @Test
    void failedQueriesAreNotCached() {
        GraphqlEngine engine = sidecar.sidecar().engine();
        String padding = " ".repeat(30_000);
        long entries = engine.state().cachedOperations();
        long before = heapAfterGc();

        for (int i = 0; i < 1_000; i++) {
            String answer = engine.execute(new GraphqlRequest("{ no_such_field_" + i + " }" + padding, null, Map.of()), Session.admin());
            assertTrue(answer.contains("validation-failed"), answer);
        }

        assertEquals(entries, engine.state().cachedOperations(), "operations cached after 1,000 distinct invalid queries");
        long growth = heapAfterGc() - before;
        System.out.println("heap growth after 1,000 distinct invalid 30 KB queries: " + mb(growth));
        assertTrue(growth < SLACK, "heap grew by " + mb(growth) + " after 1,000 distinct invalid 30 KB queries");
    }

    @Test
    void aBatchOverTheLimitIsRefusedBeforeAnyOperationRuns() {
        ArrayNode batch = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        for (int i = 0; i <= MAX_BATCH_SIZE; i++) {
            batch.addObject().put("query", "{ author(where: {id: {_eq: " + i + "}}) { id } }");
        }
        int statements = recorder.executed().size();

        GraphqlResponse refused = sidecar.client().post(batch);

        assertEquals(400, refused.status(), refused.toString());
        JsonNode error = refused.errors().path(0);
        assertEquals("validation-failed", error.path("extensions").path("code").asText(), refused.toString());
        assertEquals("the batch has " + (MAX_BATCH_SIZE + 1) + " operations; the limit is " + MAX_BATCH_SIZE, error.path("message").asText());
        assertEquals(0, recorder.executed().size() - statements, "statements run for a refused batch: " + recorder.executedSince(statements));

        batch.remove(0);
        GraphqlResponse accepted = sidecar.client().post(batch);
        assertEquals(200, accepted.status(), accepted.toString());
        assertEquals(MAX_BATCH_SIZE, accepted.json().size(), accepted.toString());
    }

    @Test
    void aResponseOverTheLimitIsRefusedWithAJsonError() {
        String introspection = "{ __schema { types { name fields { name description } } } }";
        GraphqlResponse single = sidecar.client().query(introspection);
        assertTooLarge(single);

        ArrayNode batch = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
        for (int i = 0; i < MAX_BATCH_SIZE; i++) {
            batch.addObject().put("query", "{ __schema { types { name } } }");
        }
        GraphqlResponse small = sidecar.client().post(batch.get(0));
        assertEquals(200, small.status(), small.toString());
        assertTrue(small.text().length() * MAX_BATCH_SIZE > MAX_RESPONSE_BYTES && small.text().length() < MAX_RESPONSE_BYTES,
                "one answer fits, ten do not: " + small.text().length() + " bytes");
        assertTooLarge(sidecar.client().post(batch));

        GraphqlResponse fits = sidecar.client().query("{ author(limit: 2) { id } }");
        assertEquals(200, fits.status(), fits.toString());
    }

    @Test
    void theAdminListenerRefusesABodyOverItsLimit() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI metadata = sidecar.adminUri("/admin/v1/metadata");

        int small = put(http, metadata, "{\"version\": 3, \"sources\": [], \"x\": \"" + "y".repeat(MAX_ADMIN_REQUEST_BYTES / 2) + "\"}");
        int large = declaredLength(metadata, MAX_ADMIN_REQUEST_BYTES + 1);

        assertEquals(409, small, "a body within the limit reaches the route (read-only metadata: 409)");
        assertEquals(413, large, "a body over the limit");
    }

    /**
     * The status of a PUT that declares {@code length} bytes and sends only its head: the listener
     * refuses by the declared length, and no unsent body races its close (which could lose the answer).
     */
    private static int declaredLength(URI uri, int length) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT " + uri.getPath() + " HTTP/1.1\r\nHost: joinery\r\nContent-Type: application/json\r\n"
                    + "x-joinery-admin-secret: " + TestSidecar.ADMIN_SECRET + "\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        }
    }

    private static int put(HttpClient http, URI uri, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void assertTooLarge(GraphqlResponse response) {
        assertEquals(400, response.status(), "status of a too large response, starting " + response.text().substring(0, Math.min(300, response.text().length())));
        JsonNode error = response.errors().path(0);
        assertEquals("the response is larger than " + MAX_RESPONSE_BYTES + " bytes", error.path("message").asText(), response.toString());
        assertEquals("validation-failed", error.path("extensions").path("code").asText(), response.toString());
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
