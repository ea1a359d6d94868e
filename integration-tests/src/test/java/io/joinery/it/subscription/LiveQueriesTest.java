package io.joinery.it.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlSocket;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live queries over a real WebSocket, in both protocols: the result at start, again after a write
 * (in the database directly, and through a mutation on the same socket), nothing when nothing
 * changed, nothing after complete; each subscriber with its own permissions; and a cohort of
 * subscribers with different variables polled with ONE statement per refetch (counted by the
 * {@link StatementRecorder} in front of Postgres).
 */
class LiveQueriesTest {

    private static final Map<String, String> ADMIN = Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET);
    private static final String AUTHOR_BY_PK = "subscription ($id: Int!) { author_by_pk(id: $id) { id name } }";

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("live", "/it/schema.sql", "/it/metadata.yaml")
            .recorded().with(Map.of("JOINERY_LIVE_QUERIES_REFETCH_INTERVAL_MS", "50"));

    @ParameterizedTest
    @ValueSource(strings = {GraphqlSocket.TRANSPORT_WS, GraphqlSocket.LEGACY_WS})
    void sendsTheResultAtStartAndAgainAfterAWriteInTheDatabase(String protocol) {
        try (GraphqlSocket socket = GraphqlSocket.open(served.sidecar(), protocol).init(ADMIN)) {
            assertEquals(protocol, socket.subprotocol(), "the protocol the server chose");
            socket.subscribe("1", AUTHOR_BY_PK, Map.of("id", 3));
            JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"author_by_pk\": {\"id\": 3, \"name\": \"Grace\"}}}"),
                    socket.next("1"), "the result at start");

            served.database().execute("UPDATE author SET name = 'Grace H' WHERE id = 3");

            JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"author_by_pk\": {\"id\": 3, \"name\": \"Grace H\"}}}"),
                    socket.next("1"), "the result after the update");
            served.database().execute("UPDATE author SET email = 'g@example.com' WHERE id = 3");
            assertEquals(List.of(), socket.during(Duration.ofMillis(300), m -> m.path("id").asText().equals("1")),
                    "a change the query does not read sends nothing");

            socket.complete("1");
            if (socket.legacy()) {
                socket.message("1", "complete");
            }
            served.database().execute("UPDATE author SET name = 'Grace' WHERE id = 3");
            assertEquals(List.of(), socket.during(Duration.ofMillis(300), m -> m.path("id").asText().equals("1")),
                    "nothing after complete");
        }
    }

    @Test
    void aMutationOnTheSameSocketIsAnsweredAndTheLiveQuerySeesIt() {
        try (GraphqlSocket socket = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("live", AUTHOR_BY_PK, Map.of("id", 4));
            assertEquals("Edsger", socket.next("live").path("data").path("author_by_pk").path("name").asText());

            socket.subscribe("write", "mutation ($id: Int!) { update_author_by_pk(pk_columns: {id: $id}, _set: {name: \"E. W. D.\"}) { name } }",
                    Map.of("id", 4));

            assertEquals("E. W. D.", socket.next("write").path("data").path("update_author_by_pk").path("name").asText(), "the mutation's answer");
            socket.message("write", "complete");
            assertEquals("E. W. D.", socket.next("live").path("data").path("author_by_pk").path("name").asText(), "the live query after it");
            socket.subscribe("read", "query { author_by_pk(id: 4) { name } }", Map.of());
            assertEquals("E. W. D.", socket.next("read").path("data").path("author_by_pk").path("name").asText(), "a query over the socket");
            socket.message("read", "complete");
        }
    }

    /** Two users, the same document: each gets the rows its permission lets it see (published, or its own). */
    @Test
    void eachSubscriberHasItsOwnPermissions() {
        String unpublished = "subscription { article(where: {published: {_eq: false}}, order_by: {id: asc}) { id author_id } }";
        try (GraphqlSocket one = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS)
                .init(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET, "x-joinery-role", "user", "x-joinery-user-id", "1"));
             GraphqlSocket two = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS)
                     .init(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET, "x-joinery-role", "user", "x-joinery-user-id", "4"))) {
            one.subscribe("1", unpublished, Map.of());
            two.subscribe("1", unpublished, Map.of());

            assertOnlyAuthor(1, one.next("1"));
            assertOnlyAuthor(4, two.next("1"));
        }
    }

    private static void assertOnlyAuthor(int author, JsonNode result) {
        JsonNode rows = result.path("data").path("article");
        assertFalse(rows.isEmpty(), "user " + author + " has unpublished articles: " + result);
        rows.forEach(row -> assertEquals(author, row.path("author_id").asInt(), "user " + author + " sees only its own unpublished articles: " + result));
    }

    @Test
    void aCohortOfSubscribersIsOneStatementPerRefetch() {
        int subscribers = 6;
        try (GraphqlSocket socket = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            for (int i = 1; i <= subscribers; i++) {
                socket.subscribe("s" + i, "subscription ($id: Int!) { article(where: {author_id: {_eq: $id}}, order_by: {id: asc}) { id title } }",
                        Map.of("id", i));
            }
            for (int i = 1; i <= subscribers; i++) {
                JsonNode rows = socket.next("s" + i).path("data").path("article");
                assertFalse(rows.isEmpty(), "author " + i + "'s articles");
            }
            socket.during(Duration.ofMillis(250), m -> false); // refetches that began while the cohort was forming are done
            int before = served.recorder().executions().size();

            served.database().execute("UPDATE article SET title = 'Changed' WHERE id = (SELECT min(id) FROM article WHERE author_id = 2)");

            assertEquals("Changed", socket.next("s2").path("data").path("article").path(0).path("title").asText(), "the changed row");
            List<StatementRecorder.Execution> polls = new ArrayList<>(served.recorder().executions().subList(before, served.recorder().executions().size()))
                    .stream().filter(execution -> execution.sql().contains("\"title\"")).toList();
            assertFalse(polls.isEmpty(), "refetches ran");
            for (StatementRecorder.Execution poll : polls) {
                assertTrue(poll.sql().contains("unnest("), "every refetch statement is the cohort's multiplexed one: " + poll.sql());
                assertEquals(subscribers, JsonTrees.parse(poll.params().get(1)).size(), "subscribers in the one statement: " + poll.params());
            }
            assertEquals(List.of(), socket.during(Duration.ofMillis(200), m -> !m.path("id").asText().equals("s2")),
                    "only the subscriber whose result changed is sent it");
        }
    }
}
