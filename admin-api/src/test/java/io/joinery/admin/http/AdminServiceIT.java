package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.joinery.admin.TestDatabase;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.check.ConsistencyCheck;
import io.joinery.admin.check.Problem;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.ValueFrom;
import io.joinery.admin.store.MetadataStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST contract as a client sees it: a real Postgres, two sidecars (two servers, each with its
 * own store) on one metadata database, and java.net.http. Remote schemas are checked by a stand-in
 * for the engine's checks ({@link #REMOTES}).
 */
class AdminServiceIT {

    static final String SECRET = "s3cret-for-tests";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA = """
            DROP TABLE IF EXISTS article, author, tag CASCADE;
            CREATE TABLE author (id int PRIMARY KEY, name text NOT NULL, account uuid);
            CREATE TABLE article (id int PRIMARY KEY, author_id int REFERENCES author (id), title text, published bool);
            CREATE TABLE tag (id uuid PRIMARY KEY, label text);
            CREATE FUNCTION full_name(a author) RETURNS text STABLE LANGUAGE sql AS $$ SELECT a.name $$;
            CREATE FUNCTION search_articles(q text) RETURNS SETOF article STABLE LANGUAGE sql
                AS $$ SELECT * FROM article WHERE title ILIKE '%' || q || '%' $$;
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
            if (!source.name().equals("default") && !source.name().equals("analytics")) {
                throw new IllegalStateException("no such database");
            }
            return CatalogReader.read(db.pool(), source);
        };
        storeA = new MetadataStore(db.vertx(), db.options());
        storeB = new MetadataStore(db.vertx(), db.options());
        sidecarA = server(new AdminService(storeA, catalogs, List.of(REMOTES), Optional.of(SECRET)));
        sidecarB = server(new AdminService(storeB, catalogs, List.of(REMOTES), Optional.of(SECRET)));
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

    // ---- sources and tables

    @Test
    void sourcesAndTablesAreListedAndMissingOnesAre404() throws Exception {
        putDocument(BLOG);
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
        putDocument(BLOG);
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
        putDocument(BLOG);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status());
        assertEquals("dependents-exist", refused.code());
        assertEquals(JSON.readTree("[\"table article, relationship author\", \"table article, select permission user\"]"),
                refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(JSON.readTree("""
                {"deleted": "table author", "cascaded": ["table article, relationship author", "table article, select permission user"]}"""),
                cascaded.json());
        assertEquals(TableConfig.of("article"), table(get("/sources/default/tables/article")));
    }

    /** BLOG plus the source analytics (the same database in these tests), which author.stats of default and Profile.stats join to. */
    static final String TWO_SOURCES = """
            {"version": 1, "sources": [
              {"name": "default", "tables": [
                {"table": "author", "relationships": {"stats": {"object": "author", "on": {"id": "id"}, "source": "analytics"}},
                 "permissions": {"user": {"select": {"columns": ["id"], "filter": {"stats": {"id": {"_eq": "X-Joinery-User-Id"}}}}}}},
                {"table": "article"}]},
              {"name": "analytics", "tables": [{"table": "author"}]}],
             "remote_schemas": [{"name": "profiles", "url": "http://profiles.test/graphql",
                                 "relationships": {"Profile": {"stats": {"object": "author", "on": {"authorId": "id"}, "source": "analytics"}}}}]}
            """;

    @Test
    void aSourceIsCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response missing = get("/sources/analytics");
        assertEquals(404, missing.status());
        assertEquals("not-found", missing.code());
        assertEquals("source 'analytics' does not exist", missing.json().path("message").asText());

        Response created = put("/sources/analytics", "{\"tables\": [{\"table\": \"tag\"}]}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        assertEquals(JSON.readTree("{\"name\": \"analytics\", \"tables\": [{\"table\": \"tag\"}]}"), created.json(), "the name comes from the path");
        Response read = get("/sources/analytics");
        assertEquals(200, read.status());
        assertEquals(created.json(), read.json());
        assertEquals("\"2\"", read.etag());
        assertEquals(List.of("default", "analytics"), get("/sources").json().findValuesAsText("name"));

        Response same = put("/sources/analytics", "name: analytics\ntables: [{table: tag}]\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "putting the same source again is not a change");

        assertEquals(412, put("/sources/analytics", "{\"tables\": []}", "\"1\"").status(), "source writes honour If-Match");
        Response replaced = put("/sources/analytics", "{\"infer_relationships\": true, \"tables\": [{\"table\": \"author\"}]}", "\"2\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"3\"", replaced.etag());
        assertEquals(JSON.readTree("{\"name\": \"analytics\", \"infer_relationships\": true, \"tables\": [{\"table\": \"author\"}]}"),
                get("/sources/analytics").json(), "a PUT replaces the whole source, tables included");

        Response mismatch = put("/sources/analytics", "{\"name\": \"other\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names source 'other' but the path names 'analytics'", mismatch.json().path("message").asText());
        Response untrackable = put("/sources/analytics", "{\"tables\": [{\"table\": \"nope\"}]}", null);
        assertEquals(400, untrackable.status(), untrackable.text());
        assertEquals("inconsistent-metadata", untrackable.code());
        Response unreadable = put("/sources/other", "{\"tables\": [{\"table\": \"tag\"}]}", null);
        assertEquals(400, unreadable.status(), unreadable.text());
        assertEquals("inconsistent-metadata", unreadable.code());
        assertEquals("\"3\"", get("/metadata").etag(), "refused writes change nothing");

        Response deleted = delete("/sources/analytics");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"source analytics\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get("/sources/analytics").status());
        assertEquals(404, delete("/sources/analytics").status());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "the rest of the document is as it was");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                      | invalid-json     | line 1
            ~~                                             | invalid-json     | needs a JSON or YAML body
            {"tablez": []}                                 | invalid-metadata | unknown key 'tablez'
            {"tables": [{"table": "tag"}, {"table": "tag"}]} | invalid-metadata | tracks a table twice
            [1]                                            | invalid-metadata | invalid metadata
            """)
    void aMalformedSourceIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        Response response = put("/sources/analytics", body == null ? "" : body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingASourceOthersJoinToNeedsCascadeWhichSaysWhatItRemoved() throws Exception {
        Response setUp = putDocument(TWO_SOURCES);
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/sources/analytics");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        JsonNode dependents = JSON.readTree("""
                ["table author, relationship stats", "table author, select permission user", "remote schema profiles, relationship Profile.stats"]""");
        assertEquals(dependents, refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/sources/analytics?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals("source analytics", cascaded.json().path("deleted").asText());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(404, get("/sources/analytics").status());
        TableConfig author = table(get("/sources/default/tables/author"));
        assertEquals(Map.of(), author.relationships());
        assertEquals(Map.of(), author.permissions());
        assertEquals(Map.of(), remoteSchema(get("/remote-schemas/profiles")).relationships(), "Profile.stats went with the source");
        assertEquals(List.of("author", "article"), get("/sources/default/tables").json().findValuesAsText("table"));
    }

    @Test
    void theDefaultSourceIsNeverDeleted() throws Exception {
        putDocument(BLOG);
        for (String path : new String[]{"/sources/default", "/sources/default?cascade=true"}) {
            Response refused = delete(path);
            assertEquals(409, refused.status(), refused.text());
            assertEquals("default-source", refused.code());
            assertTrue(refused.json().path("message").asText().contains("the default source cannot be deleted"), refused.text());
        }
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
        assertEquals(List.of("author", "article"), get("/sources/default").json().path("tables").findValuesAsText("table"));
    }

    @Test
    void aSourceAllowsOnlyItsMethods() throws Exception {
        Response wrong = send(sidecarA, "POST", "/sources/default", "{}", SECRET, "application/json");
        assertEquals(405, wrong.status());
        assertEquals("DELETE, GET, PUT", wrong.headers().firstValue("Allow").orElseThrow());
    }

    // ---- relationships

    @Test
    void relationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
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
        assertEquals(JSON.readTree("[\"table article, select permission user\"]"), used.json().path("dependents"));
        Response cascaded = delete("/sources/default/tables/article/relationships/author?cascade=true");
        assertEquals(200, cascaded.status());
        assertEquals(JSON.readTree("[\"table article, select permission user\"]"), cascaded.json().path("cascaded"));
        assertEquals(404, get("/sources/default/tables/article/permissions/user").status());
        assertEquals(404, delete("/sources/default/tables/article/relationships/author").status());
    }

    // ---- computed fields

    static final String COMPUTED_FIELDS = "/sources/default/tables/author/computed-fields";

    @Test
    void computedFieldsAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("{}"), get(COMPUTED_FIELDS).json());
        Response created = put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree("{\"function\": \"full_name\"}"), created.json());
        Response replaced = put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"public.full_name\", \"comment\": \"The name to print\"}", null);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(JSON.readTree("{\"function\": \"public.full_name\", \"comment\": \"The name to print\"}"),
                get(COMPUTED_FIELDS + "/full_name").json());
        assertEquals(List.of("full_name"), iterate(get(COMPUTED_FIELDS).json().fieldNames()));
        assertEquals(List.of("full_name"), List.copyOf(table(get("/sources/default/tables/author")).computedFields().keySet()),
                "the table's document has it");

        Response deleted = delete(COMPUTED_FIELDS + "/full_name");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"table author, computed field full_name\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(COMPUTED_FIELDS + "/full_name").status());
        assertEquals(404, delete(COMPUTED_FIELDS + "/full_name").status());
        assertEquals("not-found", get("/sources/default/tables/tag/computed-fields").code(), "tag is not tracked");
    }

    @Test
    void aMalformedOrInconsistentComputedFieldIsRefusedAndNothingIsWritten() throws Exception {
        putDocument(BLOG);
        String etag = get("/metadata").etag();
        Response missing = put(COMPUTED_FIELDS + "/nickname", "{\"function\": \"no_such_function\"}", null);
        assertEquals(400, missing.status(), missing.text());
        assertEquals("inconsistent-metadata", missing.code());
        assertEquals(JSON.readTree("""
                [{"object": "table author, computed field nickname", "dependency": "function no_such_function",
                  "reason": "the function does not exist (or has OUT arguments)"}]"""), missing.json().path("problems"));

        Response collides = put(COMPUTED_FIELDS + "/name", "{\"function\": \"full_name\"}", null);
        assertEquals("the computed field has the same name as a column of its table", collides.json().at("/problems/0/reason").asText());

        Response noFunction = put(COMPUTED_FIELDS + "/nickname", "{\"comment\": \"no function\"}", null);
        assertEquals(400, noFunction.status());
        assertEquals("invalid-metadata", noFunction.code());
        assertEquals(etag, get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingAComputedFieldPermissionsUseNeedsCascadeWhichTakesItOutOfTheirLists() throws Exception {
        putDocument(BLOG);
        assertEquals(201, put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", null).status());
        assertEquals(201, put("/sources/default/tables/author/permissions/user/select",
                "{\"columns\": [\"id\"], \"computed_fields\": [\"full_name\"]}", null).status());
        Response guest = put("/sources/default/tables/author/permissions/guest/select",
                "{\"columns\": [\"id\"], \"computed_fields\": [\"full_name\"], \"filter\": {\"full_name\": {\"_like\": \"A%\"}}}", null);
        assertEquals(201, guest.status(), guest.text());
        Response reader = put("/sources/default/tables/article/permissions/reader/select",
                "{\"columns\": [\"id\"], \"filter\": {\"author\": {\"full_name\": {\"_eq\": \"Ann\"}}}}", null);
        assertEquals(201, reader.status(), reader.text());

        Response refused = delete(COMPUTED_FIELDS + "/full_name");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        JsonNode dependents = JSON.readTree("""
                ["table author, select permission user", "table author, select permission guest", "table article, select permission reader"]""");
        assertEquals(dependents, refused.json().path("dependents"));
        assertTrue(refused.json().path("message").asText().startsWith("table author, computed field full_name is used by"), refused.text());

        Response cascaded = delete(COMPUTED_FIELDS + "/full_name?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(JSON.readTree("{\"columns\": [\"id\"], \"allow_aggregations\": false}"),
                get("/sources/default/tables/author/permissions/user/select").json(), "the listing permission stays, without it");
        assertEquals(404, get("/sources/default/tables/author/permissions/guest").status(), "the filter using it is gone");
        assertEquals(404, get("/sources/default/tables/article/permissions/reader").status(), "the filter through a relationship too");
        assertEquals(200, get("/sources/default/tables/article/permissions/user").status(), "others stay");
        assertEquals(404, get(COMPUTED_FIELDS + "/full_name").status());
    }

    // ---- tracked functions

    static final String FUNCTIONS = "/sources/default/functions";

    @Test
    void functionsAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("[]"), get(FUNCTIONS).json());
        Response created = put(FUNCTIONS + "/search_articles", "{}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree("{\"function\": \"search_articles\"}"), created.json(), "the path's function is the default");
        Response replaced = put(FUNCTIONS + "/public.search_articles", "{\"function\": \"search_articles\", \"name\": \"find_articles\"}", null);
        assertEquals(200, replaced.status(), "public.search_articles is search_articles: " + replaced.text());
        assertEquals(JSON.readTree("[{\"function\": \"search_articles\", \"name\": \"find_articles\"}]"), get(FUNCTIONS).json());
        assertEquals(JSON.readTree("{\"function\": \"search_articles\", \"name\": \"find_articles\"}"),
                get(FUNCTIONS + "/public.search_articles").json());
        assertEquals(1, get("/sources/default").json().path("functions").size(), "the source's document has it");

        assertEquals(404, get(FUNCTIONS + "/full_name").status());
        assertEquals(404, get("/sources/analytics/functions").status());
        Response deleted = delete(FUNCTIONS + "/search_articles");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"function search_articles\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(FUNCTIONS + "/search_articles").status());
        assertEquals(404, delete(FUNCTIONS + "/search_articles").status());
    }

    @Test
    void aMismatchingOrInconsistentFunctionIsRefusedAndNothingIsWritten() throws Exception {
        putDocument(BLOG);
        String etag = get("/metadata").etag();
        Response mismatch = put(FUNCTIONS + "/search_articles", "{\"function\": \"full_name\"}", null);
        assertEquals(400, mismatch.status(), mismatch.text());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names function 'full_name' but the path names 'search_articles'", mismatch.json().path("message").asText());

        Response missing = put(FUNCTIONS + "/no_such_function", "{}", null);
        assertEquals(400, missing.status(), missing.text());
        assertEquals("inconsistent-metadata", missing.code());
        assertEquals(JSON.readTree("""
                [{"object": "function no_such_function", "dependency": "function no_such_function",
                  "reason": "the function does not exist (or has OUT arguments)"}]"""), missing.json().path("problems"));

        Response collides = put(FUNCTIONS + "/search_articles", "{\"name\": \"article\"}", null);
        assertEquals(400, collides.status(), collides.text());
        assertEquals("the query root field is already table article's", collides.json().at("/problems/0/reason").asText());
        assertEquals(etag, get("/metadata").etag(), "nothing was written");
    }

    @Test
    void computedFieldAndFunctionWritesHonourIfMatch() throws Exception {
        putDocument(BLOG);
        String etag = get("/metadata").etag();
        assertEquals(412, put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", "\"0\"").status());
        assertEquals(412, put(FUNCTIONS + "/search_articles", "{}", "\"0\"").status());
        Response created = put(COMPUTED_FIELDS + "/full_name", "{\"function\": \"full_name\"}", etag);
        assertEquals(201, created.status(), created.text());
        assertEquals(201, put(FUNCTIONS + "/search_articles", "{}", created.etag()).status());
        for (String path : List.of(COMPUTED_FIELDS + "/full_name", FUNCTIONS + "/search_articles")) {
            Response stale = response(http.send(request(sidecarA, "DELETE", path, null, SECRET, null).header("If-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertEquals(412, stale.status(), path + ": " + stale.text());
            assertEquals("precondition-failed", stale.code());
        }
        assertEquals(200, get(COMPUTED_FIELDS + "/full_name").status(), "the stale deletes changed nothing");
        assertEquals(200, get(FUNCTIONS + "/search_articles").status());
    }

    @Test
    void computedFieldAndFunctionResourcesAllowOnlyTheirMethods() throws Exception {
        Response list = send(sidecarA, "POST", FUNCTIONS, "{}", SECRET, "application/json");
        assertEquals(405, list.status());
        assertEquals("GET", list.headers().firstValue("Allow").orElseThrow());
        for (String path : List.of(COMPUTED_FIELDS + "/full_name", FUNCTIONS + "/search_articles")) {
            Response one = send(sidecarA, "PATCH", path, "{}", SECRET, "application/json");
            assertEquals(405, one.status(), path);
            assertEquals("DELETE, GET, PUT", one.headers().firstValue("Allow").orElseThrow());
        }
    }

    // ---- permissions

    @Test
    void permissionsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
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
                [{"object": "table article, select permission guest", "dependency": "session variable X-Hasura-User-Id",
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

    static final String PERMISSION = "/sources/default/tables/article/permissions/user";
    static final String INSERT = """
            {"check": {"author_id": {"_eq": "X-Joinery-User-Id"}}, "columns": ["title", "published"],
             "set": {"author_id": "X-Joinery-User-Id", "published": false}}""";

    @Test
    void eachOperationOfARoleIsAResourceOfItsOwn() throws Exception {
        putDocument(BLOG);
        Response created = put(PERMISSION + "/insert", INSERT, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        assertEquals(JSON.readTree(INSERT), created.json(), "the answer is the written permission");
        assertEquals(JSON.readTree(INSERT), get(PERMISSION + "/insert").json());
        assertEquals(List.of("select", "insert"), iterate(get(PERMISSION).json().fieldNames()), "the role's select stays");
        assertEquals(JSON.readTree("""
                {"columns": ["id", "title"], "filter": {"author": {"id": {"_eq": "X-Joinery-User-Id"}}}, "allow_aggregations": false}"""),
                get(PERMISSION + "/select").json());

        Response same = put(PERMISSION + "/insert", "check: {author_id: {_eq: X-Joinery-User-Id}}\ncolumns: [title, published]\n"
                + "set: {author_id: X-Joinery-User-Id, published: false}\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "putting the same permission again is not a change");
        assertEquals(412, put(PERMISSION + "/insert", "{\"columns\": [\"title\"]}", "\"1\"").status(), "writes honour If-Match");
        Response replaced = put(PERMISSION + "/insert", "{\"columns\": [\"title\"], \"backend_only\": true}", "\"2\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(JSON.readTree("{\"columns\": [\"title\"], \"backend_only\": true}"), get(PERMISSION + "/insert").json(),
                "a PUT replaces the whole permission of the operation");

        Response update = put(PERMISSION + "/update", """
                {"columns": ["title"], "filter": {"author_id": {"_eq": "X-Joinery-User-Id"}}, "check": {"published": {"_eq": false}},
                 "set": {"author_id": "X-Joinery-User-Id"}}""", null);
        assertEquals(201, update.status(), update.text());
        Response delete = put(PERMISSION + "/delete", "{\"filter\": {\"author\": {\"id\": {\"_eq\": \"X-Joinery-User-Id\"}}}}", null);
        assertEquals(201, delete.status(), delete.text());
        assertEquals(List.of("select", "insert", "update", "delete"), iterate(get(PERMISSION).json().fieldNames()));

        Response deleted = delete(PERMISSION + "/insert");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"table article, insert permission user\", \"cascaded\": []}"), deleted.json());
        Response gone = get(PERMISSION + "/insert");
        assertEquals(404, gone.status());
        assertEquals("table 'article' has no insert permission for role 'user'", gone.json().path("message").asText());
        assertEquals(404, delete(PERMISSION + "/insert").status());
        assertEquals(List.of("select", "update", "delete"), iterate(get(PERMISSION).json().fieldNames()));
    }

    @Test
    void deletingTheLastOperationOfARoleRemovesTheRole() throws Exception {
        putDocument(BLOG);
        assertEquals(201, put("/sources/default/tables/article/permissions/writer/delete", "{}", null).status());
        assertEquals(JSON.readTree("{\"delete\": {}}"), get("/sources/default/tables/article/permissions/writer").json());
        assertEquals(200, delete("/sources/default/tables/article/permissions/writer/delete").status());
        Response role = get("/sources/default/tables/article/permissions/writer");
        assertEquals(404, role.status(), role.text());
        assertEquals(List.of("user"), iterate(get("/sources/default/tables/article/permissions").json().fieldNames()));

        Response noRole = get("/sources/default/tables/article/permissions/nobody/select");
        assertEquals(404, noRole.status());
        assertEquals("table 'article' has no select permission for role 'nobody'", noRole.json().path("message").asText());
        assertEquals(404, put("/sources/default/tables/nope/permissions/user/insert", INSERT, null).status(), "an untracked table");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            GET,    upsert
            PUT,    upsert
            DELETE, upsert
            GET,    SELECT
            """)
    void anUnknownOperationIsNotFound(String method, String operation) throws Exception {
        putDocument(BLOG);
        Response response = send(sidecarA, method, PERMISSION + "/" + operation, INSERT, SECRET, "application/json");
        assertEquals(404, response.status(), response.text());
        assertEquals("not-found", response.code());
        assertEquals("unknown permission operation '" + operation + "': expected select, insert, update or delete",
                response.json().path("message").asText());
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            insert | {"columns": ["body"]}                                  | table article, insert permission user | column article.body | the permitted column does not exist
            insert | {"set": {"author_id": "X-Joinery-User Id"}}             | table article, insert permission user | session variable X-Joinery-User Id | malformed: x-joinery- then letters, digits, '-' or '_' (set at $.author_id)
            insert | {"set": {"editor_id": 1}}                              | table article, insert permission user | column article.editor_id | the preset column does not exist
            update | {"filter": {"titel": {"_eq": "x"}}}                    | table article, update permission user | column article.titel | no column or relationship of this name (filter at $.titel)
            update | {"check": {"author_id": {"_eq": "X-Hasura-User-Id"}}}   | table article, update permission user | session variable X-Hasura-User-Id | Joinery's session variables are named x-joinery-*, not x-hasura-* (check at $.author_id._eq)
            delete | {"filter": {"editor": {"id": {"_eq": 1}}}}             | table article, delete permission user | column article.editor | no column or relationship of this name (filter at $.editor)
            """)
    void anInconsistentOperationIsRefusedWithItsProblem(String operation, String body, String object, String dependency, String reason)
            throws Exception {
        putDocument(BLOG);
        Response response = put(PERMISSION + "/" + operation, body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals("inconsistent-metadata", response.code());
        assertEquals(List.of(new Problem(object, dependency, reason)),
                List.of(JSON.treeToValue(response.json().path("problems").get(0), Problem.class)), response.text());
        assertEquals(1, response.json().path("problems").size(), response.text());
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            insert | {"filter": {}}                 | invalid metadata at $.filter: unknown key 'filter' (known keys: backend_only, check, columns, set)
            update | {"backend_only": true}         | invalid metadata at $.backend_only: unknown key 'backend_only' (known keys: check, columns, filter, set)
            delete | {"filter": [1]}                | a permission's filter is a boolean expression object such as {column: {_eq: value}}, not [1]
            select | {"select": {"columns": []}}    | invalid metadata at $.select: unknown key 'select' (known keys: allow_aggregations, columns, computed_fields, filter, limit)
            """)
    void theBodyIsThePermissionOfTheOperation(String operation, String body, String message) throws Exception {
        putDocument(BLOG);
        Response response = put(PERMISSION + "/" + operation, body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals("invalid-metadata", response.code());
        assertTrue(response.json().path("message").asText().contains(message), response.text());
    }

    @Test
    void aWholeRolePutStillSetsEveryOperation() throws Exception {
        putDocument(BLOG);
        String editor = """
                {"select": {"columns": ["id", "title"], "allow_aggregations": false},
                 "update": {"columns": ["title"], "filter": {"published": {"_eq": false}}},
                 "delete": {"filter": {"published": {"_eq": false}}}}""";
        Response created = put("/sources/default/tables/article/permissions/editor", editor, null);
        assertEquals(201, created.status(), created.text());
        assertEquals(JSON.readTree(editor), get("/sources/default/tables/article/permissions/editor").json());
        assertEquals(JSON.readTree(editor).path("update"), get("/sources/default/tables/article/permissions/editor/update").json());
        Response replaced = put("/sources/default/tables/article/permissions/editor", "{\"insert\": {\"columns\": [\"title\"]}}", null);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(JSON.readTree("{\"insert\": {\"columns\": [\"title\"]}}"), get("/sources/default/tables/article/permissions/editor").json(),
                "the whole-role PUT replaces every operation");
        Response deleted = delete("/sources/default/tables/article/permissions/editor");
        assertEquals(JSON.readTree("{\"deleted\": \"table article, permission editor\", \"cascaded\": []}"), deleted.json());
    }

    @Test
    void deletingARelationshipAnUpdateCheckGoesThroughCascadesOnlyTheOperationsUsingIt() throws Exception {
        putDocument(BLOG);
        assertEquals(201, put(PERMISSION + "/insert", "{\"columns\": [\"title\"]}", null).status());
        assertEquals(201, put(PERMISSION + "/update", "{\"columns\": [\"title\"], \"check\": {\"author\": {\"id\": {\"_eq\": \"X-Joinery-User-Id\"}}}}",
                null).status());
        Response refused = delete("/sources/default/tables/article/relationships/author");
        assertEquals(409, refused.status(), refused.text());
        JsonNode dependents = JSON.readTree("[\"table article, select permission user\", \"table article, update permission user\"]");
        assertEquals(dependents, refused.json().path("dependents"));

        Response cascaded = delete("/sources/default/tables/article/relationships/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(JSON.readTree("{\"insert\": {\"columns\": [\"title\"]}}"), get(PERMISSION).json(), "the insert, which did not use it, stays");
    }

    @Test
    void anOperationAllowsOnlyItsMethods() throws Exception {
        Response wrong = send(sidecarA, "POST", PERMISSION + "/insert", "{}", SECRET, "application/json");
        assertEquals(405, wrong.status());
        assertEquals("DELETE, GET, PUT", wrong.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void concurrentResourceWritesWithoutIfMatchAreAllKept() throws Exception {
        putDocument(BLOG);
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

    // ---- remote schemas and remote relationships

    /**
     * Stands in for the engine's checks, which the sidecar passes to the service (proxy's
     * EngineChecks): a remote schema answers introspection only at {@link #PROFILES_URL}, whose
     * query root has the one field {@code profile}, and a per-key remote relationship to it must
     * start its path with that field. Its one object type is {@code Profile}, with the fields
     * {@link #PROFILE_FIELDS}, which its types' relationships must read. The problems have the
     * engine's shape.
     */
    static final ConsistencyCheck REMOTES = AdminServiceIT::remoteProblems;
    static final String PROFILES_URL = "http://profiles.test/graphql";
    static final Set<String> PROFILE_FIELDS = Set.of("id", "authorId", "bio");
    static final String REMOTE_PROFILE = """
            {"remote_schema": "profiles", "remote_field": {"profile": {"arguments": {"authorId": "$id"}}}}""";
    /** BLOG with the remote schema profiles, a remote relationship to it from author and from article, and Profile.author. */
    static final String BLOG_WITH_PROFILES = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "author", "relationships": {"articles": {"array": "article", "on": {"id": "author_id"}}},
               "remote_relationships": {"profile": {"remote_schema": "profiles", "remote_field": {"profile": {"arguments": {"authorId": "$id"}}}}}},
              {"table": "article", "relationships": {"author": {"object": "author", "on": {"author_id": "id"}}},
               "permissions": {"user": {"select": {"columns": ["id", "title"],
                                                   "filter": {"author": {"id": {"_eq": "X-Joinery-User-Id"}}}}}},
               "remote_relationships": {"authorProfile": {"remote_schema": "profiles",
                                                          "remote_field": {"profile": {"arguments": {"authorId": "$author_id"}}}}}}]}],
             "remote_schemas": [{"name": "profiles", "url": "http://profiles.test/graphql",
                                 "relationships": {"Profile": {"author": {"object": "author", "on": {"authorId": "id"}}}}}]}
            """;

    static List<Problem> remoteProblems(Metadata metadata, Map<String, DatabaseCatalog> catalogs) {
        List<Problem> problems = new ArrayList<>();
        Set<String> answering = new HashSet<>();
        for (RemoteSchemaConfig remote : metadata.remoteSchemas()) {
            if (remote.url().equals(new ValueFrom(PROFILES_URL, null))) {
                answering.add(remote.name());
            } else {
                problems.add(new Problem("remote schema " + remote.name(), "introspection",
                        "remote schema '" + remote.name() + "' did not answer introspection: connection refused"));
            }
        }
        metadata.sources().forEach(source -> source.tables().forEach(table -> table.remoteRelationships().forEach((name, relationship) -> {
            String field = relationship.remoteField() == null ? "profile" : relationship.remoteField().keySet().iterator().next();
            if (answering.contains(relationship.remoteSchema()) && !field.equals("profile")) {
                problems.add(new Problem("graphql schema", "remote schema", "table " + table.table() + ", remote relationship " + name
                        + ": field '" + field + "' not found in type: 'query_root'"));
            }
        })));
        for (RemoteSchemaConfig remote : metadata.remoteSchemas()) {
            if (!answering.contains(remote.name())) {
                continue;
            }
            remote.relationships().forEach((type, relationships) -> relationships.forEach((name, relationship) -> {
                String object = "remote schema " + remote.name() + ", relationship " + type + "." + name;
                if (!type.equals("Profile")) {
                    problems.add(new Problem(object, "remote schema " + remote.name(), "type '" + type + "' not found in the remote schema"));
                    return;
                }
                Set<String> read = new HashSet<>();
                if (relationship.toRemoteSchema()) {
                    relationship.remote().remoteFieldSteps().stream().filter(step -> step.arguments() != null)
                            .forEach(step -> step.arguments().elements().forEachRemaining(value -> {
                                if (value.asText().startsWith("$")) {
                                    read.add(value.asText().substring(1));
                                }
                            }));
                } else {
                    read.addAll(relationship.table().on().keySet());
                }
                read.stream().filter(field -> !PROFILE_FIELDS.contains(field)).sorted().forEach(field -> problems.add(new Problem(object,
                        "remote schema " + remote.name(), "field '" + field + "' not found in type: 'Profile'")));
            }));
        }
        return problems;
    }

    @Test
    void remoteSchemasAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response none = get("/remote-schemas");
        assertEquals(200, none.status());
        assertEquals(JSON.readTree("[]"), none.json());
        assertEquals("\"1\"", none.etag());

        Response created = put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\", \"timeout_seconds\": 5}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        RemoteSchemaConfig profiles = new RemoteSchemaConfig("profiles", new ValueFrom(PROFILES_URL, null), null, false, 5, null, null);
        assertEquals(profiles, remoteSchema(created), "the name comes from the path");
        assertEquals(profiles, remoteSchema(get("/remote-schemas/profiles")));
        assertEquals(List.of("profiles"), get("/remote-schemas").json().findValuesAsText("name"));

        Response same = put("/remote-schemas/profiles", "name: profiles\nurl: " + PROFILES_URL + "\ntimeout_seconds: 5\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "putting the same remote schema again is not a change");

        Response stale = put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\"}", "\"1\"");
        assertEquals(412, stale.status(), "remote schema writes honour If-Match");
        Response replaced = put("/remote-schemas/profiles",
                "{\"url\": \"" + PROFILES_URL + "\", \"headers\": {\"X-Api-Key\": {\"from_env\": \"PROFILES_KEY\"}}, \"batch_size\": 50}", "\"2\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"3\"", replaced.etag());
        assertEquals(new RemoteSchemaConfig("profiles", new ValueFrom(PROFILES_URL, null), Map.of("X-Api-Key", new ValueFrom(null, "PROFILES_KEY")),
                false, null, 50, null), remoteSchema(get("/remote-schemas/profiles")), "a PUT replaces the whole remote schema");

        Response mismatch = put("/remote-schemas/profiles", "{\"name\": \"other\", \"url\": \"" + PROFILES_URL + "\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names remote schema 'other' but the path names 'profiles'", mismatch.json().path("message").asText());

        Response deleted = delete("/remote-schemas/profiles");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"remote schema profiles\", \"cascaded\": []}"), deleted.json());
        Response gone = get("/remote-schemas/profiles");
        assertEquals(404, gone.status());
        assertEquals("not-found", gone.code());
        assertEquals("remote schema 'profiles' does not exist", gone.json().path("message").asText());
        assertEquals(404, delete("/remote-schemas/profiles").status());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "the rest of the document is as it was");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                      | invalid-json     | line 1
            ~~                                             | invalid-json     | needs a JSON or YAML body
            {"timeout_seconds": 5}                         | invalid-metadata | remote schema 'profiles' needs a url
            {"url": "http://x", "timeout": 5}              | invalid-metadata | unknown key 'timeout'
            {"url": {"from_env": "A", "value": "b"}}       | invalid-metadata | expected a string or {from_env: NAME}
            {"url": "http://x", "batch_size": 0}           | invalid-metadata | batch_size must be positive
            [1]                                            | invalid-metadata | invalid metadata
            """)
    void aMalformedRemoteSchemaIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        Response response = put("/remote-schemas/profiles", body == null ? "" : body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void aRemoteSchemaThatDoesNotAnswerIsRefusedWithTheEnginesProblem() throws Exception {
        putDocument(BLOG);
        Response down = put("/remote-schemas/down", "{\"url\": \"http://down.test/graphql\"}", null);
        assertEquals(400, down.status(), down.text());
        assertEquals("inconsistent-metadata", down.code());
        assertEquals(JSON.readTree("""
                [{"object": "remote schema down", "dependency": "introspection",
                  "reason": "remote schema 'down' did not answer introspection: connection refused"}]"""), down.json().path("problems"));
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void remoteRelationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(201, put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\"}", null).status());
        String path = "/sources/default/tables/author/remote-relationships/profile";
        assertEquals(JSON.readTree("{}"), get("/sources/default/tables/author/remote-relationships").json());

        Response created = put(path, REMOTE_PROFILE, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"3\"", created.etag());
        assertEquals(JSON.readTree(REMOTE_PROFILE), created.json());
        assertEquals(JSON.readTree(REMOTE_PROFILE), get(path).json());
        Response batch = put("/sources/default/tables/author/remote-relationships/profiles", """
                remote_schema: profiles
                batch: { field: profiles, arguments: { authorIds: $id }, key: { authorId: id } }
                """, null, "application/yaml");
        assertEquals(201, batch.status(), batch.text());
        assertEquals(List.of("profile", "profiles"), iterate(get("/sources/default/tables/author/remote-relationships").json().fieldNames()));
        assertEquals(200, put(path, REMOTE_PROFILE, null).status(), "a PUT of an existing one replaces it");
        assertEquals("\"4\"", get("/metadata").etag(), "... and the same one again is not a change");

        Response wrongField = put(path, REMOTE_PROFILE.replace("{\"profile\"", "{\"profil\""), null);
        assertEquals(400, wrongField.status(), wrongField.text());
        assertEquals("inconsistent-metadata", wrongField.code());
        assertEquals("table author, remote relationship profile: field 'profil' not found in type: 'query_root'",
                wrongField.json().at("/problems/0/reason").asText());

        Response undeclared = put("/sources/default/tables/author/remote-relationships/ghost", REMOTE_PROFILE.replace("\"profiles\"", "\"nope\""), null);
        assertEquals(400, undeclared.status(), undeclared.text());
        assertEquals(JSON.readTree("""
                [{"object": "table author, remote relationship ghost", "dependency": "remote schema nope",
                  "reason": "the remote schema is not declared"}]"""), undeclared.json().path("problems"));

        Response malformed = put(path, "{\"remote_schema\": \"profiles\"}", null);
        assertEquals("invalid-metadata", malformed.code());
        assertTrue(malformed.json().path("message").asText().contains("needs 'remote_field', 'batch' or 'federation'"), malformed.text());
        assertEquals("invalid-json", put(path, "{\"remote_schema\": ", null).code());
        assertEquals("\"4\"", get("/metadata").etag(), "refused writes change nothing");

        Response noRelationship = get("/sources/default/tables/author/remote-relationships/nope");
        assertEquals(404, noRelationship.status());
        assertEquals("table 'author' has no remote relationship 'nope'", noRelationship.json().path("message").asText());
        Response untracked = get("/sources/default/tables/tag/remote-relationships");
        assertEquals(404, untracked.status());
        assertEquals("table 'tag' is not tracked in source 'default'", untracked.json().path("message").asText());
        assertEquals(404, put("/sources/other/tables/author/remote-relationships/profile", REMOTE_PROFILE, null).status());

        Response deleted = delete(path);
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"table author, remote relationship profile\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(path).status());
        assertEquals(404, delete(path).status());
        assertEquals(MetadataCodec.parse(BLOG).sources().getFirst().tables().getFirst().relationships(),
                table(get("/sources/default/tables/author")).relationships(), "the table's other objects stay");
    }

    @Test
    void remoteSchemaTypeRelationshipsAreCreatedCheckedListedAndDeleted() throws Exception {
        putDocument(BLOG);
        String list = "/remote-schemas/profiles/relationships";
        String path = list + "/Profile/author";
        String toAuthor = "{\"object\": \"author\", \"on\": {\"authorId\": \"id\"}}";
        Response noRemote = get(list);
        assertEquals(404, noRemote.status());
        assertEquals("remote schema 'profiles' does not exist", noRemote.json().path("message").asText());
        assertEquals(404, put(path, toAuthor, null).status(), "a relationship needs its remote schema");
        assertEquals(201, put("/remote-schemas/profiles", "{\"url\": \"" + PROFILES_URL + "\"}", null).status());
        assertEquals(JSON.readTree("{}"), get(list).json());
        assertEquals("\"2\"", get(list).etag());

        Response created = put(path, toAuthor, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"3\"", created.etag());
        assertEquals(JSON.readTree(toAuthor), created.json());
        assertEquals(JSON.readTree(toAuthor), get(path).json());
        Response remote = put(list + "/Profile/self", """
                remote_schema: profiles
                remote_field: { profile: { arguments: { authorId: $authorId } } }
                """, null, "application/yaml");
        assertEquals(201, remote.status(), remote.text());
        String toSelf = "{\"remote_schema\": \"profiles\", \"remote_field\": {\"profile\": {\"arguments\": {\"authorId\": \"$authorId\"}}}}";
        assertEquals(JSON.readTree(toSelf), remote.json());
        Response all = get(list);
        assertEquals(JSON.readTree("{\"Profile\": {\"author\": " + toAuthor + ", \"self\": " + toSelf + "}}"), all.json());
        assertEquals("\"4\"", all.etag());
        assertEquals(List.of("author", "self"), List.copyOf(remoteSchema(get("/remote-schemas/profiles")).relationships().get("Profile").keySet()),
                "the remote schema's document holds them");

        String toAuthors = "{\"array\": \"author\", \"on\": {\"authorId\": \"id\"}}";
        Response replaced = put(path, toAuthors, "\"4\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"5\"", replaced.etag());
        assertEquals(JSON.readTree(toAuthors), get(path).json());
        assertEquals(200, put(path, toAuthors, null).status(), "a PUT of an existing one replaces it");
        assertEquals("\"5\"", get("/metadata").etag(), "... and the same one again is not a change");

        Response stale = put(path, toAuthor, "\"4\"");
        assertEquals(412, stale.status(), stale.text());
        assertEquals("precondition-failed", stale.code());
        Response unknownField = put(path, toAuthor.replace("authorId", "authorid"), null);
        assertEquals(400, unknownField.status(), unknownField.text());
        assertEquals("inconsistent-metadata", unknownField.code());
        assertEquals(JSON.readTree("""
                [{"object": "remote schema profiles, relationship Profile.author", "dependency": "remote schema profiles",
                  "reason": "field 'authorid' not found in type: 'Profile'"}]"""), unknownField.json().path("problems"));
        Response unknownRemoteArgument = put(list + "/Profile/self", toSelf.replace("$authorId", "$author"), null);
        assertEquals(400, unknownRemoteArgument.status(), unknownRemoteArgument.text());
        assertEquals("remote schema profiles, relationship Profile.self", unknownRemoteArgument.json().at("/problems/0/object").asText());
        Response unknownType = put(list + "/Nope/author", toAuthor, null);
        assertEquals(400, unknownType.status(), unknownType.text());
        assertEquals("type 'Nope' not found in the remote schema", unknownType.json().at("/problems/0/reason").asText());
        Response undeclared = put(list + "/Profile/other", toSelf.replace("\"profiles\"", "\"nope\""), null);
        assertEquals(400, undeclared.status(), undeclared.text());
        assertEquals("the remote schema is not declared", undeclared.json().at("/problems/0/reason").asText());
        Response malformed = put(path, "{\"on\": {\"authorId\": \"id\"}}", null);
        assertEquals(400, malformed.status(), malformed.text());
        assertEquals("invalid-metadata", malformed.code());
        assertEquals("invalid-json", put(path, "{\"object\": ", null).code());
        assertEquals("\"5\"", get("/metadata").etag(), "refused writes change nothing");

        Response noType = get(list + "/Nope/author");
        assertEquals(404, noType.status());
        assertEquals("remote schema 'profiles' has no relationships on type 'Nope'", noType.json().path("message").asText());
        Response noRelationship = get(list + "/Profile/nope");
        assertEquals(404, noRelationship.status());
        assertEquals("remote schema 'profiles' has no relationship 'nope' on type 'Profile'", noRelationship.json().path("message").asText());
        assertEquals(404, delete(list + "/Profile/nope").status());
        assertEquals(404, get("/remote-schemas/nope/relationships/Profile/author").status());

        Response deleted = delete(path);
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"remote schema profiles, relationship Profile.author\", \"cascaded\": []}"), deleted.json());
        assertEquals(404, get(path).status());
        assertEquals(404, delete(path).status());
        assertEquals(JSON.readTree("{\"Profile\": {\"self\": " + toSelf + "}}"), get(list).json(), "the type's other relationships stay");
        assertEquals(200, delete(list + "/Profile/self").status());
        assertEquals(JSON.readTree("{}"), get(list).json(), "a type left without relationships is removed");
        assertEquals(404, get(list + "/Profile/self").status());
        assertEquals(new RemoteSchemaConfig("profiles", new ValueFrom(PROFILES_URL, null), null, false, null, null, null),
                remoteSchema(get("/remote-schemas/profiles")), "the rest of the remote schema is as it was");
    }

    @Test
    void aDocumentWithARemoteRelationshipToAnUndeclaredRemoteIsRefused() throws Exception {
        Response response = putDocument(BLOG_WITH_PROFILES.replace("\"remote_schema\": \"profiles\"", "\"remote_schema\": \"profile\""));
        assertEquals(400, response.status(), response.text());
        assertEquals(List.of("table author, remote relationship profile", "table article, remote relationship authorProfile"),
                response.json().path("problems").findValuesAsText("object"));
        assertEquals("\"0\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingARemoteSchemaInUseNeedsCascadeWhichSaysWhatItRemoved() throws Exception {
        Response setUp = putDocument(BLOG_WITH_PROFILES);
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/remote-schemas/profiles");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        assertEquals(JSON.readTree("[\"table author, remote relationship profile\", \"table article, remote relationship authorProfile\"]"),
                refused.json().path("dependents"));
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/remote-schemas/profiles?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(JSON.readTree("""
                {"deleted": "remote schema profiles",
                 "cascaded": ["table author, remote relationship profile", "table article, remote relationship authorProfile"]}"""),
                cascaded.json());
        assertEquals(JSON.readTree("[]"), get("/remote-schemas").json());
        assertEquals(MetadataCodec.parse(BLOG), MetadataCodec.parse(get("/metadata").text()), "everything else stays");
    }

    @Test
    void untrackingATableARemoteSchemaJoinsToNeedsCascadeToo() throws Exception {
        putDocument(BLOG_WITH_PROFILES);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status(), refused.text());
        assertEquals(JSON.readTree("""
                ["table article, relationship author", "table article, select permission user", "remote schema profiles, relationship Profile.author"]"""),
                refused.json().path("dependents"));

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(refused.json().path("dependents"), cascaded.json().path("cascaded"));
        assertEquals(Map.of(), remoteSchema(get("/remote-schemas/profiles")).relationships(), "Profile.author went with the table");
        assertEquals(List.of("authorProfile"), iterate(get("/sources/default/tables/article/remote-relationships").json().fieldNames()),
                "other tables' remote relationships stay");
    }

    @Test
    void remoteResourcesAllowOnlyTheirMethods() throws Exception {
        Response list = send(sidecarA, "POST", "/remote-schemas", "{}", SECRET, "application/json");
        assertEquals(405, list.status());
        assertEquals("GET", list.headers().firstValue("Allow").orElseThrow());
        Response one = send(sidecarA, "PATCH", "/sources/default/tables/author/remote-relationships/profile", "{}", SECRET, "application/json");
        assertEquals(405, one.status());
        assertEquals("DELETE, GET, PUT", one.headers().firstValue("Allow").orElseThrow());
    }

    // ---- actions and custom types

    /** BLOG with custom types (Email; Contact using it; Order using Contact; Result joined to author) and actions using them. */
    static final String BLOG_WITH_ACTIONS = BLOG.strip().replaceFirst("}\\s*$", """
            ,
             "custom_types": [
               {"definition": "scalar Email"},
               {"definition": "input Contact { email: Email! }"},
               {"definition": "input Order { contact: Contact!, quantity: Int! }"},
               {"definition": "type Result { order_id: Int!, author_id: Int }",
                "relationships": {"author": {"object": "author", "on": {"author_id": "id"}}}}],
             "actions": [
               {"name": "createOrder", "arguments": {"order": "Order!"}, "output": "Result", "handler": "http://orders.test/create"},
               {"name": "confirm", "arguments": {"email": "Email!"}, "output": "Boolean!", "handler": {"from_env": "CONFIRM_URL"}},
               {"name": "results", "kind": "query", "output": "[Result!]!", "handler": "http://orders.test/results"}]}
            """);

    @Test
    void actionsAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response none = get("/actions");
        assertEquals(200, none.status());
        assertEquals(JSON.readTree("[]"), none.json());
        assertEquals("\"1\"", none.etag());
        assertEquals(201, put("/custom-types/Result", "{\"definition\": \"type Result { order_id: Int! }\"}", null).status());

        String body = "{\"output\": \"Result\", \"handler\": \"http://orders.test/create\", \"roles\": [\"user\"]}";
        Response created = put("/actions/createOrder", body, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"3\"", created.etag());
        Action createOrder = new Action("createOrder", null, null, "Result", new ValueFrom("http://orders.test/create", null), null,
                false, null, List.of("user"), null);
        assertEquals(createOrder, action(created), "the name comes from the path");
        assertEquals(createOrder, action(get("/actions/createOrder")));
        assertEquals(List.of("createOrder"), get("/actions").json().findValuesAsText("name"));

        Response same = put("/actions/createOrder", "name: createOrder\noutput: Result\nhandler: http://orders.test/create\nroles: [user]\n",
                null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"3\"", same.etag(), "putting the same action again is not a change");

        assertEquals(412, put("/actions/createOrder", body, "\"2\"").status(), "action writes honour If-Match");
        Response replaced = put("/actions/createOrder", """
                {"kind": "query", "arguments": {"id": "Int!"}, "output": "[Result!]", "handler": {"from_env": "ORDERS_URL"},
                 "headers": {"X-Api-Key": {"from_env": "ORDERS_KEY"}}, "timeout_seconds": 5}""", "\"3\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"4\"", replaced.etag());
        assertEquals(new Action("createOrder", "query", Map.of("id", "Int!"), "[Result!]", new ValueFrom(null, "ORDERS_URL"),
                Map.of("X-Api-Key", new ValueFrom(null, "ORDERS_KEY")), false, 5, null, null), action(get("/actions/createOrder")),
                "a PUT replaces the whole action");

        Response mismatch = put("/actions/createOrder", "{\"name\": \"other\", \"output\": \"Result\", \"handler\": \"http://x\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names action 'other' but the path names 'createOrder'", mismatch.json().path("message").asText());

        Response unknownType = put("/actions/createOrder", "{\"output\": \"Receipt\", \"handler\": \"http://x\"}", null);
        assertEquals(400, unknownType.status(), unknownType.text());
        assertEquals("inconsistent-metadata", unknownType.code());
        assertEquals(JSON.readTree("""
                [{"object": "action createOrder", "dependency": "type Receipt",
                  "reason": "no such type: not a built-in or Postgres scalar, nor a custom type (output)"}]"""),
                unknownType.json().path("problems"));
        assertEquals("\"4\"", get("/metadata").etag(), "refused writes change nothing");

        Response deleted = delete("/actions/createOrder");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"action createOrder\", \"cascaded\": []}"), deleted.json());
        Response gone = get("/actions/createOrder");
        assertEquals(404, gone.status());
        assertEquals("not-found", gone.code());
        assertEquals("action 'createOrder' does not exist", gone.json().path("message").asText());
        assertEquals(404, delete("/actions/createOrder").status());
        assertEquals(MetadataCodec.parse(BLOG).sources(), MetadataCodec.parse(get("/metadata").text()).sources(), "the tables are as they were");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                               | invalid-json     | line 1
            ~~                                                      | invalid-json     | needs a JSON or YAML body
            {"handler": "http://x"}                                 | invalid-metadata | action 'createOrder' needs an output type
            {"output": "Result"}                                    | invalid-metadata | action 'createOrder' needs a handler
            {"output": "Result", "handler": "http://x", "kind": "subscription"} | invalid-metadata | kind is 'query' or 'mutation', not 'subscription'
            {"output": "Result", "handler": "http://x", "type": "mutation"}     | invalid-metadata | unknown key 'type'
            {"output": "Result", "handler": "ftp://x"}              | inconsistent-metadata | 'ftp://x' is not an absolute http(s) URL
            {"output": "Result", "handler": "http://x", "roles": ["a b"]}       | inconsistent-metadata | role a b: malformed
            {"output": "Result", "handler": "http://x", "timeout_seconds": 0}   | inconsistent-metadata | the timeout must be positive, not 0
            {"arguments": {"r": "Result"}, "output": "Result", "handler": "http://x"} | inconsistent-metadata | an argument takes an input type
            [1]                                                     | invalid-metadata | invalid metadata
            """)
    void aMalformedOrInconsistentActionIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        Response response = put("/actions/createOrder", body == null ? "" : body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void customTypesAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("[]"), get("/custom-types").json());

        Response created = put("/custom-types/Email", "{\"definition\": \"scalar Email\"}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        assertEquals(CustomType.of("scalar Email"), customType(created));
        assertEquals(CustomType.of("scalar Email"), customType(get("/custom-types/Email")));
        Response same = put("/custom-types/Email", "definition: scalar Email\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "the same definition again is not a change");

        String order = """
                {"definition": "type Order {\\n  id: Int!\\n  author_id: Int\\n  contact: Email\\n}\\n",
                 "relationships": {"author": {"object": "author", "on": {"author_id": "id"}}}}""";
        assertEquals(412, put("/custom-types/Order", order, "\"1\"").status(), "custom type writes honour If-Match");
        Response withRelationship = put("/custom-types/Order", order, "\"2\"");
        assertEquals(201, withRelationship.status(), withRelationship.text());
        String definition = "type Order {\n  id: Int!\n  author_id: Int\n  contact: Email\n}\n";
        assertEquals(definition, customType(get("/custom-types/Order")).definition(), "the definition is kept as written");
        assertEquals(List.of("scalar Email", definition), get("/custom-types").json().findValuesAsText("definition"));
        Response replaced = put("/custom-types/Order", "{\"definition\": \"type Order { id: Int! }\"}", null);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(Map.of(), customType(get("/custom-types/Order")).relationships(), "a PUT replaces the whole custom type");

        Response deleted = delete("/custom-types/Order");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"custom type Order\", \"cascaded\": []}"), deleted.json());
        Response gone = get("/custom-types/Order");
        assertEquals(404, gone.status());
        assertEquals("not-found", gone.code());
        assertEquals("custom type 'Order' does not exist", gone.json().path("message").asText());
        assertEquals(404, delete("/custom-types/Order").status());
        assertEquals(List.of("scalar Email"), get("/custom-types").json().findValuesAsText("definition"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"definition": "scalar Mail"}                           | invalid-metadata      | the definition names type 'Mail' but the path names 'Email'
            {"definition": "scalar Email {"}                        | invalid-metadata      | the definition is not one type definition: it does not parse
            {"definition": "scalar Email scalar Phone"}             | invalid-metadata      | the definition is not one type definition: it holds 2 definitions
            {"relationships": {}}                                   | invalid-metadata      | a custom type needs 'definition'
            {"definition": "scalar Email", "name": "Email"}         | invalid-metadata      | unknown key 'name'
            {"definition": "interface Email { a: Int }"}            | inconsistent-metadata | it is an interface
            {"definition": "input Email { a: Result }"}             | inconsistent-metadata | an input type's fields take input types
            {"definition": "type Email { a: Int }", "relationships": {"tags": {"array": "tag", "on": {"a": "id"}}}} | inconsistent-metadata | table tag: the target table is not tracked
            {"definition": "type Email { a: Int }", "relationships": {"author": {"object": "author", "on": {"a": "nme"}}}} | inconsistent-metadata | column author.nme: the column does not exist
            {"definition": "type Email { a: Boolean }", "relationships": {"author": {"object": "author", "on": {"a": "id"}}}} | inconsistent-metadata | its type int4 cannot be compared with Email.a of type Boolean
            {"definition": "type Email { a: Int }"}                 | inconsistent-metadata | type Email: an argument takes an input type
            """)
    void aMalformedOrInconsistentCustomTypeIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        Response response = put("/custom-types/Email", body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        List<String> said = new ArrayList<>(List.of(response.json().path("message").asText()));
        response.json().path("problems").forEach(problem -> said.add(problem.path("dependency").asText() + ": " + problem.path("reason").asText()));
        assertTrue(said.stream().anyMatch(text -> text.contains(messagePart)), "the message or a problem says it: " + response.text());
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingACustomTypeInUseNeedsCascadeWhichRemovesItsUsersTransitively() throws Exception {
        Response setUp = putDocument(BLOG_WITH_ACTIONS);
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/custom-types/Email");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        JsonNode dependents = JSON.readTree("[\"custom type Contact\", \"custom type Order\", \"action createOrder\", \"action confirm\"]");
        assertEquals(dependents, refused.json().path("dependents"));
        assertTrue(refused.json().path("message").asText().startsWith("custom type Email is used by custom type Contact; "), refused.text());
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/custom-types/Email?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals("custom type Email", cascaded.json().path("deleted").asText());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(List.of("results"), get("/actions").json().findValuesAsText("name"), "the action using only Result stays");
        assertEquals(List.of("Result"), MetadataCodec.parse(get("/metadata").text()).customTypes().stream()
                .map(type -> type.name().orElseThrow()).toList());

        assertEquals(409, delete("/custom-types/Result").status());
        assertEquals(200, delete("/actions/results").status());
        assertEquals(JSON.readTree("{\"deleted\": \"custom type Result\", \"cascaded\": []}"), delete("/custom-types/Result").json(),
                "once nothing uses it, it goes alone");
    }

    @Test
    void untrackingATableACustomTypeJoinsToNeedsCascadeToo() throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status(), refused.text());
        assertEquals(JSON.readTree("""
                ["table article, relationship author", "table article, select permission user", "custom type Result, relationship author"]"""),
                refused.json().path("dependents"));

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(refused.json().path("dependents"), cascaded.json().path("cascaded"));
        assertEquals(CustomType.of("type Result { order_id: Int!, author_id: Int }"), customType(get("/custom-types/Result")),
                "Result.author went with the table, Result stays");
        assertEquals(3, get("/actions").json().size(), "the actions stay");
    }

    @Test
    void deletingASourceACustomTypeJoinsToNeedsCascade() throws Exception {
        Response setUp = putDocument(TWO_SOURCES.strip().replaceFirst("}\\s*$", """
                ,
                 "custom_types": [{"definition": "type Stats { author_id: Int }",
                                   "relationships": {"stats": {"object": "author", "source": "analytics", "on": {"author_id": "id"}}}}]}
                """));
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/sources/analytics");
        assertEquals(409, refused.status(), refused.text());
        assertTrue(refused.json().path("dependents").toString().contains("\"custom type Stats, relationship stats\""), refused.text());
        Response cascaded = delete("/sources/analytics?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(Map.of(), customType(get("/custom-types/Stats")).relationships(), "Stats.stats went with the source");
    }

    @Test
    void validateAndInconsistenciesReportActionsAndCustomTypes() throws Exception {
        String broken = BLOG_WITH_ACTIONS.replace("\"output\": \"Boolean!\"", "\"output\": \"Receipt\"");
        Response validation = send(sidecarA, "POST", "/metadata/validate", broken, SECRET, "application/json");
        assertEquals(200, validation.status(), validation.text());
        assertEquals(JSON.readTree("""
                {"valid": false, "problems": [{"object": "action confirm", "dependency": "type Receipt",
                  "reason": "no such type: not a built-in or Postgres scalar, nor a custom type (output)"}]}"""), validation.json());
        assertEquals(400, putDocument(broken).status());
        assertEquals(200, putDocument(BLOG_WITH_ACTIONS).status());
        assertEquals(JSON.readTree("{\"resource_version\": 1, \"live\": true, \"consistent\": true, \"inconsistencies\": []}"), get("/inconsistencies").json());
        db.execute("ALTER TABLE author RENAME COLUMN id TO ident");
        List<JsonNode> drift = new ArrayList<>();
        get("/inconsistencies").json().path("inconsistencies").forEach(drift::add);
        assertTrue(drift.contains(JSON.readTree("""
                {"object": "custom type Result, relationship author", "dependency": "column author.id", "reason": "the column does not exist"}""")),
                "drift reaches custom types' relationships too: " + drift);
    }

    @Test
    void actionAndCustomTypeResourcesAllowOnlyTheirMethods() throws Exception {
        Response list = send(sidecarA, "PUT", "/actions", "{}", SECRET, "application/json");
        assertEquals(405, list.status());
        assertEquals("GET", list.headers().firstValue("Allow").orElseThrow());
        Response one = send(sidecarA, "POST", "/custom-types/Email", "{}", SECRET, "application/json");
        assertEquals(405, one.status());
        assertEquals("DELETE, GET, PUT", one.headers().firstValue("Allow").orElseThrow());
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

    /** Replaces the whole document as a careful client does: with the current version in {@code If-Match}. */
    static Response putDocument(String body) throws IOException, InterruptedException {
        return put("/metadata", body, get("/metadata").etag());
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

    static Action action(Response response) {
        return MetadataCodec.convert(response.json(), Action.class);
    }

    static CustomType customType(Response response) {
        return MetadataCodec.convert(response.json(), CustomType.class);
    }

    static RemoteSchemaConfig remoteSchema(Response response) {
        return MetadataCodec.convert(response.json(), RemoteSchemaConfig.class);
    }

    static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
