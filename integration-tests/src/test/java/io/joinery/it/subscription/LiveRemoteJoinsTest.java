package io.joinery.it.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.it.support.GraphqlSocket;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Live queries whose results carry remote relationships (which Hasura refuses, graphql-engine#4815),
 * over a real WebSocket, with a real remote GraphQL server (graphql-java on Helidon) counting the
 * requests it receives and a statement recorder in front of Postgres counting the refetches: the
 * joined result at start and after a write; a cohort of subscribers joined with ONE remote request
 * per refetch; two users joined apart; a failing remote giving the data with an error while the
 * subscription goes on; a streaming subscription's batches joined. See Note [Join groups] in
 * {@code subscription.LiveQueries}.
 */
class LiveRemoteJoinsTest {

    private static final Map<String, String> ADMIN = Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET);
    private static final String FAULTY_SDL = """
            type Query { faultyProfile(authorId: Int!): FaultyProfile }
            type FaultyProfile { bio: String }
            """;
    private static final Pattern AUTHOR_ID = Pattern.compile("authorId\\W{0,4}(\\d+)");

    static TestDatabase db;
    static StatementRecorder recorder;
    static TestGraphqlServer remote;
    static WireMockServer faulty;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("liveremote").load("/it/schema.sql");
        recorder = StatementRecorder.forward(db.url());
        remote = new TestGraphqlServer();
        faulty = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        faulty.start();
        faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(introspection(FAULTY_SDL))));
        sidecar = TestSidecar.start(recorder.url(db.url()), "/it/metadata-live-remote.yaml", Map.of(
                "PROFILES_URL", remote.url(), "FAULTY_URL", "http://127.0.0.1:" + faulty.port() + "/graphql",
                "JOINERY_LIVE_QUERIES_REFETCH_INTERVAL_MS", "50", "JOINERY_POOL_SIZE", "1", "JOINERY_WEBSOCKET_KEEPALIVE_SECONDS", "1",
                "JOINERY_LIVE_QUERIES_BATCH_SIZE", "2"));
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        faulty.stop();
        remote.close();
        recorder.close();
        db.close();
    }

    /** Waits until no subscription of an earlier test (their clients vanish without a close frame) asks the remote. */
    @BeforeEach
    void quiet() {
        for (int tries = 0; tries < 40; tries++) {
            remote.reset();
            sleep(Duration.ofMillis(200));
            if (remote.requests() == 0) {
                return;
            }
        }
        fail("the subscriptions of earlier tests still ask the remote: " + remote.bodies());
    }

    /** A client that vanishes without a close frame: its subscriptions end (at the keep-alive ping at the latest, here 1 s). */
    @Test
    void theSubscriptionsOfAVanishedClientEnd() {
        GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(ADMIN);
        socket.subscribe("1", "subscription { article(where: {id: {_lte: 3}}) { id authorProfile { bio } } }", Map.of());
        assertEquals(3, socket.next("1").path("data").path("article").size());
        sleep(Duration.ofMillis(200));
        assertTrue(remote.requests() > 1, "refetched and joined while the client is there");

        socket.close(); // aborts: no close frame

        sleep(Duration.ofSeconds(4));
        remote.reset();
        sleep(Duration.ofMillis(500));
        assertEquals(0, remote.requests(), "no refetch for a client that is gone: " + remote.bodies());
    }

    /**
     * A remote schema's root fields are not subscription_root's (as in Hasura, which proxies no
     * subscription to a remote schema, graphql-engine#1599): a subscription to one is refused as a
     * field the root does not have, with Hasura's message; the remote is not asked, and the
     * connection goes on.
     */
    @Test
    void aSubscriptionToARemoteSchemasRootFieldIsRefused() {
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("1", "subscription { profile(authorId: 1) { bio } }", Map.of());
            JsonNode error = socket.message("1", "error");
            assertEquals("validation-failed", error.path("payload").path(0).path("extensions").path("code").asText(), error.toString());
            assertEquals("field 'profile' not found in type: 'subscription_root'", error.path("payload").path(0).path("message").asText(),
                    error.toString());
            assertEquals(0, remote.requests(), "the remote is not asked: " + remote.bodies());

            socket.subscribe("2", "subscription { author_by_pk(id: 1) { id } }", Map.of());
            assertEquals(1, socket.next("2").path("data").path("author_by_pk").path("id").asInt(), "the connection goes on");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void sendsTheJoinedResultAtStartAndAgainAfterAWriteChangesTheKey() {
        db.execute("UPDATE article SET author_id = 2 WHERE id = 1");
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("1", "subscription ($id: Int!) { article_by_pk(id: $id) { id authorProfile { bio followers } } }", Map.of("id", 1));
            JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"article_by_pk\": {\"id\": 1, \"authorProfile\": {\"bio\": \"bio of 2\", \"followers\": 20}}}}"),
                    socket.next("1"), "the joined result at start, without the phantom key");

            db.execute("UPDATE article SET author_id = 3 WHERE id = 1");

            JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"article_by_pk\": {\"id\": 1, \"authorProfile\": {\"bio\": \"bio of 3\", \"followers\": 30}}}}"),
                    socket.next("1"), "joined again after the write");
            assertEquals(List.of(), socket.during(Duration.ofMillis(300), m -> m.path("id").asText().equals("1")),
                    "an unchanged joined result is not sent again");
            assertTrue(remote.requests() >= 3, "the remote is asked on every refetch: " + remote.requests());
        }
    }

    /**
     * Six subscribers with different variables, in batches of 2 (three statements per refetch): every
     * refetch is ONE remote request carrying all their keys.
     */
    @Test
    void aCohortIsJoinedWithOneRemoteRequestPerRefetch() {
        int subscribers = 6;
        String byAuthor = "subscription ($a: Int!) { article(where: {author_id: {_eq: $a}}, order_by: {id: asc}) { id title authorProfile { bio } } }";
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            for (int a = 1; a <= subscribers; a++) {
                socket.subscribe("s" + a, byAuthor, Map.of("a", a));
            }
            for (int a = 1; a <= subscribers; a++) {
                JsonNode rows = socket.next("s" + a).path("data").path("article");
                assertFalse(rows.isEmpty(), "author " + a + "'s articles");
                for (JsonNode row : rows) {
                    assertEquals("bio of " + a, row.path("authorProfile").path("bio").asText(), "joined: " + row);
                }
            }
            socket.during(Duration.ofMillis(250), m -> false); // refetches that began while the cohort was forming are done
            remote.reset();
            int before = recorder.executions().size();

            db.execute("UPDATE article SET title = 'Changed' WHERE id = (SELECT min(id) FROM article WHERE author_id = 2)");

            JsonNode changed = socket.next("s2").path("data").path("article").path(0);
            assertEquals("Changed", changed.path("title").asText(), "the changed row");
            assertEquals("bio of 2", changed.path("authorProfile").path("bio").asText(), "the changed row, joined");
            assertEquals(List.of(), socket.during(Duration.ofMillis(300), m -> !m.path("id").asText().equals("s2")),
                    "only the subscriber whose result changed is sent it");
            long statements = recorder.executions().subList(before, recorder.executions().size()).stream()
                    .filter(execution -> execution.sql().contains("unnest(") && execution.sql().contains("\"title\"")).count();
            long refetches = (statements + 2) / 3; // three batches of two subscribers each
            List<String> bodies = remote.bodies();
            assertFalse(bodies.isEmpty(), "the remote was asked");
            assertTrue(bodies.size() <= refetches + 1, bodies.size() + " remote requests for " + refetches + " refetches: one per refetch");
            Set<Integer> all = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6));
            for (String body : bodies) {
                assertEquals(all, keys(body), "each request carries the keys of every subscriber of the cohort: " + body);
            }
        }
    }

    /** Two users, one document: each sees its own rows joined, and the remote receives each user's keys under its own session only. */
    @Test
    void twoUsersAreJoinedApart() {
        String unpublished = "subscription { article(where: {published: {_eq: false}}, order_by: {id: asc}) { id author_id authorProfile { bio } } }";
        try (GraphqlSocket one = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(user("1"));
             GraphqlSocket four = GraphqlSocket.open(sidecar, GraphqlSocket.LEGACY_WS).init(user("4"))) {
            one.subscribe("1", unpublished, Map.of());
            four.subscribe("1", unpublished, Map.of());

            assertOwnRowsJoined(1, one.next("1"));
            assertOwnRowsJoined(4, four.next("1"));
            one.during(Duration.ofMillis(250), m -> false);
            remote.reset();
            one.during(Duration.ofMillis(300), m -> false);

            List<String> bodies = remote.bodies();
            List<Map<String, String>> headers = remote.headers();
            assertTrue(bodies.size() >= 2, "both users' joins ran: " + bodies.size());
            Set<String> users = new TreeSet<>();
            for (int i = 0; i < bodies.size(); i++) {
                String userId = headers.get(i).get("x-joinery-user-id");
                assertTrue(userId != null, "the session's variables go to the remote as headers: " + headers.get(i) + " " + bodies.get(i));
                users.add(userId);
                assertEquals(Set.of(Integer.parseInt(userId)), keys(bodies.get(i)),
                        "a request under user " + userId + "'s session carries only that user's keys: " + bodies.get(i));
            }
            assertEquals(Set.of("1", "4"), users, "each user's joins under its own session");
        }
    }

    private static void assertOwnRowsJoined(int user, JsonNode result) {
        JsonNode rows = result.path("data").path("article");
        assertFalse(rows.isEmpty(), "user " + user + " has unpublished articles: " + result);
        for (JsonNode row : rows) {
            assertEquals(user, row.path("author_id").asInt(), "user " + user + " sees only its own unpublished articles: " + result);
            assertEquals("bio of " + user, row.path("authorProfile").path("bio").asText(), "joined: " + result);
        }
    }

    /** A remote that fails: each subscriber gets its rows with nulls and an error, as a query would; the socket stays open and later changes still come. */
    @Test
    void aFailingRemoteGivesThePartialResultAndTheSubscriptionGoesOn() {
        faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("JoineryJoin"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String byAuthor = "subscription ($a: Int!) { article(where: {author_id: {_eq: $a}}, order_by: {id: asc}, limit: 2) { id title faultyProfile { bio } authorProfile { bio } } }";
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(user("5"))) {
            socket.subscribe("a", byAuthor, Map.of("a", 5));
            socket.subscribe("b", byAuthor, Map.of("a", 6));
            for (String id : List.of("a", "b")) {
                JsonNode result = socket.next(id);
                JsonNode rows = result.path("data").path("article");
                assertFalse(rows.isEmpty(), "the rows are there: " + result);
                for (JsonNode row : rows) {
                    assertTrue(row.path("faultyProfile").isNull(), "the failed join is null: " + result);
                    assertTrue(row.path("authorProfile").path("bio").asText().startsWith("bio of "), "the other join is intact: " + result);
                }
                JsonNode errors = result.path("errors");
                assertEquals(1, errors.size(), "one error for the failed request: " + result);
                assertEquals("remote-schema-error", errors.path(0).path("extensions").path("code").asText(), result.toString());
                assertEquals("$.article[0].faultyProfile", errors.path(0).path("extensions").path("path").asText(),
                        "the error at the subscriber's own first row: " + result);
            }

            db.execute("UPDATE article SET title = 'Still live' WHERE id = (SELECT min(id) FROM article WHERE author_id = 6)");

            JsonNode later = socket.next("b");
            assertEquals("Still live", later.path("data").path("article").path(0).path("title").asText(), "the subscription went on: " + later);
            assertEquals(1, later.path("errors").size(), later.toString());
        } finally {
            faulty.resetMappings();
            faulty.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema"))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(introspection(FAULTY_SDL))));
        }
    }

    /**
     * The remote answers an error for a key two subscribers share (sent once, Note [Joins of several
     * values]): each gets it, at its own row, as the same query of its own would show it.
     */
    @Test
    void anErrorOfASharedKeyReachesEverySubscriberWithIt() {
        // author 5 wrote articles 7, 16 and 25: both subscribers have rows of key 5, which is sent once
        String fromId = "subscription ($min: Int!) { article(where: {author_id: {_eq: 5}, id: {_gte: $min}}, order_by: {id: asc}) { id title authorProfile { bio broken } } }";
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("all", fromId, Map.of("min", 0));
            socket.next("all");
            socket.subscribe("later", fromId, Map.of("min", 10));
            socket.next("later");
            socket.during(Duration.ofMillis(250), m -> false);

            db.execute("UPDATE article SET title = 'Shared' WHERE id = 25"); // in both results: one refetch joins both

            for (String id : List.of("all", "later")) {
                JsonNode result = socket.next(id);
                JsonNode rows = result.path("data").path("article");
                assertEquals(id.equals("all") ? 3 : 2, rows.size(), result.toString());
                assertEquals("Shared", rows.get(rows.size() - 1).path("title").asText(), result.toString());
                rows.forEach(row -> assertEquals("bio of 5", row.path("authorProfile").path("bio").asText(), result.toString()));
                assertEquals(1, result.path("errors").size(), "the key's error, once, as a query of its own would show it: " + result);
                assertEquals("$.article[0].authorProfile.broken", result.path("errors").path(0).path("extensions").path("path").asText(),
                        "at the subscriber's own first row of the key: " + result);
            }
        } finally {
            db.execute("UPDATE article SET title = 'Article 25' WHERE id = 25");
        }
    }

    @Test
    void aStreamingSubscriptionsBatchesAreJoined() {
        String stream = "subscription { article_stream(batch_size: 3, cursor: {initial_value: {id: 24}}) { id author_id authorProfile { bio } } }";
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("s", stream, Map.of());
            List<Integer> ids = new ArrayList<>();
            while (ids.size() < 6) {
                for (JsonNode row : socket.next("s").path("data").path("article_stream")) {
                    ids.add(row.path("id").asInt());
                    assertEquals("bio of " + row.path("author_id").asInt(), row.path("authorProfile").path("bio").asText(), "joined: " + row);
                    assertFalse(row.has("__cursor"), "no cursor field: " + row);
                }
            }
            assertEquals(List.of(25, 26, 27, 28, 29, 30), ids, "in order, once each");
        }
    }

    private static Map<String, String> user(String id) {
        return Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET, "x-joinery-role", "user", "x-joinery-user-id", id);
    }

    /** The author ids a join request asks for. */
    private static Set<Integer> keys(String body) {
        Set<Integer> keys = new TreeSet<>();
        Matcher matcher = AUTHOR_ID.matcher(body);
        while (matcher.find()) {
            keys.add(Integer.parseInt(matcher.group(1)));
        }
        return keys;
    }

    private static String introspection(String sdl) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        return JsonTrees.write(JsonTrees.tree(GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification()));
    }
}
