package io.joinery.admin.http;

import io.helidon.webserver.WebServer;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.store.MetadataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin secret, the whole document ({@code /metadata}, validation) and the errors every route shares. */
class AdminServiceIT extends AdminServiceFixture {

    // ---- auth

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(textBlock = """
            GET,    /metadata
            PUT,    /metadata
            POST,   /metadata/validate
            GET,    /inconsistencies
            GET,    /openapi
            POST,   /metadata/import/hasura
            GET,    /sources
            GET,    /sources/analytics
            PUT,    /sources/analytics
            DELETE, /sources/analytics
            GET,    /sources/default/tables
            GET,    /sources/default/tables/author
            PUT,    /sources/default/tables/author
            DELETE, /sources/default/tables/author
            GET,    /sources/default/tables/author/relationships
            GET,    /sources/default/tables/author/relationships/articles
            PUT,    /sources/default/tables/author/relationships/articles
            DELETE, /sources/default/tables/author/relationships/articles
            GET,    /sources/default/tables/author/computed-fields
            GET,    /sources/default/tables/author/computed-fields/full_name
            PUT,    /sources/default/tables/author/computed-fields/full_name
            DELETE, /sources/default/tables/author/computed-fields/full_name
            GET,    /sources/default/functions
            GET,    /sources/default/functions/search_articles
            PUT,    /sources/default/functions/search_articles
            DELETE, /sources/default/functions/search_articles
            GET,    /sources/default/tables/author/permissions
            GET,    /sources/default/tables/author/permissions/user
            PUT,    /sources/default/tables/author/permissions/user
            DELETE, /sources/default/tables/author/permissions/user
            GET,    /sources/default/tables/author/permissions/user/insert
            PUT,    /sources/default/tables/author/permissions/user/insert
            DELETE, /sources/default/tables/author/permissions/user/insert
            GET,    /sources/default/tables/author/permissions/user/upsert
            GET,    /sources/default/tables/author/remote-relationships
            GET,    /sources/default/tables/author/remote-relationships/profile
            PUT,    /sources/default/tables/author/remote-relationships/profile
            DELETE, /sources/default/tables/author/remote-relationships/profile
            GET,    /remote-schemas
            GET,    /remote-schemas/profiles
            PUT,    /remote-schemas/profiles
            DELETE, /remote-schemas/profiles
            GET,    /remote-schemas/profiles/relationships
            GET,    /remote-schemas/profiles/relationships/Profile/author
            PUT,    /remote-schemas/profiles/relationships/Profile/author
            DELETE, /remote-schemas/profiles/relationships/Profile/author
            GET,    /actions
            GET,    /actions/createOrder
            PUT,    /actions/createOrder
            DELETE, /actions/createOrder
            GET,    /custom-types
            GET,    /custom-types/OrderResult
            PUT,    /custom-types/OrderResult
            DELETE, /custom-types/OrderResult
            GET,    /no/such/route
            """)
    void everyEndpointRefusesAMissingOrWrongSecret(String method, String path) throws Exception {
        for (String secret : new String[]{null, "wrong", SECRET + "x", ""}) {
            Response response = send(sidecarA, method, path, "{}", secret, "application/json");
            assertEquals(401, response.status(), method + " " + path + " with secret " + secret);
            assertEquals("unauthorized", response.code());
            assertTrue(response.json().path("message").asText().contains("X-Joinery-Admin-Secret"), response.text());
        }
    }

    @Test
    void withoutAConfiguredSecretNoHeaderIsNeeded() throws Exception {
        WebServer open = server(new AdminService(storeA, source -> CatalogReader.read(db.pool()), List.of(), Optional.empty()));
        try {
            assertEquals(200, send(open, "GET", "/metadata", null, null, null).status());
        } finally {
            open.stop();
        }
    }

    @Test
    void anUnreachableStoreIs503WithoutInternals() throws Exception {
        try (MetadataStore down = new MetadataStore(db.vertx(), db.options().setPort(1))) {
            WebServer sidecar = server(new AdminService(down, source -> CatalogReader.read(db.pool()), List.of(), Optional.of(SECRET)));
            try {
                for (String method : new String[]{"GET", "PUT"}) {
                    Response response = response(http.send(request(sidecar, method, "/metadata", BLOG, SECRET, "application/json")
                            .header("If-Match", "\"1\"").build(), HttpResponse.BodyHandlers.ofString()));
                    assertEquals(503, response.status(), response.text());
                    assertEquals("store-unavailable", response.code());
                    assertEquals("the metadata store cannot be reached; try again", response.json().path("message").asText());
                }
            } finally {
                sidecar.stop();
            }
        }
    }

    // ---- the whole document

    @Test
    void anEmptyStoreServesAnEmptyDocumentAtVersionZero() throws Exception {
        Response response = get("/metadata");
        assertEquals(200, response.status());
        assertEquals("\"0\"", response.etag());
        assertEquals(JSON.readTree("{\"version\": 1}"), response.json());
    }

