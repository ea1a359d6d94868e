package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query's database fields are ONE statement: the sidecar talks to Postgres through a
 * {@link StatementRecorder}, which logs each statement Postgres is asked to execute.
 */
class OneStatementTest {

    /** Two root fields, each three levels deep (author → articles → comments, comment → article → author). */
    private static final String TWO_ROOTS_THREE_LEVELS = """
            query ($ids: [Int!]) {
              author(where: {id: {_in: $ids}}, order_by: {id: asc}) {
                name
                articles(order_by: {id: asc}, limit: 2) { id comments(order_by: {id: asc}) { id } }
              }
              comment(where: {article: {author_id: {_in: $ids}}}, order_by: {id: asc}, limit: 3) {
                id
                article { title author { name } }
              }
            }""";

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("statements", "/it/schema.sql", "/it/metadata.yaml").recorded();

    @Test
    void twoRootFieldsThreeLevelsDeepAreOneStatement() {
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().query(TWO_ROOTS_THREE_LEVELS, Map.of("ids", List.of(9))).json();

        List<String> statements = served.recorder().executedSince(before);
        assertEquals(1, statements.size(), "statements for one query with two root fields three levels deep: " + statements);
        assertTrue(statements.getFirst().startsWith("SELECT "), statements.getFirst());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {
                  "author": [{"name": "Ada", "articles": [{"id": 5, "comments": [{"id": 7}, {"id": 36}]},
                                                          {"id": 14, "comments": [{"id": 1}, {"id": 30}, {"id": 59}]}]}],
                  "comment": [{"id": 1, "article": {"title": "Article 14", "author": {"name": "Ada"}}},
                              {"id": 7, "article": {"title": "Article 5", "author": {"name": "Ada"}}},
                              {"id": 24, "article": {"title": "Article 23", "author": {"name": "Ada"}}}]}}"""), answer, "the answer");
    }

    @Test
    void aggregatesRelationshipsAndPermissionsStayInTheOneStatement() {
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1")).query("""
                { article_aggregate(where: {author_id: {_eq: 1}}) { aggregate { count max { rating } } nodes { id comments { id } } }
                  author(where: {articles: {published: {_eq: false}}}, order_by: {articles_aggregate: {count: desc}}) {
                    id articles_aggregate { aggregate { count } } }
                  article_by_pk(id: 9) { author { name } } }""").json();

        assertEquals(1, served.recorder().executedSince(before).size(), "statements: " + served.recorder().executedSince(before));
        assertEquals(3, answer.path("data").path("article_aggregate").path("aggregate").path("count").asInt(), answer.toString());
    }

    /** The recorder is not blind: two requests are two statements, so a second statement per query would show. */
    @Test
    void eachRequestIsItsOwnStatement() {
        int before = served.recorder().executed().size();

        served.client().query("{ author(limit: 1) { id } }");
        served.client().query("{ article(limit: 1) { id } }");

        assertEquals(2, served.recorder().executedSince(before).size(), "statements of two requests: " + served.recorder().executedSince(before));
    }

    @Test
    void eachOperationOfABatchIsOneStatement() {
        int before = served.recorder().executed().size();

        served.client().post(JsonTrees.parse("""
                [{"query": "{ author(limit: 1) { articles { comments { id } } } comment(limit: 1) { id } }"},
                 {"query": "{ article_aggregate { aggregate { count } } }"}]"""));

        assertEquals(2, served.recorder().executedSince(before).size(), "statements of a batch of two: " + served.recorder().executedSince(before));
    }

    @Test
    void aRepeatedQueryOnlyBindsNewValues() {
        String query = "query ($id: Int!) { article_by_pk(id: $id) { title author { name } } }";
        served.client().query(query, Map.of("id", 1));
        int parses = served.recorder().parses();
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().query(query, Map.of("id", 2)).json();

        assertEquals(parses, served.recorder().parses(), "statements parsed by Postgres for the repeated query");
        assertEquals(1, served.recorder().executedSince(before).size(), "statements: " + served.recorder().executedSince(before));
        assertEquals("Article 2", answer.path("data").path("article_by_pk").path("title").asText(), answer.toString());
    }

    @Test
    void introspectionAndTypenameNeedNoStatement() {
        int before = served.recorder().executed().size();

        served.client().query("{ __typename __schema { queryType { name } } }");

        assertEquals(List.of(), served.recorder().executedSince(before), "statements for a query without database fields");
    }
}
