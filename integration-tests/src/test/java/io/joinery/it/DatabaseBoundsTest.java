package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import io.joinery.policies.Session;
import io.joinery.proxy.engine.GraphqlRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.joinery.it.support.Polling.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request's database work is bounded (issue 15, finding 1): a caller's deep boolean
 * expression is refused before any SQL; a slow statement is cancelled at the source's timeout and
 * Postgres stops running it; a request that cannot get a connection in time is told the database
 * is busy; input nested thousands of levels deep gets a JSON error, not a stack overflow; and a
 * read whose Postgres backend dies is retried once (finding 7). Over {@code it/schema-bounds.sql}
 * and {@code it/metadata-bounds.yaml} (the source's statement timeout: 2 s).
 */
class DatabaseBoundsTest {

    static TestDatabase db;
    static StatementRecorder recorder;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("bounds").load("/it/schema-bounds.sql");
        recorder = StatementRecorder.forward(db.url());
        sidecar = TestSidecar.start(recorder.url(db.url()), "/it/metadata-bounds.yaml", Map.of("JOINERY_POOL_SIZE", "4"));
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDb = db; StatementRecorder closingRecorder = recorder; TestSidecar closingSidecar = sidecar) {
            // closes the sidecar, the recorder, then the database
        }
    }

    @Test
    void aDeepWhereIsRefusedWithItsPathBeforeAnySqlIsSent() {
        int before = recorder.executed().size();
        long start = System.nanoTime();
        GraphqlResponse answer = sidecar.client().query("{ author(where: " + deepWhere(40) + ") { id } }");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        JsonNode error = answer.errors().path(0);
        assertEquals("validation-failed", error.path("extensions").path("code").asText(), answer.toString());
        assertTrue(error.path("message").asText().contains("boolean expression") && error.path("message").asText().contains("limit is 12"),
                "the message names the limit: " + answer);
        assertTrue(error.path("extensions").path("path").asText().startsWith("$.selectionSet.author.args.where.articles.author.articles"),
                "the path leads into the where: " + answer);
        assertTrue(answer.json().path("data").isMissingNode(), "no data: " + answer);
        assertEquals(List.of(), recorder.executedSince(before), "no statement reached Postgres");
        assertTrue(took.toSeconds() < 5, "refused at once, took " + took);
    }

    @Test
    void aDeepWhereInAVariableIsRefusedToo() {
        GraphqlResponse answer = sidecar.client().query("query($w: author_bool_exp) { author(where: $w) { id } }",
                Map.of("w", deepWhereJson(20)));
        JsonNode error = answer.errors().path(0);
        assertEquals("validation-failed", error.path("extensions").path("code").asText(), answer.toString());
        assertTrue(error.path("message").asText().contains("limit is 12"), answer.toString());
    }

    @Test
    void aWhereWithTooManyConditionsIsRefused() {
        List<Map<String, Object>> terms = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            terms.add(Map.of("id", Map.of("_eq", i)));
        }
        GraphqlResponse answer = sidecar.client().query("query($w: author_bool_exp) { author(where: $w) { id } }",
                Map.of("w", Map.of("_or", terms)));
        JsonNode error = answer.errors().path(0);
        assertEquals("validation-failed", error.path("extensions").path("code").asText(), answer.toString());
        assertTrue(error.path("message").asText().endsWith("conditions; the limit is 512"), answer.toString());
        assertTrue(error.path("extensions").path("path").asText().startsWith("$.selectionSet.author.args.where._or["), answer.toString());

        GraphqlResponse fewer = sidecar.client().query("query($w: author_bool_exp) { author(where: $w) { id } }",
                Map.of("w", Map.of("_or", terms.subList(0, 300))));
        assertEquals(JsonTrees.parse("{\"author\": [{\"id\": 1}, {\"id\": 2}]}"), fewer.data(), fewer.toString());
    }

    @Test
    void aWhereAtTheLimitAndADeepPermissionFilterAreServed() {
        GraphqlResponse atLimit = sidecar.client().query("{ author(where: " + deepWhere(12) + ", order_by: {id: asc}) { id } }");
        assertEquals(JsonTrees.parse("{\"author\": [{\"id\": 1}, {\"id\": 2}]}"), atLimit.data(), atLimit.toString());

        GraphqlResponse reader = sidecar.client().withHeaders(Map.of("x-joinery-role", "reader"))
                .query("{ author(where: {articles: {title: {_ilike: \"%engine%\"}}}) { name } }");
        assertEquals(JsonTrees.parse("{\"author\": [{\"name\": \"Ada\"}]}"), reader.data(),
                "the role's 16-level permission filter is the admin's, not the caller's: " + reader);
    }

    @Test
    void aDatabaseQueryStaysFastWhileEightDeepWheresAreSent() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger();
        String hostile = "{ author(where: " + deepWhere(40) + ") { id articles { title } } }";
        GraphqlClient caller = sidecar.client();
        try (ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> attacks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attacks.add(attackers.submit(() -> {
                    while (running.get()) {
                        GraphqlResponse answer = caller.query(hostile);
                        assertEquals("validation-failed", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (refused.get() < 16 && attacks.stream().noneMatch(Future::isDone) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            GraphqlResponse answer = sidecar.client().query("{ article(order_by: {id: asc}) { id author { name } } }");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            running.set(false);
            for (Future<?> attack : attacks) {
                attack.get();
            }
            assertEquals(JsonTrees.parse("{\"article\": [{\"id\": 1, \"author\": {\"name\": \"Ada\"}}, {\"id\": 2, \"author\": {\"name\": \"Alan\"}}]}"),
                    answer.data(), answer.toString());
            assertTrue(took.toSeconds() < 5, "a database query during the attack took " + took);
        } finally {
            running.set(false);
        }
    }

    @Test
    void aSlowStatementIsCancelledAtTheSourcesTimeoutAndPostgresStopsRunningIt() throws Exception {
        long start = System.nanoTime();
        GraphqlResponse answer = sidecar.client().without("x-joinery-admin-secret").query("{ slow_articles(args: {seconds: 60}) { id } }");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        JsonNode error = answer.errors().path(0);
        assertEquals("unexpected", error.path("extensions").path("code").asText(), answer.toString());
        assertEquals("the database query was cancelled: it ran longer than 2000 ms", error.path("message").asText(), answer.toString());
        assertTrue(error.path("extensions").path("internal").isMissingNode(), "no internals for a non-admin: " + answer);
        assertTrue(took.toSeconds() < 10, "the client waited " + took);
        assertTrue(waitUntil(() -> runningSlowStatements() == 0), "Postgres still runs the cancelled statement");
    }

    @Test
    void aRequestThatGetsNoConnectionInTimeIsToldTheDatabaseIsBusy() throws Exception {
        // one connection with room for two statements (Note [Reads two to a connection]): the slow one
        // running and a second waiting for it (not sent behind a statement that has run long) hold
        // both places, so a third waits for one and is refused
        try (TestSidecar single = TestSidecar.start(db.url(), "/it/metadata-bounds.yaml",
                Map.of("JOINERY_POOL_SIZE", "1", "JOINERY_POOL_TIMEOUT_MS", "500"))) {
            CompletableFuture<GraphqlResponse> slow = slowArticles(single, 1.5);
            assertTrue(waitUntil(() -> runningSlowStatements() == 1), "the slow statement holds the only connection");
            CompletableFuture<GraphqlResponse> behind = CompletableFuture.supplyAsync(
                    () -> single.client().query("{ article(order_by: {id: asc}) { id } }"));
            Thread.sleep(200);
            assertFalse(behind.isDone(), "the second statement waits for the slow one");

            GraphqlResponse busy = single.client().query("{ author { id } }");
            JsonNode error = busy.errors().path(0);
            assertEquals("unexpected", error.path("extensions").path("code").asText(), busy.toString());
            assertEquals("database busy: no connection within 500 ms", error.path("message").asText(), busy.toString());
            double waited = metric(single, "joinery_pool_wait_seconds_max{source=\"default\"}");
            assertTrue(waited >= 0.5, "the metrics show the request's wait of 500 ms for a connection: " + waited);
            assertEquals(1.0, metric(single, "joinery_pool_connections_in_use{source=\"default\"}"), "one connection runs the slow statement");

            GraphqlResponse served = slow.get();
            assertEquals(2, served.data().path("slow_articles").size(), "the slow request is still served: " + served);
            GraphqlResponse servedBehind = behind.get();
            assertTrue(waitUntil(() -> metric(single, "joinery_pool_connections_in_use{source=\"default\"}") == 0.0),
                    "the connection is counted free once its statements are answered");
            assertEquals(JsonTrees.parse("{\"article\": [{\"id\": 1}, {\"id\": 2}]}"), servedBehind.data(), servedBehind.toString());
            GraphqlResponse after = single.client().query("{ author(order_by: {id: asc}) { id } }");
            assertEquals(JsonTrees.parse("{\"author\": [{\"id\": 1}, {\"id\": 2}]}"), after.data(), after.toString());
        }
    }

    @Test
    void withOneStatementPerConnectionARequestWaitsForTheConnectionItselfAndIsToldTheDatabaseIsBusy() throws Exception {
        try (TestSidecar single = TestSidecar.start(db.url(), "/it/metadata-bounds.yaml",
                Map.of("JOINERY_POOL_SIZE", "1", "JOINERY_POOL_TIMEOUT_MS", "500", "JOINERY_STATEMENTS_PER_CONNECTION", "1"))) {
            CompletableFuture<GraphqlResponse> slow = slowArticles(single, 1.5);
            assertTrue(waitUntil(() -> runningSlowStatements() == 1), "the slow statement holds the only connection");

            GraphqlResponse busy = single.client().query("{ author { id } }");
            assertEquals("database busy: no connection within 500 ms", busy.errors().path(0).path("message").asText(), busy.toString());
            GraphqlResponse served = slow.get();
            assertEquals(2, served.data().path("slow_articles").size(), "the slow request is still served: " + served);
        }
    }

    @Test
    void aReadWhileOneConnectionRunsASlowStatementTakesAnIdleConnectionNotAPlaceBehindIt() throws Exception {
        try (TestSidecar two = TestSidecar.start(db.url(), "/it/metadata-bounds.yaml", Map.of("JOINERY_POOL_SIZE", "2"))) {
            two.client().query("{ author { id } }");
            CompletableFuture<GraphqlResponse> slow = slowArticles(two, 1.5);
            assertTrue(waitUntil(() -> runningSlowStatements() == 1), "the slow statement runs");

            Duration took = authorsAnswered(two);
            assertFalse(slow.isDone(), "answered while the slow statement still ran");
            assertTrue(took.toMillis() < 1000, "the read did not wait behind the slow statement: " + took);
            assertEquals(2, slow.get().data().path("slow_articles").size());
        }
    }

    @Test
    void aReadWhileEveryConnectionRunsALongStatementWaitsForTheFirstAnswerNotBehindTheLatestStart() throws Exception {
        // Two connections, both busy past the 50 ms after which no statement is sent behind another: the
        // read waits for whichever answers first (0.3 s), where behind the later-started one it would
        // have waited 1.9 s (the source's statement timeout is 2 s).
        try (TestSidecar two = TestSidecar.start(db.url(), "/it/metadata-bounds.yaml", Map.of("JOINERY_POOL_SIZE", "2"))) {
            two.client().query("{ author { id } }");
            CompletableFuture<GraphqlResponse> shorter = slowArticles(two, 0.3);
            assertTrue(waitUntil(() -> runningSlowStatements() == 1), "the shorter statement runs");
            CompletableFuture<GraphqlResponse> longer = slowArticles(two, 1.9);
            assertTrue(waitUntil(() -> runningSlowStatements() == 2), "both statements run");
            Thread.sleep(60);

            Duration took = authorsAnswered(two);
            assertFalse(longer.isDone(), "answered before the longer statement");
            assertTrue(took.toMillis() < 1000, "the read did not wait behind the longer statement: " + took);
            assertEquals(2, longer.get().data().path("slow_articles").size());
            assertEquals(2, shorter.get().data().path("slow_articles").size());
        }
    }

    @Test
    void aReadWhoseBackendDiesIsRetriedOnceOnAnotherConnection() throws Exception {
        CompletableFuture<GraphqlResponse> read = CompletableFuture.supplyAsync(
                () -> sidecar.client().query("{ slow_articles(args: {seconds: 1}, order_by: {id: asc}) { id title } }"));
        // Only this read selects titles from slow_articles: its backend, not another test's.
        String thisRead = slowStatements() + " AND query LIKE '%title%'";
        assertTrue(waitUntil(() -> db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE " + thisRead) == 1), "the read runs");
        assertEquals(1, db.queryLong("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                + thisRead + ") killed"), "one backend killed");

        GraphqlResponse answer = read.get();
        assertEquals(JsonTrees.parse("{\"slow_articles\": [{\"id\": 1, \"title\": \"Notes on the Engine\"}, {\"id\": 2, \"title\": \"Computable Numbers\"}]}"),
                answer.data(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
    }

    @Test
    void inputNestedTenThousandLevelsDeepGetsAJsonErrorAndTheSidecarStillAnswers() {
        int depth = 10_000;
        GraphqlClient client = sidecar.client();
        List<GraphqlResponse> answers = new ArrayList<>();
        answers.add(client.query("{ author(where: " + "{_not: ".repeat(depth) + "{id: {_eq: 1}}" + "}".repeat(depth) + ") { id } }"));
        answers.add(client.postText("{\"query\": \"query($w: author_bool_exp) { author(where: $w) { id } }\", \"variables\": {\"w\": "
                + "{\"_not\": ".repeat(depth) + "{}" + "}".repeat(depth) + "}}"));
        for (int nested : new int[]{900, 2_000}) {
            answers.add(client.postText("{\"query\": \"query($w: author_bool_exp) { author(where: $w) { id } }\", \"variables\": {\"w\": "
                    + "{\"_not\": ".repeat(nested) + "{}" + "}".repeat(nested) + "}}"));
            answers.add(client.postText("{\"query\": \"query($j: jsonb) { article(where: {metadata: {_contains: $j}}) { id } }\", \"variables\": {\"j\": "
                    + "{\"a\": ".repeat(nested) + "{}" + "}".repeat(nested) + "}}"));
        }
        StringBuilder fragments = new StringBuilder("{ ...F0 }");
        for (int i = 0; i < 1_500; i++) {
            fragments.append(" fragment F").append(i).append(" on query_root { ...F").append(i + 1).append(" }");
        }
        fragments.append(" fragment F1500 on query_root { author { id } }");
        answers.add(client.query(fragments.toString()));
        answers.add(client.query("{ author " + "{ articles { author ".repeat(depth / 4) + "{ id }" + " } }".repeat(depth / 4) + " }"));

        for (GraphqlResponse answer : answers) {
            assertTrue(answer.status() < 500, "a client error, not a server error: " + abbreviated(answer));
            String code = answer.errors().path(0).path("extensions").path("code").asText();
            boolean jsonValue = answer.data().path("article").isArray();
            assertTrue(code.equals("validation-failed") || code.equals("invalid-json") || jsonValue,
                    "a JSON error (or, for a deep jsonb value, which is one parameter, an answer): " + abbreviated(answer));
            assertFalse(answer.text().contains("nested too deeply to process"), "a limit, not the stack, refused it: " + abbreviated(answer));
        }
        GraphqlResponse after = client.query("{ author(order_by: {id: asc}) { id } }");
        assertEquals(JsonTrees.parse("{\"author\": [{\"id\": 1}, {\"id\": 2}]}"), after.data(), after.toString());
    }

    @Test
    void aStackOverflowIsRefusedAsInputNestedTooDeeplyNotAServerError() throws Exception {
        // The limits stop the nesting a caller can send before any recursion gets deep; a thread with
        // a small stack still overflows in the parser, which shows the last resort at the engine's edge.
        String query = "{ author(where: " + "{_not: ".repeat(120) + "{id: {_eq: 1}}" + "}".repeat(120) + ") { id } }";
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread.ofPlatform().stackSize(96 * 1024).start(() -> {
            try {
                answer.complete(sidecar.sidecar().engine().execute(new GraphqlRequest(query, null, Map.of()), new Session("admin", true, Map.of())));
            } catch (Throwable escaped) {
                answer.completeExceptionally(escaped);
            }
        });
        JsonNode error = JsonTrees.parse(answer.get(30, TimeUnit.SECONDS)).path("errors").path(0);
        assertEquals("validation-failed", error.path("extensions").path("code").asText(), error.toString());
        assertEquals("the request is nested too deeply to process", error.path("message").asText(), error.toString());
    }

    /** {@code {articles: {author: {articles: … {id: {_gt: 0}}}}}}: {@code levels} boolean expressions nested through relationships, as a GraphQL literal. */
    static String deepWhere(int levels) {
        StringBuilder where = new StringBuilder();
        for (int i = 1; i < levels; i++) {
            where.append(i % 2 == 1 ? "{articles: " : "{author: ");
        }
        return where.append("{id: {_gt: 0}}").append("}".repeat(levels - 1)).toString();
    }

    /** The same as JSON, for a variable. */
    static JsonNode deepWhereJson(int levels) {
        return JsonTrees.parse(deepWhere(levels).replaceAll("([a-z_]+):", "\"$1\":"));
    }

    private static String slowStatements() {
        return "datname = '" + db.name() + "' AND state = 'active' AND query LIKE '%slow_articles%' AND pid <> pg_backend_pid()";
    }

    private static long runningSlowStatements() {
        return db.queryLong("SELECT count(*) FROM pg_stat_activity WHERE " + slowStatements());
    }

    /** Asks {@code sidecar} for slow_articles, which sleeps {@code seconds} in Postgres, without waiting for the answer. */
    private static CompletableFuture<GraphqlResponse> slowArticles(TestSidecar sidecar, double seconds) {
        return CompletableFuture.supplyAsync(() -> sidecar.client().query("{ slow_articles(args: {seconds: " + seconds + "}) { id } }"));
    }

    /** How long {@code sidecar} took to answer a read of the authors, whose answer is checked. */
    private static Duration authorsAnswered(TestSidecar sidecar) {
        long start = System.nanoTime();
        GraphqlResponse answer = sidecar.client().query("{ author(order_by: {id: asc}) { id } }");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(JsonTrees.parse("{\"author\": [{\"id\": 1}, {\"id\": 2}]}"), answer.data(), answer.toString());
        return took;
    }

    /** One sample of the sidecar's metrics, or -1 if it has none of that name. */
    private static double metric(TestSidecar sidecar, String sample) {
        try {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(sidecar.adminUri("/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return metrics.lines().filter(line -> line.startsWith(sample + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviated(GraphqlResponse answer) {
        String text = answer.toString();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
