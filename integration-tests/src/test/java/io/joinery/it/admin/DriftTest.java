package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.proxy.Sidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A column dropped underneath the metadata: after a reload (or the next change, or a restart) the
 * objects that needed it are left out of the GraphQL schema with reasons in
 * {@code /admin/v1/inconsistencies} and a gauge in {@code /metrics}, and everything else is served.
 */
class DriftTest {

    /** author.articles and article.author join on article.author_id; comment's permission for role user filters through article.author. */
    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "author", "relationships": {"articles": {"array": "article", "on": {"id": "author_id"}}},
               "permissions": {"user": {"select": {"columns": ["id", "name"]}}}},
              {"table": "article", "relationships": {"author": {"object": "author", "on": {"author_id": "id"}}},
               "permissions": {"user": {"select": {"columns": ["id", "title"], "filter": {"published": {"_eq": true}}}}}},
              {"table": "comment", "relationships": {"article": {"object": "article", "on": {"article_id": "id"}}},
               "permissions": {"user": {"select": {"columns": ["id", "body"],
                                                   "filter": {"article": {"author": {"id": {"_eq": "X-Joinery-User-Id"}}}}}}}}]}]}
            """;
    static final String METRIC = "joinery_metadata_inconsistent_objects";
    static final Set<String> LEFT_OUT = Set.of("table author, relationship articles", "table article, relationship author",
            "table comment, select permission user");

    static TestDatabase db;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("drift").load("/it/schema.sql");
        sidecar = StoreSidecar.start(db.url());
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } finally {
            db.close();
        }
    }

    @BeforeEach
    void freshTablesAndMetadata() {
        db.load("/it/schema.sql");
        long version = sidecar.putDocument(METADATA).expect(200).json().path("resource_version").asLong();
        awaitVersion(sidecar.sidecar(), version);
        sidecar.post("/admin/v1/reload", null).expect(200);
        assertEquals(0, sidecar.metric(METRIC), "no drift yet");
        assertEquals(List.of("Margaret", "Alan"), names(graphql().query("{ author(order_by: {id: asc}, limit: 2) { name articles(limit: 1) { id } } }")));
    }

    @Test
    void reloadLeavesOutWhatADroppedColumnBrokeAndServesTheRest() {
        db.execute("ALTER TABLE article DROP COLUMN author_id");

        JsonNode reload = sidecar.post("/admin/v1/reload", null).expect(200).json();
        assertEquals(false, reload.path("consistent").asBoolean(true), reload.toString());
        assertEquals(LEFT_OUT, objects(reload.path("inconsistencies")), "the reload answer lists what it left out");

        assertLeftOutAndTheRestServed();

        JsonNode listed = sidecar.get("/admin/v1/inconsistencies").expect(200).json();
        assertEquals(LEFT_OUT, objects(listed.path("inconsistencies")));
        assertTrue(listed.path("inconsistencies").toString().contains(
                        "{\"object\":\"table author, relationship articles\",\"dependency\":\"column article.author_id\",\"reason\":\"the column does not exist\"}"),
                "each object comes with the dependency and the reason: " + listed);
        assertEquals(LEFT_OUT.size(), sidecar.metric(METRIC), "the gauge counts the objects left out");
        assertEquals(LEFT_OUT.size(), sidecar.get("/health/ready").expect(200).json().path("inconsistent_objects").asInt());
    }

    @Test
    void beforeAReloadTheListingDescribesWhatIsServedAndLiveShowsTheDrift() {
        long served = sidecar.sidecar().engine().state().version();
        db.execute("ALTER TABLE article DROP COLUMN author_id");

        JsonNode listed = sidecar.get("/admin/v1/inconsistencies").expect(200).json();
        assertEquals(false, listed.path("live").asBoolean(true), listed.toString());
        assertEquals(served, listed.path("resource_version").asLong(), listed.toString());
        assertTrue(listed.path("consistent").asBoolean(false), "the served schema was built before the drop: " + listed);
        assertEquals(0, sidecar.metric(METRIC), "the gauge and the listing describe the same schema");

        JsonNode live = sidecar.get("/admin/v1/inconsistencies?live=true").expect(200).json();
        assertEquals(true, live.path("live").asBoolean(false), live.toString());
        assertEquals(false, live.path("consistent").asBoolean(true), live.toString());
        assertEquals(LEFT_OUT, objects(live.path("inconsistencies")), "live: what the next reload will leave out");

        sidecar.post("/admin/v1/reload", null).expect(200);
        assertEquals(LEFT_OUT, objects(sidecar.get("/admin/v1/inconsistencies").expect(200).json().path("inconsistencies")),
                "after the reload the served listing agrees with live");
        assertEquals(LEFT_OUT.size(), sidecar.metric(METRIC));
    }

    @Test
    void aReadOnlySidecarListsWhatItServesAndLiveDriftToo() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("drift-metadata", ".yaml");
        java.nio.file.Files.writeString(file, METADATA);
        try (StoreSidecar readOnly = StoreSidecar.start(db.url(), Map.of("JOINERY_METADATA", file.toString()))) {
            db.execute("ALTER TABLE article DROP COLUMN author_id");
            JsonNode listed = readOnly.get("/admin/v1/inconsistencies").expect(200).json();
            assertEquals(false, listed.path("live").asBoolean(true), listed.toString());
            assertTrue(listed.path("consistent").asBoolean(false), listed.toString());
            assertEquals(LEFT_OUT, objects(readOnly.get("/admin/v1/inconsistencies?live=true").expect(200).json().path("inconsistencies")));

            readOnly.post("/admin/v1/reload", null).expect(200);
            assertEquals(LEFT_OUT, objects(readOnly.get("/admin/v1/inconsistencies").expect(200).json().path("inconsistencies")));
            assertEquals(LEFT_OUT.size(), readOnly.metric(METRIC));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void theNextChangeBroadcastFromTheStoreLeavesThemOutToo() {
        db.execute("ALTER TABLE article DROP COLUMN author_id");

        long version = sidecar.put("/admin/v1/sources/default/tables/author/permissions/guest", "{\"select\": {\"columns\": [\"id\"]}}")
                .expect(201).etagVersion();
        awaitVersion(sidecar.sidecar(), version);

        assertLeftOutAndTheRestServed();
        assertEquals(LEFT_OUT.size(), sidecar.metric(METRIC));
    }

    @Test
    void aSidecarStartedAfterTheDropStartsWithoutThem() {
        db.execute("ALTER TABLE article DROP COLUMN author_id");
        try (StoreSidecar restarted = StoreSidecar.start(db.url())) {
            assertEquals(LEFT_OUT, objects(restarted.get("/admin/v1/inconsistencies").expect(200).json().path("inconsistencies")));
            assertEquals(LEFT_OUT.size(), restarted.metric(METRIC));
            assertValidationError(restarted.graphql().query("{ author { articles { id } } }"), "articles");
            assertEquals(List.of("Margaret"), names(restarted.graphql().query("{ author(order_by: {id: asc}, limit: 1) { name } }")));
        }
    }

    @Test
    void repairingTheDatabaseAndReloadingServesThemAgain() {
        db.execute("ALTER TABLE article DROP COLUMN author_id");
        sidecar.post("/admin/v1/reload", null).expect(200);
        assertEquals(LEFT_OUT.size(), sidecar.metric(METRIC));

        db.execute("ALTER TABLE article ADD COLUMN author_id integer REFERENCES author(id); UPDATE article SET author_id = 1");
        JsonNode reload = sidecar.post("/admin/v1/reload", null).expect(200).json();
        assertTrue(reload.path("consistent").asBoolean(false), reload.toString());
        assertEquals(0, sidecar.metric(METRIC));
        JsonNode data = graphql().query("{ author(where: {id: {_eq: 1}}) { articles { id } } }").data();
        assertEquals(30, data.path("author").path(0).path("articles").size(), "the relationship is back: " + data);
    }

    @Test
    void aDroppedColumnAnInsertPermissionNamesLeavesOutThatPermissionAlone() {
        long version = sidecar.put("/admin/v1/sources/default/tables/article/permissions/user/insert",
                "{\"columns\": [\"title\", \"rating\"], \"check\": {\"published\": {\"_eq\": false}}}").expect(201).etagVersion();
        awaitVersion(sidecar.sidecar(), version);
        db.execute("ALTER TABLE article DROP COLUMN rating");

        JsonNode reload = sidecar.post("/admin/v1/reload", null).expect(200).json();
        assertEquals(Set.of("table article, insert permission user"), objects(reload.path("inconsistencies")), reload.toString());
        assertTrue(reload.path("inconsistencies").toString().contains(
                        "{\"object\":\"table article, insert permission user\",\"dependency\":\"column article.rating\",\"reason\":\"the permitted column does not exist\"}"),
                reload.toString());
        assertEquals(1, sidecar.metric(METRIC));
        GraphqlResponse published = graphql().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1"))
                .query("{ article(order_by: {id: asc}, limit: 1) { title } }");
        assertEquals("[{\"title\":\"Article 1\"}]", published.data().path("article").toString(),
                "the role's select permission on the table is still served: " + published);
        assertEquals(200, sidecar.get("/admin/v1/sources/default/tables/article/permissions/user/insert").status(),
                "the document keeps the permission; only what is served leaves it out");
    }

    private static void assertLeftOutAndTheRestServed() {
        assertValidationError(graphql().query("{ author { name articles { id } } }"), "articles");
        assertValidationError(graphql().query("{ article { title author { name } } }"), "author");
        assertEquals(List.of("Margaret", "Alan"), names(graphql().query("{ author(order_by: {id: asc}, limit: 2) { name } }")),
                "the table itself is still served");
        GraphqlResponse articles = graphql().query("{ article(order_by: {id: asc}, limit: 2) { title } }");
        assertEquals("[{\"title\":\"Article 1\"},{\"title\":\"Article 2\"}]", articles.data().path("article").toString(), articles.toString());

        GraphqlClient user = graphql().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1"));
        assertValidationError(user.query("{ comment { id } }"), "comment");
        GraphqlResponse published = user.query("{ article(order_by: {id: asc}, limit: 1) { title } }");
        assertEquals("[{\"title\":\"Article 1\"}]", published.data().path("article").toString(),
                "a permission that does not need the column is kept: " + published);
    }

    private static void assertValidationError(GraphqlResponse response, String field) {
        JsonNode errors = response.errors();
        assertTrue(errors.isArray() && !errors.isEmpty(), "expected a validation error for '" + field + "', got " + response);
        assertEquals("validation-failed", errors.path(0).path("extensions").path("code").asText(), response.toString());
        assertTrue(errors.path(0).path("message").asText().contains("'" + field + "'"), response.toString());
        assertTrue(response.data().isMissingNode() || response.data().isNull(), "no partial data: " + response);
    }

    private static List<String> names(GraphqlResponse response) {
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<String> names = new ArrayList<>();
        response.data().path("author").forEach(author -> names.add(author.path("name").asText()));
        return names;
    }

    static Set<String> objects(JsonNode problems) {
        Set<String> objects = new TreeSet<>();
        problems.forEach(problem -> objects.add(problem.path("object").asText()));
        return objects;
    }

    static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static GraphqlClient graphql() {
        return sidecar.graphql();
    }

    /** Waits (at most 5 s) until {@code sidecar} serves metadata {@code version} or newer. */
    static void awaitVersion(Sidecar sidecar, long version) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sidecar.engine().state().version() < version) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sidecar still serves version " + sidecar.engine().state().version() + ", not " + version);
            }
            pause();
        }
    }
}
