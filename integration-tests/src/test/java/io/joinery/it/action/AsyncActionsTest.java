package io.joinery.it.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asynchronous actions end to end (Note [Async actions across a restart] in proxy's
 * action.AsyncActions): a real sidecar and Postgres, the handler on WireMock (metadata
 * it/metadata-async-actions.yaml); the log in the sidecar's database, which restarts read.
 */
class AsyncActionsTest {

    private static final String ENQUEUE = "mutation { createReport(input: {author_id: 3, note: \"n\"}) }";
    private static final String READ = "query ($id: uuid!) { createReport(id: $id) { __typename id created_at errors output { report_id note author { id name } } } }";

    static TestDatabase db;
    static WireMockServer handlers;
    static TestSidecar sidecar;
    static GraphqlClient admin;
    static GraphqlClient user;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("async_actions").load("/it/schema.sql");
        handlers = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        handlers.start();
        sidecar = sidecar();
        admin = sidecar.client();
        user = userOf(sidecar, "user", "42");
    }

    static TestSidecar sidecar() {
        return TestSidecar.start(db.url(), "/it/metadata-async-actions.yaml",
                Map.of("REPORT_URL", handlers.baseUrl() + "/report", "JOINERY_SHUTDOWN_GRACE_SECONDS", "1"));
    }

    static GraphqlClient userOf(TestSidecar sidecar, String role, String id) {
        return sidecar.client().without("x-joinery-admin-secret")
                .withHeaders(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET, "x-joinery-role", role, "x-joinery-user-id", id));
    }

    @AfterAll
    static void stop() {
        if (sidecar != null) {
            sidecar.close();
        }
        handlers.stop();
        db.close();
    }

    @BeforeEach
    void reset() {
        handlers.resetAll();
    }

    static void handler(ResponseDefinitionBuilder answer) {
        handlers.stubFor(post(urlEqualTo("/report")).willReturn(answer));
    }

    @Test
    void theIdComesBackAtOnceAndTheResultIsReadLater() {
        handler(okJson("{\"report_id\": 9, \"author_id\": 3, \"note\": \"done\"}").withFixedDelay(3000));
        long start = System.nanoTime();
        String id = enqueue(user.withHeaders(Map.of("X-Trace-Me", "yes")));
        long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(took < 2500, "the mutation answered after " + took + " ms, while the handler takes 3000");
        UUID.fromString(id);

        JsonNode pending = ok(user.query(READ, Map.of("id", id))).path("createReport");
        assertEquals(id, pending.path("id").asText());
        assertTrue(pending.path("output").isNull(), "no output before the handler answered: " + pending);
        assertTrue(pending.path("errors").isNull(), pending.toString());
        assertTrue(pending.path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*\\+00:00"), pending.toString());

        JsonNode done = await(user, id, result -> !result.path("output").isNull());
        assertEquals("{\"__typename\":\"createReport\",\"id\":\"" + id + "\",\"created_at\":" + done.path("created_at")
                + ",\"errors\":null,\"output\":{\"report_id\":9,\"note\":\"done\",\"author\":{\"id\":3,\"name\":" + done.at("/output/author/name")
                + "}}}", done.toString(), "Hasura's shape, the table joined into the output");
        assertTrue(done.at("/output/author/name").isTextual(), done.toString());

        List<LoggedRequest> calls = handlers.findAll(postRequestedFor(urlEqualTo("/report")));
        assertEquals(1, calls.size(), "the handler is called once");
        JsonNode payload = json(calls.getFirst().getBodyAsString());
        assertEquals("{\"name\":\"createReport\"}", payload.path("action").toString());
        assertEquals(json("{\"input\":{\"author_id\":3,\"note\":\"n\"}}"), payload.path("input"), payload.toString());
        assertEquals("user", payload.at("/session_variables/x-joinery-role").asText(), payload.toString());
        assertEquals("42", payload.at("/session_variables/x-joinery-user-id").asText(), payload.toString());
        assertEquals(ENQUEUE, payload.path("request_query").asText());
        assertEquals("yes", calls.getFirst().getHeader("X-Trace-Me"), "the client's headers are forwarded in the background too");
    }

    @Test
    void aHandlersRefusalIsRecordedInErrors() {
        handler(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"Given email address is not valid\", \"code\": \"invalid-email\"}"));
        String id = enqueue(user);
        JsonNode failed = await(user, id, result -> !result.path("errors").isNull());
        assertEquals(json("{\"path\":\"$\",\"error\":\"Given email address is not valid\",\"code\":\"invalid-email\"}"),
                failed.path("errors"), "Hasura's stored error");
        assertTrue(failed.path("output").isNull(), failed.toString());
    }

    @Test
    void anUnexpectedAnswerShowsItsInternalsToTheAdminOnly() {
        handler(aResponse().withStatus(200).withBody("not json"));
        String id = enqueue(user);
        JsonNode failed = await(user, id, result -> !result.path("errors").isNull()).path("errors");
        assertEquals("unexpected", failed.path("code").asText(), failed.toString());
        assertFalse(failed.has("internal"), "no internals for the user: " + failed);
        JsonNode seenByAdmin = ok(admin.query(READ, Map.of("id", id))).at("/createReport/errors");
        assertTrue(seenByAdmin.has("internal"), seenByAdmin.toString());
    }

    @Test
    void onlyTheCallersSessionReadsTheResult() {
        handler(okJson("{\"report_id\": 1}"));
        String id = enqueue(user);
        await(user, id, result -> !result.path("output").isNull());
        assertTrue(ok(userOf(sidecar, "user", "43").query(READ, Map.of("id", id))).path("createReport").isNull(),
                "another user of the role reads nothing");
        assertTrue(ok(userOf(sidecar, "editor", "42").query(READ, Map.of("id", id))).path("createReport").isNull(),
                "another role reads nothing");
        assertEquals(1, ok(admin.query(READ, Map.of("id", id))).at("/createReport/output/report_id").asInt(), "the admin reads every call");
        assertTrue(ok(user.query(READ, Map.of("id", UUID.randomUUID().toString()))).path("createReport").isNull(), "an unknown id");
    }

    @Test
    void aRoleNotAllowedHasNoSuchFields() {
        GraphqlClient stranger = userOf(sidecar, "stranger", "1");
        String mutation = stranger.query(ENQUEUE).errors().toString();
        assertTrue(mutation.contains("validation-failed"), "no mutation field (here: no mutation root at all): " + mutation);
        String query = stranger.query(READ, Map.of("id", UUID.randomUUID().toString())).errors().toString();
        assertTrue(query.contains("validation-failed"), "no query field (here: not even its uuid type): " + query);
    }

    /** A result outlives its sidecar; a call sent and unanswered when its sidecar stopped is failed, not sent again. */
    @Test
    void resultsSurviveARestart() {
        handler(okJson("{\"report_id\": 5}"));
        String finished = enqueue(user);
        await(user, finished, result -> !result.path("output").isNull());
        handlers.resetAll();
        handler(okJson("{\"report_id\": 6}").withFixedDelay(4000));
        String unanswered = enqueue(user);
        awaitCalls(1);
        sidecar.close(); // grace 1 s: the handler is still working
        sidecar = sidecar();
        admin = sidecar.client();
        user = userOf(sidecar, "user", "42");

        assertEquals(5, ok(user.query(READ, Map.of("id", finished))).at("/createReport/output/report_id").asInt(),
                "a finished result is read after the restart");
        JsonNode abandoned = ok(user.query(READ, Map.of("id", unanswered))).path("createReport");
        assertTrue(abandoned.path("output").isNull(), abandoned.toString());
        assertTrue(abandoned.at("/errors/error").asText().contains("stopped before the handler answered"), abandoned.toString());
        assertEquals(1, handlers.findAll(postRequestedFor(urlEqualTo("/report"))).size(), "not sent again");
    }

    /** A call recorded and never sent (its sidecar stopped in between) is sent by the next sidecar's sweep. */
    @Test
    void aCallNeverSentIsSentAfterARestart() {
        handler(okJson("{\"report_id\": 8}"));
        String id = UUID.randomUUID().toString();
        db.execute("INSERT INTO joinery.action_log (id, action_name, input, session_variables, request_headers, request_query, status) "
                + "VALUES ('" + id + "', 'createReport', '{\"input\": {\"author_id\": 1}}', "
                + "'{\"x-joinery-role\": \"user\", \"x-joinery-user-id\": \"42\"}', '{}', 'mutation { createReport }', 'created')");
        JsonNode done = await(user, id, result -> !result.path("output").isNull());
        assertEquals(8, done.at("/output/report_id").asInt(), done.toString());
        assertEquals(1, handlers.findAll(postRequestedFor(urlEqualTo("/report"))).size());
    }

    /** Two sidecars sweep the same log: each call is claimed by one of them and sent once. */
    @Test
    void twoSidecarsSendEachCallOnce() {
        handler(okJson("{\"report_id\": 4}").withFixedDelay(200));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            db.execute("INSERT INTO joinery.action_log (id, action_name, input, session_variables, request_headers, request_query, status) "
                    + "VALUES ('" + id + "', 'createReport', '{\"input\": {\"author_id\": 1}}', "
                    + "'{\"x-joinery-role\": \"user\", \"x-joinery-user-id\": \"42\"}', '{}', 'mutation { createReport }', 'created')");
        }
        try (TestSidecar second = sidecar()) {
            for (String id : ids) {
                await(userOf(second, "user", "42"), id, result -> !result.path("output").isNull());
            }
        }
        assertEquals(6, handlers.findAll(postRequestedFor(urlEqualTo("/report"))).size(), "six calls, each sent once");
    }

    private static String enqueue(GraphqlClient client) {
        JsonNode data = ok(client.query(ENQUEUE));
        assertTrue(data.path("createReport").isTextual(), data.toString());
        return data.path("createReport").asText();
    }

    private static JsonNode await(GraphqlClient client, String id, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode result = ok(client.query(READ, Map.of("id", id))).path("createReport");
            if (done.test(result) || System.nanoTime() > deadline) {
                assertTrue(done.test(result), "not done in 20 s: " + result);
                return result;
            }
            sleep(100);
        }
    }

    private static void awaitCalls(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (handlers.findAll(postRequestedFor(urlEqualTo("/report"))).size() < count && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertEquals(count, handlers.findAll(postRequestedFor(urlEqualTo("/report"))).size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertFalse(response.errors().isArray() && !response.errors().isEmpty(), response.toString());
        return response.data();
    }
}
