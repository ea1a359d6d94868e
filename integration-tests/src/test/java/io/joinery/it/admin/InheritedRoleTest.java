package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inherited roles (Note [Inherited roles]) over real HTTP and Postgres: the union of the parents'
 * rows, columns, limits and aggregations; cells null outside the filters of the parents granting their
 * column (Note [Redacted cells]), per user under one plan, nullable in the role's schema, and never
 * shown by a nested role where its parent nulls them; a role of its own overriding; a remote schema
 * permission the parents share; no data outside the union through where, _by_pk, relationships or
 * aggregates; and the admin API refusing cycles.
 */
class InheritedRoleTest {

    static final String HELLO = "type Query { hello(name: String @preset(value: \\\"x-joinery-user-id\\\")): String }";
    static final String METADATA = """
            {"version": 1,
             "sources": [{"name": "default", "tables": [
               {"table": "author",
                "relationships": {"articles": {"array": "article", "on": {"id": "author_id"}}},
                "permissions": {
                  "user": {"select": {"columns": ["id", "name"], "filter": {"id": {"_lte": 2}}}},
                  "reviewer": {"select": {"columns": ["id", "name"], "filter": {"id": {"_gte": 9}}, "limit": 5, "allow_aggregations": true}},
                  "guest": {"select": {"columns": ["id"]}},
                  "owner": {"select": {"columns": ["id", "name", "email"], "filter": {"id": {"_eq": "X-Joinery-User-Id"}}}},
                  "scout": {"select": {"columns": ["id"], "filter": {"id": {"_gte": 9}}}}}},
               {"table": "article",
                "permissions": {
                  "user": {"select": {"columns": ["id", "title"], "filter": {"author_id": {"_eq": "X-Joinery-User-Id"}}},
                           "update": %s, "delete": {"filter": {"author_id": {"_eq": "X-Joinery-User-Id"}}}},
                  "reviewer": {"select": %s, "update": %s}}}]}],
             "remote_schemas": [{"name": "profiles", "url": "%s",
               "permissions": {"user": {"schema": "%s"}, "reviewer": {"schema": "%s"}}}],
             "inherited_roles": [
               {"role_name": "editor", "role_set": ["user", "reviewer"]},
               {"role_name": "chief", "role_set": ["editor", "user"]},
               {"role_name": "desk", "role_set": ["owner", "scout"]},
               {"role_name": "lobby", "role_set": ["desk", "guest"]}]}""";

    static final String OWN_TITLES = "{\"columns\": [\"title\"], \"filter\": {\"author_id\": {\"_eq\": \"X-Joinery-User-Id\"}}}";
    static final String REVIEWER_ARTICLES = "{\"columns\": [\"id\", \"title\", \"rating\"], \"filter\": {\"author_id\": {\"_eq\": \"X-Joinery-User-Id\"}}}";

