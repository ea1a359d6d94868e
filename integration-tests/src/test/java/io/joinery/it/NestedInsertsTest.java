package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inserts through object and array relationships (Note [Nested inserts] in {@code MutationCompiler}),
 * through real HTTP against a real Postgres (it/metadata-nested-inserts.yaml): the parent first and its
 * key filled into the children, the object relationship's row first and its key filled into the parent,
 * any depth, ONE statement, {@code affected_rows} counting every row, the role's insert permission of each
 * table applied at each level, and a failing child leaving nothing of its parent.
 */
class NestedInsertsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("nested_inserts", "/it/schema-nested-inserts.sql",
            "/it/metadata-nested-inserts.yaml").recorded();

    private static GraphqlClient user(int id) {
        return served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", String.valueOf(id)));
    }

    private static long count(String sql) {
        return served.database().queryLong(sql);
    }

    private static void assertAnswer(String expected, GraphqlClient.GraphqlResponse response) {
        JsonTrees.assertJsonEquals(JsonTrees.parse(expected), response.json(), "the answer");
    }

    private static void assertError(String code, String message, GraphqlClient.GraphqlResponse response) {
        JsonNode json = response.json();
        assertTrue(json.path("data").isMissingNode(), "a failed mutation has no data: " + response);
        assertEquals(code, json.path("errors").path(0).path("extensions").path("code").asText(), response.toString());
        assertTrue(json.path("errors").path(0).path("message").asText().contains(message), response.toString());
    }

    @Test
    void insertsThreeLevelsThroughArrayRelationshipsInOneStatementCountingEveryRow() {
        int before = served.recorder().executed().size();

        var response = served.client().query("""
                mutation { insert_author(objects: [
                    {name: "N1", articles: {data: [{title: "N1a", comments: {data: [{body: "c1"}, {body: "c2"}]}}, {title: "N1b"}]}},
                    {name: "N2", articles: {data: [{title: "N2a", comments: {data: [{body: "c3"}]}}]}},
                    {name: "N3"}]) {
                  affected_rows
                  returning { name articles(order_by: {title: asc}) { title comments(order_by: {body: asc}) { body article { author { name } } } } } } }""");

        assertAnswer("""
                {"data": {"insert_author": {"affected_rows": 9, "returning": [
                  {"name": "N1", "articles": [
                    {"title": "N1a", "comments": [{"body": "c1", "article": {"author": {"name": "N1"}}},
                                                  {"body": "c2", "article": {"author": {"name": "N1"}}}]},
                    {"title": "N1b", "comments": []}]},
                  {"name": "N2", "articles": [{"title": "N2a", "comments": [{"body": "c3", "article": {"author": {"name": "N2"}}}]}]},
                  {"name": "N3", "articles": []}]}}}""", response);
        List<String> statements = served.recorder().executedSince(before);
        assertEquals(1, statements.size(), "ONE statement (in autocommit: one field, no check): " + statements);
        assertEquals(2, count("SELECT count(*) FROM comment c JOIN article a ON a.id = c.article_id JOIN author w ON w.id = a.author_id"
                + " WHERE w.name = 'N1' AND a.title = 'N1a'"), "the keys are filled in at each level");
    }

    @Test
    void insertsAnObjectRelationshipFirstAndFillsInTheKey() {
        var response = served.client().query("""
                mutation { insert_article_one(object: {title: "O1", author: {data: {name: "O-author"}},
                                                       comments: {data: [{body: "under O1"}]}}) {
                  title author { name articles { title } } comments { body } } }""");

        assertAnswer("""
                {"data": {"insert_article_one": {"title": "O1", "author": {"name": "O-author", "articles": [{"title": "O1"}]},
                  "comments": [{"body": "under O1"}]}}}""", response);
        assertEquals(1, count("SELECT count(*) FROM article a JOIN author w ON w.id = a.author_id WHERE a.title = 'O1' AND w.name = 'O-author'"));
    }

    @Test
    void anObjectRelationshipBesideItsKeyIsRefused() {
        assertError("validation-failed", "cannot insert object relationship \"author\" as \"author_id\" column values are already determined",
                served.client().query("""
                        mutation { insert_article(objects: [{title: "K", author_id: 1, author: {data: {name: "K-author"}}}]) { affected_rows } }"""));
        assertEquals(0, count("SELECT count(*) FROM author WHERE name = 'K-author'"));
    }

    @Test
    void aFailingChildLeavesNothingOfItsParents() {
        var response = served.client().query("""
                mutation { insert_author(objects: [{name: "F1", articles: {data: [{title: "F1a", comments: {data: [{body: "ok"}, {}]}}]}}]) {
                  affected_rows } }""");

        assertError("constraint-violation", "Not-NULL violation", response);
        assertEquals(0, count("SELECT count(*) FROM author WHERE name = 'F1'"), "the author is not there");
        assertEquals(0, count("SELECT count(*) FROM article WHERE title = 'F1a'"), "nor its article");
    }

    @Test
    void eachLevelTakesItsTablesPresetsAndCheck() {
        var response = user(7).query("""
                mutation { insert_author_one(object: {name: "U7", articles: {data: [{title: "U7a", rating: 5, comments: {data: [{body: "mine"}]}}]}}) {
                  name owner_id articles { rating comments { body commenter_id } } } }""");

        assertAnswer("""
                {"data": {"insert_author_one": {"name": "U7", "owner_id": 7,
                  "articles": [{"rating": 5, "comments": [{"body": "mine", "commenter_id": 7}]}]}}}""", response);
    }

    @Test
    void aNestedRowFailingItsCheckRollsEverythingBack() {
        var response = user(8).query("""
                mutation { insert_author(objects: [{name: "U8", articles: {data: [{title: "U8a", rating: 1}, {title: "U8b", rating: 9}]}}]) {
                  affected_rows } }""");

        assertError("permission-error", "check constraint of an insert/update permission has failed", response);
        assertEquals(0, count("SELECT count(*) FROM author WHERE name = 'U8'"));
        assertEquals(0, count("SELECT count(*) FROM article WHERE title LIKE 'U8%'"));
    }

    @Test
    void aRoleCannotInsertThroughARelationshipToATableItMayNotInsertInto() {
        var nested = user(9).query("""
                mutation { insert_article(objects: [{title: "T", tags: {data: [{label: "x"}]}}]) { affected_rows } }""");
        var preset = user(9).query("""
                mutation { insert_author(objects: [{name: "P", articles: {data: [{title: "P", comments: {data: [{body: "b", commenter_id: 1}]}}]}}]) {
                  affected_rows } }""");

        assertEquals("validation-failed", nested.errors().path(0).path("extensions").path("code").asText(), nested.toString());
        assertTrue(nested.errors().path(0).path("message").asText().contains("tags"), nested.toString());
        assertEquals("validation-failed", preset.errors().path(0).path("extensions").path("code").asText(), "a preset is not in a nested input either: " + preset);
    }

    @Test
    void aNestedUpsertAnswersTheUpdatedRowOnce() {
        served.client().query("mutation { insert_author_one(object: {name: \"Up\", bio: \"old\"}) { id } }");

        var response = served.client().query("""
                mutation { insert_article_one(object: {title: "UpA", author: {data: {name: "Up", bio: "new"},
                                                                             on_conflict: {constraint: author_name_key, update_columns: [bio]}}}) {
                  title author { name bio articles { title } } } }""");

        assertAnswer("""
                {"data": {"insert_article_one": {"title": "UpA", "author": {"name": "Up", "bio": "new", "articles": [{"title": "UpA"}]}}}}""", response);
        assertEquals(1, count("SELECT count(*) FROM author WHERE name = 'Up'"));
    }

    @Test
    void anObjectRelationshipWhoseUpsertWritesNoRowIsRefusedAsHasuraDoes() {
        // Hasura: "cannot proceed to insert object relation ... affects zero rows", not-supported, at the relationship.
        var nothing = served.client().query("""
                mutation { insert_article(objects: [{title: "Z0", author: {data: {name: "Z-new"}}}, {title: "Z1", author: {data: {name: "Existing"},
                                                                      on_conflict: {constraint: author_name_key, update_columns: []}}}]) {
                  affected_rows } }""");
        var skipped = served.client().query("""
                mutation { insert_article_one(object: {title: "Z2", author: {data: {name: "Existing", bio: "b"},
                    on_conflict: {constraint: author_name_key, update_columns: [bio], where: {bio: {_eq: "never"}}}}}) { id } }""");

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"errors": [{"message": "cannot proceed to insert object relation \\"author\\" since insert to table \\"author\\" affects zero rows",
                             "extensions": {"path": "$.selectionSet.insert_article.args.objects[1].author", "code": "not-supported"}}]}"""),
                nothing.json(), "do nothing");
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"errors": [{"message": "cannot proceed to insert object relation \\"author\\" since insert to table \\"author\\" affects zero rows",
                             "extensions": {"path": "$.selectionSet.insert_article_one.args.object[0].author", "code": "not-supported"}}]}"""),
                skipped.json(), "a where that skips the row");
        assertEquals(0, count("SELECT count(*) FROM article WHERE title IN ('Z0', 'Z1', 'Z2')"), "nothing of the request is written");
        assertEquals(0, count("SELECT count(*) FROM author WHERE name = 'Z-new'"), "not even the rows before the refusal");
    }

    @Test
    void anUpsertThatWritesNoRowCannotTakeArrayRelationshipRows() {
        var response = served.client().query("""
                mutation { insert_author(objects: [{name: "Existing", articles: {data: [{title: "Orphan"}]}}],
                                         on_conflict: {constraint: author_name_key, update_columns: []}) { affected_rows } }""");

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"errors": [{"message": "cannot proceed to insert array relations since insert to table \\"author\\" affects zero rows",
                             "extensions": {"path": "$.selectionSet.insert_author.args.objects[0]", "code": "not-supported"}}]}"""),
                response.json(), "the parent wrote no row");
        assertEquals(0, count("SELECT count(*) FROM article WHERE title = 'Orphan'"));
    }

    @Test
    void introspectionShowsHasurasRelationshipInsertTypes() {
        var response = user(1).query("""
                { arr: __type(name: "article_arr_rel_insert_input") { inputFields { name type { kind name ofType { kind ofType { kind ofType { name } } } } } }
                  obj: __type(name: "author_obj_rel_insert_input") { inputFields { name type { kind ofType { name } } } }
                  article: __type(name: "article_insert_input") { inputFields { name type { name } } } }""");

        assertAnswer("""
                {"data": {
                  "arr": {"inputFields": [{"name": "data", "type": {"kind": "NON_NULL", "name": null,
                                            "ofType": {"kind": "LIST", "ofType": {"kind": "NON_NULL", "ofType": {"name": "article_insert_input"}}}}}]},
                  "obj": {"inputFields": [{"name": "data", "type": {"kind": "NON_NULL", "ofType": {"name": "author_insert_input"}}},
                                          {"name": "on_conflict", "type": {"kind": "INPUT_OBJECT", "ofType": null}}]},
                  "article": {"inputFields": [{"name": "author", "type": {"name": "author_obj_rel_insert_input"}},
                                              {"name": "comments", "type": {"name": "comment_arr_rel_insert_input"}},
                                              {"name": "rating", "type": {"name": "Int"}}, {"name": "title", "type": {"name": "String"}}]}}}""", response);
    }
}
