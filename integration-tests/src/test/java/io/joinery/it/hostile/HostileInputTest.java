package io.joinery.it.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input suite: what an attacker with a GraphQL caller's rights (no admin secret, the role
 * {@code anonymous}) and a careless client can send, against one live sidecar with its limits set low
 * enough to reach in a few seconds. Each attack says which finding of the issue it holds (injection,
 * permissions, parser limits, bounded database work, bounded memory, remote schemas that misbehave,
 * the HTTP edge, sessions, health).
 * The last line of its output is {@code hostile input: N passed, M failed}; run it alone with
 * {@code ./mvnw -B -q -pl integration-tests -am verify -Phostile}. It is part of every {@code verify}.
 */
@Tag("hostile")
class HostileInputTest {

    /** Small limits so that every attack reaches them within the suite's ~60 s. */
    private static final Map<String, String> LIMITS = Map.of(
            "JOINERY_STATEMENT_TIMEOUT_MS", "1000",
            "JOINERY_MAX_BATCH_SIZE", "50",
            "JOINERY_MAX_REQUEST_BYTES", "262144",
            "JOINERY_READ_TIMEOUT_SECONDS", "2",
            "JOINERY_POOL_SIZE", "4",
            "JOINERY_MAX_REMOTE_RESPONSE_BYTES", "1048576");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicInteger PASSED = new AtomicInteger();
    private static final List<String> FAILED = new ArrayList<>();

    /** Bigger than the sidecar reads of a remote's answer (JOINERY_MAX_REMOTE_RESPONSE_BYTES: 1 MB). */
    private static final int BIG_ANSWER = 4 << 20;

    private static TestDatabase database;
    private static WebServer big;
    private static WebServer gone;
    private static TestSidecar sidecar;
    /** A caller without the admin secret: the role {@code anonymous}. */
    private static GraphqlClient caller;

    @BeforeAll
    static void start() {
        database = TestDatabase.create("hostile").load("/it/schema.sql").load("/it/schema-hostile.sql");
        big = remote("type Query { bigText: String }", "{\"data\":{\"bigText\":\"" + "x".repeat(BIG_ANSWER) + "\"}}");
        gone = remote("type Query { goneText: String }", "{\"data\":{\"goneText\":\"here\"}}");
        Map<String, String> env = new LinkedHashMap<>(LIMITS);
        env.put("HOSTILE_BIG_URL", "http://127.0.0.1:" + big.port() + "/graphql");
        env.put("HOSTILE_GONE_URL", "http://127.0.0.1:" + gone.port() + "/graphql");
        sidecar = TestSidecar.start(database.url(), "/it/metadata-hostile.yaml", env);
        gone.stop();
        caller = sidecar.client().without("x-joinery-admin-secret");
    }

    @AfterAll
    static void stop() {
        String summary = "hostile input: " + PASSED.get() + " passed, " + FAILED.size() + " failed"
                + (FAILED.isEmpty() ? "" : " (" + String.join(", ", FAILED) + ")");
        System.out.println(summary);
        try (TestSidecar closingSidecar = sidecar; TestDatabase closingDatabase = database) {
            // the sidecar closes first, then its database
        } finally {
            big.stop();
        }
    }

