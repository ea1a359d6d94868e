package io.joinery.it.admin;

import com.github.tomakehurst.wiremock.WireMockServer;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            sidecar.admin("DELETE", path, null, Map.of()).expect(200);
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

    /**
     * A sidecar whose schema builds take longer than its bound (a remote schema answering
     * introspection after 1.5 s, a bound of 300 ms): the write is committed and answered 202
     * {@code not-yet-served} with its version, and served when the build ends.
     */
    @Test
    void aWriteNotServedWithinTheBoundIs202NotYetServedAndServedWhenTheBuildEnds() {
        WireMockServer remote = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        remote.start();
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("type Query { hello: String }"),
                RuntimeWiring.newRuntimeWiring().build());
        String introspection = JsonTrees.write(JsonTrees.tree(GraphQL.newGraphQL(schema).build()
                .execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification()));
        remote.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(introspection).withFixedDelay(1_500)));
        try (TestDatabase own = TestDatabase.create("slow_serve").load("/it/schema.sql");
             StoreSidecar slow = StoreSidecar.start(own.url(), Map.of("JOINERY_ADMIN_SERVE_TIMEOUT_MS", "300",
                     "SLOW_URL", "http://127.0.0.1:" + remote.port() + "/graphql"))) {
            long version = slow.putDocument("""
                    {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}, {"table": "article"}]}],
                     "remote_schemas": [{"name": "slow", "url": {"from_env": "SLOW_URL"}}]}
                    """).etagVersion();
            DriftTest.awaitVersion(slow.sidecar(), version);

            Answer put = slow.put("/admin/v1/sources/default/tables/author/relationships/late", ARTICLES);
            assertEquals(202, put.status(), put.toString());
            assertEquals("not-yet-served", put.code(), put.toString());
            assertEquals(version + 1, put.json().path("resource_version").asLong(), put.toString());
            assertEquals(version + 1, put.etagVersion(), "the ETag names the committed version");
            assertTrue(put.json().path("message").asText().contains("committed"), put.toString());
            assertTrue(slow.get("/admin/v1/sources/default/tables/author/relationships/late").status() == 200, "the write is stored");

            DriftTest.awaitVersion(slow.sidecar(), version + 1);
            GraphqlResponse answer = slow.graphql().query(articlesOf("late"));
            assertEquals(FIRST_TWO.formatted("late"), answer.data().toString(), answer.toString());
        } finally {
            remote.stop();
        }
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
        return sidecar.admin("POST", "/admin/v1/metadata/import/hasura", export, Map.of("If-Match", etag));
    }

    static String articlesOf(String relationship) {
        return "{ author(where: {id: {_eq: 1}}) { " + relationship + "(order_by: {id: asc}, limit: 2) { id } } }";
    }
}
