package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source that is down for a moment keeps its place in the schema; a query to it gets an error, the other
 * sources are served.
 */
class SourceOutageTest {

    @Test
    void aReloadWhileASourceIsDownKeepsItsLastSchema() throws Exception {
        try (TestDatabase main = TestDatabase.create("outagemain").load("/it/schema.sql");
             TestDatabase reviews = TestDatabase.create("outagereviews").execute(
                     "CREATE TABLE review (id integer PRIMARY KEY, author_id integer NOT NULL, stars integer NOT NULL);")) {
            StatementRecorder link = StatementRecorder.forward(reviews.url());
            try (TestSidecar sidecar = TestSidecar.start(main.url(), "/it/metadata-cross-source.yaml",
                    Map.of("REVIEWS_DATABASE_URL", link.url(reviews.url())))) {
                assertEquals("review", sidecar.client().query("{ __type(name: \"review\") { name } }").data().path("__type").path("name").asText());
                assertEquals("[]", sidecar.client().query("{ review { id } }").data().path("review").toString(), "the source answers before the outage");
                link.close();
                int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sidecar.adminUri("/admin/v1/reload"))
                        .header("X-Joinery-Admin-Secret", TestSidecar.ADMIN_SECRET)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
                assertEquals(200, status);
                JsonNode type = sidecar.client().query("{ __type(name: \"review\") { name } }").data().path("__type");
                assertEquals("review", type.path("name").asText(), "the unreachable source's tables stay in the schema");
                assertEquals(2, sidecar.client().query("{ author(limit: 2) { id } }").data().path("author").size(),
                        "the reachable source is served");

                GraphqlClient.GraphqlResponse down = sidecar.client().query("{ review { id } }");
                assertEquals(200, down.status(), down.toString());
                assertTrue(down.data().isMissingNode() || down.data().isNull(), "no data from a source that is down: " + down);
                assertEquals(1, down.errors().size(), "one error: " + down);
                assertEquals("unexpected", down.errors().get(0).path("extensions").path("code").asText(), down.toString());
                assertEquals(2, sidecar.client().query("{ author(limit: 2) { id } }").data().path("author").size(),
                        "the reachable source is still served after a query to the one that is down");
            }
        }
    }
}
