package io.joinery.it;

import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows given as one variable ({@code objects: $rows}, {@code object: $row}) go to Postgres as ONE JSON
 * parameter, so one plan and one statement text serve any number of rows (Note [Rows bound as one
 * parameter] in {@code BoundRows}); rows whose columns differ, or that insert through a relationship,
 * are still planned by their value, with each missing column at its default. it/metadata-mutations.yaml.
 */
class BoundRowsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("bound_rows", "/it/schema-mutations.sql",
            "/it/metadata-mutations.yaml").recorded();

    private static final String INSERT = """
            mutation ($rows: [article_insert_input!]!) { insert_article(objects: $rows) { affected_rows returning { title rating author_id } } }""";

    private static Set<String> statementsSince(int before) {
        return new LinkedHashSet<>(served.recorder().executedSince(before).stream().filter(sql -> sql.startsWith("WITH")).toList());
    }

    private static List<Map<String, Object>> rows(String prefix, int count) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("author_id", 1);
            row.put("title", prefix + i);
            row.put("rating", i % 10);
            rows.add(row);
        }
        return rows;
    }

    @Test
    void anyNumberOfRowsWithTheSameColumnsIsOneStatementText() {
        int before = served.recorder().executed().size();
        int total = 0;
        for (int count : new int[] {1, 2, 3, 7, 20, 64, 65, 200}) {
            var response = served.client().query(INSERT, Map.of("rows", rows("Bound" + count + "-", count)));
            assertEquals(count, response.json().path("data").path("insert_article").path("affected_rows").asInt(), response.toString());
            assertEquals("Bound" + count + "-" + (count - 1),
                    response.json().path("data").path("insert_article").path("returning").path(count - 1).path("title").asText(), "rows in order");
            total += count;
        }

        assertEquals(1, statementsSince(before).size(), "one plan, one statement text: " + statementsSince(before));
        assertEquals(total, served.database().queryLong("SELECT count(*) FROM article WHERE title LIKE 'Bound%'"));
    }

    @Test
    void rowsWhoseColumnsDifferTakeEachMissingColumnsDefault() {
        Map<String, Object> scored = new HashMap<>(Map.of("id", 1100, "name", "Scored", "score", 7));
        Map<String, Object> unscored = new HashMap<>(Map.of("id", 1101, "name", "Unscored"));

        var response = served.client().query("""
                mutation ($rows: [author_insert_input!]!) { insert_author(objects: $rows) { returning { name score } } }""",
                Map.of("rows", List.of(scored, unscored)));

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_author": {"returning": [{"name": "Scored", "score": 7}, {"name": "Unscored", "score": 0}]}}}"""),
                response.json(), "score defaults to 0, not null");
    }

    @Test
    void aUsersBoundRowsTakeTheirPresetAndCheck() {
        GraphqlClient user = served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "2"));
        int before = served.recorder().executed().size();

        var one = user.query("mutation ($rows: [article_insert_input!]!) { insert_article(objects: $rows) { returning { title author_id } } }",
                Map.of("rows", List.of(Map.of("title", "UB1"))));
        var two = user.query("mutation ($rows: [article_insert_input!]!) { insert_article(objects: $rows) { returning { title author_id } } }",
                Map.of("rows", List.of(Map.of("title", "UB2"), Map.of("title", "UB3"))));

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_article": {"returning": [{"title": "UB1", "author_id": 2}]}}}"""), one.json(), "the preset applies");
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_article": {"returning": [{"title": "UB2", "author_id": 2}, {"title": "UB3", "author_id": 2}]}}}"""),
                two.json(), "the preset applies to every row");
        assertEquals(1, statementsSince(before).size(), "one statement text: " + statementsSince(before));
    }

    @Test
    void anInsertOneObjectVariableIsBoundToo() {
        int before = served.recorder().executed().size();
        for (int i = 0; i < 3; i++) {
            var response = served.client().query("""
                    mutation ($row: article_insert_input!) { insert_article_one(object: $row) { title tags } }""",
                    Map.of("row", Map.of("author_id", 2, "title", "One" + i, "tags", Map.of("n", i))));
            JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"insert_article_one\": {\"title\": \"One" + i + "\", \"tags\": {\"n\": " + i + "}}}}"),
                    response.json(), "the answer");
        }

        assertEquals(1, statementsSince(before).size(), "one statement text: " + statementsSince(before));
    }

    @Test
    void rowsInsertingThroughARelationshipArePlannedByTheirValue() {
        var response = served.client().query("""
                mutation ($rows: [author_insert_input!]!) { insert_author(objects: $rows) { affected_rows returning { name articles { title } } } }""",
                Map.of("rows", List.of(Map.of("name", "Nested", "articles", Map.of("data", List.of(Map.of("title", "Under nested")))))));

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_author": {"affected_rows": 2, "returning": [{"name": "Nested", "articles": [{"title": "Under nested"}]}]}}}"""),
                response.json(), "the answer");
        assertTrue(served.database().queryLong("SELECT count(*) FROM article WHERE title = 'Under nested'") == 1);
    }
}
