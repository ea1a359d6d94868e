package io.joinery.it;

import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code backend_only} insert, update and delete permissions (Note [Backend-only permissions] in
 * {@code RoleAccess}): their fields exist only for a request with the admin secret and
 * {@code x-joinery-use-backend-only-permissions: true}, as Hasura's with its header; it/metadata-backend-only.yaml.
 */
class BackendOnlyPermissionsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("backend_only", "/it/schema-mutations.sql", "/it/metadata-backend-only.yaml");

    private static final Map<String, String> BACKEND = Map.of("x-joinery-use-backend-only-permissions", "true");

    private static GraphqlClient bot() {
        return served.client().withHeaders(Map.of("x-joinery-role", "bot"));
    }

    /** The field is not in the role's schema: a validation error (the role may have no mutation root at all). */
    private static void assertNotFound(GraphqlClient.GraphqlResponse response) {
        assertEquals("validation-failed", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
        assertTrue(response.json().path("data").isMissingNode(), response.toString());
    }

    @Test
    void backendOnlyFieldsNeedTheHeaderBesideTheAdminSecret() {
        assertNotFound(bot().query("mutation { insert_author(objects: [{id: 3001, name: \"Bot\"}]) { affected_rows } }"));

        var inserted = bot().withHeaders(BACKEND).query("mutation { insert_author(objects: [{id: 3001, name: \"Bot\"}]) { affected_rows } }");
        var updated = bot().withHeaders(BACKEND).query("mutation { update_author_by_pk(pk_columns: {id: 3001}, _inc: {score: 2}) { score } }");
        var deleted = bot().withHeaders(BACKEND).query("mutation { delete_author_by_pk(id: 3001) { name } }");

        JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"insert_author\": {\"affected_rows\": 1}}}"), inserted.json(), "insert");
        JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"update_author_by_pk\": {\"score\": 2}}}"), updated.json(), "update");
        JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"delete_author_by_pk\": {\"name\": \"Bot\"}}}"), deleted.json(), "delete");
    }

    @Test
    void withoutTheHeaderTheRoleHasNoSuchFields() {
        assertNotFound(bot().query("mutation { update_author(where: {}, _inc: {score: 1}) { affected_rows } }"));
        assertNotFound(bot().query("mutation { delete_author(where: {}) { affected_rows } }"));
        assertEquals(3, served.database().queryLong("SELECT count(*) FROM author WHERE id <= 3 AND score = 0"), "nothing changed");
    }

    @Test
    void theHeaderWithoutTheAdminSecretIsIgnored() {
        var anonymous = served.client().without("x-joinery-admin-secret").withHeaders(BACKEND)
                .query("mutation { insert_author(objects: [{name: \"Anon\"}]) { affected_rows } }");

        assertNotFound(anonymous);
        assertEquals(0, served.database().queryLong("SELECT count(*) FROM author WHERE name = 'Anon'"));
    }

    @Test
    void permissionsThatAreNotBackendOnlyServeBothKindsOfRequest() {
        GraphqlClient user = served.client().withHeaders(Map.of("x-joinery-role", "user"));

        assertEquals(1, user.query("mutation { insert_author(objects: [{name: \"Front\"}]) { affected_rows } }")
                .json().path("data").path("insert_author").path("affected_rows").asInt());
        assertEquals(1, user.withHeaders(BACKEND).query("mutation { insert_author(objects: [{name: \"Back\"}]) { affected_rows } }")
                .json().path("data").path("insert_author").path("affected_rows").asInt());
    }

    @Test
    void hasurasHeaderCountsUnderTheMigrationAid() {
        try (TestDatabase db = TestDatabase.create("backend_only_hasura").load("/it/schema-mutations.sql");
             TestSidecar sidecar = TestSidecar.start(db.url(), "/it/metadata-backend-only.yaml", Map.of("JOINERY_ACCEPT_HASURA_SESSION", "true"))) {
            var response = sidecar.client().withHeaders(Map.of("x-hasura-role", "bot", "x-hasura-use-backend-only-permissions", "true"))
                    .query("mutation { insert_author(objects: [{id: 3002, name: \"Hasura bot\"}]) { affected_rows } }");

            JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"insert_author\": {\"affected_rows\": 1}}}"), response.json(), "the answer");
        }
    }
}