    @TestFactory
    Stream<DynamicTest> attacks() {
        Map<String, Executable> attacks = new LinkedHashMap<>();
        attacks.put("injection: a quote in a string comparison is a value", HostileInputTest::injectionInWhere);
        attacks.put("injection: a quote in a variable is a value", HostileInputTest::injectionInVariable);
        attacks.put("permissions: a forbidden column is not in the schema", HostileInputTest::forbiddenColumn);
        attacks.put("permissions: a forbidden table is not in the schema", HostileInputTest::forbiddenTable);
        attacks.put("permissions: rows outside the filter never come back", HostileInputTest::rowFilter);
        attacks.put("sessions: a spoofed x-joinery-user-id is ignored", HostileInputTest::spoofedSession);
        attacks.put("parser: a selection 100 levels deep is refused", HostileInputTest::deepSelection);
        attacks.put("parser: 20,000 tokens are refused", HostileInputTest::tokenFlood);
        attacks.put("database: a where nesting relationships 40 deep is refused with its path", HostileInputTest::deepWhere);
        attacks.put("database: 8 deep wheres at once leave other queries fast", HostileInputTest::deepWheresUnderLoad);
        attacks.put("database: an _or of 5,000 conditions is refused", HostileInputTest::wideWhere);
        attacks.put("database: a where 10,000 deep in a literal is a JSON error", HostileInputTest::deepLiteral);
        attacks.put("database: a where 10,000 deep in variables is a JSON error", HostileInputTest::deepVariables);
        attacks.put("database: a slow statement is cancelled at the timeout", HostileInputTest::slowStatement);
        attacks.put("errors: a database error shows no SQL to a caller", HostileInputTest::noInternals);
        attacks.put("memory: a batch over the limit is refused whole", HostileInputTest::oversizedBatch);
        attacks.put("memory: a body over the limit is a JSON 413", HostileInputTest::oversizedBody);
        attacks.put("memory: 300 distinct large documents leave the sidecar answering", HostileInputTest::distinctDocuments);
        attacks.put("memory: a remote's answer over the cap is refused, the rest served", HostileInputTest::bigRemoteAnswer);
        attacks.put("errors: an unreachable remote shows a caller no URL", HostileInputTest::goneRemote);
        attacks.put("edge: trailing garbage after the JSON body is invalid-json", HostileInputTest::trailingGarbage);
        attacks.put("edge: a control character in a header is a JSON 400", HostileInputTest::controlCharacterHeader);
        attacks.put("edge: a role with a bidi control is refused", HostileInputTest::bidiRole);
        attacks.put("edge: a client that stalls mid-request is disconnected", HostileInputTest::slowClient);
        attacks.put("admin: the admin API and explain refuse callers without the secret", HostileInputTest::adminWithoutSecret);
        attacks.put("health: liveness is UP and queries answer after all of it", HostileInputTest::stillAlive);
        return attacks.entrySet().stream().map(attack -> DynamicTest.dynamicTest(attack.getKey(), () -> counted(attack.getKey(), attack.getValue())));
    }

    private static void counted(String name, Executable attack) throws Throwable {
        try {
            attack.execute();
            PASSED.incrementAndGet();
        } catch (Throwable failure) {
            synchronized (FAILED) {
                FAILED.add(name);
            }
            throw failure;
        }
    }

    // --- injection and permissions ---

    private static void injectionInWhere() {
        GraphqlResponse answer = caller.query("{ article(where: {title: {_eq: \"x' OR '1'='1\"}}) { id } }");
        assertEquals("[]", answer.data().path("article").toString(), answer.toString());
        assertEquals(30, database.queryLong("SELECT count(*) FROM article"), "the article table after the attack");
    }

    private static void injectionInVariable() {
        GraphqlResponse answer = caller.query("query($t: String) { article(where: {title: {_ilike: $t}}) { id } }",
                Map.of("t", "%'; DROP TABLE article; --"));
        assertEquals("[]", answer.data().path("article").toString(), answer.toString());
        assertEquals(30, database.queryLong("SELECT count(*) FROM article"), "the article table after the attack");
    }

    private static void forbiddenColumn() {
        assertError(caller.query("{ author { id email } }"), "validation-failed", "email");
    }

    private static void forbiddenTable() {
        assertError(caller.query("{ all_types { id } }"), "validation-failed", "all_types");
    }

