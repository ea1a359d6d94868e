package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ltree columns with Hasura's operators ({@code _ancestor}, {@code _descendant}, {@code _matches} with an
 * lquery, {@code _matches_fulltext} with an ltxtquery, and the list forms), in a caller's {@code where} and in a
 * permission; and the session values of permissions and functions as Hasura users write them: a list
 * as a Postgres array literal ({@code {1,3}}), a session argument read under {@code x-hasura-*} names.
 */
class LtreeOperatorsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("ltree", "/it/schema-ltree.sql", "/it/metadata-ltree.yaml");

    @Test
    void ancestorsAndDescendantsOfOnePathOrOfAnyOfSeveral() {
        assertEquals(List.of(1L, 2L, 3L), nodes("{_ancestor: \"Top.Science.Astronomy\"}"));
        assertEquals(List.of(3L, 4L), nodes("{_descendant: \"Top.Science.Astronomy\"}"));
        assertEquals(List.of(1L, 2L, 5L), nodes("{_ancestor_any: [\"Top.Science\", \"Top.Hobbies\"]}"));
        assertEquals(List.of(4L, 6L), nodes("{_descendant_any: [\"Top.Science.Astronomy.Stars\", \"Top.Hobbies.Amateurs_Astronomy\"]}"));
    }

    @Test
    void lqueryAndLtxtqueryMatches() {
        assertEquals(List.of(3L, 4L, 7L), nodes("{_matches: \"*.Astronomy.*\"}"));
        assertEquals(List.of(5L, 6L, 7L), nodes("{_matches_any: [\"*.Hobbies.*\", \"*.Pictures.*\"]}"));
        assertEquals(List.of(3L, 4L, 7L), nodes("{_matches_fulltext: \"Astro*\"}"), "a label starting with Astro (not Amateurs_Astronomy)");
        assertEquals(List.of(3L, 4L), nodes("{_matches_fulltext: \"Astro* & !Pictures & !Amateurs*\"}"));
    }

    @Test
    void operatorsTakeVariablesOfTheirOwnScalars() {
        GraphqlResponse response = served.sidecar().client().query("""
                query ($p: ltree, $q: lquery, $t: ltxtquery, $any: [ltree!]) {
                  a: node(where: {path: {_descendant: $p}}, order_by: {id: asc}) { id }
                  b: node(where: {path: {_matches: $q}}, order_by: {id: asc}) { id }
                  c: node(where: {path: {_matches_fulltext: $t}}, order_by: {id: asc}) { id }
                  d: node(where: {path: {_ancestor_any: $any}}, order_by: {id: asc}) { id }
                }""", Map.of("p", "Top.Hobbies", "q", "Top.*{1}", "t", "Stars", "any", List.of("Top.Hobbies")));
        assertEquals(List.of(5L, 6L), ids(response, "a"));
        assertEquals(List.of(2L, 5L), ids(response, "b"));
        assertEquals(List.of(4L), ids(response, "c"));
        assertEquals(List.of(1L, 5L), ids(response, "d"));
    }

    @Test
    void aMalformedPathIsParseFailedBeforeAnySqlAsInHasura() {
        GraphqlClient client = served.sidecar().client();
        assertParseFailed(client.query("{ node(where: {path: {_ancestor: \"Top..Science\"}}) { id } }"));
        assertParseFailed(client.query("{ node(where: {path: {_descendant_any: [\"Top\", \"Top.\"]}}) { id } }"));
        assertParseFailed(client.query("query ($p: ltree) { node(where: {path: {_descendant: $p}}) { id } }", Map.of("p", "Top.Science.")));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), nodes("{_descendant: \"\"}"), "the empty path is every path's ancestor");
    }

    @Test
    void aPermissionOnABranchGivenByASessionVariable() {
        GraphqlClient science = as("branch", Map.of("x-joinery-root", "Top.Science"));
        assertEquals(List.of(2L, 3L, 4L), ids(science.query("{ node(order_by: {id: asc}) { id } }"), "node"));
        assertEquals(List.of(5L, 6L), ids(as("branch", Map.of("x-joinery-root", "Top.Hobbies")).query("{ node(order_by: {id: asc}) { id } }"), "node"));
    }

    @Test
    void aSessionVariableHoldsAListAsAPostgresArrayLiteral() {
        assertEquals(List.of(1L, 3L), ids(as("listed", Map.of("x-joinery-ids", "{1,3}")).query("{ node(order_by: {id: asc}) { id } }"), "node"));
        assertEquals(List.of(), ids(as("listed", Map.of("x-joinery-ids", "{}")).query("{ node(order_by: {id: asc}) { id } }"), "node"));
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L), ids(as("unlisted", Map.of("x-joinery-ids", "{ 1, 3 }")).query("{ node(order_by: {id: asc}) { id } }"), "node"));
        assertEquals(List.of(1L, 2L, 3L), ids(as("keyed", Map.of("x-joinery-keys", "{a,\"b\"}")).query("{ node(order_by: {id: asc}) { id } }"), "node"));
        assertEquals(List.of(5L), ids(as("keyed", Map.of("x-joinery-keys", "{c}")).query("{ node(order_by: {id: asc}) { id } }"), "node"));
    }

    @Test
    void aFunctionReadsTheSessionUnderHasurasNames() {
        GraphqlClient client = as("branch", Map.of("x-joinery-root", "Top.Science", "x-joinery-offset", "1"));
        GraphqlResponse response = client.query("{ node(order_by: {id: asc}) { id depth } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<Integer> depths = new ArrayList<>();
        response.data().path("node").forEach(node -> depths.add(node.path("depth").asInt()));
        assertEquals(List.of(1, 2, 3), depths, "nlevel minus x-hasura-offset, sent as x-joinery-offset: " + response);
    }

    private static void assertParseFailed(GraphqlResponse response) {
        assertEquals("parse-failed", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
        assertTrue(response.errors().path(0).path("message").asText().contains("Expecting label path"), response.toString());
    }

    private static List<Long> nodes(String condition) {
        return ids(served.sidecar().client().query("{ node(where: {path: " + condition + "}, order_by: {id: asc}) { id } }"), "node");
    }

    private static GraphqlClient as(String role, Map<String, String> session) {
        Map<String, String> headers = new java.util.HashMap<>(session);
        headers.put("x-joinery-role", role);
        return served.sidecar().client().withHeaders(headers);
    }

    private static List<Long> ids(GraphqlResponse response, String field) {
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<Long> ids = new ArrayList<>();
        for (JsonNode row : response.data().path(field)) {
            ids.add(row.path("id").asLong());
        }
        return ids;
    }
}
