package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Remote schema → table relationships ({@code Profile.author}, {@code Profile.articles}) and table → remote → table. */
class RemoteToTableTest {

    /** Authors 1 to 3 have three articles each in it/schema.sql; these are the first two by id. */
    private static final Map<Integer, String> FIRST_TWO_ARTICLES = Map.of(
            1, "[{\"id\":9,\"author_id\":1},{\"id\":18,\"author_id\":1}]",
            2, "[{\"id\":4,\"author_id\":2},{\"id\":13,\"author_id\":2}]",
            3, "[{\"id\":8,\"author_id\":3},{\"id\":17,\"author_id\":3}]");

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestSidecar sidecar;
    static GraphqlClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remotetable").load("/it/schema.sql")
                .execute("CREATE TABLE person AS SELECT g AS id FROM generate_series(1, 500) g; ALTER TABLE person ADD PRIMARY KEY (id);");
        remote = new TestGraphqlServer();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote.yaml", Map.of(
                "PROFILES_URL", remote.url(), "PROFILES_KEY", "k", "FAULTY_URL", "http://127.0.0.1:9/graphql"));
        client = sidecar.client();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        remote.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        remote.reset();
    }

    @Test
    void aRemoteTypeJoinsATableForAllItsObjectsAtOnce() {
        JsonNode profiles = ok(client.query("""
                { profiles(authorIds: [1, 2, 3, 2]) {
                    authorId
                    author { id name }
                    articles(order_by: {id: asc}, limit: 2) { id author_id }
                } }""")).path("profiles");
        assertEquals(4, profiles.size());
        for (JsonNode profile : profiles) {
            int id = profile.path("authorId").asInt();
            assertEquals(id, profile.path("author").path("id").asInt(), profile.toString());
            assertFalse(profile.path("author").path("name").asText().isEmpty(), profile.toString());
            assertEquals(FIRST_TWO_ARTICLES.get(id), profile.path("articles").toString(), "author " + id + "'s first two articles");
        }
        assertEquals(1, remote.requests());
    }

    @Test
    void joinKeysAreNotShownAndMissingRowsAreNull() {
        JsonNode data = ok(client.query("{ profile(authorId: 999) { author { name } articles { id } } known: profile(authorId: 1) { author { id } } }"));
        assertTrue(data.path("profile").path("author").isNull(), data.toString());
        assertEquals(0, data.path("profile").path("articles").size());
        assertEquals("[\"author\"]", fieldNames(data.path("known")), "no phantom key fields");
    }

    @Test
    void aTableJoinsARemoteThatJoinsATable() {
        JsonNode authors = ok(client.query("{ author(order_by: {id: asc}, limit: 3) { id profile { bio author { id } } } }")).path("author");
        assertEquals(3, authors.size(), authors.toString());
        for (JsonNode author : authors) {
            assertEquals(author.path("id").asInt(), author.path("profile").path("author").path("id").asInt(), author.toString());
        }
        assertEquals(1, remote.requests(), "one call for the remote join");
    }

    @Test
    void joinsNestTableRemoteTableRemote() {
        JsonNode authors = ok(client.query("""
                { author(order_by: {id: asc}, limit: 3) { id profile { author { id profile { followers } } } } }""")).path("author");
        assertEquals(3, authors.size());
        for (JsonNode author : authors) {
            int id = author.path("id").asInt();
            JsonNode inner = author.path("profile").path("author");
            assertEquals(id, inner.path("id").asInt(), author.toString());
            assertEquals(id * 10, inner.path("profile").path("followers").asInt(), author.toString());
            assertFalse(inner.toString().contains("__joinery"), "no phantom keys at any level: " + author);
        }
        assertEquals(2, remote.requests(), "one call per remote join level");
    }

    @Test
    void aTableJoinRunsAsOneStatementWhateverTheObjects() throws Exception {
        try (StatementRecorder recorder = StatementRecorder.forward(db.url())) {
            TestSidecar counted = TestSidecar.start(recorder.url(db.url()), "/it/metadata-remote.yaml", Map.of(
                    "PROFILES_URL", remote.url(), "PROFILES_KEY", "k", "FAULTY_URL", "http://127.0.0.1:9/graphql"));
            try (counted) {
                int from = recorder.executed().size();
                ok(counted.client().query("{ profiles(authorIds: [1, 2, 3, 4, 5, 6, 7, 8]) { author { name } } }"));
                var statements = recorder.executedSince(from);
                assertEquals(1, statements.size(), statements.toString());
                assertTrue(statements.getFirst().contains("jsonb_to_recordset"), statements.toString());
            }
        }
    }

    private static String fieldNames(JsonNode object) {
        StringBuilder out = new StringBuilder("[");
        object.fieldNames().forEachRemaining(n -> out.append(out.length() > 1 ? "," : "").append('"').append(n).append('"'));
        return out.append(']').toString();
    }

    private static JsonNode ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertFalse(response.errors().isArray() && !response.errors().isEmpty(), response.toString());
        return response.data();
    }
}
