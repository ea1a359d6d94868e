package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A mutation field is ONE statement, with its {@code returning} (relationships and aggregates
 * included) and its permission check; the fields of a request run between one BEGIN and one COMMIT,
 * and each operation of a batch in a transaction of its own; a request of one field is that statement
 * alone, in autocommit (Note [One write, no transaction] in {@code execute.Database}). Counted by a {@code StatementRecorder}.
 */
class MutationStatementsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("mutation_statements", "/it/schema-mutations.sql",
            "/it/metadata-mutations.yaml").recorded();

    @Test
    void eachMutationFieldIsOneStatementInsideOneTransaction() {
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1")).query("""
                mutation { insert_article(objects: [{title: "S1", rating: 1}, {title: "S2"}]) {
                             affected_rows returning { title author { name articles { id } } } }
                           update_article(where: {title: {_eq: "S1"}}, _inc: {rating: 1}) { affected_rows } }""").json();

        List<String> statements = served.recorder().executedSince(before);
        assertEquals(List.of("BEGIN", "WITH", "WITH", "COMMIT"), statements.stream().map(MutationStatementsTest::firstWord).toList(),
                "statements: " + statements);
        assertEquals(2, answer.path("data").path("insert_article").path("affected_rows").asInt(), answer.toString());
        assertEquals(1, answer.path("data").path("update_article").path("affected_rows").asInt(), "S1: " + answer);
    }

    @Test
    void aFailedCheckFailsItsStatementAndRollsTheTransactionBack() {
        int before = served.recorder().executed().size();

        JsonNode alone = served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1"))
                .query("mutation { update_article(where: {id: {_eq: 1}}, _set: {rating: 9}) { affected_rows } }").json();
        JsonNode second = served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1"))
                .query("mutation { first: update_article(where: {id: {_eq: 2}}, _set: {rating: 5}) { affected_rows }"
                        + " second: update_article(where: {id: {_eq: 1}}, _set: {rating: 9}) { affected_rows } }").json();

        List<String> statements = served.recorder().executedSince(before);
        assertEquals(List.of("WITH", "BEGIN", "WITH", "WITH", "ROLLBACK"), statements.stream().map(MutationStatementsTest::firstWord).toList(),
                "one field: its statement alone, which fails itself; two: their transaction, rolled back: " + statements);
        for (JsonNode answer : List.of(alone, second)) {
            assertEquals("permission-error", answer.path("errors").path(0).path("extensions").path("code").asText(), answer.toString());
            assertEquals("check constraint of an insert/update permission has failed", answer.path("errors").path(0).path("message").asText(),
                    answer.toString());
        }
        assertEquals("$.selectionSet.second", second.path("errors").path(0).path("extensions").path("path").asText(), second.toString());
        assertEquals(0, served.database().queryLong("SELECT count(*) FROM article WHERE id IN (1, 2) AND rating IN (5, 9)"),
                "neither field's write is there");
    }

    @Test
    void oneFieldIsItsStatementAloneAndAFailureLeavesNothing() {
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().query("""
                mutation { insert_article(objects: [{title: "N1", author_id: 1}, {title: "N2", author_id: 1}]) { affected_rows } }""").json();
        JsonNode failed = served.client().query("""
                mutation { insert_article(objects: [{title: "N3", author_id: 1}, {title: "N4", author_id: 999999}]) { affected_rows } }""").json();

        List<String> statements = served.recorder().executedSince(before);
        assertEquals(List.of("WITH", "WITH"), statements.stream().map(MutationStatementsTest::firstWord).toList(), "statements: " + statements);
        assertEquals(2, answer.path("data").path("insert_article").path("affected_rows").asInt(), answer.toString());
        assertEquals("constraint-violation", failed.path("errors").path(0).path("extensions").path("code").asText(), failed.toString());
        assertEquals(0, served.database().queryLong("SELECT count(*) FROM article WHERE title IN ('N3', 'N4')"),
                "a statement that fails writes none of its rows");
    }

    @Test
    void eachOperationOfABatchIsItsOwnTransaction() {
        int before = served.recorder().executed().size();

        JsonNode answers = served.client().post(JsonTrees.parse("""
                [{"query": "mutation { add_author(object: {id: 2001, name: \\"B1\\"}) { id } }"},
                 {"query": "mutation { add_author(object: {id: 2001, name: \\"B2\\"}) { id } }"}]""")).json();

        List<String> statements = served.recorder().executedSince(before);
        assertEquals(List.of("WITH", "WITH"),
                statements.stream().map(MutationStatementsTest::firstWord).toList(), "statements: " + statements);
        assertEquals(2001, answers.path(0).path("data").path("add_author").path("id").asInt(), answers.toString());
        assertEquals("constraint-violation", answers.path(1).path("errors").path(0).path("extensions").path("code").asText(), answers.toString());
        assertTrue(served.database().queryLong("SELECT count(*) FROM author WHERE id = 2001 AND name = 'B1'") == 1, "the first batch entry is kept");
    }

    private static String firstWord(String statement) {
        String trimmed = statement.strip();
        int space = trimmed.indexOf(' ');
        return (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
    }
}
