package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's tracked functions as query root fields ({@code it/schema-functions.sql},
 * {@code it/metadata-functions.yaml}): {@code args} (required, with defaults, from variables), a session
 * argument, {@code where}/{@code order_by}/{@code limit} on top of the function's rows, the returned
 * table's relationships and the role's select permission on it, {@code <name>_aggregate} where the role
 * may aggregate the table; a role that may not select the table does not get the field; each query
 * stays one SQL statement.
 */
class TrackedFunctionsTest {

    static TestDatabase db;
    static StatementRecorder recorder;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("tracked_functions").load("/it/schema-functions.sql");
        recorder = StatementRecorder.forward(db.url());
        sidecar = TestSidecar.start(recorder.url(db.url()), "/it/metadata-functions.yaml", Map.of("JOINERY_POOL_SIZE", "1"));
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } finally {
            try {
                if (recorder != null) {
                    recorder.close();
                }
            } finally {
                db.close();
            }
        }
    }

    @Test
    void argsGoToTheFunctionAndItsRowsHaveTheTablesFieldsAndRelationships() {
        assertAnswer(admin(), """
                { search_articles(args: {search: "engine"}, order_by: {id: asc}) { id title author { name } } }""",
                """
                {"search_articles": [{"id": 1, "title": "Notes on the Engine", "author": {"name": "Ada"}},
                                     {"id": 2, "title": "Engine sketch", "author": {"name": "Ada"}},
                                     {"id": 5, "title": "Engine of Morphogenesis", "author": {"name": "Alan"}}]}""");
    }

    @Test
    void whereOrderByLimitAndOffsetApplyToTheFunctionsRows() {
        assertAnswer(admin(), """
                { search_articles(args: {search: "engine"}, where: {year: {_gt: 1845}}, order_by: {year: desc}, limit: 1) { id } }""",
                """
                {"search_articles": [{"id": 5}]}""");
        assertAnswer(admin(), """
                { search_articles(args: {search: "engine"}, order_by: {id: asc}, offset: 1, limit: 1) { id } }""",
                """
                {"search_articles": [{"id": 2}]}""");
    }

    @Test
    void argumentsWithDefaultsMayBeLeftOutAndArgsComeFromVariables() {
        assertAnswer(admin(), "{ articlesSince(order_by: {id: asc}) { id } }", """
                {"articlesSince": [{"id": 4}, {"id": 5}]}""");
        assertAnswer(admin(), "{ articlesSince(args: {since: 1850}, order_by: {id: asc}) { id } }", """
                {"articlesSince": [{"id": 2}, {"id": 3}, {"id": 4}, {"id": 5}]}""");
        assertAnswer(admin(), """
                query ($search: String!, $args: articlesSince_args) {
                  search_articles(args: {search: $search}, order_by: {id: asc}) { id }
                  articlesSince(args: $args, order_by: {id: asc}) { id } }""", Map.of("search", "loom", "args", Map.of("since", 1950)),
                """
                {"search_articles": [{"id": 3}], "articlesSince": [{"id": 5}]}""");
    }

    @Test
    void theSessionArgumentGetsTheRequestsSessionVariables() {
        assertAnswer(admin().withHeaders(Map.of("x-joinery-user-id", "2")), "{ my_articles(order_by: {id: asc}) { id } }", """
                {"my_articles": [{"id": 4}, {"id": 5}]}""");
        assertAnswer(reader().withHeaders(Map.of("x-joinery-user-id", "1")), "{ my_articles(order_by: {id: asc}) { id } }", """
                {"my_articles": [{"id": 1}, {"id": 3}]}""");
    }

    @Test
    void theRolesSelectPermissionOnTheReturnedTableFiltersTheRows() {
        assertAnswer(reader(), """
                { search_articles(args: {search: "engine"}, order_by: {id: asc}) { id title author { name } } }""",
                """
                {"search_articles": [{"id": 1, "title": "Notes on the Engine", "author": {"name": "Ada"}}]}""");
        assertValidationError(reader().query("{ search_articles(args: {search: \"engine\"}) { id published } }"), "published");
    }

    @Test
    void aRoleWithoutSelectOnTheReturnedTableDoesNotGetTheField() {
        assertAnswer(admin(), "{ all_secrets { note } }", """
                {"all_secrets": [{"note": "hidden"}]}""");
        assertValidationError(reader().query("{ all_secrets { id } }"), "all_secrets");
        assertValidationError(sidecar.client().withHeaders(Map.of("x-joinery-role", "anonymous"))
                .query("{ search_articles(args: {search: \"engine\"}) { id } }"), "search_articles");
    }

    @Test
    void theAggregateRootFieldAggregatesTheRowsTheRoleMaySelect() {
        assertAnswer(admin(), """
                { search_articles_aggregate(args: {search: "engine"}, where: {year: {_lt: 1900}}) { aggregate { count max { year } } } }""",
                """
                {"search_articles_aggregate": {"aggregate": {"count": 2, "max": {"year": 1850}}}}""");
        assertAnswer(reader(), """
                { search_articles_aggregate(args: {search: "engine"}) { aggregate { count } nodes { id } } }""",
                """
                {"search_articles_aggregate": {"aggregate": {"count": 1}, "nodes": [{"id": 1}]}}""");
        GraphqlClient viewer = sidecar.client().withHeaders(Map.of("x-joinery-role", "viewer"));
        assertAnswer(viewer, "{ search_articles(args: {search: \"loom\"}) { id } }", """
                {"search_articles": [{"id": 3}]}""");
        assertValidationError(viewer.query("{ search_articles_aggregate(args: {search: \"loom\"}) { aggregate { count } } }"),
                "search_articles_aggregate");
    }

    @Test
    void functionsAndTablesInOneQueryAreOneStatement() {
        int before = recorder.executed().size();
        GraphqlResponse response = reader().withHeaders(Map.of("x-joinery-user-id", "1")).query("""
                { search_articles(args: {search: "engine"}) { id author { name } }
                  my_articles { id }
                  my_articles_aggregate { aggregate { count } }
                  author(order_by: {id: asc}) { name } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<String> statements = recorder.executedSince(before);
        assertEquals(1, statements.size(), "statements: " + statements);
        assertTrue(statements.getFirst().contains("FROM \"public\".\"search_articles\"($"), statements.getFirst());
        assertTrue(!statements.getFirst().contains("engine"), "the argument is a bind parameter: " + statements.getFirst());
    }

    @Test
    void aReloadAfterTheFunctionIsDroppedListsItAndLeavesItOut() {
        assertAnswer(admin(), "{ old_articles(order_by: {id: asc}, limit: 1) { id } }", """
                {"old_articles": [{"id": 1}]}""");
        db.execute("DROP FUNCTION old_articles()");
        List<io.joinery.admin.check.Problem> problems = sidecar.sidecar().reload().problems();
        assertEquals(List.of(new io.joinery.admin.check.Problem("function old_articles", "function old_articles",
                "the function does not exist (or has OUT arguments)")), problems);
        assertValidationError(admin().query("{ old_articles { id } }"), "old_articles");
        assertAnswer(admin(), "{ search_articles(args: {search: \"loom\"}) { id } }", """
                {"search_articles": [{"id": 3}]}""");
    }

    @Test
    void argsIsRequiredOnlyWhenAnArgumentHasNoDefault() {
        GraphqlResponse response = admin().query("""
                { __type(name: "query_root") { fields { name args { name type { kind name ofType { name } } } } } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        response.data().path("__type").path("fields").forEach(field -> fields.put(field.path("name").asText(), field));
        JsonNode search = fields.get("search_articles").path("args").path(0);
        assertEquals("args", search.path("name").asText(), fields.toString());
        assertEquals("NON_NULL", search.path("type").path("kind").asText(), fields.toString());
        assertEquals("search_articles_args", search.path("type").path("ofType").path("name").asText(), fields.toString());
        JsonNode since = fields.get("articlesSince").path("args").path(0);
        assertEquals("articlesSince_args", since.path("type").path("name").asText(), "optional: " + fields);
        List<String> mine = new java.util.ArrayList<>();
        fields.get("my_articles").path("args").forEach(arg -> mine.add(arg.path("name").asText()));
        assertEquals(List.of("distinct_on", "limit", "offset", "order_by", "where"), mine, "the session argument is no argument");
    }

    @Test
    void aTableRowArgumentIsAPostgresRowLiteralAndTheComputedFieldOfTheSameFunctionPassesItsRow() {
        assertAnswer(admin(), "{ articles_by(args: {author_row: \"(2,Alan)\", search: \"engine\"}, order_by: {id: asc}) { id } }", """
                {"articles_by": [{"id": 5}]}""");
        assertAnswer(admin(), "{ author(order_by: {id: asc}) { id articles_by(args: {search: \"engine\"}, order_by: {id: asc}) { id } } }", """
                {"author": [{"id": 1, "articles_by": [{"id": 1}, {"id": 2}]}, {"id": 2, "articles_by": [{"id": 5}]}]}""");
        assertAnswer(admin(), "{ __type(name: \"articles_by_args\") { inputFields { name type { kind name } } } }", """
                {"__type": {"inputFields": [{"name": "author_row", "type": {"kind": "SCALAR", "name": "author_scalar"}},
                                            {"name": "search", "type": {"kind": "SCALAR", "name": "String"}}]}}""");
        GraphqlResponse wrong = admin().query("{ author { articles_by(args: {author_row: \"(1,Ada)\"}) { id } } }");
        assertEquals("validation-failed", wrong.errors().path(0).path("extensions").path("code").asText(),
                "the computed field passes the row itself: " + wrong);
    }

    @Test
    void aComputedFieldReturningRowsNeedsOnlyTheTablesPermissionAsInHasura() {
        assertAnswer(reader(), "{ author(order_by: {id: asc}) { id articles_by(args: {search: \"\"}, order_by: {id: asc}) { id } } }", """
                {"author": [{"id": 1, "articles_by": [{"id": 1}, {"id": 3}]}, {"id": 2, "articles_by": [{"id": 4}]}]}""");
    }

    private static GraphqlClient admin() {
        return sidecar.client();
    }

    private static GraphqlClient reader() {
        return sidecar.client().withHeaders(Map.of("x-joinery-role", "reader"));
    }

    private static void assertAnswer(GraphqlClient client, String query, String expectedData) {
        assertAnswer(client, query, Map.of(), expectedData);
    }

    private static void assertAnswer(GraphqlClient client, String query, Map<String, ?> variables, String expectedData) {
        GraphqlResponse response = client.query(query, variables);
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse(expectedData), response.data(), query);
    }

    private static void assertValidationError(GraphqlResponse response, String field) {
        assertEquals("validation-failed", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
        assertTrue(response.errors().path(0).path("message").asText().contains(field), response.toString());
    }
}
