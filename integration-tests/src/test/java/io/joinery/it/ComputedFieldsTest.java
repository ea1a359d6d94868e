package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's computed fields on tables ({@code it/schema-computed.sql}, {@code it/metadata-computed.yaml}):
 * a scalar function of the row, one with {@code args}, one with the session variables, and one
 * returning {@code SETOF article} with where/limit and the article permission of the role; a role sees
 * only the computed fields its select permission lists; those without {@code args} filter ({@code where},
 * permission filters) and, scalar ones, order rows, also through relationships; each query stays one SQL
 * statement.
 */
class ComputedFieldsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("computed_fields", "/it/schema-computed.sql", "/it/metadata-computed.yaml").recorded();

    @Test
    void aScalarComputedFieldIsSelectedLikeAColumn() {
        assertAnswer(admin(), "{ author(order_by: {id: asc}) { id full_name } }",
                """
                {"author": [{"id": 1, "full_name": "Ada Lovelace"}, {"id": 2, "full_name": "Alan Turing"}]}""");
    }

    @Test
    void argumentsGoThroughArgsAndDefaultsApplyWhenLeftOut() {
        assertAnswer(admin(), """
                { author_by_pk(id: 2) { dotted: initials dashed: initials(args: {separator: "-"}) } }""",
                """
                {"author_by_pk": {"dotted": "A.T.", "dashed": "A-T-"}}""");
        assertAnswer(admin(), """
                query ($s: String) { author_by_pk(id: 1) { initials(args: {separator: $s}) } }""", Map.of("s", "/"),
                """
                {"author_by_pk": {"initials": "A/L/"}}""");
    }

    @Test
    void theSessionArgumentGetsTheRequestsSessionVariables() {
        GraphqlClient user2 = served.sidecar().client().withHeaders(Map.of("x-joinery-role", "reader", "x-joinery-user-id", "2"));
        assertAnswer(user2, "{ author(order_by: {id: asc}) { id is_me } }",
                """
                {"author": [{"id": 1, "is_me": false}, {"id": 2, "is_me": true}]}""");
    }

    @Test
    void aSetofComputedFieldTakesWhereOrderLimitAndTheTargetsPermission() {
        assertAnswer(admin(), """
                { author_by_pk(id: 1) { recent_articles(args: {since: 1850}, order_by: {year: desc}, limit: 2) { id year } } }""",
                """
                {"author_by_pk": {"recent_articles": [{"id": 4, "year": 1860}, {"id": 3, "year": 1852}]}}""");
        assertAnswer(admin(), """
                { author_by_pk(id: 1) { recent_articles(args: {since: 1800}, where: {title: {_like: "%e%"}}, order_by: {id: asc}) { id } } }""",
                """
                {"author_by_pk": {"recent_articles": [{"id": 1}, {"id": 2}, {"id": 3}]}}""");
        assertAnswer(reader(), """
                { author(order_by: {id: asc}) { id recent_articles(args: {since: 1800}, order_by: {id: asc}) { id title } } }""",
                """
                {"author": [{"id": 1, "recent_articles": [{"id": 1, "title": "Notes"}, {"id": 3, "title": "Engine"}, {"id": 4, "title": "Loom"}]},
                            {"id": 2, "recent_articles": [{"id": 5, "title": "Computable Numbers"}]}]}""");
    }

    /**
     * A role allowed computed fields and no column reads them (Hasura's computed_fields_permission case): its
     * schema has no stream subscription for the table (a cursor needs a column) and builds.
     */
    @Test
    void aRoleWithOnlyComputedFieldsReadsThem() {
        assertAnswer(served.sidecar().client().withHeaders(Map.of("x-joinery-role", "namer")), "{ author(order_by: {full_name: asc}) { full_name } }",
                """
                {"author": [{"full_name": "Ada Lovelace"}, {"full_name": "Alan Turing"}]}""");
    }

    @Test
    void aComputedFieldOutsideTheRolesPermissionIsAValidationError() {
        assertValidationError(reader().query("{ author { id initials } }"), "initials");
        assertValidationError(served.sidecar().client().withHeaders(Map.of("x-joinery-role", "anonymous")).query("{ author { id full_name } }"),
                "full_name");
    }

    @Test
    void aScalarComputedFieldFiltersLikeAColumn() {
        assertAnswer(admin(), "{ author(where: {full_name: {_eq: \"Alan Turing\"}}) { id } }",
                """
                {"author": [{"id": 2}]}""");
        assertAnswer(admin(), "query ($names: [String!]) { author(where: {full_name: {_in: $names}}, order_by: {id: asc}) { id } }",
                Map.of("names", List.of("Ada Lovelace", "Nobody")),
                """
                {"author": [{"id": 1}]}""");
        assertAnswer(reader(), "{ author(where: {_not: {full_name: {_like: \"Ada%\"}}}) { id } }",
                """
                {"author": [{"id": 2}]}""");
    }

    @Test
    void aJsonbComputedFieldTakesTheJsonbOperatorsAndCastAndOrdersLikeAJsonbColumn() {
        assertAnswer(admin(), "{ author(where: {profile: {_contains: {first: \"Alan\"}}}) { id } }",
                """
                {"author": [{"id": 2}]}""");
        assertAnswer(admin(), "{ author(where: {profile: {_cast: {String: {_like: \"%Ada%\"}}}}) { id } }",
                """
                {"author": [{"id": 1}]}""");
        assertAnswer(admin(), "{ author(order_by: {profile: desc}) { id } }",
                """
                {"author": [{"id": 2}, {"id": 1}]}""");
    }

    @Test
    void aFilterOnTheSessionComputedFieldGetsTheRequestsSessionVariables() {
        GraphqlClient user2 = reader().withHeaders(Map.of("x-joinery-user-id", "2"));
        assertAnswer(user2, "{ author(where: {is_me: {_eq: true}}) { id } }",
                """
                {"author": [{"id": 2}]}""");
    }

    @Test
    void aScalarComputedFieldOrdersAscAndDesc() {
        assertAnswer(admin(), "{ author(order_by: {full_name: desc}) { id } }",
                """
                {"author": [{"id": 2}, {"id": 1}]}""");
        assertAnswer(reader(), "{ author(order_by: [{full_name: asc}], limit: 1) { id full_name } }",
                """
                {"author": [{"id": 1, "full_name": "Ada Lovelace"}]}""");
    }

    @Test
    void aComputedFieldFiltersAndOrdersThroughAnObjectRelationship() {
        assertAnswer(admin(), "{ article(where: {author: {full_name: {_like: \"Alan%\"}}}, order_by: {id: asc}) { id } }",
                """
                {"article": [{"id": 5}, {"id": 6}]}""");
        assertAnswer(reader(), "{ article(order_by: [{author: {full_name: desc}}, {id: asc}]) { id } }",
                """
                {"article": [{"id": 5}, {"id": 1}, {"id": 3}, {"id": 4}]}""");
    }

    @Test
    void aSetofComputedFieldFiltersOnItsRowsWithTheTargetsPermission() {
        assertAnswer(admin(), "{ author(where: {all_articles: {year: {_gt: 1900}}}) { id } }",
                """
                {"author": [{"id": 2}]}""");
        assertAnswer(admin(), "{ author(where: {all_articles: {title: {_eq: \"Sketch\"}}}) { id } }",
                """
                {"author": [{"id": 1}]}""");
        assertAnswer(reader(), "{ author(where: {all_articles: {title: {_eq: \"Sketch\"}}}) { id } }",
                """
                {"author": []}""");
    }

    @Test
    void rowsOfASetofComputedFieldOrderByTheirAggregates() {
        assertAnswer(admin(), "{ author(order_by: {all_articles_aggregate: {count: asc}}) { id } }",
                """
                {"author": [{"id": 2}, {"id": 1}]}""");
        assertAnswer(admin(), "{ author(order_by: {all_articles_aggregate: {count: desc}}) { id } }",
                """
                {"author": [{"id": 1}, {"id": 2}]}""");
        assertAnswer(admin(), "{ author(order_by: [{all_articles_aggregate: {max: {year: desc}}}]) { id } }",
                """
                {"author": [{"id": 2}, {"id": 1}]}""");
        // the reader may not aggregate articles, and a computed field that needs args is not there
        assertValidationError(reader().query("{ author(order_by: {all_articles_aggregate: {count: asc}}) { id } }"), "all_articles_aggregate");
        assertValidationError(admin().query("{ author(order_by: {recent_articles_aggregate: {count: asc}}) { id } }"), "recent_articles_aggregate");
    }

    @Test
    void aPermissionFilterMayUseComputedFields() {
        assertAnswer(served.sidecar().client().withHeaders(Map.of("x-joinery-role", "ada_fan")), "{ author { id } }",
                """
                {"author": [{"id": 1}]}""");
        assertAnswer(served.sidecar().client().withHeaders(Map.of("x-joinery-role", "modern")), "{ author { id } }",
                """
                {"author": [{"id": 2}]}""");
    }

    @Test
    void onlyComputedFieldsTheRoleSeesWithoutArgsAreInWhereAndOrderBy() {
        GraphqlClient anonymous = served.sidecar().client().withHeaders(Map.of("x-joinery-role", "anonymous"));
        assertValidationError(anonymous.query("{ author(where: {full_name: {_eq: \"Ada Lovelace\"}}) { id } }"), "full_name");
        assertValidationError(anonymous.query("{ author(order_by: {full_name: asc}) { id } }"), "full_name");
        assertValidationError(reader().query("{ author(where: {initials: {_eq: \"A.L.\"}}) { id } }"), "initials");
        assertValidationError(admin().query("{ author(where: {initials: {_eq: \"A.L.\"}}) { id } }"), "initials");
        assertValidationError(admin().query("{ author(order_by: {initials: asc}) { id } }"), "initials");
        assertValidationError(admin().query("{ author(where: {recent_articles: {id: {_eq: 1}}}) { id } }"), "recent_articles");
        assertValidationError(admin().query("{ author(order_by: {all_articles: asc}) { id } }"), "all_articles");
    }

    @Test
    void aFilterAndOrderOnComputedFieldsStayInTheOneStatementWithBoundSession() {
        int before = served.recorder().executed().size();
        GraphqlResponse response = reader().withHeaders(Map.of("x-joinery-user-id", "1")).query("""
                { author(where: {is_me: {_eq: false}, full_name: {_ilike: "%turing"}, all_articles: {}}, order_by: {full_name: asc}) { id }
                  article(order_by: {author: {full_name: asc}}, limit: 1) { id } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<String> statements = served.recorder().executedSince(before);
        assertEquals(1, statements.size(), "statements: " + statements);
        String sql = statements.getFirst();
        assertTrue(sql.contains("\"public\".\"author_full_name\"(t"), sql);
        assertTrue(sql.contains("\"public\".\"author_all_articles\"(t"), sql);
        assertTrue(!sql.contains("turing") && !sql.contains("x-joinery-user-id"), "values are parameters: " + sql);
    }

    @Test
    void aQueryWithComputedFieldsIsOneStatement() {
        int before = served.recorder().executed().size();
        GraphqlResponse response = reader().withHeaders(Map.of("x-joinery-user-id", "1")).query("""
                { author(order_by: {id: asc}) { full_name is_me recent_articles(args: {since: 1850}) { id } }
                  article(order_by: {id: asc}, limit: 1) { title } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<String> statements = served.recorder().executedSince(before);
        assertEquals(1, statements.size(), "statements: " + statements);
        assertTrue(statements.getFirst().contains("\"public\".\"author_recent_articles\"(t"), statements.getFirst());
    }

    @Test
    void introspectionShowsTheFieldsAndTheirArgsType() {
        GraphqlResponse response = admin().query("""
                { __type(name: "author") { fields { name description args { name type { kind name ofType { name } } } type { kind name ofType { kind name } } } } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonNode type = response.data();
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        type.path("__type").path("fields").forEach(field -> fields.put(field.path("name").asText(), field));
        assertEquals("The author's first and last name", fields.get("full_name").path("description").asText(), type.toString());
        assertEquals("String", fields.get("full_name").path("type").path("name").asText(), type.toString());
        List<String> recentArgs = new ArrayList<>();
        fields.get("recent_articles").path("args").forEach(arg -> recentArgs.add(arg.path("name").asText()));
        assertEquals(List.of("args", "distinct_on", "limit", "offset", "order_by", "where"), recentArgs, type.toString());
        assertEquals("author_recent_articles_args", fields.get("recent_articles").path("args").path(0).path("type").path("ofType").path("name").asText(),
                "args is required when the function has an argument without a default: " + type);
        assertEquals("author_initials_args", fields.get("initials").path("args").path(0).path("type").path("name").asText(),
                "args is optional when every argument has a default: " + type);
        assertEquals(0, fields.get("is_me").path("args").size(), "the session argument is not an argument: " + type);
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"inputFields": [{"name": "since", "type": {"kind": "SCALAR", "name": "Int", "ofType": null}}]}"""),
                admin().query("""
                        { __type(name: "author_recent_articles_args") { inputFields { name type { kind name ofType { name } } } } }""")
                        .data().path("__type"), "the args type, its fields nullable as in Hasura");
    }

    private static GraphqlClient admin() {
        return served.sidecar().client();
    }

    private static GraphqlClient reader() {
        return served.sidecar().client().withHeaders(Map.of("x-joinery-role", "reader"));
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
