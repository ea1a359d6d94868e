package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Table mutations in Hasura's shapes, through real HTTP against a real Postgres: inserts, upserts,
 * updates, deletes, their answers, one transaction per request, errors, and the role permissions
 * (it/metadata-mutations.yaml). Each test writes rows of its own, so the order they run in does not matter.
 */
class MutationsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("mutations", "/it/schema-mutations.sql", "/it/metadata-mutations.yaml");

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

    // ---- inserts

    @Test
    void insertsRowsAndAnswersAffectedRowsAndReturningWithRelationships() {
        var response = served.client().query("""
                mutation { insert_article(objects: [{author_id: 1, title: "I1", rating: 2}, {author_id: 2, title: "I2"}]) {
                  affected_rows returning { title rating author { name } } __typename } }""");

        assertAnswer("""
                {"data": {"insert_article": {"affected_rows": 2, "returning": [
                  {"title": "I1", "rating": 2, "author": {"name": "Ada"}},
                  {"title": "I2", "rating": null, "author": {"name": "Brian"}}], "__typename": "article_mutation_response"}}}""", response);
        assertEquals(2, count("SELECT count(*) FROM article WHERE title IN ('I1', 'I2')"));
    }

    @Test
    void insertOneUnderItsCustomNameAnswersTheRowWithAnAggregate() {
        var response = served.client().query("""
                mutation ($name: String!, $tags: jsonb) {
                  add_author(object: {id: 1001, name: $name}) { id name score articles_aggregate { aggregate { count } } }
                  insert_article_one(object: {author_id: 1001, title: "J", tags: $tags}) { tags author { name } } }""",
                Map.of("name", "Dora", "tags", Map.of("k", List.of(1, 2))));

        assertAnswer("""
                {"data": {"add_author": {"id": 1001, "name": "Dora", "score": 0, "articles_aggregate": {"aggregate": {"count": 0}}},
                          "insert_article_one": {"tags": {"k": [1, 2]}, "author": {"name": "Dora"}}}}""", response);
    }

    @Test
    void anEmptyListInsertsNothing() {
        assertAnswer("""
                {"data": {"insert_author": {"affected_rows": 0, "returning": []}}}""",
                served.client().query("mutation { insert_author(objects: []) { affected_rows returning { id } } }"));
    }

    @Test
    void aUniqueViolationIsAConstraintViolationNamingTheConstraint() {
        var response = served.client().query("mutation { insert_author(objects: [{name: \"X\", email: \"ada@example.com\"}]) { affected_rows } }");

        assertError("constraint-violation", "author_email_key", response);
        assertTrue(response.errors().path(0).path("message").asText().startsWith("Uniqueness violation."), response.toString());
    }

    @Test
    void notNullForeignKeyAndCheckViolationsHaveHasurasCodes() {
        assertError("constraint-violation", "Not-NULL violation.",
                served.client().query("mutation { insert_article(objects: [{author_id: 1}]) { affected_rows } }"));
        assertError("constraint-violation", "Foreign key violation.",
                served.client().query("mutation { insert_article(objects: [{author_id: 999, title: \"F\"}]) { affected_rows } }"));
        assertError("permission-error", "article_rating_range",
                served.client().query("mutation { insert_article(objects: [{author_id: 1, title: \"C\", rating: 11}]) { affected_rows } }"));
        served.client().query("mutation { add_author(object: {id: 1040, name: \"Overflow\", score: 1}) { id } }");
        assertError("data-exception", "out of range",
                served.client().query("mutation { update_author_by_pk(pk_columns: {id: 1040}, _inc: {score: 2147483647}) { score } }"));
    }

    @Test
    void databaseErrorsPointAtTheFieldsArgumentsAsHasurasDo() {
        var insert = served.client().query("mutation { insert_author(objects: [{name: \"X\", email: \"ada@example.com\"}]) { affected_rows } }");
        var insertOne = served.client().query("mutation { first: add_author(object: {id: 1060, name: \"P\"}) { id } "
                + "again: add_author(object: {id: 1060, name: \"P\"}) { id } }");
        var update = served.client().query("mutation { update_article(where: {id: {_eq: 1}}, _set: {rating: 11}) { affected_rows } }");

        assertEquals("$.selectionSet.insert_author.args.objects", insert.errors().path(0).path("extensions").path("path").asText(), insert.toString());
        assertEquals("$.selectionSet.again.args.object", insertOne.errors().path(0).path("extensions").path("path").asText(), insertOne.toString());
        assertEquals("$.selectionSet.update_article.args", update.errors().path(0).path("extensions").path("path").asText(), update.toString());
    }

    @Test
    void aFailingSecondMutationRollsBackTheFirst() {
        var response = served.client().query("""
                mutation { first: insert_author_one: add_author(object: {id: 1002, name: "First"}) { id }
                           second: add_author(object: {id: 1002, name: "Again"}) { id } }""".replace("insert_author_one: ", ""));

        assertError("constraint-violation", "author_pkey", response);
        assertEquals(0, count("SELECT count(*) FROM author WHERE id = 1002"), "the first insert is rolled back");
    }

    @Test
    void mutationFieldsRunInOrderSoTheSecondSeesTheFirst() {
        var response = served.client().query("""
                mutation { add_author(object: {id: 1003, name: "Ordered"}) { id }
                           update_author(where: {id: {_eq: 1003}}, _inc: {score: 5}) { affected_rows returning { score } } }""");

        assertAnswer("""
                {"data": {"add_author": {"id": 1003}, "update_author": {"affected_rows": 1, "returning": [{"score": 5}]}}}""", response);
    }

    // ---- upserts

    @Test
    void upsertUpdatesTheGivenColumnsOfTheConflictingRow() {
        served.client().query("mutation { add_author(object: {id: 1004, name: \"Old\", email: \"old@example.com\"}) { id } }");

        var response = served.client().query("""
                mutation { insert_author(objects: [{id: 1004, name: "New", email: "new@example.com"}],
                                         on_conflict: {constraint: author_pkey, update_columns: [name]}) {
                  affected_rows returning { id name email } } }""");

        assertAnswer("""
                {"data": {"insert_author": {"affected_rows": 1, "returning": [{"id": 1004, "name": "New", "email": "old@example.com"}]}}}""", response);
    }

    @Test
    void upsertWithWhereLeavesARowThatDoesNotMatch() {
        served.client().query("mutation { add_author(object: {id: 1005, name: \"Kept\", score: 7}) { id } }");

        var response = served.client().query("""
                mutation { insert_author(objects: [{id: 1005, name: "Replaced"}],
                                         on_conflict: {constraint: author_pkey, update_columns: [name], where: {score: {_lt: 5}}}) {
                  affected_rows returning { name } } }""");

        assertAnswer("""
                {"data": {"insert_author": {"affected_rows": 0, "returning": []}}}""", response);
        assertEquals(1, count("SELECT count(*) FROM author WHERE id = 1005 AND name = 'Kept'"));
    }

    @Test
    void upsertWithoutUpdateColumnsDoesNothing() {
        var response = served.client().query("""
                mutation { insert_author(objects: [{id: 1, name: "Not Ada"}, {id: 1006, name: "Fresh"}],
                                         on_conflict: {constraint: author_pkey}) { affected_rows returning { id name } } }""");

        assertAnswer("""
                {"data": {"insert_author": {"affected_rows": 1, "returning": [{"id": 1006, "name": "Fresh"}]}}}""", response);
        assertEquals(1, count("SELECT count(*) FROM author WHERE id = 1 AND name = 'Ada'"));
    }

    @Test
    void concurrentUpsertsOnOneKeyEndWithOneRowAndNoError() throws Exception {
        String upsert = """
                mutation ($name: String!) { insert_author(objects: [{email: "race@example.com", name: $name}],
                  on_conflict: {constraint: author_email_key, update_columns: [name]}) { affected_rows } }""";
        List<GraphqlClient.GraphqlResponse> responses = concurrently(16, i -> served.client().query(upsert, Map.of("name", "R" + i)));

        responses.forEach(response -> assertEquals(1, response.data().path("insert_author").path("affected_rows").asInt(), response.toString()));
        assertEquals(1, count("SELECT count(*) FROM author WHERE email = 'race@example.com'"));
    }

    // ---- updates and deletes

    @Test
    void incrementsUnderSixteenConcurrentClientsLoseNothing() throws Exception {
        served.client().query("mutation { add_author(object: {id: 1007, name: \"Counter\"}) { id } }");

        List<GraphqlClient.GraphqlResponse> responses = concurrently(16, i -> {
            GraphqlClient.GraphqlResponse last = null;
            for (int n = 0; n < 10; n++) {
                last = served.client().query("mutation { update_author_by_pk(pk_columns: {id: 1007}, _inc: {score: 1}) { id } }");
                assertFalse(last.json().has("errors"), last.toString());
            }
            return last;
        });

        assertEquals(16, responses.size());
        assertEquals(160, count("SELECT score FROM author WHERE id = 1007"), "16 clients × 10 increments");
    }

    @Test
    void updateSetsAndIncrementsTheRowsOfItsWhere() {
        served.client().query("mutation { insert_author(objects: [{id: 1008, name: \"U1\", score: 1}, {id: 1009, name: \"U2\", score: 2}]) { affected_rows } }");

        var response = served.client().query("""
                mutation { update_author(where: {id: {_in: [1008, 1009]}}, _set: {name: "Same"}, _inc: {score: 10}) {
                  affected_rows returning { id name score } } }""");

        JsonNode answer = response.data().path("update_author");
        assertEquals(2, answer.path("affected_rows").asInt(), response.toString());
        assertEquals(23, count("SELECT sum(score) FROM author WHERE id IN (1008, 1009) AND name = 'Same'"));
    }

    @Test
    void updateManyRunsItsUpdatesInOrderAndAnswersOneResponseEach() {
        served.client().query("mutation { add_author(object: {id: 1050, name: \"Many\"}) { id } }");

        var response = served.client().query("""
                mutation { update_author_many(updates: [
                    {where: {id: {_eq: 1050}}, _inc: {score: 1}},
                    {where: {id: {_eq: 1050}, score: {_eq: 1}}, _set: {name: "Seen the first"}},
                    {where: {id: {_eq: -1}}, _set: {name: "Nobody"}}]) {
                  affected_rows returning { score name } } }""");

        assertAnswer("""
                {"data": {"update_author_many": [
                  {"affected_rows": 1, "returning": [{"score": 1, "name": "Many"}]},
                  {"affected_rows": 1, "returning": [{"score": 1, "name": "Seen the first"}]},
                  {"affected_rows": 0, "returning": []}]}}""", response);
        assertAnswer("""
                {"data": {"update_author_many": []}}""", served.client().query("mutation { update_author_many(updates: []) { affected_rows } }"));
    }

    @Test
    void updateManyWhoseLaterUpdateFailsItsCheckRollsBackTheEarlierOnes() {
        served.client().query("mutation { insert_article_one(object: {id: 1051, author_id: 3, title: \"M\", rating: 1}) { id } }");

        var response = user(3).query("""
                mutation { update_article_many(updates: [{where: {id: {_eq: 1051}}, _set: {title: "M2"}},
                                                         {where: {id: {_eq: 1051}}, _set: {rating: 9}}]) { affected_rows } }""");

        assertError("permission-error", "check constraint of an insert/update permission has failed", response);
        assertEquals(1, count("SELECT count(*) FROM article WHERE id = 1051 AND title = 'M' AND rating = 1"), "the first update is rolled back");
    }

    @Test
    void anUpdateWithoutSetOrIncIsRefused() {
        assertError("validation-failed", "at least any one of _set, _inc, _append, _prepend, _delete_key, _delete_elem, _delete_at_path is expected",
                served.client().query("mutation { update_author(where: {id: {_eq: 1}}) { affected_rows } }"));
    }

    @Test
    void jsonbOperatorsChangeAJsonbColumnInPlace() {
        served.client().query("mutation { insert_article_one(object: {id: 1050, author_id: 1, title: \"Json\", tags: {a: 1, b: [1, 2]}}) { id } }");

        var response = served.client().query("""
                mutation { append: update_article_by_pk(pk_columns: {id: 1050}, _append: {tags: {c: [7, 8, 9]}}) { tags }
                           key: update_article_by_pk(pk_columns: {id: 1050}, _delete_key: {tags: "a"}) { tags }
                           path: update_article_by_pk(pk_columns: {id: 1050}, _delete_at_path: {tags: ["b", "0"]}) { tags }
                           set: update_article(where: {id: {_eq: 1050}}, _set: {tags: [2, 3]}) { affected_rows }
                           prepend: update_article_by_pk(pk_columns: {id: 1050}, _prepend: {tags: [1]}) { tags }
                           elem: update_article_by_pk(pk_columns: {id: 1050}, _delete_elem: {tags: -1}) { tags } }""");

        assertAnswer("""
                {"data": {"append": {"tags": {"a": 1, "b": [1, 2], "c": [7, 8, 9]}}, "key": {"tags": {"b": [1, 2], "c": [7, 8, 9]}},
                          "path": {"tags": {"b": [2], "c": [7, 8, 9]}}, "set": {"affected_rows": 1},
                          "prepend": {"tags": [1, 2, 3]}, "elem": {"tags": [1, 2]}}}""", response);
    }

    @Test
    void oneColumnInTwoOperatorsIsRefused() {
        assertError("validation-failed", "column found in multiple operators",
                served.client().query("mutation { update_article(where: {id: {_eq: 1}}, _set: {tags: {}}, _append: {tags: {a: 1}}) { affected_rows } }"));
    }

    @Test
    void updateByPkOfAMissingRowAnswersNull() {
        assertAnswer("""
                {"data": {"update_author_by_pk": null}}""",
                served.client().query("mutation { update_author_by_pk(pk_columns: {id: 99999}, _set: {name: \"Nobody\"}) { id } }"));
    }

    @Test
    void deleteAnswersTheDeletedRowsThroughARelationship() {
        served.client().query("mutation { add_author(object: {id: 1010, name: \"Eve\"}) { id } insert_article(objects: [{id: 1010, author_id: 1010, title: \"Gone\"}, {id: 1011, author_id: 1010, title: \"Gone too\"}]) { affected_rows } }");

        var response = served.client().query("""
                mutation { delete_article(where: {author_id: {_eq: 1010}}) { affected_rows returning { title author { name } } }
                           delete_author_by_pk(id: 1010) { name } }""");

        assertAnswer("""
                {"data": {"delete_article": {"affected_rows": 2, "returning": [
                            {"title": "Gone", "author": {"name": "Eve"}}, {"title": "Gone too", "author": {"name": "Eve"}}]},
                          "delete_author_by_pk": {"name": "Eve"}}}""", response);
        assertEquals(0, count("SELECT count(*) FROM author WHERE id = 1010"));
    }

    // ---- permissions

    @Test
    void aUsersInsertTakesTheirIdFromTheSessionAndTheyCannotNameIt() {
        var inserted = user(3).query("mutation { insert_article_one(object: {title: \"Mine\", rating: 1}) { author_id title } }");
        var named = user(3).query("mutation { insert_article_one(object: {title: \"Theirs\", author_id: 1}) { id } }");

        assertAnswer("""
                {"data": {"insert_article_one": {"author_id": 3, "title": "Mine"}}}""", inserted);
        assertError("validation-failed", "author_id", named);
        assertEquals(0, count("SELECT count(*) FROM article WHERE title = 'Theirs'"));
    }

    @Test
    void aUsersUpdateAndDeleteTouchOnlyTheirOwnRows() {
        served.client().query("mutation { insert_article(objects: [{id: 1020, author_id: 2, title: \"Brian's\", rating: 1}]) { affected_rows } }");

        var update = user(1).query("mutation { update_article(where: {id: {_eq: 1020}}, _set: {title: \"Taken\"}) { affected_rows } }");
        var delete = user(1).query("mutation { delete_article_by_pk(id: 1020) { id } }");
        var own = user(2).query("mutation { update_article_by_pk(pk_columns: {id: 1020}, _set: {title: \"Renamed\"}) { title } }");

        assertAnswer("""
                {"data": {"update_article": {"affected_rows": 0}}}""", update);
        assertAnswer("""
                {"data": {"delete_article_by_pk": null}}""", delete);
        assertAnswer("""
                {"data": {"update_article_by_pk": {"title": "Renamed"}}}""", own);
    }

    @Test
    void anUpdateWhoseRowFailsTheCheckIsRolledBack() {
        served.client().query("mutation { insert_article(objects: [{id: 1030, author_id: 3, title: \"Checked\", rating: 2}]) { affected_rows } }");

        var response = user(3).query("""
                mutation { a: update_article_by_pk(pk_columns: {id: 1030}, _set: {title: "Changed"}) { id }
                           b: update_article_by_pk(pk_columns: {id: 1030}, _set: {rating: 9}) { id } }""");

        assertError("permission-error", "check constraint of an insert/update permission has failed", response);
        assertEquals(1, count("SELECT count(*) FROM article WHERE id = 1030 AND title = 'Checked' AND rating = 2"),
                "neither update is kept");
    }

    @Test
    void aRoleWithoutThePermissionHasNoSuchField() {
        var reader = served.client().withHeaders(Map.of("x-joinery-role", "reader"));

        assertError("validation-failed", "'Mutation' operation is not supported", reader.query("mutation { insert_author(objects: [{name: \"No\"}]) { affected_rows } }"));
        var writer = served.client().withHeaders(Map.of("x-joinery-role", "writer"));
        assertError("validation-failed", "on_conflict", writer.query("""
                mutation { insert_author(objects: [{name: "No"}], on_conflict: {constraint: author_pkey}) { affected_rows } }"""));
    }

    // ---- introspection

    @Test
    void aRoleThatMayInsertButNotSelectGetsOnlyAffectedRows() {
        var writer = served.client().withHeaders(Map.of("x-joinery-role", "writer"));

        assertAnswer("""
                {"data": {"insert_author": {"affected_rows": 1}}}""",
                writer.query("mutation { insert_author(objects: [{name: \"Written\", email: \"w@example.com\"}]) { affected_rows } }"));
        assertError("validation-failed", "returning",
                writer.query("mutation { insert_author(objects: [{name: \"W2\"}]) { returning { id } } }"));
    }

    @Test
    void introspectionShowsHasurasMutationTypes() {
        var response = served.client().query("""
                { __schema { mutationType { name } }
                  insert: __type(name: "author_insert_input") { inputFields { name } }
                  conflict: __type(name: "author_on_conflict") { inputFields { name } }
                  constraint: __type(name: "author_constraint") { enumValues { name } }
                  response: __type(name: "author_mutation_response") { fields { name } }
                  pk: __type(name: "author_pk_columns_input") { inputFields { name } }
                  inc: __type(name: "author_inc_input") { inputFields { name } }
                  root: __type(name: "mutation_root") { fields { name } } }""");

        assertAnswer("""
                {"data": {"__schema": {"mutationType": {"name": "mutation_root"}},
                  "insert": {"inputFields": [{"name": "articles"}, {"name": "email"}, {"name": "id"}, {"name": "name"}, {"name": "score"}]},
                  "conflict": {"inputFields": [{"name": "constraint"}, {"name": "update_columns"}, {"name": "where"}]},
                  "constraint": {"enumValues": [{"name": "author_email_key"}, {"name": "author_pkey"}]},
                  "response": {"fields": [{"name": "affected_rows"}, {"name": "returning"}]},
                  "pk": {"inputFields": [{"name": "id"}]},
                  "inc": {"inputFields": [{"name": "id"}, {"name": "score"}]},
                  "root": {"fields": [
                    {"name": "add_author"}, {"name": "delete_article"}, {"name": "delete_article_by_pk"}, {"name": "delete_author"}, {"name": "delete_author_by_pk"}, {"name": "insert_article"},
                    {"name": "insert_article_one"}, {"name": "insert_author"}, {"name": "update_article"}, {"name": "update_article_by_pk"}, {"name": "update_article_many"},
                    {"name": "update_author"}, {"name": "update_author_by_pk"}, {"name": "update_author_many"}]}}}""", response);
    }

    @Test
    void anUpdateOfATableWithJsonbTakesHasurasOperatorsInHasurasOrder() {
        JsonNode fields = served.client().query("{ __type(name: \"mutation_root\") { fields { name args { name } } } }")
                .data().path("__type").path("fields");
        JsonNode update = null;
        for (JsonNode field : fields) {
            if (field.path("name").asText().equals("update_article")) {
                update = field.path("args");
            }
        }
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                [{"name": "_append"}, {"name": "_delete_at_path"}, {"name": "_delete_elem"}, {"name": "_delete_key"}, {"name": "_inc"},
                 {"name": "_prepend"}, {"name": "_set"}, {"name": "where"}]"""), update, "the arguments of update_article");
    }

    @Test
    void aUsersInputTypesHoldOnlyTheirColumnsWithoutPresets() {
        var response = user(1).query("""
                { insert: __type(name: "article_insert_input") { inputFields { name } }
                  set: __type(name: "article_set_input") { inputFields { name } }
                  root: __type(name: "mutation_root") { fields { name } } }""");

        assertAnswer("""
                {"data": {"insert": {"inputFields": [{"name": "rating"}, {"name": "tags"}, {"name": "title"}]},
                          "set": {"inputFields": [{"name": "rating"}, {"name": "title"}]},
                          "root": {"fields": [{"name": "delete_article"}, {"name": "delete_article_by_pk"}, {"name": "insert_article"},
                            {"name": "insert_article_one"}, {"name": "update_article"}, {"name": "update_article_by_pk"},
                            {"name": "update_article_many"}]}}}""", response);
    }

    private static <T> List<T> concurrently(int clients, java.util.function.IntFunction<T> work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int client = i;
                futures.add(pool.submit(() -> work.apply(client)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> future : futures) {
                out.add(future.get());
            }
            return out;
        }
    }
}
