package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.joinery.it.admin.RemoteSchemaPermissionTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS=false}, Hasura's default: every role uses every
 * remote whole, the permissions the metadata holds are not applied (no preset, no hidden field), a
 * table's remote relationship is a role's when it may select the relationship's key columns, and
 * joins back to tables keep the tables' permissions. The other way, the default, is
 * {@link RemoteSchemaPermissionTest}'s; a metadata document written here is the same in both.
 */
class RemoteSchemaPermissionsOffTest {

    static TestDatabase db;
    static TestGraphqlServer remote;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remote_permissions_off").load("/it/schema.sql");
        remote = new TestGraphqlServer();
        sidecar = StoreSidecar.start(db.url(), Map.of("JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS", "false"));
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar; TestGraphqlServer closingRemote = remote) {
            db.close();
        }
    }

    @BeforeEach
    void metadata() throws Exception {
        Map<String, Object> author = Map.of("table", "author",
                "remote_relationships", Map.of("profile", Map.of("remote_schema", "profiles",
                        "remote_field", Map.of("profile", Map.of("arguments", Map.of("authorId", "$id"))))),
                "permissions", Map.of(
                        "user", Map.of("select", Map.of("columns", List.of("id", "name"))),
                        "nokey", Map.of("select", Map.of("columns", List.of("name")))));
        Map<String, Object> article = Map.of("table", "article",
                "permissions", Map.of("user", Map.of("select", Map.of("columns", List.of("id", "author_id"),
                        "filter", Map.of("author_id", Map.of("_eq", "X-Joinery-User-Id"))))));
        // Stored and checked against the remote, but not applied while permissions are off.
        Map<String, Object> permissions = Map.of("user", Map.of("schema", RemoteSchemaPermissionTest.USER_SDL));
        Map<String, Object> profiles = Map.of("name", "profiles", "url", remote.url(),
                "relationships", Map.of("Profile", Map.of("articles", Map.of("array", "article", "on", Map.of("authorId", "author_id")))),
                "permissions", permissions);
        String document = StoreSidecar.JSON.writeValueAsString(Map.of("version", 1,
                "sources", List.of(Map.of("name", "default", "tables", List.of(author, article))),
                "remote_schemas", List.of(profiles)));
        DriftTest.awaitVersion(sidecar.sidecar(), sidecar.putDocument(document).expect(200).etagVersion());
        remote.reset();
    }

    private static GraphqlClient as(String role, int userId) {
        return sidecar.graphql().withHeaders(Map.of("x-joinery-role", role, "x-joinery-user-id", String.valueOf(userId)));
    }

    @Test
    void everyRoleUsesTheWholeRemoteWithoutItsPermissionsPresets() {
        for (String role : List.of("user", "nokey", "made-up-role")) {
            JsonNode profile = ok(as(role, 7).query("{ profile(authorId: 2) { bio followers } }")).path("profile");
            assertEquals("bio of 2", profile.path("bio").asText(), role + ": " + profile);
            assertEquals(20, profile.path("followers").asInt(), role + " reads a field the user's permission leaves out: " + profile);
            assertEquals("Hello, someone", ok(as(role, 7).query("{ hello(name: \"someone\") }")).path("hello").asText(),
                    role + " sends the argument the user's permission presets");
        }
        assertTrue(remote.bodies().stream().noneMatch(body -> body.contains("\\\"7\\\"")), "no preset reached the remote: " + remote.bodies());
    }

    @Test
    void aTablesRemoteRelationshipNeedsOnlyItsKeyColumns() {
        JsonNode authors = ok(as("user", 1).query("{ author(order_by: {id: asc}, limit: 2) { id profile { bio followers } } }")).path("author");
        assertEquals("bio of 1", authors.path(0).path("profile").path("bio").asText(), authors.toString());
        assertEquals(20, authors.path(1).path("profile").path("followers").asInt(), authors.toString());
        GraphqlResponse nokey = as("nokey", 1).query("{ author(limit: 1) { name profile { bio } } }");
        assertEquals("validation-failed", nokey.errors().path(0).path("extensions").path("code").asText(),
                "a role that may not select author.id does not see the relationship keyed by it: " + nokey);
        assertEquals(1, ok(as("nokey", 1).query("{ author(limit: 1) { name } }")).path("author").size());
    }

    @Test
    void joinsFromTheRemoteBackToTablesKeepTheTablesPermissions() {
        JsonNode own = ok(as("user", 1).query("{ profile(authorId: 1) { articles { author_id } } }")).path("profile");
        assertEquals(3, own.path("articles").size(), own.toString());
        JsonNode other = ok(as("user", 1).query("{ profile(authorId: 2) { articles { author_id } } }")).path("profile");
        assertEquals(0, other.path("articles").size(), "rows outside the user's filter stay out: " + other);
        GraphqlResponse hidden = as("nokey", 1).query("{ profile(authorId: 1) { articles { id } } }");
        assertEquals("validation-failed", hidden.errors().path(0).path("extensions").path("code").asText(),
                "a role without a select permission on article does not see the relationship: " + hidden);
    }
}
