package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v1/graphql/explain}, Hasura's format: per database root field its SQL and Postgres' plan; admins only. */
class ExplainTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("explain", "/it/schema.sql", "/it/metadata.yaml");

    private static GraphqlClient explain() {
        return new GraphqlClient(served.sidecar().graphqlUri("/v1/graphql/explain"), Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET));
    }

    @Test
    void explainsEachDatabaseRootField() {
        GraphqlClient.GraphqlResponse answer = explain().post(JsonTrees.parse("""
                {"query": {"query": "{ author(limit: 1) { id articles { id } } n: article_aggregate { aggregate { count } } __typename }"}}"""));

        assertEquals(200, answer.status(), answer.toString());
        JsonNode fields = answer.json();
        assertEquals(2, fields.size(), answer.toString());
        assertEquals("author", fields.get(0).path("field").asText(), answer.toString());
        assertEquals("n", fields.get(1).path("field").asText(), answer.toString());
        for (JsonNode field : fields) {
            assertTrue(field.path("sql").asText().startsWith("SELECT "), field.toString());
            assertTrue(field.path("plan").isArray() && !field.path("plan").isEmpty(), field.toString());
        }
        assertTrue(fields.get(0).path("sql").asText().contains("\"public\".\"article\""), "the relationship is in the root field's SQL");
    }

    @Test
    void explainsForARoleWithItsPermissionFilter() {
        JsonNode fields = explain().post(JsonTrees.parse("""
                {"query": {"query": "{ article { id } }"}, "user": {"x-joinery-role": "anonymous"}}""")).json();

        String sql = fields.get(0).path("sql").asText();
        assertTrue(sql.contains("\"published\""), "the anonymous role's filter in " + sql);
        assertTrue(sql.contains("LIMIT"), "the anonymous role's limit in " + sql);
    }

    @Test
    void refusesCallersWithoutTheAdminSecret() {
        GraphqlClient.GraphqlResponse answer = explain().without("x-joinery-admin-secret")
                .post(JsonTrees.parse("{\"query\": {\"query\": \"{ author { id } }\"}}"));

        assertEquals(401, answer.status(), answer.toString());
        assertEquals("access-denied", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
    }
}
