package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Hasura v3 export ({@code it/admin/hasura-export.json}, over the integration schema) posted to a
 * running sidecar's {@code POST /admin/v1/metadata/import/hasura}: applied like a PUT, with what has
 * no place in Joinery listed, and then served over GraphQL: custom root fields and column names,
 * foreign-key and manual relationships, and a role's filter on {@code x-joinery-user-id} (from
 * {@code X-Hasura-User-Id}); insert, update and delete permissions are imported too, and give the
 * role nothing in its schema (Joinery has no table mutations yet); its actions
 * and custom types are stored, listed and served.
 */
class HasuraExportImportTest {

    /** Everything the export has that Joinery's document cannot say, by path. */
    static final Set<String> UNMAPPED = Set.of(
            "sources[default].configuration.connection_info.isolation_level",
            "sources[default].configuration.connection_info.pool_settings",
            "sources[default].configuration.connection_info.use_prepared_statements",
            "sources[default].tables[author].event_triggers[author_created]",
            "actions[publishArticle]",
            "cron_triggers[nightly_digest]");

    static TestDatabase db;
    static StoreSidecar sidecar;
    static Answer imported;

    @BeforeAll
    static void importTheExport() {
        db = TestDatabase.create("hasura_import").load("/it/schema.sql").execute("""
                CREATE FUNCTION article_word_count(a article) RETURNS int STABLE LANGUAGE sql
                  AS $$ SELECT array_length(regexp_split_to_array(trim(a.title), '\\s+'), 1) $$""");
        db.execute("""
                CREATE FUNCTION search_articles(search text) RETURNS SETOF article STABLE LANGUAGE sql
                  AS $$ SELECT * FROM article WHERE title ILIKE '%' || search || '%' $$""");
        sidecar = StoreSidecar.start(db.url());
        String etag = sidecar.get("/admin/v1/metadata").expect(200).etag();
        imported = sidecar.admin("POST", "/admin/v1/metadata/import/hasura", resource("/it/admin/hasura-export.json"), Map.of("If-Match", etag));
        DriftTest.awaitVersion(sidecar.sidecar(), imported.expect(200).json().path("resource_version").asLong());
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

    @Test
    void theAnswerListsWhatCouldNotBeMappedWithReasons() {
        JsonNode unmapped = imported.json().path("unmapped");
        Set<String> paths = new TreeSet<>();
        unmapped.forEach(item -> {
            paths.add(item.path("path").asText());
            assertTrue(!item.path("what").asText().isBlank() && !item.path("reason").asText().isBlank(), "each comes with what and why: " + item);
        });
        assertEquals(new TreeSet<>(UNMAPPED), paths, imported.toString());
        assertEquals("[]", imported.json().path("notes").toString(), "no remote schema, nothing served otherwise than Hasura's defaults: " + imported);
    }

    @Test
    void theImportedDocumentIsTheStoredOneWithJoinerySessionVariables() {
        Answer current = sidecar.get("/admin/v1/metadata").expect(200);
        assertEquals(imported.json().path("resource_version").asLong(), current.etagVersion(), "the import is the current version");
        JsonNode stored = current.json();
        String text = stored.toString();
        assertTrue(text.contains("x-joinery-user-id") && !text.toLowerCase(java.util.Locale.ROOT).contains("x-hasura"),
                "x-hasura-* session variables became x-joinery-*: " + text);
        assertEquals(Set.of("author", "article", "comment"), tables(stored));
        assertEquals("[{\"role_name\":\"moderator\",\"role_set\":[\"user\"]}]", stored.path("inherited_roles").toString(),
                "inherited roles come over as they are");
    }

    @Test
    void customRootFieldsColumnNamesAndRelationshipsAreServed() {
        GraphqlResponse response = sidecar.graphql().query("""
                { writers(where: {id: {_eq: 1}}) { name joinedAt articles(order_by: {id: asc}, limit: 2) { id author { name } comments(order_by: {id: asc}, limit: 1) { id } } }
                  writer(id: 2) { name } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonNode writer = response.data().path("writers").path(0);
        assertEquals("Margaret", writer.path("name").asText(), response.toString());
        assertTrue(writer.path("joinedAt").asText().startsWith("2023-01-01"), "created_at is served as joinedAt: " + response);
        assertEquals("[{\"id\":9,\"author\":{\"name\":\"Margaret\"},\"comments\":[{\"id\":14}]},{\"id\":18,\"author\":{\"name\":\"Margaret\"},\"comments\":[{\"id\":8}]}]",
                writer.path("articles").toString(), "foreign-key and manual relationships: " + response);
        assertEquals("Alan", response.data().path("writer").path("name").asText(), response.toString());
    }

    @Test
    void computedFieldsAreServed() {
        GraphqlResponse response = sidecar.graphql().query("{ article(where: {id: {_eq: 5}}) { title word_count } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonNode article = response.data().path("article").path(0);
        assertEquals(article.path("title").asText().trim().split("\\s+").length, article.path("word_count").asInt(), response.toString());
    }

    @Test
    void trackedFunctionsAreServed() {
        GraphqlResponse response = sidecar.graphql().query(
                "{ search_articles(args: {search: \"article 1\"}, where: {id: {_lt: 12}}, order_by: {id: asc}) { id } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<Integer> ids = new java.util.ArrayList<>();
        response.data().path("search_articles").forEach(article -> ids.add(article.path("id").asInt()));
        assertEquals(List.of(1, 10, 11), ids, response.toString());
    }

    @Test
    void aRolesFilterOnTheUserIdSessionVariableIsApplied() {
        GraphqlClient user3 = sidecar.graphql().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "3"));
        GraphqlResponse response = user3.query("{ article(order_by: {id: asc}) { id author_id published } comment { id author_id } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonNode articles = response.data().path("article");
        assertEquals(db.queryLong("SELECT count(*) FROM article WHERE published OR author_id = 3"), articles.size(), response.toString());
        articles.forEach(article -> assertTrue(article.path("published").asBoolean() || article.path("author_id").asInt() == 3, article.toString()));
        JsonNode comments = response.data().path("comment");
        assertFalse(articles.isEmpty() || comments.isEmpty(), "user 3 sees articles and comments: " + response);
        assertEquals(db.queryLong("SELECT count(*) FROM comment WHERE author_id = 3"), comments.size(), response.toString());
        comments.forEach(comment -> assertEquals(3, comment.path("author_id").asInt(), "only the user's own comments: " + comment));

        GraphqlResponse hidden = user3.query("{ writers { email } }");
        assertEquals("validation-failed", hidden.errors().path(0).path("extensions").path("code").asText(),
                "email is not among the role's columns: " + hidden);
    }

    @Test
    void insertUpdateAndDeletePermissionsAreImportedWithJoinerySessionVariables() throws Exception {
        Answer insert = sidecar.get("/admin/v1/sources/default/tables/author/permissions/user/insert").expect(200);
        assertEquals(StoreSidecar.JSON.readTree("""
                {"check": {"id": {"_eq": "x-joinery-user-id"}}, "columns": ["name", "email"]}"""), insert.json());
        assertEquals(StoreSidecar.JSON.readTree("""
                {"check": {}, "columns": ["name", "email"], "set": {"id": "x-joinery-user-id"}}"""),
                sidecar.get("/admin/v1/sources/default/tables/author/permissions/signup/insert").expect(200).json());
        assertEquals(StoreSidecar.JSON.readTree("""
                {"columns": ["title", "body"], "filter": {"author_id": {"_eq": "x-joinery-user-id"}}}"""),
                sidecar.get("/admin/v1/sources/default/tables/article/permissions/user/update").expect(200).json(), "check: null is no check");
        assertEquals(StoreSidecar.JSON.readTree("""
                {"filter": {"author_id": {"_eq": "x-joinery-user-id"}}}"""),
                sidecar.get("/admin/v1/sources/default/tables/comment/permissions/user/delete").expect(200).json());
        assertEquals(Set.of("select", "insert"), fieldNames(sidecar.get("/admin/v1/sources/default/tables/author/permissions/user").expect(200).json()));
        assertEquals(true, sidecar.get("/admin/v1/inconsistencies").expect(200).json().path("consistent").asBoolean(), "all of it checks out");
    }

    /**
     * signup may insert into author (under the imported custom name addWriters, its id preset from the
     * session) without reading it, and select published articles only.
     */
    @Test
    void aRoleWithOnlyAnInsertPermissionOnATableMayInsertButNotReadIt() {
        GraphqlClient signup = sidecar.graphql().withHeaders(Map.of("x-joinery-role", "signup", "x-joinery-user-id", "3"));
        GraphqlResponse writers = signup.query("{ writers { id name } }");
        assertTrue(writers.data().isMissingNode(), "a failed request has no data: " + writers);
        assertEquals("validation-failed", writers.errors().path(0).path("extensions").path("code").asText(), writers.toString());
        assertEquals("field 'writers' not found in type: 'query_root'", writers.errors().path(0).path("message").asText(), writers.toString());

        GraphqlResponse articles = signup.query("{ article(order_by: {id: asc}, limit: 1) { id title } }");
        assertTrue(articles.errors().isMissingNode(), "the table it may select is served: " + articles);
        GraphqlResponse types = signup.query("{ author: __type(name: \"author\") { name } mutations: __type(name: \"mutation_root\") { fields { name } } }");
        assertTrue(types.errors().isMissingNode(), types.toString());
        assertTrue(types.data().path("author").isNull(), "no author type in the role's schema: " + types);
        assertEquals("[{\"name\":\"addWriters\"}]", types.data().path("mutations").path("fields").toString(), "only its insert: " + types);
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void actionsAndCustomTypesAreStoredAndServed() {
        JsonNode actions = sidecar.get("/admin/v1/actions").expect(200).json();
        assertEquals(List.of("archiveArticle", "articleDigest"), actions.findValuesAsText("name"),
                "publishArticle's handler mixes a template with a path and is listed instead: " + actions);
        JsonNode archive = actions.path(0);
        assertEquals("{\"from_env\":\"ARCHIVE_URL\"}", archive.path("handler").toString());
        assertEquals("{\"id\":\"Int!\",\"reason\":\"ArchiveReason\"}", archive.path("arguments").toString());
        assertEquals("PublishOutput!", archive.path("output").asText());
        assertEquals("[\"user\"]", archive.path("roles").toString());
        assertEquals(15, archive.path("timeout_seconds").asInt());
        assertEquals("query", actions.path(1).path("kind").asText());

        JsonNode types = sidecar.get("/admin/v1/custom-types").expect(200).json();
        assertEquals(List.of("\"an e-mail address\" scalar Email", "enum ArchiveReason { OUTDATED DUPLICATE }", "input Contact { email: Email! }",
                "type PublishOutput { id: Int!, published_at: timestamptz }"), types.findValuesAsText("definition"));
        assertEquals("{\"article\":{\"object\":\"article\",\"on\":{\"id\":\"id\"}}}", types.path(3).path("relationships").toString());
        assertEquals(200, sidecar.get("/admin/v1/custom-types/PublishOutput").status());
        assertTrue(sidecar.get("/admin/v1/inconsistencies").expect(200).json().path("consistent").asBoolean(),
                "the imported actions and custom types are consistent with the database");

        GraphqlResponse mutation = sidecar.graphql().query("mutation { archiveArticle(id: 1) { id } }");
        assertTrue(mutation.data().path("archiveArticle").isNull(), mutation.toString());
        assertEquals("action 'archiveArticle': its handler is not configured", mutation.errors().path(0).path("message").asText(),
                "the imported action is served; its handler comes from ARCHIVE_URL, which is not set: " + mutation);
        assertEquals("environment variable ARCHIVE_URL is not set", mutation.errors().path(0).path("extensions").path("internal").asText(),
                mutation.toString());
    }

    private static Set<String> tables(JsonNode metadata) {
        Set<String> tables = new TreeSet<>();
        metadata.path("sources").forEach(source -> source.path("tables").forEach(table -> tables.add(table.path("table").asText())));
        return tables;
    }

    static String resource(String name) {
        try (InputStream in = HasuraExportImportTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
