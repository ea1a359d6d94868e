package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.admin.StoreSidecar.Answer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote schema permissions (Note [Remote schema permissions]) over real HTTP, a real Postgres and
 * the real test remote (TestGraphqlServer): three roles and the admin × tables × the remote, what
 * each sees and what it cannot reach (no data, no call to the remote), presets from the session
 * and literal, remote joins governed by the same subset, plan-cache isolation between roles and
 * users, and the admin API (a permission that is not a subset is refused).
 */
class RemoteSchemaPermissionTest {

    /** user: profile, its bio and account's handle; hello with its name preset from the session. */
    static final String USER_SDL = """
            type Query {
              profile(authorId: Int!): Profile
              hello(name: String @preset(value: "x-joinery-user-id")): String
            }
            type Profile { authorId: Int! bio: String account: Account }
            type Account { handle: String }
            """;
    /** reader: profiles and followers; profile always of author 1; hello with a literal preset. */
    static final String READER_SDL = """
            type Query {
              profiles(authorIds: [Int!]!): [Profile!]!
              profile(authorId: Int! @preset(value: 1)): Profile
              hello(name: String @preset(value: "literal reader")): String
            }
            type Profile { authorId: Int! followers: Int }
            """;

    /** finder: echoFilter, the filter's owner preset from the session and its range's low bound literal. */
    static final String FINDER_SDL = """
            type Query { echoFilter(filter: ProfileFilter, filters: [ProfileFilter!]): String }
            input ProfileFilter { text: String owner: Int @preset(value: "x-joinery-user-id") range: Range }
            input Range { low: Int @preset(value: 0) high: Int }
            """;