    private static void rowFilter() {
        GraphqlResponse answer = caller.query("{ article(where: {published: {_eq: false}}) { id } comment { article_id } }");
        assertEquals("[]", answer.data().path("article").toString(), "unpublished articles: " + answer);
        long published = database.queryLong("SELECT count(*) FROM comment c JOIN article a ON a.id = c.article_id WHERE a.published");
        assertEquals(published, answer.data().path("comment").size(), "comments on published articles only: " + answer);
    }

    private static void spoofedSession() {
        GraphqlResponse answer = caller.withHeaders(Map.of("x-joinery-user-id", "1", "x-joinery-role", "admin"))
                .query("{ odd_columns { id ok } }");
        assertFalse(answer.text().contains("fine"), "a caller without the secret chose its own user id: " + answer);
        assertError(caller.withHeaders(Map.of("x-joinery-role", "admin")).query("{ author { email } }"), "validation-failed", "email");
    }

    // --- parser limits ---

    private static void deepSelection() {
        String query = "{ author { " + "articles { author { ".repeat(50) + "id" + " } }".repeat(50) + " } }";
        assertError(caller.query(query), "validation-failed", "depth");
    }

    private static void tokenFlood() {
        assertError(caller.query("{ author { " + "id ".repeat(20_000) + "} }"), "validation-failed", "token");
    }

    // --- bounded database work ---

    private static String deepWhere(int depth) {
        return "{ author(where: " + "{articles: {author: ".repeat(depth / 2) + "{id: {_eq: 1}}" + "}}".repeat(depth / 2) + ") { id } }";
    }

    /** The same as variables: JSON, which no GraphQL grammar limit sees. */
    private static String deepWhereJson(int depth) {
        return "{\"articles\": {\"author\": ".repeat(depth / 2) + "{\"id\": {\"_eq\": 1}}" + "}}".repeat(depth / 2);
    }

    private static void deepWhere() {
        long start = System.nanoTime();
        GraphqlResponse answer = caller.query(deepWhere(40));
        assertError(answer, "validation-failed", "levels deep");
        assertTrue(answer.errors().get(0).path("extensions").path("path").asText().contains("where"),
                "the error's path names the where: " + answer);
        assertFast(start, "refusing a deep where");
    }

