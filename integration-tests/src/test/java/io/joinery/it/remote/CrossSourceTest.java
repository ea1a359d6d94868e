package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
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
