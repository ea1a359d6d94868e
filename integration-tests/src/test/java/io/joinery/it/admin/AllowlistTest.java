package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allowlist and per-role introspection, managed through the admin API and enforced on the
 * GraphQL listener of a sidecar started with {@code JOINERY_ENABLE_ALLOWLIST=true}: a role runs only
 * the documents of the collections listed for every role or for it, compared with whitespace and
 * comments normalized; the admin runs anything; roles listed in {@code disabled_for_roles} cannot
 * select {@code __schema} or {@code __type}. An inherited role is named itself, as in Hasura: it
 * neither gets its parents' collections nor loses introspection with them.
 */
class AllowlistTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "author", "permissions": {
                "user": {"select": {"columns": ["id", "name"]}},
                "analyst": {"select": {"columns": ["id", "name"]}}}}]}],
             "inherited_roles": [{"role_name": "lead", "role_set": ["user", "analyst"]}]}""";
    static final String AUTHORS = "query Authors { author(order_by: {id: asc}, limit: 2) { id name } }";
    static final String APP = """
            {"queries": [{"name": "authors", "query": "%s"}, {"name": "typename", "query": "{ __typename }"},
                         {"name": "schema", "query": "query Schema { __schema { queryType { name } } }"}]}""".formatted(AUTHORS);

    static TestDatabase db;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("allowlist").load("/it/schema.sql");
        sidecar = StoreSidecar.start(db.url(), Map.of("JOINERY_ENABLE_ALLOWLIST", "true"));
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar) {
            db.close();
        }
    }

    @BeforeEach
    void noAllowlist() {
        served(sidecar.putDocument(METADATA).expect(200));
    }

    private static void served(Answer write) {
        DriftTest.awaitVersion(sidecar.sidecar(), write.etagVersion());
    }

    private static GraphqlClient as(String role) {
        return sidecar.graphql().withHeaders(Map.of("x-joinery-role", role));
    }

    private static void assertRefused(GraphqlResponse answer, String message) {
        assertEquals("validation-failed", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertEquals(message, answer.errors().path(0).path("message").asText(), answer.toString());
        assertTrue(answer.json().path("data").isMissingNode(), "no data: " + answer);
    }

    private static void assertServed(GraphqlResponse answer) {
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
    }

    @Test
    void onlyListedDocumentsRunForRolesWhileTheAdminRunsAnything() {
        assertRefused(as("user").query(AUTHORS), "query is not allowed");
        assertServed(sidecar.graphql().query("{ author(limit: 1) { id } }"));

        sidecar.put("/admin/v1/query-collections/app", APP).expect(201);
        served(sidecar.put("/admin/v1/allowlist", "[{\"collection\": \"app\"}]").expect(200));

        GraphqlResponse listed = as("user").query("""
                # the same document, written otherwise
                query Authors {
                  author(order_by: {id: asc}, limit: 2) {
                    id, name
                  }
                }""");
        assertServed(listed);
        assertEquals(2, listed.data().path("author").size(), listed.toString());
        assertRefused(as("user").query("query Authors { author(order_by: {id: asc}, limit: 2) { name id } }"), "query is not allowed");
        assertRefused(as("user").query("{ author(order_by: {id: asc}, limit: 2) { id name } }"), "query is not allowed");
        assertRefused(as("stranger").query("{ author { id } }"), "query is not allowed");
        assertServed(as("stranger").query("{ __typename }"));
    }

    @Test
    void aCollectionMayBeListedForSomeRolesOnly() {
        sidecar.put("/admin/v1/query-collections/app", APP).expect(201);
        sidecar.put("/admin/v1/query-collections/reports", "{\"queries\": [{\"name\": \"names\", \"query\": \"query Names { author { name } }\"}]}")
                .expect(201);
        served(sidecar.put("/admin/v1/allowlist", "[{\"collection\": \"app\"}, {\"collection\": \"reports\", \"roles\": [\"analyst\"]}]")
                .expect(200));
        assertServed(as("analyst").query("query Names { author { name } }"));
        assertServed(as("analyst").query(AUTHORS));
        assertRefused(as("user").query("query Names { author { name } }"), "query is not allowed");

        assertEquals("dependents-exist", sidecar.admin("DELETE", "/admin/v1/query-collections/reports", null, Map.of()).expect(409).code());
        served(sidecar.admin("DELETE", "/admin/v1/query-collections/reports?cascade=true", null, Map.of()).expect(200));
        JsonNode allowlist = sidecar.get("/admin/v1/allowlist").expect(200).json();
        assertEquals("[{\"collection\":\"app\"}]", allowlist.toString());
        assertRefused(as("analyst").query("query Names { author { name } }"), "query is not allowed");
    }

    @Test
    void introspectionIsDisabledForTheListedRoles() {
        sidecar.put("/admin/v1/query-collections/app", APP).expect(201);
        sidecar.put("/admin/v1/allowlist", "[{\"collection\": \"app\"}]").expect(200);
        served(sidecar.put("/admin/v1/introspection", "{\"disabled_for_roles\": [\"user\"]}").expect(200));
        assertEquals("{\"disabled_for_roles\":[\"user\"]}", sidecar.get("/admin/v1/introspection").expect(200).json().toString());

        assertRefused(as("user").query("query Schema { __schema { queryType { name } } }"), "introspection is disabled for the role 'user'");
        assertServed(as("user").query("{ __typename }"));
        GraphqlResponse analyst = as("analyst").query("query Schema { __schema { queryType { name } } }");
        assertEquals("query_root", analyst.data().path("__schema").path("queryType").path("name").asText(), analyst.toString());
    }

    @Test
    void badCollectionsAndListsAreRefused() {
        assertEquals("invalid-metadata", sidecar.put("/admin/v1/allowlist", "[{\"collection\": \"nothing\"}]").expect(400).code());
        Answer broken = sidecar.put("/admin/v1/query-collections/app", "{\"queries\": [{\"name\": \"q\", \"query\": \"{ author {\"}]}").expect(400);
        assertTrue(broken.json().path("message").asText().contains("is not a GraphQL document"), broken.toString());
        assertEquals("invalid-metadata", sidecar.put("/admin/v1/introspection", "{\"disabled_for_roles\": [\"a role\"]}").expect(400).code());
        assertEquals("invalid-metadata", sidecar.put("/admin/v1/query-collections/app", "{\"name\": \"other\"}").expect(400).code());
    }

    @Test
    void anInheritedRoleIsListedAndDisabledByItsOwnName() {
        sidecar.put("/admin/v1/query-collections/app", APP).expect(201);
        served(sidecar.put("/admin/v1/allowlist", "[{\"collection\": \"app\", \"roles\": [\"user\"]}]").expect(200));
        assertServed(as("user").query(AUTHORS));
        assertRefused(as("lead").query(AUTHORS), "query is not allowed");
        served(sidecar.put("/admin/v1/allowlist", "[{\"collection\": \"app\", \"roles\": [\"user\", \"lead\"]}]").expect(200));
        assertServed(as("lead").query(AUTHORS));

        served(sidecar.put("/admin/v1/introspection", "{\"disabled_for_roles\": [\"user\"]}").expect(200));
        String schema = "query Schema { __schema { queryType { name } } }";
        assertRefused(as("user").query(schema), "introspection is disabled for the role 'user'");
        assertServed(as("lead").query(schema));
        served(sidecar.put("/admin/v1/introspection", "{\"disabled_for_roles\": [\"lead\"]}").expect(200));
        assertRefused(as("lead").query(schema), "introspection is disabled for the role 'lead'");
        assertServed(as("user").query(schema));
    }
}
