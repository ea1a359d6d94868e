package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.joinery.admin.TestDatabase;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.store.MetadataStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST contract as a client sees it: a real Postgres, two sidecars (two servers, each with its
 * own store) on one metadata database, and java.net.http.
 */
class AdminServiceIT {

    static final String SECRET = "s3cret-for-tests";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA = """
            DROP TABLE IF EXISTS article, author, tag;
            CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL, account uuid);
            CREATE TABLE article (id int PRIMARY KEY, author_id int REFERENCES author (id), title text, published bool);
            CREATE TABLE tag (id uuid PRIMARY KEY, label text);
            """;
    /** author.articles and article.author, and a permission on article that goes through article.author. */
    static final String BLOG = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "author", "relationships": {"articles": {"array": "article", "on": {"id": "author_id"}}}},
              {"table": "article", "relationships": {"author": {"object": "author", "on": {"author_id": "id"}}},
               "permissions": {"user": {"select": {"columns": ["id", "title"],
                                                   "filter": {"author": {"id": {"_eq": "X-Joinery-User-Id"}}}}}}}]}]}
            """;

    static TestDatabase db;
    static MetadataStore storeA;
    static MetadataStore storeB;
    static WebServer sidecarA;
    static WebServer sidecarB;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        db.execute(SCHEMA);
        Catalogs catalogs = source -> {
            if (!source.name().equals("default")) {
                throw new IllegalStateException("no such database");
            }
            return CatalogReader.read(db.pool());
        };
        storeA = new MetadataStore(db.vertx(), db.options());
        storeB = new MetadataStore(db.vertx(), db.options());
        sidecarA = server(new AdminService(storeA, catalogs, List.of(), Optional.of(SECRET)));
        sidecarB = server(new AdminService(storeB, catalogs, List.of(), Optional.of(SECRET)));
    }

    static WebServer server(AdminService service) {
        return WebServer.builder().port(0).host("127.0.0.1").routing(routing -> routing.register(service)).build().start();
    }

    @AfterAll
    static void stop() {
        for (WebServer server : new WebServer[]{sidecarA, sidecarB}) {
            if (server != null) {
                server.stop();
            }
        }
        for (MetadataStore store : new MetadataStore[]{storeA, storeB}) {
            if (store != null) {
                store.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyStoreAndFreshTables() {
        storeA.current();
        db.execute("DELETE FROM joinery.metadata");
        db.execute(SCHEMA);
    }

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
            GET,    /sources/default/tables
            GET,    /sources/default/tables/author
            PUT,    /sources/default/tables/author
            DELETE, /sources/default/tables/author
            GET,    /sources/default/tables/author/relationships
            GET,    /sources/default/tables/author/relationships/articles
            PUT,    /sources/default/tables/author/relationships/articles
            DELETE, /sources/default/tables/author/relationships/articles
            GET,    /sources/default/tables/author/permissions
            GET,    /sources/default/tables/author/permissions/user
            PUT,    /sources/default/tables/author/permissions/user
            DELETE, /sources/default/tables/author/permissions/user
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
                    Response response = send(sidecar, method, "/metadata", BLOG, SECRET, "application/json");
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
        Response put = send(sidecarA, "PUT", "/metadata", BLOG, SECRET, "application/json");
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
        Response putYaml = send(sidecarB, "PUT", "/metadata", yamlDocument, SECRET, "application/yaml; charset=utf-8");
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
        Response response = send(sidecarA, "PUT", "/metadata", body == null ? "" : body.replace("\\n", "\n"), SECRET, contentType);
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

    @Test
    void anInconsistentDocumentIsRefusedWithItsProblems() throws Exception {
        String broken = BLOG.replace("\"author_id\"}}}}", "\"writer_id\"}}}}");
        Response response = put("/metadata", broken, null);
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

    // ---- sources and tables

    @Test
    void sourcesAndTablesAreListedAndMissingOnesAre404() throws Exception {
        put("/metadata", BLOG, null);
        assertEquals(JSON.readTree("[{\"name\": \"default\", \"infer_relationships\": false, \"tables\": [\"author\", \"article\"]}]"),
                get("/sources").json());
        assertEquals(List.of("author", "article"), get("/sources/default/tables").json().findValuesAsText("table"));
        TableConfig author = MetadataCodec.parse(BLOG).sources().getFirst().tables().getFirst();
        assertEquals(author, table(get("/sources/default/tables/author")));
        assertEquals(author, table(get("/sources/default/tables/public.author")), "a table may be named with its schema");
        Response noTable = get("/sources/default/tables/tag");
        assertEquals(404, noTable.status());
        assertEquals("not-found", noTable.code());
        assertEquals("table 'tag' is not tracked in source 'default'", noTable.json().path("message").asText());
        assertEquals("not-found", get("/sources/other/tables").code());
        assertEquals(404, put("/sources/other/tables/tag", "{}", null).status());
    }

    @Test
    void aTableIsTrackedReplacedAndUntracked() throws Exception {
        put("/metadata", BLOG, null);
        Response tracked = put("/sources/default/tables/tag", "{\"columns\": {\"label\": \"name\"}}", null);
        assertEquals(201, tracked.status(), tracked.text());
        assertEquals(new TableConfig("tag", null, null, Map.of("label", "name"), null, null), table(tracked));
        assertEquals("\"2\"", tracked.etag());

        Response same = put("/sources/default/tables/tag", "table: tag\ncolumns: {label: name}\n", null, "application/yaml");
        assertEquals(200, same.status());
        assertEquals("\"2\"", same.etag(), "putting the same table again is not a change");

        Response mismatch = put("/sources/default/tables/tag", "{\"table\": \"author\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());

        Response missing = put("/sources/default/tables/nope", "{}", null);
        assertEquals(400, missing.status());
        assertEquals("inconsistent-metadata", missing.code());

        Response untracked = delete("/sources/default/tables/tag");
        assertEquals(200, untracked.status());
        assertEquals(JSON.readTree("{\"deleted\": \"table tag\", \"cascaded\": []}"), untracked.json());
        assertEquals(404, get("/sources/default/tables/tag").status());
        assertEquals(404, delete("/sources/default/tables/tag").status());
    }

    @Test
    void untrackingATableOthersDependOnNeedsCascadeWhichSaysWhatItRemoved() throws Exception {
        put("/metadata", BLOG, null);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status());
        assertEquals("dependents-exist", refused.code());
        assertEquals(JSON.readTree("[\"table article, relationship author\", \"table article, permission user\"]"),
                refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(JSON.readTree("""
                {"deleted": "table author", "cascaded": ["table article, relationship author", "table article, permission user"]}"""),
                cascaded.json());
        assertEquals(TableConfig.of("article"), table(get("/sources/default/tables/article")));
    }

    // ---- relationships

    @Test
    void relationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        put("/metadata", BLOG, null);
        Response created = put("/sources/default/tables/author/relationships/first_article",
                "{\"object\": \"article\", \"on\": {\"id\": \"author_id\"}}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree("{\"object\": \"article\", \"on\": {\"id\": \"author_id\"}}"),
                get("/sources/default/tables/author/relationships/first_article").json());
        assertEquals(List.of("articles", "first_article"),
                iterate(get("/sources/default/tables/author/relationships").json().fieldNames()));

        Response collides = put("/sources/default/tables/article/relationships/title", "{\"object\": \"author\", \"on\": {\"author_id\": \"id\"}}", null);
        assertEquals(400, collides.status());
        assertEquals("the relationship has the same name as a column of its table", collides.json().at("/problems/0/reason").asText());

        Response untrackedTarget = put("/sources/default/tables/author/relationships/tags", "{\"array\": \"tag\", \"on\": {\"account\": \"id\"}}", null);
        assertEquals("the target table is not tracked", untrackedTarget.json().at("/problems/0/reason").asText());

        Response wrongTypes = put("/sources/default/tables/author/relationships/odd", "{\"array\": \"article\", \"on\": {\"name\": \"id\"}}", null);
        assertEquals("its type int4 cannot be compared with author.name of type text", wrongTypes.json().at("/problems/0/reason").asText());

        Response malformed = put("/sources/default/tables/author/relationships/odd", "{\"array\": \"article\"}", null);
        assertEquals("invalid-metadata", malformed.code());

        Response used = delete("/sources/default/tables/article/relationships/author");
        assertEquals(409, used.status());
        assertEquals(JSON.readTree("[\"table article, permission user\"]"), used.json().path("dependents"));
        Response cascaded = delete("/sources/default/tables/article/relationships/author?cascade=true");
        assertEquals(200, cascaded.status());
        assertEquals(JSON.readTree("[\"table article, permission user\"]"), cascaded.json().path("cascaded"));
        assertEquals(404, get("/sources/default/tables/article/permissions/user").status());
        assertEquals(404, delete("/sources/default/tables/article/relationships/author").status());
    }

    // ---- permissions

    @Test
    void permissionsAreCreatedCheckedListedAndDeleted() throws Exception {
        put("/metadata", BLOG, null);
        String permission = "{\"select\": {\"columns\": [\"*\"], \"filter\": {\"published\": {\"_eq\": true}}, \"allow_aggregations\": true}}";
        Response created = put("/sources/default/tables/article/permissions/guest", permission, null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree(permission).path("select").path("filter"),
                get("/sources/default/tables/article/permissions/guest").json().at("/select/filter"));
        assertEquals(List.of("user", "guest"), iterate(get("/sources/default/tables/article/permissions").json().fieldNames()));

        Response hasuraVariable = put("/sources/default/tables/article/permissions/guest",
                "{\"select\": {\"columns\": [\"id\"], \"filter\": {\"author_id\": {\"_eq\": \"X-Hasura-User-Id\"}}}}", null);
        assertEquals(400, hasuraVariable.status());
        assertEquals(JSON.readTree("""
                [{"object": "table article, permission guest", "dependency": "session variable X-Hasura-User-Id",
                  "reason": "Joinery's session variables are named x-joinery-*, not x-hasura-* (filter at $.author_id._eq)"}]"""),
                hasuraVariable.json().path("problems"));

        Response unknownColumn = put("/sources/default/tables/article/permissions/guest", "{\"select\": {\"columns\": [\"body\"]}}", null);
        assertEquals("column article.body", unknownColumn.json().at("/problems/0/dependency").asText());

        Response negativeLimit = put("/sources/default/tables/article/permissions/guest", "{\"select\": {\"limit\": -1}}", null);
        assertEquals("invalid-metadata", negativeLimit.code());
        assertTrue(negativeLimit.json().path("message").asText().contains("cannot be negative"), negativeLimit.text());

        Response deleted = delete("/sources/default/tables/article/permissions/guest");
        assertEquals(JSON.readTree("{\"deleted\": \"table article, permission guest\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get("/sources/default/tables/article/permissions/guest").status());
    }

    @Test
    void concurrentResourceWritesWithoutIfMatchAreAllKept() throws Exception {
        put("/metadata", BLOG, null);
        int writers = 12;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Response>> responses = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                WebServer sidecar = i % 2 == 0 ? sidecarA : sidecarB;
                String path = "/sources/default/tables/article/permissions/role" + i;
                responses.add(executor.submit(() -> send(sidecar, "PUT", path, "{\"select\": {\"columns\": [\"id\"]}}", SECRET, "application/json")));
            }
            for (Future<Response> response : responses) {
                assertEquals(201, response.get().status(), response.get().text());
            }
        }
        assertEquals(writers + 1, get("/sources/default/tables/article/permissions").json().size(), "no write may be lost");
    }

    // ---- drift and errors

    @Test
    void aDroppedColumnMakesItsDependentsInconsistentAndOnlyNewProblemsBlockChanges() throws Exception {
        put("/metadata", BLOG, null);
        assertEquals(JSON.readTree("{\"resource_version\": 1, \"consistent\": true, \"inconsistencies\": []}"), get("/inconsistencies").json());

        db.execute("ALTER TABLE article DROP COLUMN author_id");
        Response drift = get("/inconsistencies");
        assertEquals(200, drift.status());
        assertEquals(JSON.readTree("""
                {"resource_version": 1, "consistent": false, "inconsistencies": [
                  {"object": "table author, relationship articles", "dependency": "column article.author_id", "reason": "the column does not exist"},
                  {"object": "table article, relationship author", "dependency": "column article.author_id", "reason": "the column does not exist"},
                  {"object": "table article, permission user", "dependency": "relationship article.author",
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

    // ---- client plumbing

    record Response(int status, String text, JsonNode json, java.net.http.HttpHeaders headers) {
        String etag() {
            return headers.firstValue("ETag").orElse(null);
        }

        String code() {
            return json.path("code").asText(null);
        }
    }

    static Response get(String path) throws IOException, InterruptedException {
        return send(sidecarA, "GET", path, null, SECRET, null);
    }

    static Response put(String path, String body, String ifMatch) throws IOException, InterruptedException {
        return put(path, body, ifMatch, "application/json");
    }

    static Response put(String path, String body, String ifMatch, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(sidecarA, "PUT", path, body, SECRET, contentType);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return response(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }

    static Response delete(String path) throws IOException, InterruptedException {
        return send(sidecarA, "DELETE", path, null, SECRET, null);
    }

    static Response send(WebServer sidecar, String method, String path, String body, String secret, String contentType)
            throws IOException, InterruptedException {
        return response(http.send(request(sidecar, method, path, body, secret, contentType).build(), HttpResponse.BodyHandlers.ofString()));
    }

    static HttpRequest.Builder request(WebServer sidecar, String method, String path, String body, String secret, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + AdminService.PATH + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Joinery-Admin-Secret", secret);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request;
    }

    static Response response(HttpResponse<String> response) throws IOException {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/json") || contentType.startsWith("application/yaml"),
                "every answer is JSON (or YAML when asked): " + contentType + " " + response.body());
        JsonNode json = contentType.startsWith("application/json") ? JSON.readTree(response.body()) : null;
        return new Response(response.statusCode(), response.body(), json, response.headers());
    }

    static TableConfig table(Response response) {
        return MetadataCodec.convert(response.json(), TableConfig.class);
    }

    static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
