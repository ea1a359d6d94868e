package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.joinery.admin.check.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A table's permissions as resources: a role's, and one operation's. */
class PermissionResourcesIT extends AdminServiceFixture {

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
            update | {"columns_of": ["id"]}         | invalid metadata at $.columns_of: unknown key 'columns_of' (known keys: backend_only, check, columns, filter, set)
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
}
