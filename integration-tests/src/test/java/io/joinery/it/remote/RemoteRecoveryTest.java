package io.joinery.it.remote;

import com.github.tomakehurst.wiremock.WireMockServer;
import graphql.GraphQL;
import graphql.introspection.IntrospectionQuery;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A remote schema that is down when the sidecar starts is served once it answers, without a reload. */
class RemoteRecoveryTest {

    @Test
    void aRemoteDownAtStartIsServedWhenItComesBack() throws Exception {
        WireMockServer remote = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        remote.start();
        remote.stubFor(post(urlEqualTo("/graphql")).willReturn(aResponse().withStatus(503)));
        try (TestDatabase db = TestDatabase.create("recovery").load("/it/schema.sql")
                .execute("CREATE TABLE person (id integer PRIMARY KEY);");
             TestSidecar sidecar = TestSidecar.start(db.url(), "/it/metadata-remote.yaml", Map.of(
                     "PROFILES_URL", "http://127.0.0.1:9/graphql", "PROFILES_KEY", "k",
                     "FAULTY_URL", "http://127.0.0.1:" + remote.port() + "/graphql"))) {
            String probe = "{ __type(name: \"FaultyProfile\") { name } }";
            assertTrue(sidecar.client().query(probe).data().path("__type").isNull(), "not served while down");
            remote.stubFor(post(urlEqualTo("/graphql")).withRequestBody(containing("__schema"))
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(introspection())));
            long deadline = System.nanoTime() + 20_000_000_000L;
            boolean served = false;
            while (!served && System.nanoTime() < deadline) {
                Thread.sleep(250);
                served = !sidecar.client().query(probe).data().path("__type").isNull();
            }
            assertTrue(served, "the remote's types appear once it answers introspection");
            assertTrue(sidecar.client().query("{ author(limit: 1) { id } }").data().path("author").size() == 1, "tables served all along");
        } finally {
            remote.stop();
        }
    }

    private static String introspection() {
        var schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
                type Query { faultyProfile(authorId: Int!): FaultyProfile }
                type FaultyProfile { bio: String }
                """), RuntimeWiring.newRuntimeWiring().build());
        return JsonTrees.write(JsonTrees.tree(GraphQL.newGraphQL(schema).build().execute(IntrospectionQuery.INTROSPECTION_QUERY).toSpecification()));
    }
}
