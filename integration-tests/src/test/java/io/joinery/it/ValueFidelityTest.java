package io.joinery.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every value reaches the client exactly as Postgres encodes it as JSON ({@code to_json}), as in
 * Hasura: the statement returns arrays of values and the sidecar writes the keys (Note [Rows from Postgres,
 * JSON from the sidecar]), so each value is compared token by token, numbers by their text
 * ({@code 1.10} stays {@code 1.10}, 30 digits stay 30 digits), a json column's duplicate keys and
 * number spelling kept. Whitespace is not compared.
 */
class ValueFidelityTest {

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("values").load("/it/schema-values.sql");
        remote = new TestGraphqlServer();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-values.yaml", Map.of("PROFILES_URL", remote.url()));
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        remote.close();
        db.close();
    }

    private static final List<String> COLUMNS = List.of("id", "parent_id", "big", "exact", "real8", "real4", "flag", "label", "at",
            "plain_at", "day", "span", "doc", "raw", "tags", "grid", "uid", "bytes");

    private static final JsonFactory JSON = new JsonFactory();

    @Test
    void eachColumnIsPostgresOwnJson() {
        GraphqlResponse response = sidecar.client().query("{ sample(order_by: {id: asc}) { " + String.join(" ", COLUMNS) + " } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<String> rows = elements(member(response.text(), "data", "sample"));
        assertEquals(3, rows.size(), response.toString());
        for (int row = 0; row < rows.size(); row++) {
            for (String column : COLUMNS) {
                String expected = postgres("SELECT to_json(" + column + ")::text FROM sample WHERE id = " + (row + 1));
                assertEquals(tokens(expected), tokens(member(rows.get(row), column)), "row " + (row + 1) + ", column " + column);
            }
        }
    }

    @Test
    void nestedObjectsListsTypenamesAndAggregatesKeepTheirValues() {
        GraphqlResponse response = sidecar.client().query("""
                { sample_by_pk(id: 2) { __typename exact parent { exact __typename parent { id } } children { __typename raw }
                    none: children(where: {id: {_eq: -1}}) { id } }
                  sample_aggregate { __typename aggregate { count max { exact big } __typename } nodes { exact } } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        String byPk = member(response.text(), "data", "sample_by_pk");
        assertEquals(tokens("\"sample\""), tokens(member(byPk, "__typename")));
        assertEquals(tokens(postgres("SELECT to_json(exact)::text FROM sample WHERE id = 2")), tokens(member(byPk, "exact")));
        String parent = member(byPk, "parent");
        assertEquals(tokens("1.10"), tokens(member(parent, "exact")), "the object relationship's value: " + parent);
        assertEquals(tokens("null"), tokens(member(parent, "parent")), "no parent is null: " + parent);
        assertEquals(tokens("[{\"__typename\": \"sample\", \"raw\": \"\\u0001\"}]"), tokens(member(byPk, "children")));
        assertEquals(tokens("[]"), tokens(member(byPk, "none")));
        String aggregate = member(response.text(), "data", "sample_aggregate");
        assertEquals(tokens("\"sample_aggregate\""), tokens(member(aggregate, "__typename")));
        assertEquals(tokens("3"), tokens(member(aggregate, "aggregate", "count")));
        assertEquals(tokens(postgres("SELECT to_json(max(exact))::text FROM sample")), tokens(member(aggregate, "aggregate", "max", "exact")));
        assertEquals(tokens(postgres("SELECT to_json(max(big))::text FROM sample")), tokens(member(aggregate, "aggregate", "max", "big")));
        assertEquals(tokens("\"sample_aggregate_fields\""), tokens(member(aggregate, "aggregate", "__typename")));
        assertEquals(tokens(postgres("SELECT json_agg(json_build_object('exact', exact) ORDER BY id)::text FROM sample")),
                tokens(member(aggregate, "nodes")), "nodes in the table's order by key when no order_by is given");
    }

    /**
     * With a remote join the rows become a tree to stitch into; its numbers are decimals, never
     * doubles: {@code 1.10} keeps its zero, 30 digits keep every digit.
     */
    @Test
    void aJoinKeepsEveryDigit() {
        List<String> columns = COLUMNS.stream().filter(c -> !c.equals("raw")).toList();
        GraphqlResponse response = sidecar.client().query("{ sample(order_by: {id: asc}) { " + String.join(" ", columns) + " profile { bio } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        List<String> rows = elements(member(response.text(), "data", "sample"));
        for (int row = 0; row < rows.size(); row++) {
            assertEquals(decimals("\"bio of " + (row + 1) + "\""), decimals(member(rows.get(row), "profile", "bio")), "the join is done");
            for (String column : columns) {
                String expected = postgres("SELECT to_json(" + column + ")::text FROM sample WHERE id = " + (row + 1));
                assertEquals(decimals(expected), decimals(member(rows.get(row), column)), "row " + (row + 1) + ", column " + column);
            }
        }
        assertEquals("1.10", member(rows.getFirst(), "exact"));
        assertEquals("123456789012345678901234567890.123456789012345678901234567890", member(rows.get(1), "exact"));
    }

    /**
     * Characters outside ASCII reach the client as their UTF-8 bytes, as Postgres writes them, with a
     * remote join and without: never as {@code \\u} escapes (Note [The answer as UTF-8 from the start]).
     */
    @Test
    void aJsonPathSelectsInsideJsonAndJsonbColumns() {
        GraphqlResponse response = sidecar.client().query("""
                query ($p: String) { sample_by_pk(id: 1) {
                  whole: doc(path: "$") n: doc(path: "$.n") inner: doc(path: "a[2].b") quoted: doc(path: "['s']")
                  missing: doc(path: ".nothing.here") spaced: raw(path: "spaced") byVariable: doc(path: $p) } }""",
                Map.of("p", "a[0]"));
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonNode row = response.data().path("sample_by_pk");
        String rowText = member(response.text(), "data", "sample_by_pk");
        assertEquals(tokens(postgres("SELECT doc::text FROM sample WHERE id = 1")), tokens(member(rowText, "whole")));
        assertEquals("1.50", member(rowText, "n"));
        assertEquals("false", row.path("inner").toString());
        assertEquals("\"x\\\"y\"", row.path("quoted").toString());
        assertTrue(row.path("missing").isNull(), row.toString());
        assertEquals("1.0e2", member(rowText, "spaced"));
        assertEquals("1", row.path("byVariable").toString());

        GraphqlResponse refused = sidecar.client().query("{ sample_by_pk(id: 1) { doc(path: \"a b\") } }");
        assertEquals("validation-failed", refused.errors().path(0).path("extensions").path("code").asText(), refused.toString());
        assertTrue(refused.errors().path(0).path("message").asText().startsWith("parse json path error: a b."), refused.toString());
        assertTrue(refused.data().isMissingNode() || refused.data().isNull(), refused.toString());
        refused = sidecar.client().query("query ($p: String) { sample_by_pk(id: 1) { doc(path: $p) } }", Map.of("p", "[x"));
        assertEquals("validation-failed", refused.errors().path(0).path("extensions").path("code").asText(), refused.toString());
    }

    @Test
    void textOutsideAsciiIsWrittenAsUtf8() {
        for (String query : List.of("{ sample_by_pk(id: 1) { label } }", "{ sample_by_pk(id: 1) { label profile { bio } } }")) {
            GraphqlResponse response = sidecar.client().query(query);
            assertTrue(response.errors().isMissingNode(), response.toString());
            assertTrue(response.text().contains("unicode é 😀 nul-free"), response.text());
            assertFalse(response.text().contains("\\u"), response.text());
        }
    }

    /**
     * A row of more values than Postgres' json_build_array takes (100) comes back as a record
     * instead, in a list, by key, nested, in an aggregate: every value in its place (Note [Records as
     * JSON arrays] in {@code SqlCompiler}).
     */
    @Test
    void aRowOfMoreThanAHundredValuesKeepsThemAll() {
        String columns = java.util.stream.IntStream.rangeClosed(1, 101).mapToObj(i -> "c" + i).collect(java.util.stream.Collectors.joining(" "));
        GraphqlResponse response = sidecar.client().query("{ wide(order_by: {id: asc}) { id " + columns + " parent { id " + columns
                + " } children { " + columns + " } } wide_by_pk(id: 2) { __typename " + columns + " id }"
                + " wide_aggregate { aggregate { max { " + columns + " } count } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonNode rows = response.data().path("wide");
        assertEquals(2, rows.size(), response.toString());
        for (int row = 1; row <= 2; row++) {
            JsonNode wide = rows.get(row - 1);
            assertEquals(row, wide.path("id").asInt(), wide.toString());
            for (int i = 1; i <= 101; i++) {
                assertEquals(row * 1000 + i, wide.path("c" + i).asInt(), "row " + row + ", c" + i);
                assertEquals(2000 + i, response.data().path("wide_by_pk").path("c" + i).asInt(), "by key, c" + i);
                assertEquals(2000 + i, response.data().path("wide_aggregate").path("aggregate").path("max").path("c" + i).asInt(), "max, c" + i);
            }
        }
        assertTrue(rows.get(0).path("parent").isNull(), rows.toString());
        assertEquals(1101, rows.get(1).path("parent").path("c101").asInt(), rows.toString());
        assertEquals(2001, rows.get(0).path("children").path(0).path("c1").asInt(), rows.toString());
        assertEquals("wide", response.data().path("wide_by_pk").path("__typename").asText());
        assertEquals(2, response.data().path("wide_by_pk").path("id").asInt());
        assertEquals(2, response.data().path("wide_aggregate").path("aggregate").path("count").asInt());
    }

    @Test
    void aMissingRowIsNull() {
        GraphqlResponse response = sidecar.client().query("{ sample_by_pk(id: 99) { id } }");
        assertEquals("{\"data\":{\"sample_by_pk\":null}}", response.text());
    }

    /** The JSON text of the member at {@code path} of {@code json}, as it was written. */
    private static String member(String json, String... path) {
        try (JsonParser parser = JSON.createParser(json)) {
            parser.nextToken();
            for (String key : path) {
                assertEquals(JsonToken.START_OBJECT, parser.currentToken(), "an object at " + key + " in " + json);
                boolean found = false;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    parser.nextToken();
                    if (parser.currentName().equals(key)) {
                        found = true;
                        break;
                    }
                    parser.skipChildren();
                }
                assertTrue(found, key + " in " + json);
            }
            int start = (int) parser.currentTokenLocation().getCharOffset();
            return json.substring(start, end(parser));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON texts of the elements of an array. */
    private static List<String> elements(String array) {
        List<String> elements = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(array)) {
            parser.nextToken();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int start = (int) parser.currentTokenLocation().getCharOffset();
                elements.add(array.substring(start, end(parser)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return elements;
    }

    private static final ObjectMapper DECIMALS = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /** A JSON text as a tree whose numbers are exact decimals (a double would make 1.10 and 1.1 equal). */
    private static JsonNode decimals(String json) {
        try {
            return DECIMALS.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the value at the parser's token ends (a string is read lazily: its end is known once its text is). */
    private static int end(JsonParser parser) throws IOException {
        parser.skipChildren();
        parser.getText();
        return (int) parser.currentLocation().getCharOffset();
    }

    /** The tokens of a JSON text with their own spelling: numbers as written, every key in order. */
    private static List<String> tokens(String json) {
        List<String> tokens = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                tokens.add(token + " " + (token.isScalarValue() || token == JsonToken.FIELD_NAME ? parser.getText() : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tokens;
    }

    private static String postgres(String sql) {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            String json = rows.getString(1);
            return json == null ? "null" : json;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
