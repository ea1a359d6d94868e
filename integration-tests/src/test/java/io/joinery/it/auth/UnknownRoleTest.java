package io.joinery.it.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import io.joinery.proxy.engine.EngineState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Roles the metadata does not know (Note [Unknown roles]): each sees the schema of a role without
 * permissions (here, with no remote schema, the empty one), and a
 * hundred of them build no schema, no plan cache entry and no metric series of their own.
 */
class UnknownRoleTest {

    private static TestDatabase db;
    private static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("unknown_roles").load("/it/schema.sql");
        sidecar = TestSidecar.start(db.url(), "/it/metadata.yaml");
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar closingSidecar = sidecar) {
            // the sidecar closes first, then the database
        }
    }

    private static GraphqlResponse as(String role, String query) {
        return sidecar.client().withHeaders(Map.of("x-joinery-role", role)).query(query);
    }

    @Test
    void anUnknownRoleSeesTheEmptySchema() {
        GraphqlResponse fields = as("stranger", "{ __schema { queryType { fields { name } } } }");
        assertEquals("[{\"name\":\"no_queries_available\"}]", fields.data().path("__schema").path("queryType").path("fields").toString(), fields.toString());
        GraphqlResponse article = as("stranger", "{ article { id } }");
        assertEquals("validation-failed", article.errors().path(0).path("extensions").path("code").asText(), article.toString());
        assertTrue(article.json().path("data").isMissingNode(), article.toString());
        GraphqlResponse known = as("user", "{ author(limit: 1) { id } }");
        assertEquals(1, known.data().path("author").size(), "a role of the metadata keeps its schema: " + known);
    }

    @Test
    void manyUnknownRolesCostNothingOfTheirOwn() throws IOException, InterruptedException {
        EngineState state = sidecar.sidecar().engine().state();
        as("user", "{ __typename }");
        int schemas = state.builtRoleSchemas();
        long operations = state.cachedOperations();
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            roles.add("made-up-" + i);
        }
        for (String role : roles) {
            JsonNode data = as(role, "{ __typename }").data();
            assertEquals("query_root", data.path("__typename").asText(), role + ": " + data);
        }
        assertEquals(schemas, state.builtRoleSchemas(), "no schema per unknown role");
        assertTrue(state.cachedOperations() <= operations + 1, "one plan cache entry for all unknown roles: "
                + operations + " -> " + state.cachedOperations());
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sidecar.adminUri("/metrics"))
                .header("X-Joinery-Admin-Secret", TestSidecar.ADMIN_SECRET).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("role=\"unknown\""), "unknown roles are counted under one tag");
        assertFalse(metrics.contains("made-up-"), "no metric series per unknown role");
    }
}