    static TestDatabase db;
    static TestGraphqlServer remote;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("inherited_roles").load("/it/schema.sql");
        remote = new TestGraphqlServer();
        sidecar = StoreSidecar.start(db.url());
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar; TestGraphqlServer closingRemote = remote) {
            db.close();
        }
    }

    @BeforeEach
    void metadata() {
        served(sidecar.putDocument(METADATA.formatted(OWN_TITLES, REVIEWER_ARTICLES, OWN_TITLES, remote.url(), HELLO, HELLO)).expect(200));
    }

    private static void served(Answer write) {
        DriftTest.awaitVersion(sidecar.sidecar(), write.etagVersion());
    }

    private static GraphqlClient as(String role) {
        return as(role, "1");
    }

    private static GraphqlClient as(String role, String userId) {
        return sidecar.graphql().withHeaders(Map.of("x-joinery-role", role, "x-joinery-user-id", userId));
    }

    private static JsonNode ok(GraphqlResponse answer) {
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
        return answer.data();
    }

    private static void refused(GraphqlResponse answer, String messagePart) {
        assertEquals("validation-failed", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertTrue(answer.errors().path(0).path("message").asText().contains(messagePart), messagePart + " in " + answer);
        assertTrue(answer.json().path("data").isMissingNode(), "no data: " + answer);
    }

    private static List<Integer> ids(JsonNode rows) {
        List<Integer> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.path("id").asInt()));
        return ids;
    }

    @Test
    void anInheritedRoleSeesTheRowsOfEachParentAndTheLargestLimit() {
        String query = "{ author(order_by: {id: asc}) { id name } }";
        assertEquals(List.of(1, 2), ids(ok(as("user").query(query)).path("author")));
        assertEquals(List.of(9, 10), ids(ok(as("reviewer").query(query)).path("author")));
        assertEquals(List.of(1, 2, 9, 10), ids(ok(as("editor").query(query)).path("author")), "the union of the parents' rows");
        assertEquals(List.of(1, 2, 9, 10), ids(ok(as("chief").query(query)).path("author")), "an inherited role of an inherited role");
        assertEquals(4, ok(as("editor").query("{ author_aggregate { aggregate { count } } }")).path("author_aggregate")
                .path("aggregate").path("count").asInt(), "aggregations allowed by one parent; counted over the union only");
        refused(as("user").query("{ author_aggregate { aggregate { count } } }"), "author_aggregate");
    }

    @Test
    void aggregatesReachNoHiddenColumn() {
        for (String role : List.of("reviewer", "editor")) {
            refused(as(role).query("{ author_aggregate { aggregate { max { email } } } }"), "email");
            refused(as(role).query("{ author_aggregate { aggregate { count(columns: [email]) } } }"), "email");
            refused(as(role).query("{ author_aggregate(where: {email: {_is_null: true}}) { aggregate { count } } }"), "email");
            refused(as(role).query("{ author_aggregate(order_by: {email: asc}) { nodes { id } } }"), "email");
        }
        assertEquals("Ada", ok(as("editor").query("{ author_aggregate { aggregate { min { name } } } }")).path("author_aggregate")
                .path("aggregate").path("min").path("name").asText(), "a column both parents grant");
    }

    @Test
    void nothingOutsideTheUnionThroughWhereByPkOrRelationships() {
        assertEquals(0, ok(as("editor").query("{ author(where: {id: {_eq: 5}}) { id } }")).path("author").size());
        assertTrue(ok(as("editor").query("{ author_by_pk(id: 5) { id } }")).path("author_by_pk").isNull());
        refused(as("editor").query("{ author(where: {email: {_is_null: false}}) { id } }"), "email");
        refused(as("editor").query("{ author(order_by: {email: asc}) { id } }"), "email");
        refused(as("editor").query("{ author { email } }"), "email");
        JsonNode articles = ok(as("editor").query("{ author(order_by: {id: asc}) { id articles(order_by: {id: asc}) { id rating } } }"))
                .path("author");
        for (JsonNode author : articles) {
            int expected = author.path("id").asInt() == 1 ? author.path("articles").size() : 0;
            assertEquals(expected, author.path("articles").size(), "only the session's own articles: " + articles);
        }
        assertTrue(articles.path(0).path("articles").size() > 0, "author 1's articles, with the rating one parent grants: " + articles);
    }

    @Test
    void parentsWithOneFilterAndDifferentColumnsGiveTheUnionOfColumns() {
        JsonNode rows = ok(as("editor").query("{ article(order_by: {id: asc}) { id title rating } }")).path("article");
        assertTrue(rows.size() > 0, rows.toString());
        refused(as("user").query("{ article { rating } }"), "rating");
    }

    @Test
    void cellsAreNullOutsideTheGrantingParentsFilterForEachUserUnderOnePlan() {
        String query = "{ author(order_by: {id: asc}) { id name email } }";
        assertEquals("[{\"id\":1,\"name\":\"Margaret\",\"email\":\"margaret@example.com\"},{\"id\":9,\"name\":null,\"email\":null},"
                + "{\"id\":10,\"name\":null,\"email\":null}]", ok(as("desk", "1").query(query)).path("author").toString());
        assertEquals("[{\"id\":9,\"name\":\"Ada\",\"email\":\"ada@example.com\"},{\"id\":10,\"name\":null,\"email\":null}]",
                ok(as("desk", "9").query(query)).path("author").toString(), "the same text for another user: the cells follow its session");
        String ada = "{ author(where: {name: {_eq: \"Ada\"}}) { id } }";
        assertEquals(List.of(), ids(ok(as("desk", "1").query(ada)).path("author")), "a nulled cell does not match its hidden value");
        assertEquals(List.of(9), ids(ok(as("desk", "9").query(ada)).path("author")));
    }

    @Test
    void aRedactedColumnIsNullableInTheRoleSchema() {
        String query = "{ __type(name: \"author\") { fields { name type { kind } } } }";
        assertEquals("SCALAR", fieldKind(ok(as("desk").query(query)), "name"), "null in the rows only scout sees");
        assertEquals("NON_NULL", fieldKind(ok(as("desk").query(query)), "id"), "both parents grant it");
        assertEquals("NON_NULL", fieldKind(ok(as("owner").query(query)), "name"));
    }

    private static String fieldKind(JsonNode data, String field) {
        for (JsonNode candidate : data.path("__type").path("fields")) {
            if (candidate.path("name").asText().equals(field)) {
                return candidate.path("type").path("kind").asText();
            }
        }
        throw new AssertionError("no field " + field + " in " + data);
    }

    @Test
    void aNestedInheritedRoleSeesNoCellItsParentNulls() {
        JsonNode rows = ok(as("lobby", "1").query("{ author(order_by: {id: asc}) { id name } }")).path("author");
        assertEquals(10, rows.size(), "guest's rows: all: " + rows);
        for (JsonNode row : rows) {
            String expected = row.path("id").asInt() == 1 ? "Margaret" : null;
            assertEquals(expected, row.path("name").isNull() ? null : row.path("name").asText(),
                    "desk shows the name only in the session's own row: " + rows);
        }
    }

    @Test
    void writesComeFromTheParentsWhenThoseThatHaveOneAgree() {
        String retitle = "mutation { update_article(where: {id: {_eq: %d}}, _set: {title: \"Article %d\"}) { affected_rows } }";
        assertEquals(1, ok(as("editor").query(retitle.formatted(9, 9))).path("update_article").path("affected_rows").asInt(),
                "both parents may update the titles of the session's articles (article 9 is author 1's)");
        assertEquals(0, ok(as("editor").query(retitle.formatted(5, 5))).path("update_article").path("affected_rows").asInt(),
                "not another author's");
        assertEquals(1, ok(as("chief").query(retitle.formatted(9, 9))).path("update_article").path("affected_rows").asInt(),
                "editor's update is user's: chief's parents agree");
        refused(as("editor").query("mutation { update_article(where: {id: {_eq: 9}}, _set: {rating: 1}) { affected_rows } }"), "rating");
        assertTrue(mutationRoot(as("editor")).contains("delete_article"), "the one parent with a delete permission gives it");
        assertTrue(!mutationRoot(as("editor")).contains("insert_article"), "no parent may insert");

        Answer differ = sidecar.put("/admin/v1/sources/default/tables/article/permissions/reviewer",
                "{\"select\": " + REVIEWER_ARTICLES + ", \"update\": {\"columns\": [\"title\", \"rating\"]}}").expect(400);
        assertTrue(differ.text().contains("have different update permissions"), differ.text());
    }

    private static String mutationRoot(GraphqlClient client) {
        return ok(client.query("{ __schema { mutationType { fields { name } } } }")).toString();
    }

    @Test
    void aRemoteSchemaPermissionTheParentsShareIsInherited() {
        assertEquals("Hello, 1", ok(as("editor").query("{ hello }")).path("hello").asText());
        refused(as("editor").query("{ hello(name: \"x\") }"), "name");
    }

    @Test
    void anOwnPermissionOverridesAndTheAdminApiRefusesCycles() {
        assertEquals(4, sidecar.get("/admin/v1/inherited-roles").expect(200).json().size());
        Answer cycle = sidecar.put("/admin/v1/inherited-roles/editor", "{\"role_set\": [\"user\", \"chief\"]}").expect(400);
        assertTrue(cycle.text().contains("cycles"), cycle.text());

        served(sidecar.put("/admin/v1/inherited-roles/senior", "{\"role_set\": [\"user\", \"guest\"]}").expect(201));
        JsonNode rows = ok(as("senior").query("{ author(order_by: {id: asc}) { id name } }")).path("author");
        assertEquals(10, rows.size(), "guest's rows: " + rows);
        assertEquals("Alan", rows.path(1).path("name").asText(), "user's name in user's rows: " + rows);
        assertTrue(rows.path(2).path("name").isNull(), "no name where only guest grants the row: " + rows);

        served(sidecar.put("/admin/v1/sources/default/tables/author/permissions/senior",
                "{\"select\": {\"columns\": [\"id\"], \"filter\": {\"id\": {\"_eq\": 3}}}}").expect(201));
        assertEquals(List.of(3), ids(ok(as("senior").query("{ author { id } }")).path("author")), "its own permission wins");

        served(sidecar.admin("DELETE", "/admin/v1/inherited-roles/editor", null, Map.of()).expect(200));
        GraphqlResponse gone = as("editor").query("{ author { id } }");
        assertEquals("validation-failed", gone.errors().path(0).path("extensions").path("code").asText(), gone.toString());
    }
}