    private static void deepWheresUnderLoad() throws Exception {
        ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<GraphqlResponse>> hostile = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                hostile.add(attackers.submit(() -> caller.query("query($w: author_bool_exp) { author(where: $w) { id } }",
                        Map.of("w", JsonTrees.toMap(JsonTrees.parse(deepWhereJson(200)))))));
            }
            long start = System.nanoTime();
            GraphqlResponse normal = caller.query("{ author(order_by: {id: asc}, limit: 2) { id } }");
            assertFast(start, "a normal query beside 8 deep wheres");
            assertEquals("[{\"id\":1},{\"id\":2}]", normal.data().path("author").toString(), normal.toString());
            for (Future<GraphqlResponse> attack : hostile) {
                assertError(attack.get(), "validation-failed", "levels deep");
            }
        } finally {
            attackers.shutdownNow();
        }
    }

    private static void wideWhere() {
        String or = "{id: {_eq: 1}}, ".repeat(5_000);
        assertError(caller.query("{ article(where: {_or: [" + or + "]}) { id } }"), "validation-failed", null);
    }

    private static void deepLiteral() {
        String where = "{_not: ".repeat(10_000) + "{id: {_eq: 1}}" + "}".repeat(10_000);
        GraphqlResponse answer = caller.query("{ article(where: " + where + ") { id } }");
        assertError(answer, null, null);
        assertTrue(answer.status() < 500, "a client error, not a server one: " + answer.status());
    }

    private static void deepVariables() {
        String where = "{\"_not\":".repeat(10_000) + "{\"id\":{\"_eq\":1}}" + "}".repeat(10_000);
        GraphqlResponse answer = caller.postText("{\"query\":\"query($w: article_bool_exp) { article(where: $w) { id } }\",\"variables\":{\"w\":"
                + where + "}}");
        assertError(answer, null, null);
        assertTrue(answer.status() < 500, "a client error, not a server one: " + answer.status());
    }

    private static void slowStatement() {
        long start = System.nanoTime();
        GraphqlResponse answer = caller.query("{ slow_articles(args: {seconds: 30}) { id } }");
        assertError(answer, "unexpected", "1000 ms");
        assertFast(start, "the slow statement's cancellation");
        assertEquals(0, database.queryLong("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow_articles%'"
                + " AND state = 'active' AND pid <> pg_backend_pid()"), "backends still running the slow statement");
    }

    private static void noInternals() {
        GraphqlResponse answer = caller.query("{ article(where: {title: {_regex: \"(\"}}) { id } }");
        assertError(answer, "data-exception", null);
        String text = answer.text().toLowerCase(java.util.Locale.ROOT);
        assertFalse(text.contains("select") || text.contains("internal") || text.contains("json_agg"),
                "a caller sees no SQL or internals: " + answer);
    }

    // --- bounded memory ---

    private static void oversizedBatch() {
        String batch = "[" + String.join(",", java.util.Collections.nCopies(60, "{\"query\":\"{ __schema { types { name } } }\"}")) + "]";
        GraphqlResponse answer = caller.postText(batch);
        assertEquals(400, answer.status(), abbreviated(answer));
        assertError(answer, null, "batch");
    }

    /**
     * Only the head is sent: the sidecar refuses by the declared length before any body is read
     * (sending the body too would race the sidecar's close, and the client could lose the answer).
     */
    private static void oversizedBody() throws IOException {
        String response = raw("POST /v1/graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 300000\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 413"), "413: " + response);
        assertTrue(response.contains("\"errors\""), "the JSON error shape: " + response);
    }

    private static void distinctDocuments() {
        for (int i = 0; i < 300; i++) {
            String query = "{ article(where: {title: {_eq: \"" + i + "\"}}) { id } }" + " ".repeat(100_000) + "# " + i;
            GraphqlResponse answer = caller.query(query);
            assertEquals("[]", answer.data().path("article").toString(), "document " + i + ": " + answer);
        }
    }

    private static void bigRemoteAnswer() {
        GraphqlResponse answer = caller.query("{ article(order_by: {id: asc}, limit: 1) { id } bigText }");
        assertEquals("[{\"id\":1}]", answer.data().path("article").toString(), "the database field is served: " + abbreviated(answer));
        assertTrue(answer.data().path("bigText").isNull(), "the remote field is null: " + abbreviated(answer));
        JsonNode error = answer.errors().path(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), abbreviated(answer));
        assertTrue(error.path("message").asText().contains("answered more than"), abbreviated(answer));
        assertTrue(answer.text().length() < 10_000, "no part of the big answer reaches the caller: " + answer.text().length() + " characters");
    }

    private static void goneRemote() {
        GraphqlResponse answer = caller.query("{ goneText }");
        JsonNode error = answer.errors().path(0);
        assertEquals("remote-schema-error", error.path("extensions").path("code").asText(), answer.toString());
        assertTrue(error.path("message").asText().contains("'gone'"), "the error names the remote: " + answer);
        assertFalse(answer.text().contains("127.0.0.1") || answer.text().contains("internal"), "a caller sees no URL or internals: " + answer);
    }

    // --- the HTTP edge ---

    private static void trailingGarbage() {
        GraphqlResponse answer = caller.postText("{\"query\":\"{ article { id } }\"} trailing");
        assertError(answer, "invalid-json", null);
    }

    private static void controlCharacterHeader() throws IOException {
        String response = raw("POST /v1/graphql HTTP/1.1\r\nHost: x\r\nx-joinery-user-id: a\u0001b\r\nContent-Type: application/json\r\n"
                + "Content-Length: 26\r\nConnection: close\r\n\r\n{\"query\":\"{ __typename }\"}");
        assertTrue(response.startsWith("HTTP/1.1 400"), "400: " + response);
        assertTrue(response.contains("\"errors\""), "the JSON error shape: " + response);
    }

    private static void bidiRole() throws IOException {
        String response = raw("POST /v1/graphql HTTP/1.1\r\nHost: x\r\nx-joinery-admin-secret: " + TestSidecar.ADMIN_SECRET
                + "\r\nx-joinery-role: anonymous\u202E\r\nContent-Type: application/json\r\n"
                + "Content-Length: 26\r\nConnection: close\r\n\r\n{\"query\":\"{ __typename }\"}", StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 4"), "refused: " + response);
        assertTrue(response.contains("\"errors\"") && response.contains("role"), "a JSON error about the role: " + response);
    }

    private static void slowClient() throws IOException {
        URI uri = sidecar.graphqlUri("/v1/graphql");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /v1/graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"query\"".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            try {
                InputStream in = socket.getInputStream();
                while (in.read() != -1) {
                    // drain whatever the server says before it closes
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a stalled client for 10 s", e);
            } catch (IOException reset) {
                // a reset is a close too
            }
            assertFast(start, "closing a stalled client");
        }
    }

    private static void adminWithoutSecret() throws Exception {
        HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(sidecar.adminUri("/admin/v1/metadata")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, metadata.statusCode(), metadata.body());
        GraphqlResponse explain = new GraphqlClient(sidecar.graphqlUri("/v1/graphql/explain"), Map.of())
                .postText("{\"query\":{\"query\":\"{ article { id } }\"}}");
        assertEquals(401, explain.status(), explain.toString());
    }

    // --- health ---

    private static void stillAlive() throws Exception {
        HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(sidecar.adminUri("/health/live")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, live.statusCode(), live.body());
        GraphqlResponse answer = caller.query("{ article(order_by: {id: asc}, limit: 1) { id } }");
        assertEquals(1, answer.data().path("article").size(), answer.toString());
    }

    // --- helpers ---

    /** The answer is an error with {@code code} (any when null) whose message contains {@code text} (any when null). */
    private static void assertError(GraphqlResponse answer, String code, String text) {
        JsonNode errors = answer.errors();
        assertTrue(errors.isArray() && !errors.isEmpty(), "an error: " + abbreviated(answer));
        JsonNode first = errors.get(0);
        if (code != null) {
            assertEquals(code, first.path("extensions").path("code").asText(), abbreviated(answer));
        }
        if (text != null) {
            assertTrue(first.path("message").asText().contains(text), "the message names '" + text + "': " + abbreviated(answer));
        }
        assertTrue(answer.data().isMissingNode() || answer.data().isNull(), "a failed request has no data: " + abbreviated(answer));
    }

    private static void assertFast(long startNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, what + " took " + took.toMillis() + " ms");
    }

    private static String abbreviated(GraphqlResponse answer) {
        String text = answer.toString();
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

    /** A remote GraphQL server answering introspection of {@code sdl}, and {@code answer} to every other query. */
    private static WebServer remote(String sdl, String answer) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        String introspection = JsonTrees.write(JsonTrees.tree(GraphQL.newGraphQL(schema).build()
                .execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification()));
        byte[] data = answer.getBytes(StandardCharsets.UTF_8);
        return WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> routing.post("/graphql", (req, res) -> {
                    String body = req.content().as(String.class);
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    if (body.contains("__schema")) {
                        res.send(introspection);
                    } else {
                        res.send(data);
                    }
                }))
                .build().start();
    }

    /** Sends bytes as they are over a new connection and returns everything the server answers. */
    private static String raw(String request) throws IOException {
        return raw(request, StandardCharsets.ISO_8859_1);
    }

    private static String raw(String request, java.nio.charset.Charset charset) throws IOException {
        URI uri = sidecar.graphqlUri("/v1/graphql");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(charset));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no answer within 5 s", e);
        }
    }
}