    static TestDatabase db;
    static TestGraphqlServer remote;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remote_permissions").load("/it/schema.sql");
        remote = new TestGraphqlServer();
        sidecar = StoreSidecar.start(db.url());
    }

    @AfterAll
    static void stop() {
        try (StoreSidecar closing = sidecar; TestGraphqlServer closingRemote = remote) {
            db.close();
        }
    }

    @BeforeEach
    void metadata() {
        served(sidecar.putDocument(metadata(Map.of("user", USER_SDL, "reader", READER_SDL))).expect(200));
        remote.reset();
    }

    static String metadata(Map<String, String> permissions) {
        Map<String, Object> remotePermissions = new LinkedHashMap<>();
        permissions.forEach((role, sdl) -> remotePermissions.put(role, Map.of("schema", sdl)));
        Map<String, Object> author = Map.of("table", "author",
                "remote_relationships", Map.of(
                        "profile", Map.of("remote_schema", "profiles",
                                "remote_field", Map.of("profile", Map.of("arguments", Map.of("authorId", "$id")))),
                        "account", Map.of("remote_schema", "profiles",
                                "remote_field", Map.of("profile", Map.of("arguments", Map.of("authorId", "$id"), "field", Map.of("account", Map.of()))))),
                "permissions", Map.of(
                        "user", Map.of("select", Map.of("columns", List.of("id", "name"))),
                        "reader", Map.of("select", Map.of("columns", List.of("id", "name"))),
                        "guest", Map.of("select", Map.of("columns", List.of("id")))));
        Map<String, Object> article = Map.of("table", "article",
                "permissions", Map.of(
                        "user", Map.of("select", Map.of("columns", List.of("id", "author_id", "title"),
                                "filter", Map.of("author_id", Map.of("_eq", "X-Joinery-User-Id")))),
                        "reader", Map.of("select", Map.of("columns", List.of("id", "author_id")))));
        Map<String, Object> profiles = Map.of("name", "profiles", "url", remote.url(),
                "relationships", Map.of("Profile", Map.of(
                        "author", Map.of("object", "author", "on", Map.of("authorId", "id")),
                        "articles", Map.of("array", "article", "on", Map.of("authorId", "author_id")))),
                "permissions", remotePermissions);
        Map<String, Object> document = Map.of("version", 1,
                "sources", List.of(Map.of("name", "default", "tables", List.of(author, article))),
                "remote_schemas", List.of(profiles));
        try {
            return StoreSidecar.JSON.writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void served(Answer write) {
        DriftTest.awaitVersion(sidecar.sidecar(), write.etagVersion());
    }

    private static GraphqlClient as(String role) {
        return sidecar.graphql().withHeaders(Map.of("x-joinery-role", role));
    }

    private static GraphqlClient as(String role, int userId) {
        return sidecar.graphql().withHeaders(Map.of("x-joinery-role", role, "x-joinery-user-id", String.valueOf(userId)));
    }

    static JsonNode ok(GraphqlResponse answer) {
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
        return answer.data();
    }

    /** Refused before anything runs: an error, no data, and no request to the remote. */
    private static void refused(GraphqlResponse answer, String code, String messagePart) {
        assertEquals(code, answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertTrue(answer.errors().path(0).path("message").asText().contains(messagePart), messagePart + " in " + answer);
        assertTrue(answer.json().path("data").isMissingNode() || answer.json().path("data").isNull(), "no data: " + answer);
        assertEquals(0, remote.requests(), "the remote got no request: " + remote.bodies());
    }

    private static Set<String> fields(GraphqlClient client, String type) {
        JsonNode fields = ok(client.query("{ __type(name: \"" + type + "\") { fields { name args { name } } } }")).path("__type").path("fields");
        Set<String> names = new TreeSet<>();
        fields.forEach(f -> {
            List<String> args = new ArrayList<>();
            f.path("args").forEach(a -> args.add(a.path("name").asText()));
            names.add(f.path("name").asText() + (args.isEmpty() ? "" : args.toString()));
        });
        return names;
    }

    // ---- the matrix: what each role sees

    @Test
    void eachRoleSeesItsPartOfTheRemoteAndNothingElse() {
        Set<String> adminRoot = fields(sidecar.graphql(), "query_root");
        assertTrue(adminRoot.containsAll(Set.of("profile[authorId]", "profiles[authorIds]", "hello[name]", "failing", "echoHeader[name]")), adminRoot.toString());
        Set<String> userRoot = fields(as("user", 1), "query_root");
        assertTrue(userRoot.contains("profile[authorId]") && userRoot.contains("hello"), "hello without its preset argument: " + userRoot);
        assertFalse(userRoot.stream().anyMatch(f -> f.startsWith("profiles") || f.startsWith("failing") || f.startsWith("echoHeader")), userRoot.toString());
        Set<String> readerRoot = fields(as("reader"), "query_root");
        assertTrue(readerRoot.containsAll(Set.of("profiles[authorIds]", "profile", "hello")), readerRoot.toString());
        assertFalse(readerRoot.stream().anyMatch(f -> f.startsWith("failing") || f.startsWith("echoHeader")), readerRoot.toString());

        assertEquals(Set.of("account", "articles[distinct_on, limit, offset, order_by, where]", "author", "authorId", "bio"),
                fields(as("user", 1), "Profile"), "user's Profile: its fields and the relationships it can follow");
        assertEquals(Set.of("articles[distinct_on, limit, offset, order_by, where]", "author", "authorId", "followers"),
                fields(as("reader"), "Profile"));
        assertEquals(Set.of("handle"), fields(as("user", 1), "Account"), "no level");
        assertTrue(ok(as("reader").query("{ __type(name: \"Account\") { name } }")).path("__type").isNull(), "reader has no Account");

        for (String role : List.of("guest", "made-up-role")) {
            JsonNode nothing = ok(as(role).query("{ profile: __type(name: \"Profile\") { name } level: __type(name: \"Level\") { name } }"));
            assertTrue(nothing.path("profile").isNull() && nothing.path("level").isNull(), role + " sees no type of the remote: " + nothing);
            assertFalse(fields(as(role), "query_root").stream().anyMatch(f -> f.startsWith("profile") || f.startsWith("hello")), role);
        }
        assertEquals(0, remote.requests(), "introspection asks the remote nothing");
    }

    @Test
    void aRoleWithoutPermissionReachesNoRemoteField() {
        refused(as("guest").query("{ hello }"), "validation-failed", "hello");
        refused(as("made-up-role").query("{ profile(authorId: 1) { bio } }"), "validation-failed", "profile");
        refused(as("guest").query("{ author(limit: 1) { id profile { bio } } }"), "validation-failed", "profile");
        assertEquals(1, ok(as("guest").query("{ author(limit: 1) { id } }")).path("author").size(), "its tables still answer");
    }

    @Test
    void hiddenFieldsAndArgumentsAreRefusedWithoutCallingTheRemote() {
        refused(as("user", 1).query("{ profile(authorId: 1) { followers } }"), "validation-failed", "followers");
        refused(as("user", 1).query("{ profile(authorId: 1) { account { level } } }"), "validation-failed", "level");
        refused(as("user", 1).query("{ profiles(authorIds: [1]) { bio } }"), "validation-failed", "profiles");
        refused(as("user", 1).query("{ hello(name: \"someone else\") }"), "validation-failed", "name");
        refused(as("reader").query("{ profile(authorId: 2) { followers } }"), "validation-failed", "authorId");
        refused(as("reader").query("{ profiles(authorIds: [1]) { bio } }"), "validation-failed", "bio");
        refused(as("user", 1).query("query { profile(authorId: 1) { ...F } } fragment F on Profile { tags }"), "validation-failed", "tags");
    }

    // ---- presets

    @Test
    void presetsComeFromTheSessionOrTheLiteralAndTheRemoteReceivesThem() {
        assertEquals("Hello, 7", ok(as("user", 7).query("{ hello }")).path("hello").asText());
        assertTrue(remote.bodies().getLast().contains("hello(name:\\\"7\\\")"), remote.bodies().toString());
        assertEquals("Hello, literal reader", ok(as("reader").query("{ hello }")).path("hello").asText());
        JsonNode profile = ok(as("reader").query("{ p: profile { authorId followers } }")).path("p");
        assertEquals(1, profile.path("authorId").asInt(), "the literal preset picks author 1: " + profile);
        assertEquals(10, profile.path("followers").asInt());
    }

    @Test
    void presetsReachFieldsInsideNamedFragments() {
        JsonNode data = ok(as("user", 5).query("query { ...Root } fragment Root on query_root { greeting: hello }"));
        assertEquals("Hello, 5", data.path("greeting").asText(), data.toString());
    }

    @Test
    void aMissingSessionVariableIsAnErrorWithoutACall() {
        refused(as("user").query("{ hello }"), "not-found", "missing session variable: \"x-joinery-user-id\"");
        assertEquals(1, ok(as("user").query("{ author(limit: 1) { id } }")).path("author").size(), "queries without the preset run");
    }

    @Test
    void theSameQueryTextUnderTwoRolesAndTwoUsersKeepsEachItsOwnPlan() {
        String query = "{ hello }";
        for (int round = 0; round < 2; round++) {
            assertEquals("Hello, 7", ok(as("user", 7).query(query)).path("hello").asText());
            assertEquals("Hello, 8", ok(as("user", 8).query(query)).path("hello").asText());
            assertEquals("Hello, literal reader", ok(as("reader").query(query)).path("hello").asText());
            assertEquals("Hello, world", ok(sidecar.graphql().query(query)).path("hello").asText(), "the admin sends no preset");
            GraphqlResponse guest = as("guest").query(query);
            assertEquals("validation-failed", guest.errors().path(0).path("extensions").path("code").asText(), guest.toString());
        }
    }

    // ---- remote joins

    @Test
    void aRemoteRelationshipIsSeenOnlyByRolesThatReachItsTarget() {
        JsonNode authors = ok(as("user", 1).query("{ author(order_by: {id: asc}, limit: 2) { id profile { bio } account { handle } } }")).path("author");
        assertEquals("bio of 1", authors.path(0).path("profile").path("bio").asText(), authors.toString());
        assertEquals("bio of 2", authors.path(1).path("profile").path("bio").asText(), authors.toString());
        assertTrue(authors.path(0).has("account"), authors.toString());
        remote.reset();
        // reader's profile has a preset on authorId, which the relationship would override: not reachable.
        refused(as("reader").query("{ author(limit: 1) { profile { authorId } } }"), "validation-failed", "profile");
        refused(as("reader").query("{ author(limit: 1) { account { handle } } }"), "validation-failed", "account");
    }

    @Test
    void aHiddenRemoteFieldIsRefusedThroughARemoteRelationship() {
        refused(as("user", 1).query("{ author(limit: 1) { profile { followers } } }"), "validation-failed", "followers");
        refused(as("user", 1).query("{ author(limit: 1) { account { level } } }"), "validation-failed", "level");
        refused(as("user", 1).query("{ author(limit: 1) { profile { ... on Profile { tags } } } }"), "validation-failed", "tags");
    }

    @Test
    void remoteToTableJoinsKeepTheTablesPermissions() {
        JsonNode own = ok(as("user", 1).query("{ profile(authorId: 1) { articles(order_by: {id: asc}) { id author_id } author { id name } } }"))
                .path("profile");
        assertEquals(3, own.path("articles").size(), own.toString());
        own.path("articles").forEach(article -> assertEquals(1, article.path("author_id").asInt(), own.toString()));
        JsonNode other = ok(as("user", 1).query("{ profile(authorId: 2) { articles { id title } } }")).path("profile");
        assertEquals(0, other.path("articles").size(), "rows outside the filter stay out through the remote: " + other);
        remote.reset();
        refused(as("user", 1).query("{ profile(authorId: 1) { author { email } } }"), "validation-failed", "email");
        refused(as("reader").query("{ profiles(authorIds: [1]) { articles { title } } }"), "validation-failed", "title");
    }

    // ---- the admin API

    @Test
    void permissionsAreManagedThroughTheAdminApiAndCheckedAgainstTheRemote() {
        assertEquals(Set.of("reader", "user"), iterator(sidecar.get("/admin/v1/remote-schemas/profiles/permissions").expect(200).json()));
        assertEquals(USER_SDL, sidecar.get("/admin/v1/remote-schemas/profiles/permissions/user").expect(200).json().path("schema").asText());

        Answer notASubset = sidecar.put("/admin/v1/remote-schemas/profiles/permissions/guest",
                "{\"schema\": \"type Query { profile(authorId: Int!): Profile } type Profile { authorId: Int! secret: String }\"}").expect(400);
        assertTrue(notASubset.text().contains("the remote has no field Profile.secret"), notASubset.text());
        Answer wrongType = sidecar.put("/admin/v1/remote-schemas/profiles/permissions/guest",
                "{\"schema\": \"type Query { profile(authorId: String!): Profile } type Profile { bio: String }\"}").expect(400);
        assertTrue(wrongType.text().contains("Query.profile(authorId) has the type Int! in the remote, not String!"), wrongType.text());
        Answer requiredLeftOut = sidecar.put("/admin/v1/remote-schemas/profiles/permissions/guest",
                "{\"schema\": \"type Query { profile: Profile } type Profile { bio: String }\"}").expect(400);
        assertTrue(requiredLeftOut.text().contains("requires the argument Query.profile(authorId)"), requiredLeftOut.text());

        served(sidecar.put("/admin/v1/remote-schemas/profiles/permissions/guest",
                "{\"schema\": \"type Query { hello(name: String): String }\"}").expect(201));
        assertEquals("Hello, guest", ok(as("guest").query("{ hello(name: \"guest\") }")).path("hello").asText());
        served(sidecar.admin("DELETE", "/admin/v1/remote-schemas/profiles/permissions/guest", null, Map.of()).expect(200));
        remote.reset();
        refused(as("guest").query("{ hello }"), "validation-failed", "hello");
        sidecar.get("/admin/v1/remote-schemas/profiles/permissions/guest").expect(404);
    }

    private static Set<String> iterator(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void presetInputFieldsGoIntoEveryValueOfTheirTypeLiteralOrVariable() {
        served(sidecar.putDocument(metadata(Map.of("user", USER_SDL, "finder", FINDER_SDL))).expect(200));
        assertEquals("{\"filter\":{\"owner\":7,\"range\":{\"high\":5,\"low\":0},\"text\":\"a\"}}",
                ok(as("finder", 7).query("{ echoFilter(filter: {text: \"a\", range: {high: 5}}) }")).path("echoFilter").asText());
        assertEquals("{\"filters\":[{\"owner\":7,\"text\":\"x\"},{\"owner\":7,\"range\":{\"high\":1,\"low\":0}}]}",
                ok(as("finder", 7).query("{ echoFilter(filters: [{text: \"x\"}, {range: {high: 1}}]) }")).path("echoFilter").asText(),
                "in each item of a list");
        String byVariable = "query Find($f: ProfileFilter) { echoFilter(filter: $f) }";
        for (int user : List.of(8, 9)) {
            assertEquals("{\"filter\":{\"owner\":" + user + ",\"text\":\"b\"}}", ok(as("finder", user).query(byVariable,
                    Map.of("f", Map.of("text", "b")))).path("echoFilter").asText(), "a variable's value, for each user under one text");
        }
        assertEquals("{}", ok(as("finder", 7).query("{ echoFilter }")).path("echoFilter").asText(), "no argument, no object to preset");
        assertEquals("[{\"name\":\"range\"},{\"name\":\"text\"}]", ok(as("finder", 7).query(
                "{ __type(name: \"ProfileFilter\") { inputFields { name } } }")).path("__type").path("inputFields").toString(),
                "the role's input type has no preset field");

        remote.reset();
        refused(as("finder", 7).query("{ echoFilter(filter: {owner: 1}) }"), "validation-failed", "owner");
        refused(as("finder", 7).query(byVariable, Map.of("f", Map.of("owner", 1))), "validation-failed", "owner");

        Answer empty = sidecar.put("/admin/v1/remote-schemas/profiles/permissions/finder",
                "{\"schema\": \"type Query { echoFilter(filter: ProfileFilter): String } input ProfileFilter { owner: Int @preset(value: 1) }\"}")
                .expect(400);
        assertTrue(empty.text().contains("every field of the input type ProfileFilter is preset"), empty.text());
    }
}
