package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query's root list, and with {@code JOINERY_FLAT_ROWS=all} one list at each level below it, leave
 * Postgres as plain rows that the sidecar nests (Note [Flat rows] in {@code SqlCompiler}). The sidecar
 * here reads every level it may flat; each query is asked twice: alone, when
 * its statement is flat (the test checks it is), and beside a second root field of the same source,
 * when the statement is nested, one JSON value per root field; the two answers must be the same. Parents
 * without children at every level, composite and text keys, a table without a primary key whose rows
 * repeat, members after a nested list, nested selects in the deepest level, and a permission's limit.
 */
class FlatRowsTest {

    static TestDatabase db;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("flat").load("/it/schema-flat.sql");
        sidecar = TestSidecar.start(db.url(), "/it/metadata-flat.yaml", Map.of("JOINERY_FLAT_ROWS", "all"));
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        db.close();
    }

    private static final String THREE_LEVELS = """
            { x: shelf(order_by: {id: asc}) { id name opened open books(order_by: {code: asc}, limit: 10) {
                code title price tags pages_count pages(order_by: {number: asc}, limit: 10) { number body } } } }""";

    @Test
    void threeLevelsWithParentsWithoutChildren() {
        JsonNode shelves = flatAndNestedAgree(sidecar.client(), THREE_LEVELS);
        assertEquals(4, shelves.size(), shelves.toString());
        assertEquals(List.of("b-1", "b-2", "b-3"), codes(shelves.get(0).get("books")));
        assertEquals(JsonTrees.parse("[]"), shelves.get(1).get("books"), "a shelf without books: " + shelves);
        assertEquals(JsonTrees.parse("[]"), shelves.get(0).get("books").get(2).get("pages"), "a book without pages: " + shelves);
        assertEquals(JsonTrees.parse("[{\"number\": 1, \"body\": \"one\"}, {\"number\": 2, \"body\": \"two\"}, {\"number\": 3, \"body\": null}]"),
                shelves.get(0).get("books").get(0).get("pages"));
        JsonNode odd = shelves.get(2);
        assertEquals("Quotes \"and\" \\ backslashes, tabs\tand ünïcödé 🙂", odd.get("name").asText());
        assertEquals(JsonTrees.parse("{\"number\": 7, \"body\": \"control \\u0001 char\"}"), odd.get("books").get(0).get("pages").get(1));
        assertEquals("2024-01-02T03:04:05.678+00:00", shelves.get(0).get("opened").asText());
        assertTrue(shelves.get(3).get("name").isNull(), shelves.toString());
        assertEquals("9007199254740993", odd.get("books").get(0).get("pages_count").toString(), "an int8 keeps every digit");
    }

    @Test
    void aTableWithoutPrimaryKeyIsTheDeepestLevelAndKeepsEqualRows() {
        JsonNode pages = flatAndNestedAgree(sidecar.client(), """
                { x: page(order_by: [{book_code: asc}, {number: asc}]) { book_code number margins(limit: 10) { scribble } } }""");
        assertEquals(JsonTrees.parse("[{\"scribble\": \"same\"}, {\"scribble\": \"same\"}]"), pages.get(0).get("margins"), pages.toString());
        assertEquals(JsonTrees.parse("[]"), pages.get(3).get("margins"), pages.toString());
        flatAndNestedAgree(sidecar.client(), """
                { x: shelf(order_by: {id: asc}) { id books(order_by: {code: asc}, limit: 10) { code pages(order_by: {number: asc}, limit: 10) {
                    number margins(limit: 10) { scribble number } } } } }""");
    }

    @Test
    void membersAfterTheNestedListAndNestedSelectsInTheDeepestLevel() {
        JsonNode books = flatAndNestedAgree(sidecar.client(), """
                { x: book(order_by: {code: desc}) { title margins(limit: 10) { number scribble } code __typename } }""");
        assertEquals("b-5", books.get(0).get("code").asText(), books.toString());
        assertEquals("book", books.get(0).get("__typename").asText(), books.toString());
        JsonNode shelves = flatAndNestedAgree(sidecar.client(), """
                { x: shelf(order_by: {id: asc}) { id books(order_by: {code: asc}, limit: 10) { code shelf { name } pages_aggregate { aggregate { count } }
                    first: pages(limit: 1, order_by: {number: desc}) { body } } __typename } }""");
        assertEquals(3, shelves.get(0).get("books").get(0).get("pages_aggregate").get("aggregate").get("count").asInt(), shelves.toString());
    }

    @Test
    void otherShapes() {
        GraphqlClient admin = sidecar.client();
        // two lists at one level: that level is the deepest read flat
        flatAndNestedAgree(admin, "{ x: book(order_by: {code: asc}) { code pages(order_by: {number: asc}, limit: 9) { number } margins(limit: 9) { scribble } } }");
        flatAndNestedAgree(admin, "{ x: shelf(order_by: {id: desc}, limit: 2, offset: 1) { id books(limit: 1, order_by: {code: desc}) { code } } }");
        assertEquals(0, flatAndNestedAgree(admin, "{ x: page(where: {number: {_gt: 100}}) { number book { code } } }").size());
        flatAndNestedAgree(admin, "{ x: margin(distinct_on: [book_code], order_by: [{book_code: asc}, {scribble: desc}]) { book_code scribble } }");
        flatAndNestedAgree(admin, "{ x: shelf(order_by: {id: asc}) { __typename books(order_by: {code: asc}, limit: 9) { __typename pages(limit: 9) { __typename } } } }");
        flatAndNestedAgree(admin, "{ x: book(where: {shelf: {open: {_eq: true}}}, order_by: {price: desc_nulls_last}) { code pages(where: {body: {_like: \"%e%\"}}, order_by: {number: asc}, limit: 9) { body } } }");
    }

    /** A list without a limit stays a nested value of its parent's row, built by Postgres: its repetition would be unbounded. */
    @Test
    void aListWithoutLimitStaysNested() {
        String query = "{ x: shelf(order_by: {id: asc}) { id books(order_by: {code: asc}) { code pages(order_by: {number: asc}, limit: 9) { number } } } }";
        JsonNode shelves = flatAndNestedAgree(sidecar.client(), query);
        assertEquals(List.of("b-1", "b-2", "b-3"), codes(shelves.get(0).get("books")), shelves.toString());
        String sql = statement(query);
        assertTrue(!sql.contains("LATERAL") && sql.contains("json_agg"), "the books are one JSON value per shelf: " + sql);
        String limited = statement(query.replace("books(order_by: {code: asc})", "books(order_by: {code: asc}, limit: 9)"));
        assertTrue(limited.contains("LEFT JOIN LATERAL") && !limited.contains("json_agg"), "with limits, every level is read flat: " + limited);
    }

    /**
     * {@code JOINERY_FLAT_ROWS}: by default ({@code root}) a root list of integers, strings and booleans
     * is rows and every other list JSON; with {@code none} every list is a JSON value Postgres builds.
     * The answers are the same.
     */
    @Test
    void theDefaultReadsTheRootListFlatAndNoneReadsNothingFlat() {
        GraphqlResponse all = sidecar.client().query(THREE_LEVELS);
        try (TestSidecar root = TestSidecar.start(db.url(), "/it/metadata-flat.yaml");
             TestSidecar none = TestSidecar.start(db.url(), "/it/metadata-flat.yaml", Map.of("JOINERY_FLAT_ROWS", "none"))) {
            for (TestSidecar other : List.of(root, none)) {
                GraphqlResponse answer = other.client().query(THREE_LEVELS);
                assertTrue(answer.errors().isMissingNode(), answer.toString());
                assertEquals(all.data(), answer.data());
            }
            String nestedRoot = statement(root, null, THREE_LEVELS);
            assertTrue(nestedRoot.startsWith("SELECT (SELECT coalesce(json_agg(") && !nestedRoot.contains("LATERAL"),
                    "a root list with nested values stays JSON: " + nestedRoot);
            String plain = "{ x: shelf(order_by: {id: asc}) { id name open __typename } }";
            assertEquals(sidecar.client().query(plain).data(), root.client().query(plain).data());
            String plainRoot = statement(root, null, plain);
            assertTrue(plainRoot.startsWith("SELECT t0.\"id\", t0.\"name\", t0.\"open\" FROM") && !plainRoot.contains("json"),
                    "a root list of integers, strings and booleans is rows: " + plainRoot);
            String typenames = "{ x: shelf(order_by: {id: asc}) { __typename } }";
            assertEquals(JsonTrees.parse("{\"x\": [{\"__typename\": \"shelf\"}, {\"__typename\": \"shelf\"}, {\"__typename\": \"shelf\"}, "
                    + "{\"__typename\": \"shelf\"}]}"), root.client().query(typenames).data(), "a list of nothing but constants");
            assertTrue(statement(root, null, typenames).startsWith("SELECT 1 FROM"), statement(root, null, typenames));
            String timestamps = statement(root, null, "{ x: shelf { id opened } }");
            assertTrue(timestamps.contains("json_agg"), "a timestamp is JSON Postgres writes, so the list stays JSON: " + timestamps);
            String noneSql = statement(none, null, THREE_LEVELS);
            assertTrue(noneSql.startsWith("SELECT (SELECT coalesce(json_agg(") && !noneSql.contains("LATERAL"), noneSql);
        }
    }

    @Test
    void aPermissionLimitCapsEachParentsChildren() {
        GraphqlClient reader = sidecar.client().withHeaders(Map.of("x-joinery-role", "reader"));
        JsonNode shelves = flatAndNestedAgree(reader, """
                { x: shelf(order_by: {id: asc}) { id books(order_by: {code: asc}) { code pages(order_by: {number: asc}) { number } } } }""");
        assertEquals(List.of("b-1", "b-2"), codes(shelves.get(0).get("books")), shelves.toString());
        assertTrue(statement("reader", "{ x: shelf { books { code } } }").contains("LEFT JOIN LATERAL"), "the role's limit bounds the books");
    }

    /** Asks {@code query} alone (flat) and beside another root field (nested), checks both agree, and returns {@code x}. */
    private static JsonNode flatAndNestedAgree(GraphqlClient client, String query) {
        GraphqlResponse flat = client.query(query);
        assertTrue(flat.errors().isMissingNode(), flat.toString());
        String nestedQuery = query.substring(0, query.lastIndexOf('}')) + " other: shelf(limit: 1) { id } }";
        GraphqlResponse nested = client.query(nestedQuery);
        assertTrue(nested.errors().isMissingNode(), nested.toString());
        assertEquals(nested.data().get("x"), flat.data().get("x"), "flat and nested answers of " + query);
        String sql = statement(query);
        assertTrue(sql.startsWith("SELECT t") && !sql.contains("json_agg(json_build_array(t0."), "the root list is read flat: " + sql);
        return flat.data().get("x");
    }

    private static String statement(String query) {
        return statement(sidecar, null, query);
    }

    private static String statement(String role, String query) {
        return statement(sidecar, role, query);
    }

    /** The statement of the query's one root field for {@code role} (null: admin), from {@code /v1/graphql/explain}. */
    private static String statement(TestSidecar served, String role, String query) {
        GraphqlClient explain = new GraphqlClient(served.graphqlUri("/v1/graphql/explain"), Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var body = json.createObjectNode();
        body.set("query", json.createObjectNode().put("query", query));
        if (role != null) {
            body.set("user", json.createObjectNode().put("x-joinery-role", role));
        }
        GraphqlResponse response = explain.post(body);
        assertEquals(200, response.status(), response.toString());
        return response.json().get(0).get("sql").asText();
    }

    private static List<String> codes(JsonNode books) {
        return books.findValuesAsText("code");
    }
}