    @Test
    void aDocumentPutAsJsonOrYamlIsServedAsJsonOrYaml() throws Exception {
        Response put = put("/metadata", BLOG, "\"0\"");
        assertEquals(200, put.status(), put.text());
        assertEquals("\"1\"", put.etag());
        assertEquals(1, put.json().path("resource_version").asLong());

        Response json = get("/metadata");
        assertEquals("\"1\"", json.etag());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(json.text()), "GET returns the document as it was put");

        HttpResponse<String> yaml = http.send(request(sidecarA, "GET", "/metadata", null, SECRET, null)
                .header("Accept", "application/yaml").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("application/yaml", yaml.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(yaml.body()));

        String yamlDocument = """
                version: 1
                sources:
                  - name: default
                    tables:
                      - table: tag
                """;
        Response putYaml = response(http.send(request(sidecarB, "PUT", "/metadata", yamlDocument, SECRET, "application/yaml; charset=utf-8")
                .header("If-Match", "\"1\"").build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, putYaml.status(), putYaml.text());
        assertEquals("\"2\"", putYaml.etag());
        assertEquals(MetadataCodec.parse(yamlDocument), MetadataCodec.parse(get("/metadata").text()), "a write through one sidecar is read through the other");
    }

    @ParameterizedTest(name = "{2}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                        | application/json        | invalid-json           | 400 | line 1
            ~~                                               | application/json        | invalid-json           | 400 | needs a JSON or YAML body
            {"version": 1} trailing                          | application/json        | invalid-json           | 400 | not valid JSON
            {"version": 1, "version": 1}                     | application/json        | invalid-json           | 400 | Duplicate field
            sources: [                                       | application/yaml        | invalid-json           | 400 | not valid YAML
            {"version": 1, "sourcez": []}                    | application/json        | invalid-metadata       | 400 | unknown key 'sourcez'
            {"version": 2}                                   | application/json        | invalid-metadata       | 400 | unsupported metadata version 2
            {"sources": [{"tables": [{"table": "a", "relationships": {"r": {"on": {"a": "b"}}}}]}]} | application/json | invalid-metadata | 400 | $.sources[0].tables[0].relationships.r
            [1, 2]                                           | application/json        | invalid-metadata       | 400 | invalid metadata
            {"version": 1}                                   | text/plain              | unsupported-media-type | 415 | application/json or application/yaml
            """)
    void aMalformedDocumentIsRefusedWithACode(String body, String contentType, String code, int status, String messagePart) throws Exception {
        Response response = put("/metadata", body == null ? "" : body.replace("\\n", "\n"), "\"0\"", contentType);
        assertEquals(status, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void aWriteWithAStaleIfMatchIsRefusedWith412AndTheCurrentVersion() throws Exception {
        assertEquals(200, put("/metadata", BLOG, "\"0\"").status());
        Response stale = put("/metadata", "{\"version\": 1}", "\"0\"");
        assertEquals(412, stale.status());
        assertEquals("precondition-failed", stale.code());
        assertEquals("\"1\"", stale.etag());
        assertEquals(1, stale.json().path("resource_version").asLong());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "the stale write changed nothing");
        assertEquals(412, put("/sources/default/tables/tag", "{}", "W/\"0\"").status(), "resource writes honour If-Match too");
        assertEquals(412, put("/sources/default/tables/tag", "{}", "\"garbage\"").status(), "an unreadable tag matches nothing");
        assertEquals(201, put("/sources/default/tables/tag", "{}", "\"1\"").status());
    }

    @Test
    void ofTwoConcurrentWritesWithTheSameEtagExactlyOneIsRefused() throws Exception {
        for (int round = 0; round < 10; round++) {
            String etag = get("/metadata").etag();
            CountDownLatch go = new CountDownLatch(1);
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> statuses = new ArrayList<>();
                for (WebServer sidecar : new WebServer[]{sidecarA, sidecarB}) {
                    // different from each other and from the current document, so neither write is a no-op
                    String table = (sidecar == sidecarA ? "author" : "tag") + "\", \"name\": \"t" + round;
                    String document = "{\"version\": 1, \"sources\": [{\"name\": \"default\", \"tables\": [{\"table\": \"" + table + "\"}]}]}";
                    statuses.add(executor.submit(() -> {
                        go.await();
                        HttpRequest request = request(sidecar, "PUT", "/metadata", document, SECRET, "application/json")
                                .header("If-Match", etag).build();
                        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                    }));
                }
                go.countDown();
                List<Integer> seen = new ArrayList<>(List.of(statuses.get(0).get(), statuses.get(1).get()));
                seen.sort(null);
                assertEquals(List.of(200, 412), seen, "round " + round + ": one write wins, the other is told it is stale");
            }
        }
        assertEquals("\"10\"", get("/metadata").etag());
    }

    @ParameterizedTest(name = "If-Match: {0}")
    @NullSource
    @ValueSource(strings = {"*"})
    void aWholeDocumentPutWithoutAVersionIs428AndSaysHowToSendOneButTheHasuraImportNeedsNone(String ifMatch) throws Exception {
        assertEquals(200, putDocument(BLOG).status());
        Response put = put("/metadata", "{\"version\": 1}", ifMatch);
        assertEquals(428, put.status(), put.text());
        assertEquals("precondition-required", put.code());
        String message = put.json().path("message").asText();
        assertTrue(message.contains("If-Match") && message.contains("GET /admin/v1/metadata") && message.contains("ETag"),
                "the message says to send If-Match with the version from GET: " + message);
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "nothing was written");
        assertEquals(200, send(sidecarA, "POST", "/metadata/import/hasura?dry_run=true", "{\"version\": 3, \"sources\": []}",
                SECRET, "application/json").status(), "a dry run writes nothing and needs no If-Match");
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "the dry run wrote nothing");
        assertEquals(201, put("/sources/default/tables/tag", "{}", ifMatch).status(), "a resource write needs none: it changes one object");
        HttpRequest.Builder importRequest = request(sidecarA, "POST", "/metadata/import/hasura", "{\"version\": 3, \"sources\": []}",
                SECRET, "application/json");
        if (ifMatch != null) {
            importRequest.header("If-Match", ifMatch);
        }
        Response imported = response(http.send(importRequest.build(), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, imported.status(), "the Hasura import is a migration, Hasura's replace_metadata, and needs no version: "
                + imported.text());
        assertTrue(MetadataCodec.parse(get("/metadata").text()).sources().stream().allMatch(source -> source.tables().isEmpty()),
                "the import replaced the document: " + get("/metadata").text());
    }

    @Test
    void anInconsistentDocumentIsRefusedWithItsProblems() throws Exception {
        String broken = BLOG.replace("\"author_id\"}}}}", "\"writer_id\"}}}}");
        Response response = putDocument(broken);
        assertEquals(400, response.status(), response.text());
        assertEquals("inconsistent-metadata", response.code());
        assertEquals(JSON.readTree("""
                [{"object": "table author, relationship articles", "dependency": "column article.writer_id",
                  "reason": "the column does not exist"}]"""), response.json().path("problems"));
        assertTrue(response.json().path("message").asText().contains("column article.writer_id"), response.text());
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void validateReportsProblemsWithoutApplyingAnything() throws Exception {
        Response bad = send(sidecarA, "POST", "/metadata/validate",
                "{\"version\": 1, \"sources\": [{\"name\": \"default\", \"tables\": [{\"table\": \"nope\"}]}]}", SECRET, "application/json");
        assertEquals(200, bad.status());
        assertEquals(JSON.readTree("""
                {"valid": false, "problems": [{"object": "table nope", "dependency": "table nope",
                                               "reason": "the table does not exist in the database"}]}"""), bad.json());
        Response good = send(sidecarA, "POST", "/metadata/validate", BLOG, SECRET, "application/json");
        assertEquals(JSON.readTree("{\"valid\": true, \"problems\": []}"), good.json());
        assertEquals("\"0\"", get("/metadata").etag(), "a dry run writes nothing");
        assertEquals("invalid-json", send(sidecarA, "POST", "/metadata/validate", "{", SECRET, "application/json").code());
    }

    // ---- drift and errors

    @Test
    void aDroppedColumnMakesItsDependentsInconsistentAndOnlyNewProblemsBlockChanges() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("{\"resource_version\": 1, \"live\": true, \"consistent\": true, \"inconsistencies\": []}"), get("/inconsistencies").json());

        db.execute("ALTER TABLE article DROP COLUMN author_id");
        Response drift = get("/inconsistencies");
        assertEquals(200, drift.status());
        assertEquals(JSON.readTree("""
                {"resource_version": 1, "live": true, "consistent": false, "inconsistencies": [
                  {"object": "table author, relationship articles", "dependency": "column article.author_id", "reason": "the column does not exist"},
                  {"object": "table article, relationship author", "dependency": "column article.author_id", "reason": "the column does not exist"},
                  {"object": "table article, select permission user", "dependency": "relationship article.author",
                   "reason": "the filter goes through this relationship, which is inconsistent"}]}"""),
                drift.json());

        assertEquals(201, put("/sources/default/tables/tag", "{}", null).status(), "existing drift does not block an unrelated change");
        assertEquals(400, put("/sources/default/tables/author/relationships/more", "{\"array\": \"article\", \"on\": {\"id\": \"author_id\"}}", null).status(),
                "a change adding a problem is still refused");
        assertEquals(200, delete("/sources/default/tables/author/relationships/articles").status(), "drift can be repaired one object at a time");
        assertEquals(2, get("/inconsistencies").json().path("inconsistencies").size(), "article.author and the permission through it remain");
    }

    @Test
    void aWrongMethodIs405AndAnUnknownRouteIs404() throws Exception {
        Response wrongMethod = send(sidecarA, "POST", "/metadata", "{}", SECRET, "application/json");
        assertEquals(405, wrongMethod.status());
        assertEquals("method-not-allowed", wrongMethod.code());
        assertEquals("GET, PUT", wrongMethod.headers().firstValue("Allow").orElseThrow());
        Response unknown = get("/metadata/nope");
        assertEquals(404, unknown.status());
        assertEquals("not-found", unknown.code());
    }
}
