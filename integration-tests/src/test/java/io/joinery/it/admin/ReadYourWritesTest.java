package io.joinery.it.admin;

import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Read-your-writes on one sidecar: once the admin API acknowledges a change, the GraphQL listener of
 * the same sidecar serves it — the very next query, with no sleep and no retry. (Other sidecars of
 * the fleet follow through NOTIFY; {@code FleetTest} times that.)
 */
class ReadYourWritesTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}, {"table": "article"}]}]}
            """;
    static final String ARTICLES = "{\"array\": \"article\", \"on\": {\"id\": \"author_id\"}}";
    static final String FIRST_TWO = "{\"author\":[{\"%s\":[{\"id\":9},{\"id\":18}]}]}";
    static final int ROUNDS = 20;

    static TestDatabase db;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("read_your_writes").load("/it/schema.sql");
        sidecar = StoreSidecar.start(db.url());
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar) {
            db.close();
        }
    }

    @BeforeEach
    void twoTables() {
        long version = sidecar.putDocument(METADATA).expect(200).etagVersion();
        DriftTest.awaitVersion(sidecar.sidecar(), version);
    }

    @Test
    void everyQueryRightAfterAPutOfARelationshipSeesIt() {
        List<String> missed = new ArrayList<>();
        List<Long> writeMillis = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "articles_" + round;
            long sent = System.nanoTime();
            sidecar.put("/admin/v1/sources/default/tables/author/relationships/" + name, ARTICLES).expect(201);
            writeMillis.add((System.nanoTime() - sent) / 1_000_000);
            GraphqlResponse answer = sidecar.graphql().query(articlesOf(name));
            if (!FIRST_TWO.formatted(name).equals(answer.data().toString())) {
                missed.add(name + ": " + answer);
            }
        }
        System.out.println("PUT of a relationship, answered once served (ms): " + writeMillis.stream().sorted().toList());
        assertEquals(List.of(), missed, (ROUNDS - missed.size()) + " of " + ROUNDS + " queries right after the PUT saw the relationship");
    }

    @Test
    void everyQueryRightAfterADeleteMissesTheField() {
        List<String> missed = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String path = "/admin/v1/sources/default/tables/author/relationships/gone_" + round;
            sidecar.put(path, ARTICLES).expect(201);
            sidecar.admin("DELETE", path, null, java.util.Map.of()).expect(200);
            GraphqlResponse answer = sidecar.graphql().query(articlesOf("gone_" + round));
            String code = answer.errors().path(0).path("extensions").path("code").asText();
            if (!"validation-failed".equals(code) || !answer.errors().path(0).path("message").asText().contains("gone_" + round)) {
                missed.add("gone_" + round + ": " + answer);
            }
        }
        assertEquals(List.of(), missed, (ROUNDS - missed.size()) + " of " + ROUNDS + " queries right after the DELETE missed the field");
    }

    @Test
    void everyQueryRightAfterAnImportSeesIt() {
        List<String> missed = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String name = "imported_" + round;
            Answer imported = importWithRelationship(name);
            imported.expect(200);
            GraphqlResponse answer = sidecar.graphql().query(articlesOf(name));
            if (!FIRST_TWO.formatted(name).equals(answer.data().toString())) {
                missed.add(name + ": " + answer);
            }
        }
        assertEquals(List.of(), missed, (ROUNDS - missed.size()) + " of " + ROUNDS + " queries right after the import saw the relationship");
    }

    /** A Hasura export of author and article with one array relationship {@code name}, imported over the current version. */
    static Answer importWithRelationship(String name) {
        String export = """
                {"version": 3, "sources": [{"name": "default", "kind": "postgres", "tables": [
                  {"table": {"schema": "public", "name": "author"}, "array_relationships": [{"name": "%s",
                    "using": {"manual_configuration": {"remote_table": {"schema": "public", "name": "article"},
                              "column_mapping": {"id": "author_id"}}}}]},
                  {"table": {"schema": "public", "name": "article"}}]}]}
                """.formatted(name);
        String etag = sidecar.get("/admin/v1/metadata").expect(200).etag();
        return sidecar.admin("POST", "/admin/v1/metadata/import/hasura", export, java.util.Map.of("If-Match", etag));
    }

    static String articlesOf(String relationship) {
        return "{ author(where: {id: {_eq: 1}}) { " + relationship + "(order_by: {id: asc}, limit: 2) { id } } }";
    }
}
