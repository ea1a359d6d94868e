package io.joinery.it.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlSocket;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming subscriptions ({@code t_stream}) as Hasura defines them: rows after the cursor, in its
 * order, in batches of at most {@code batch_size}, each row once; new rows as they are written;
 * a reconnect with the last cursor value gets no row twice.
 */
class StreamingSubscriptionsTest {

    private static final Map<String, String> ADMIN = Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET);
    private static final String STREAM = """
            subscription ($after: Int!) {
              article_stream(batch_size: 2, cursor: {initial_value: {id: $after}, ordering: ASC}) { id title }
            }""";

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("streams", "/it/schema.sql", "/it/metadata.yaml")
            .with(Map.of("JOINERY_LIVE_QUERIES_REFETCH_INTERVAL_MS", "50"));

    @Test
    void streamsTheRowsAfterTheCursorInOrderOnceEachThenNewRows() {
        try (GraphqlSocket socket = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("s", STREAM, Map.of("after", 25));
            List<Integer> ids = new ArrayList<>();
            while (ids.size() < 5) {
                JsonNode batch = socket.next("s").path("data").path("article_stream");
                assertTrue(batch.size() >= 1 && batch.size() <= 2, "a batch of at most batch_size rows: " + batch);
                batch.forEach(row -> {
                    ids.add(row.path("id").asInt());
                    assertFalse(row.has("__cursor"), "the cursor field is not sent: " + row);
                });
            }
            assertEquals(List.of(26, 27, 28, 29, 30), ids, "rows after the cursor, in order, once each");
            assertEquals(List.of(), socket.during(Duration.ofMillis(300), m -> m.path("id").asText().equals("s")), "nothing new, nothing sent");

            served.database().execute("INSERT INTO article (id, author_id, title) VALUES (31, 1, 'New 31'), (32, 2, 'New 32')");

            JsonNode fresh = socket.next("s").path("data").path("article_stream");
            assertEquals("[{\"id\":31,\"title\":\"New 31\"},{\"id\":32,\"title\":\"New 32\"}]", fresh.toString(), "the new rows");
        }
        try (GraphqlSocket again = GraphqlSocket.open(served.sidecar(), GraphqlSocket.LEGACY_WS).init(ADMIN)) {
            again.subscribe("s", STREAM, Map.of("after", 31));
            assertEquals("[{\"id\":32,\"title\":\"New 32\"}]", again.next("s").path("data").path("article_stream").toString(),
                    "after a reconnect with the last cursor value: no row twice");
        }
    }

    @Test
    void aDescendingCursorStreamsDownwards() {
        try (GraphqlSocket socket = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS).init(ADMIN)) {
            socket.subscribe("d", "subscription { author_stream(batch_size: 10, cursor: {initial_value: {id: 4}, ordering: DESC}, "
                    + "where: {id: {_neq: 2}}) { id } }", Map.of());
            assertEquals("[{\"id\":3},{\"id\":1}]", socket.next("d").path("data").path("author_stream").toString());
        }
    }

    /** Each subscriber streams what its permission lets it see; two users, one statement shape, different rows. */
    @Test
    void eachStreamHasItsSubscribersPermission() {
        String unpublished = "subscription { article_stream(batch_size: 50, cursor: {initial_value: {id: 0}}, where: {published: {_eq: false}}) { author_id } }";
        try (GraphqlSocket socket = GraphqlSocket.open(served.sidecar(), GraphqlSocket.TRANSPORT_WS)
                .init(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET, "x-joinery-role", "user", "x-joinery-user-id", "7"))) {
            socket.subscribe("u", unpublished, Map.of());
            JsonNode rows = socket.next("u").path("data").path("article_stream");
            assertFalse(rows.isEmpty(), rows.toString());
            rows.forEach(row -> assertEquals(7, row.path("author_id").asInt(), "only user 7's unpublished articles: " + rows));
        }
    }
}
