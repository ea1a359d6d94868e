package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlSocket;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table → table across two Postgres databases: one SQL statement per source per level. */
class CrossSourceTest {

    static TestDatabase main;
    static TestDatabase reviews;
    static StatementRecorder reviewStatements;
    static TestSidecar sidecar;
    static GraphqlClient client;

    @BeforeAll
    static void start() {
        main = TestDatabase.create("crossmain").load("/it/schema.sql");
        reviews = TestDatabase.create("crossreviews").execute("""
                CREATE TABLE review (id integer PRIMARY KEY, author_id integer NOT NULL, stars integer NOT NULL);
                INSERT INTO review SELECT g, 1 + g % 4, 1 + g % 5 FROM generate_series(1, 40) g;
                """);
        reviewStatements = StatementRecorder.forward(reviews.url());
        sidecar = TestSidecar.start(main.url(), "/it/metadata-cross-source.yaml",
                Map.of("REVIEWS_DATABASE_URL", reviewStatements.url(reviews.url())));
        client = sidecar.client();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        reviewStatements.close();
        reviews.close();
        main.close();
    }

    @Test
    void aTableJoinsATableOfAnotherDatabaseInOneStatement() {
        int from = reviewStatements.executed().size();
        JsonNode authors = ok(client.query("""
                { author(order_by: {id: asc}, limit: 5) { id reviews(order_by: {id: asc}, where: {stars: {_gte: 2}}) { id author_id stars } } }
                """)).path("author");
        assertEquals(5, authors.size());
        for (JsonNode author : authors) {
            long expected = reviews.queryLong("SELECT count(*) FROM review WHERE stars >= 2 AND author_id = " + author.path("id").asInt());
            assertEquals(expected, author.path("reviews").size(), author.toString());
            for (JsonNode review : author.path("reviews")) {
                assertEquals(author.path("id").asInt(), review.path("author_id").asInt());
                assertTrue(review.path("stars").asInt() >= 2);
            }
            assertEquals("[\"id\",\"reviews\"]", names(author), "no phantom key");
        }
        assertEquals(1, reviewStatements.executedSince(from).size(), reviewStatements.executedSince(from).toString());
    }

    @Test
    void theOtherDirectionToo() {
        JsonNode reviewsData = ok(client.query("{ review(order_by: {id: asc}, limit: 8) { id author { id name } } }")).path("review");
        assertEquals(8, reviewsData.size());
        for (JsonNode review : reviewsData) {
            int authorId = 1 + review.path("id").asInt() % 4;
            assertEquals(authorId, review.path("author").path("id").asInt(), review.toString());
        }
    }

    /**
     * A live query whose rows join a table of another database: two subscribers of one cohort (different
     * variables), each refetch ONE keyed statement on the other database for both; a write there reaches
     * only the subscriber whose result it changes (Note [Join groups] in {@code subscription.LiveQueries}).
     */
    @Test
    void aLiveQueryJoinsATableOfAnotherDatabaseWithOneStatementPerRefetchForTheCohort() {
        String byAuthor = "subscription ($id: Int!) { author(where: {id: {_eq: $id}}) { id reviews(order_by: {id: asc}) { id stars } } }";
        try (GraphqlSocket socket = GraphqlSocket.open(sidecar, GraphqlSocket.TRANSPORT_WS)
                .init(Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET))) {
            socket.subscribe("one", byAuthor, Map.of("id", 1));
            socket.subscribe("two", byAuthor, Map.of("id", 2));
            long twoBefore = reviews.queryLong("SELECT count(*) FROM review WHERE author_id = 2");
            assertEquals(reviews.queryLong("SELECT count(*) FROM review WHERE author_id = 1"),
                    socket.next("one").path("data").path("author").path(0).path("reviews").size(), "author 1's reviews, joined");
            assertEquals(twoBefore, socket.next("two").path("data").path("author").path(0).path("reviews").size(), "author 2's reviews, joined");
            socket.during(java.time.Duration.ofMillis(1200), m -> false); // a refetch of the whole cohort
            int from = reviewStatements.executions().size();

            reviews.execute("INSERT INTO review VALUES (1000, 2, 5)");

            JsonNode two = socket.next("two").path("data").path("author").path(0).path("reviews");
            assertEquals(twoBefore + 1, two.size(), "the new review: " + two);
            assertEquals(1000, two.get(two.size() - 1).path("id").asInt(), two.toString());
            assertEquals(java.util.List.of(), socket.during(java.time.Duration.ofMillis(1500), m -> m.path("id").asText().equals("one")),
                    "the other subscriber's result did not change: nothing sent");
            java.util.List<StatementRecorder.Execution> keyed = reviewStatements.executions().subList(from, reviewStatements.executions().size());
            assertFalse(keyed.isEmpty(), "refetches joined the reviews");
            for (StatementRecorder.Execution statement : keyed) {
                JsonNode keys = statement.params().stream().filter(param -> param.contains("__i")).map(io.joinery.it.support.JsonTrees::parse)
                        .map(param -> param.isTextual() ? io.joinery.it.support.JsonTrees.parse(param.textValue()) : param)
                        .findFirst().orElseThrow(() -> new AssertionError("a keyed statement: " + statement));
                java.util.Set<Integer> authors = new java.util.TreeSet<>();
                keys.forEach(key -> authors.add(key.path("id").asInt(key.path("author_id").asInt())));
                assertEquals(java.util.Set.of(1, 2), authors, "each refetch's ONE statement carries the keys of both subscribers: " + statement);
            }
        } finally {
            reviews.execute("DELETE FROM review WHERE id = 1000");
        }
    }

    /** The keyed statement of a table join is a statement like the others: a failure is counted (joinery_db_query, outcome error). */
    @Test
    void aFailedStatementOfATableJoinIsCountedAsAFailedStatement() throws Exception {
        double before = failedStatements("reviews");
        reviews.execute("ALTER TABLE review RENAME TO review_away");
        try {
            GraphqlClient.GraphqlResponse answer = client.query("{ author(order_by: {id: asc}, limit: 2) { id reviews { id } } }");
            assertTrue(answer.errors().isArray() && !answer.errors().isEmpty(), "the join's statement fails: " + answer);
        } finally {
            reviews.execute("ALTER TABLE review_away RENAME TO review");
        }
        assertEquals(before + 1, failedStatements("reviews"), "failed statements of source reviews");
    }

    private static double failedStatements(String source) throws Exception {
        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(sidecar.adminUri("/metrics")).header("X-Joinery-Admin-Secret", TestSidecar.ADMIN_SECRET)
                        .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode(), metrics.body());
        return metrics.body().lines()
                .filter(line -> line.startsWith("joinery_db_query_seconds_count{") && line.contains("outcome=\"error\"")
                        && line.contains("source=\"" + source + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String names(JsonNode object) {
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
