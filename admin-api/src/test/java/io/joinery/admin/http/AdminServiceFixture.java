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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST contract as a client sees it: a real Postgres, two sidecars (two servers, each with its
 * own store) on one metadata database, and java.net.http. Remote schemas are checked by a stand-in
 * for the engine's checks ({@link #REMOTES}). Each resource's tests extend it: they share the
 * setup, the documents and the client.
 */
abstract class AdminServiceFixture {

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
    static final String COMPUTED_FIELDS = "/sources/default/tables/author/computed-fields";
    static final String FUNCTIONS = "/sources/default/functions";

    static final String PERMISSION = "/sources/default/tables/article/permissions/user";
    static final String INSERT = """
            {"check": {"author_id": {"_eq": "X-Joinery-User-Id"}}, "columns": ["title", "published"],
             "set": {"author_id": "X-Joinery-User-Id", "published": false}}""";
    /**
     * Stands in for the engine's checks, which the sidecar passes to the service (proxy's
     * EngineChecks): a remote schema answers introspection only at {@link #PROFILES_URL}, whose
     * query root has the one field {@code profile}, and a per-key remote relationship to it must
     * start its path with that field. Its one object type is {@code Profile}, with the fields
     * {@link #PROFILE_FIELDS}, which its types' relationships must read. The problems have the
     * engine's shape.
     */
    static final ConsistencyCheck REMOTES = AdminServiceFixture::remoteProblems;
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
