package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift of a remote schema: the remote field a relationship uses disappears underneath; a reload
 * leaves the relationship out and lists it, the rest is served; a write that needs the field is refused.
 */
class RemoteDriftTest {

    private static final String BEFORE = """
            type Query { profile(authorId: Int!): Profile  hello: String }
            type Profile { bio: String }
            """;
    private static final String AFTER = """
            type Query { hello: String }
            type Profile { bio: String }
            """;

    static TestDatabase db;
    static WireMockServer remote;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remotedrift").load("/it/schema.sql");
        remote = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        remote.start();
        introspectionAnswers(BEFORE);
        sidecar = StoreSidecar.start(db.url(), Map.of("DRIFTY_URL", "http://127.0.0.1:" + remote.port() + "/graphql"));
        sidecar.putDocument("""
                {"version": 1,
                 "sources": [{"name": "default", "tables": [
                   {"table": "author", "remote_relationships": {"profile": {"remote_schema": "drifty",
                      "remote_field": {"profile": {"arguments": {"authorId": "$id"}}}}}}]}],
                 "remote_schemas": [{"name": "drifty", "url": {"from_env": "DRIFTY_URL"}}]}
                """).expect(200);
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        remote.stop();
        db.close();
    }

    @Test
    void aRemoteFieldThatDisappearsIsLeftOutAtReloadAndListed() throws Exception {
        awaitFields(List.of("id", "profile"));
        introspectionAnswers(AFTER);
        JsonNode reload = sidecar.post("/admin/v1/reload", "").expect(200).json();
        assertTrue(reload.toString().contains("profile"), "the reload lists the relationship it left out: " + reload);
        assertFalse(fields().contains("profile"), "the relationship is out of the schema");
        JsonNode authors = sidecar.graphql().query("{ author(limit: 2) { id name } }").data().path("author");
        assertEquals(2, authors.size(), "everything else is served");
        JsonNode listed = sidecar.get("/admin/v1/inconsistencies").expect(200).json();
        assertTrue(listed.toString().contains("Query.profile"), "the reason names the missing remote field: " + listed);

        sidecar.put("/admin/v1/sources/default/tables/author/remote-relationships/again", """
                {"remote_schema": "drifty", "remote_field": {"profile": {"arguments": {"authorId": "$id"}}}}
                """).expect(400);
    }

    private static void awaitFields(List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!fields().containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(fields().containsAll(expected), "served before the drift: " + fields());
    }

    private static List<String> fields() {
        JsonNode type = sidecar.graphql().query("{ __type(name: \"author\") { fields { name } } }").data().path("__type");
        List<String> names = new ArrayList<>();
        type.path("fields").forEach(f -> names.add(f.path("name").asText()));
        return names;
    }

    private static void introspectionAnswers(String sdl) {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), RuntimeWiring.newRuntimeWiring().build());
        String body = JsonTrees.write(JsonTrees.tree(GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification()));
        remote.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(body)));
    }
}
