package io.joinery.it.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Actions served end to end: a real sidecar and Postgres, handlers on WireMock (metadata
 * it/metadata-actions.yaml), the remote schema "profiles" on embedded Helidon.
 */
class ActionsTest {

    static TestDatabase db;
    static TestGraphqlServer remote;
    static WireMockServer handlers;
    static TestSidecar sidecar;
    /** A handler that reads the database: how many authors have the name it is sent (Note [Mutations and actions]). */
    static com.sun.net.httpserver.HttpServer counter;
    static final List<String> counted = new java.util.concurrent.CopyOnWriteArrayList<>();
    static GraphqlClient admin;
    static GraphqlClient user;
    /** A caller without the admin secret: what it sees of a failure has no internals. */
    static GraphqlClient anonymous;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("actions").load("/it/schema.sql");
        remote = new TestGraphqlServer();
        handlers = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        handlers.start();
        counter = countingHandler();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-actions.yaml", environment());
        admin = sidecar.client();
        user = admin.withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "42"));
        anonymous = admin.without("x-joinery-admin-secret");
    }

    static Map<String, String> environment() {
        return Map.of("PROFILES_URL", remote.url(), "CREATE_ORDER_URL", handlers.baseUrl() + "/create-order",
                "ORDERS_URL", handlers.baseUrl() + "/orders", "SLOW_URL", handlers.baseUrl() + "/slow", "ORDERS_KEY", "secret-key",
                "COUNT_URL", "http://127.0.0.1:" + counter.getAddress().getPort() + "/count");
    }

    static com.sun.net.httpserver.HttpServer countingHandler() {
        try {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/count", exchange -> {
                String name = body(exchange.getRequestBody().readAllBytes()).at("/input/name").asText();
                counted.add(name);
                // the test's own names, letters only: no quoting needed
                byte[] answer = String.valueOf(db.queryLong("SELECT count(*) FROM author WHERE name = '" + name.replaceAll("[^A-Za-z]", "") + "'"))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        counter.stop(0);
        handlers.stop();
        remote.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        handlers.resetAll();
        remote.reset();
    }

    /** The orders handler answers {@code answer} when called with {@code count}. */
    static void orders(int count, ResponseDefinitionBuilder answer) {
        handlers.stubFor(post(urlEqualTo("/orders")).withRequestBody(matchingJsonPath("$.input.count", equalTo(String.valueOf(count))))
                .willReturn(answer));
    }

    /** {@code count} orders, of authors 1, 2, …, 10, 1, … */
    static String orderList(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "{\"order_id\":" + i + ",\"author_id\":" + (1 + (i - 1) % 10) + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void thePayloadAndTheSessionVariablesReachTheHandler() {
        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(okJson("""
                {"order_id": 7, "author_id": 3, "status": "NEW", "note": "n", "unknown": 1}""")));
        String query = "mutation Place($q: Int) { createOrder(input: {author_id: 3, quantity: $q}) { order_id status note } }";
        JsonNode data = ok(user.query(query, Map.of("q", 2)));
        assertEquals("{\"createOrder\":{\"order_id\":7,\"status\":\"NEW\",\"note\":\"n\"}}", data.toString(),
                "shaped to the selection, extra fields ignored");
        JsonNode payload = body(only("/create-order"));
        assertEquals("{\"name\":\"createOrder\"}", payload.path("action").toString());
        assertEquals("{\"input\":{\"author_id\":3,\"quantity\":2,\"channel\":\"web\"}}", payload.path("input").toString(),
                "the arguments, variables resolved, the input type's default filled in");
        assertEquals("user", payload.path("session_variables").path("x-joinery-role").asText(), payload.toString());
        assertEquals("42", payload.path("session_variables").path("x-joinery-user-id").asText(), payload.toString());
        assertEquals(query, payload.path("request_query").asText());
    }

    /** Defaults declared in custom input types reach the handler where the client left the field out, at any depth. */
    @Test
    void inputDefaultsReachTheHandler() {
        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(okJson("{\"order_id\": 1}")));
        ok(user.query("mutation { createOrder(input: {author_id: 1, lines: [{sku: \"a\"}, {sku: \"b\", count: 3}]}) { order_id } }"));
        assertEquals("{\"author_id\":1,\"lines\":[{\"sku\":\"a\",\"count\":1},{\"sku\":\"b\",\"count\":3}],\"channel\":\"web\"}",
                body(only("/create-order")).at("/input/input").toString(), "a literal argument");
        handlers.resetRequests();
        ok(user.query("mutation ($in: OrderInput!) { createOrder(input: $in) { order_id } }",
                Map.of("in", Map.of("author_id", 1, "channel", "app", "lines", List.of(Map.of("sku", "c"))))));
        JsonNode input = body(only("/create-order")).at("/input/input");
        assertEquals("app", input.path("channel").asText(), "a value given keeps it: " + input);
        assertEquals(1, input.at("/lines/0/count").asInt(), "a variable's input objects get their defaults too: " + input);
        handlers.resetRequests();
        ok(user.query("mutation { createOrder(input: {author_id: 1, channel: null}) { order_id } }"));
        assertTrue(body(only("/create-order")).at("/input/input/channel").isNull(), "an explicit null stays null");
        JsonNode field = ok(admin.query("{ __type(name: \"OrderInput\") { inputFields { name defaultValue } } }")).at("/__type/inputFields");
        assertTrue(field.toString().contains("{\"name\":\"channel\",\"defaultValue\":\"\\\"web\\\"\"}"), "introspection shows it: " + field);
    }

    /**
     * Note [Mutations and actions]: table mutations and actions in one operation run in the client's
     * order; the rows written before an action are committed when its handler is called.
     */
    @Test
    void tableMutationsAndActionsRunInTheClientsOrder() {
        counted.clear();
        JsonNode data = ok(admin.query("""
                mutation {
                  before: countAuthors(name: "Mixedone")
                  a: insert_author_one(object: {name: "Mixedone"}) { name }
                  b: insert_author_one(object: {name: "Mixedone"}) { name }
                  after: countAuthors(name: "Mixedone")
                }"""));
        assertEquals("{\"before\":0,\"a\":{\"name\":\"Mixedone\"},\"b\":{\"name\":\"Mixedone\"},\"after\":2}", data.toString());

        JsonNode error = onlyError(admin.query("""
                mutation {
                  a: insert_author_one(object: {name: "Mixedtwo", email: "mixed@two"}) { name }
                  seen: countAuthors(name: "Mixedtwo")
                  b: insert_author_one(object: {name: "Mixedtwo", email: "mixed@two"}) { name }
                  never: countAuthors(name: "Mixedtwo")
                }"""));
        assertEquals("constraint-violation", error.at("/extensions/code").asText(), error.toString());
        assertEquals(1, db.queryLong("SELECT count(*) FROM author WHERE name = 'Mixedtwo'"),
                "the fields before the failing one took effect, as in Hasura");
        assertEquals(List.of("Mixedone", "Mixedone", "Mixedtwo"), counted, "the action after the failing mutation is not called");
    }

    @Test
    void configuredHeadersGoWithTheClientsForwardedOnes() {
        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(okJson("{\"order_id\": 1}")));
        ok(user.withHeaders(Map.of("X-Trace-Me", "yes", "Authorization", "Bearer abc", "X-Client", "from-client"))
                .query("mutation { createOrder(input: {author_id: 1}) { order_id } }"));
        LoggedRequest request = only("/create-order");
        assertEquals("secret-key", request.getHeader("X-Api-Key"), "from_env header");
        assertEquals("joinery", request.getHeader("X-Client"), "the action's header wins over the client's");
        assertEquals("yes", request.getHeader("X-Trace-Me"), "forwarded");
        assertEquals("Bearer abc", request.getHeader("Authorization"), "forwarded");
        assertFalse(request.containsHeader("x-joinery-admin-secret"), "the admin secret is never forwarded");
        assertFalse(request.containsHeader("x-joinery-user-id"), "session variables travel in the payload");
        assertTrue(request.containsHeader("X-Forwarded-Host"), request.getHeaders().toString());
    }

    @Test
    void aHandlersRefusalIsReportedAsHasuraReportsIt() {
        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"out of stock\", \"code\": \"no-stock\"}")));
        JsonNode error = onlyError(user.query("mutation { createOrder(input: {author_id: 1}) { order_id } }"));
        assertEquals("out of stock", error.path("message").asText());
        assertEquals("no-stock", error.path("extensions").path("code").asText());
        assertEquals("$.createOrder", error.path("extensions").path("path").asText());

        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"bad quantity\", \"extensions\": {\"code\": \"invalid\", \"max\": 5}}")));
        error = onlyError(user.query("mutation { createOrder(input: {author_id: 1}) { order_id } }"));
        assertEquals("bad quantity", error.path("message").asText());
        assertEquals("{\"code\":\"invalid\",\"max\":5}", error.path("extensions").toString(), "the handler's extensions, as sent");

        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"message\": \"no code\"}")));
        assertEquals("unexpected", onlyError(user.query("mutation { createOrder(input: {author_id: 1}) { order_id } }"))
                .path("extensions").path("code").asText());
    }

    @Test
    void failuresOfTheHandlerAreClearErrorsAtTheActionsPath() {
        orders(503, aResponse().withStatus(503).withBody("down for maintenance at 10.0.0.7"));
        handlers.stubFor(post(urlEqualTo("/slow")).willReturn(okJson("[]").withFixedDelay(3000)));
        orders(1000, aResponse().withStatus(200).withBody("<html>not json</html>"));
        orders(2, okJson("[{\"order_id\": 1}, {\"author_id\": 2}]"));
        orders(3, okJson("{\"order_id\": 1}"));
        assertFailure(503, "action 'orders': the handler failed (HTTP 503)");
        assertFailure("slowOrders", 1, "action 'slowOrders': the handler did not answer within 1000 ms");
        assertFailure(1000, "action 'orders': the handler answered HTTP 200 with a body that is not JSON");
        assertFailure(2, "field \"order_id\" expected in webhook response, but not found");
        assertFailure(3, "expecting array for action webhook response but got object");
    }

    private static void assertFailure(int count, String message) {
        assertFailure("orders", count, message);
    }

    private static void assertFailure(String action, int count, String message) {
        GraphqlClient.GraphqlResponse response = anonymous.query("{ " + action + "(count: " + count + ") { order_id } }");
        JsonNode error = onlyError(response);
        assertEquals(message, error.path("message").asText(), response.toString());
        assertEquals("unexpected", error.path("extensions").path("code").asText(), response.toString());
        assertEquals("$." + action, error.path("extensions").path("path").asText(), response.toString());
        assertFalse(response.toString().contains("10.0.0.7") || response.toString().contains("127.0.0.1"),
                "no internals for a non-admin: " + response);
        assertTrue(response.data().path(action).isNull(), response.toString());
    }

    @Test
    void adminsSeeTheHandlersAnswerInInternal() {
        orders(503, aResponse().withStatus(503).withBody("down for maintenance"));
        JsonNode error = onlyError(admin.query("{ orders(count: 503) { order_id } }"));
        assertTrue(error.path("extensions").path("internal").asText().contains("down for maintenance"), error.toString());
    }

    @Test
    void scalarsAreCoercedAsHasuraDoes() {
        orders(4, okJson("""
                [{"order_id": "4", "note": 12, "total": "2.5", "paid": "true", "tags": ["a"], "extra": {"code": 7, "more": 1}}]"""));
        JsonNode order = ok(user.query("{ orders(count: 4) { order_id note total paid tags extra { code } __typename } }"))
                .path("orders").path(0);
        assertEquals("{\"order_id\":4,\"note\":\"12\",\"total\":2.5,\"paid\":true,\"tags\":[\"a\"],\"extra\":{\"code\":\"7\"},"
                + "\"__typename\":\"OrderResult\"}", order.toString());
        orders(5, okJson("[{\"order_id\": \"four\"}]"));
        assertEquals("expecting Int for field \"order_id\", got \"four\"",
                onlyError(user.query("{ orders(count: 5) { order_id } }")).path("message").asText());
    }

    @Test
    void aFailingActionCostsOnlyItsOwnField() {
        orders(503, aResponse().withStatus(503));
        GraphqlClient.GraphqlResponse response = user.query("{ orders(count: 503) { order_id } author(where: {id: {_eq: 1}}) { name } }");
        assertTrue(response.data().path("orders").isNull(), response.toString());
        assertEquals(1, response.data().path("author").size(), response.toString());
        assertEquals(1, response.errors().size(), response.toString());
    }

    @Test
    void actionFieldsRunConcurrentlyWithTableAndRemoteFields() {
        orders(7, okJson(orderList(1)).withFixedDelay(1500));
        remote.delay(java.time.Duration.ofMillis(1500));
        try {
            long start = System.nanoTime();
            JsonNode data = ok(admin.query("{ orders(count: 7) { order_id } profile(authorId: 1) { bio } author(limit: 1) { id } }"));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, data.path("orders").size(), data.toString());
            assertEquals("bio of 1", data.path("profile").path("bio").asText(), data.toString());
            assertTrue(millis < 2900, "the handler and the remote answer at once, not one after the other: " + millis + " ms");
        } finally {
            remote.delay(java.time.Duration.ZERO);
        }
    }

    @Test
    void theActionsOfAMutationAreCalledOneAfterTheOther() {
        handlers.stubFor(post(urlEqualTo("/create-order")).withRequestBody(matchingJsonPath("$.input.input.note", equalTo("first")))
                .willReturn(okJson("{\"order_id\": 1}").withFixedDelay(700)));
        handlers.stubFor(post(urlEqualTo("/create-order")).withRequestBody(matchingJsonPath("$.input.input.note", equalTo("second")))
                .willReturn(okJson("{\"order_id\": 2}").withFixedDelay(700)));
        long start = System.nanoTime();
        JsonNode data = ok(user.query("mutation { a: createOrder(input: {author_id: 1, note: \"first\"}) { order_id } "
                + "b: createOrder(input: {author_id: 1, note: \"second\"}) { order_id } }"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("{\"a\":{\"order_id\":1},\"b\":{\"order_id\":2}}", data.toString());
        assertEquals(2, handlers.findAll(postRequestedFor(urlEqualTo("/create-order"))).size());
        assertTrue(millis >= 1400, "the second handler call waits for the first's answer (700 ms each): " + millis + " ms");
    }

    @Test
    void aRoleThatMayNotCallAnActionDoesNotSeeIt() {
        GraphqlClient.GraphqlResponse response = user.query("{ adminReport }");
        assertEquals("field 'adminReport' not found in type: 'query_root'", response.errors().path(0).path("message").asText(),
                response.toString());
        assertEquals("validation-failed", response.errors().path(0).path("extensions").path("code").asText());
        assertTrue(handlers.getAllServeEvents().isEmpty(), "no handler call");
        handlers.stubFor(post(urlEqualTo("/orders")).willReturn(okJson("\"all good\"")));
        assertEquals("{\"adminReport\":\"all good\"}", ok(admin.query("{ adminReport }")).toString());
    }

    @Test
    void joinedRowsFollowTheRolesPermissions() {
        orders(10, okJson(orderList(10)));
        JsonNode orders = ok(user.query("{ orders(count: 10) { order_id author { id name } articles(order_by: {id: asc}) { id published } } }"))
                .path("orders");
        assertEquals(10, orders.size());
        for (JsonNode order : orders) {
            int author = order.path("order_id").asInt();
            assertEquals(author <= 5, !order.path("author").isNull(), "authors 1..5 only: " + order);
            order.path("articles").forEach(article -> assertTrue(article.path("published").asBoolean(), order.toString()));
            assertFalse(order.toString().contains("__joinery"), "no phantom keys: " + order);
        }
    }

    @Test
    void anActionJoinsATableInOneStatementForOneAndForAHundredObjects() throws Exception {
        orders(1, okJson(orderList(1)));
        orders(100, okJson(orderList(100)));
        try (StatementRecorder recorder = StatementRecorder.forward(db.url())) {
            try (TestSidecar counted = TestSidecar.start(recorder.url(db.url()), "/it/metadata-actions.yaml", environment())) {
                GraphqlClient client = counted.client();
                for (int count : List.of(1, 100)) {
                    int from = recorder.executed().size();
                    JsonNode orders = ok(client.query("{ orders(count: " + count + ") { order_id author { id name } } }")).path("orders");
                    assertEquals(count, orders.size());
                    orders.forEach(order -> assertEquals(1 + (order.path("order_id").asInt() - 1) % 10,
                            order.path("author").path("id").asInt(), order.toString()));
                    List<String> statements = recorder.executedSince(from);
                    assertEquals(1, statements.size(), count + " objects: " + statements);
                    assertTrue(statements.getFirst().contains("jsonb_to_recordset"), statements.toString());
                }
            }
        }
    }

    @Test
    void anActionJoinsATableThatJoinsARemoteSchemaWithOneCall() {
        orders(6, okJson(orderList(6)));
        JsonNode orders = ok(admin.query("{ orders(count: 6) { order_id author { id profile { authorId followers } } } }")).path("orders");
        assertEquals(6, orders.size());
        orders.forEach(order -> assertEquals(order.path("author").path("id").asInt(),
                order.path("author").path("profile").path("authorId").asInt(), order.toString()));
        assertEquals(1, remote.requests(), "one call for the remote join of all the joined rows");
    }

    @Test
    void aMutationActionsJoinedRowsAreReadAfterTheHandlerAnswered() {
        handlers.stubFor(post(urlEqualTo("/create-order")).willReturn(okJson("{\"order_id\": 1, \"author_id\": 2}")));
        JsonNode order = ok(user.query("mutation { createOrder(input: {author_id: 2}) { order_id author { name } } }")).path("createOrder");
        assertEquals(1, order.path("order_id").asInt());
        assertFalse(order.path("author").path("name").asText().isEmpty(), order.toString());
    }

    private static LoggedRequest only(String path) {
        List<LoggedRequest> requests = handlers.findAll(postRequestedFor(urlEqualTo(path)));
        assertEquals(1, requests.size(), "calls of " + path);
        return requests.getFirst();
    }

    private static JsonNode body(LoggedRequest request) {
        return body(request.getBody());
    }

    private static JsonNode body(byte[] bytes) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode onlyError(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertEquals(1, response.errors().size(), response.toString());
        return response.errors().get(0);
    }

    private static JsonNode ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertFalse(response.errors().isArray() && !response.errors().isEmpty(), response.toString());
        return response.data();
    }
}
