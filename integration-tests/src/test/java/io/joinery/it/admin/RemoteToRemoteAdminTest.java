package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JoinedRemoteServer;
import io.joinery.it.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote schema → remote schema relationships through the admin API, against two real remote
 * servers: a consistent one is written and served; one whose parent field, target field or
 * argument type does not resolve, or whose remote is not declared, is refused with 400 and the
 * problem; deleting the remote schema it joins to is refused with 409 naming it, and cascades.
 */
class RemoteToRemoteAdminTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [{"table": "author"}]}],
             "remote_schemas": [
               {"name": "profiles", "url": {"from_env": "PROFILES_URL"}, "relationships": {"Profile": {
                  "author": {"object": "author", "on": {"authorId": "id"}},
                  "account": {"remote_schema": "accounts", "remote_field": {"account": {"arguments": {"id": "$accountId"}}}}}}},
               {"name": "accounts", "url": {"from_env": "ACCOUNTS_URL"}}]}
            """;

    static TestDatabase db;
    static JoinedRemoteServer profiles;
    static JoinedRemoteServer accounts;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remoteremoteadmin").load("/it/schema.sql");
        profiles = JoinedRemoteServer.profiles();
        accounts = JoinedRemoteServer.accounts();
        sidecar = StoreSidecar.start(db.url(), Map.of("PROFILES_URL", profiles.url(), "ACCOUNTS_URL", accounts.url()));
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } finally {
            accounts.close();
            profiles.close();
            db.close();
        }
    }

    @BeforeEach
    void consistentMetadata() {
        long version = sidecar.putDocument(METADATA).expect(200).json().path("resource_version").asLong();
        DriftTest.awaitVersion(sidecar.sidecar(), version);
    }

    @Test
    void aConsistentRelationshipIsWrittenAndServed() {
        JsonNode profile = sidecar.graphql().query("{ profile(authorId: 3) { bio account { id name } } }").data().path("profile");
        assertEquals("account 4", profile.path("account").path("name").asText(), profile.toString());
        JsonNode stored = sidecar.get("/admin/v1/remote-schemas/profiles").expect(200).json();
        assertEquals("accounts", stored.path("relationships").path("Profile").path("account").path("remote_schema").asText(), stored.toString());
        assertEquals("author", stored.path("relationships").path("Profile").path("author").path("object").asText(), stored.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            an unknown parent field        | {"remote_schema": "accounts", "remote_field": {"account": {"arguments": {"id": "$nope"}}}}  | remote schema 'profiles', type Profile, relationship account: argument id uses $nope, which is not a field of type Profile
            a parent field that is a list  | {"remote_schema": "accounts", "remote_field": {"account": {"arguments": {"id": "$tags"}}}}  | argument id uses $tags, which is not a scalar field of type Profile without required arguments (it is [String!]!)
            an unknown target field        | {"remote_schema": "accounts", "remote_field": {"acount": {"arguments": {"id": "$accountId"}}}} | remote schema 'profiles', type Profile, relationship account: uses field Query.acount of remote schema 'accounts', which does not exist
            a wrong argument type          | {"remote_schema": "accounts", "remote_field": {"account": {"arguments": {"id": "$handle"}}}} | argument id of account: $handle: remote type Int does not compare with field type String
            a batch key of the wrong type  | {"remote_schema": "accounts", "batch": {"field": "accounts", "arguments": {"ids": "$handle"}, "key": {"id": "handle"}}} | argument accounts(ids) gets the list of the keys' $handle values, but remote type Int does not compare with field type String
            a federation key that is none  | {"remote_schema": "accounts", "federation": {"type": "Account", "key": {"ownerId": "authorId"}}} | the key [ownerId] is none of the resolvable @keys of Account
            an undeclared remote schema    | {"remote_schema": "nowhere", "remote_field": {"account": {"arguments": {"id": "$accountId"}}}} | remote schema profiles, relationship Profile.account: remote schema nowhere: the remote schema is not declared
            """)
    void anInconsistentRelationshipIsRefusedWithItsProblem(String what, String relationship, String problem) {
        String body = """
                {"url": {"from_env": "PROFILES_URL"}, "relationships": {"Profile": {"account": %s}}}""".formatted(relationship);
        StoreSidecar.Answer answer = sidecar.put("/admin/v1/remote-schemas/profiles", body).expect(400);
        assertEquals("inconsistent-metadata", answer.code(), answer.toString());
        List<String> messages = messages(answer.json().path("problems"));
        assertTrue(messages.stream().anyMatch(message -> message.contains(problem)), what + ": " + messages);
        assertTrue(sidecar.get("/admin/v1/remote-schemas/profiles").expect(200).json().path("relationships").path("Profile").has("author"),
                "nothing was written");
    }

    @Test
    void deletingTheRemoteSchemaAJoinTargetsIsRefusedUnlessItCascades() {
        StoreSidecar.Answer refused = sidecar.admin("DELETE", "/admin/v1/remote-schemas/accounts", null, Map.of()).expect(409);
        assertEquals("dependents-exist", refused.code(), refused.toString());
        assertEquals("[\"remote schema profiles, relationship Profile.account\"]", refused.json().path("dependents").toString());

        JsonNode deleted = sidecar.admin("DELETE", "/admin/v1/remote-schemas/accounts?cascade=true", null, Map.of()).expect(200).json();
        assertEquals("remote schema accounts", deleted.path("deleted").asText());
        assertEquals("[\"remote schema profiles, relationship Profile.account\"]", deleted.path("cascaded").toString());
        JsonNode left = sidecar.get("/admin/v1/remote-schemas/profiles").expect(200).json().path("relationships").path("Profile");
        assertFalse(left.has("account"), left.toString());
        assertTrue(left.has("author"), "the type's other relationship stays: " + left);
    }

    @Test
    void aRemoteSchemasOwnJoinToItselfGoesWithIt() {
        sidecar.put("/admin/v1/remote-schemas/profiles", """
                {"url": {"from_env": "PROFILES_URL"}, "relationships": {"Profile": {
                   "buddy": {"remote_schema": "profiles", "remote_field": {"profile": {"arguments": {"authorId": "$accountId"}}}}}}}
                """).expect(200);
        JsonNode deleted = sidecar.admin("DELETE", "/admin/v1/remote-schemas/profiles", null, Map.of()).expect(200).json();
        assertEquals("[]", deleted.path("cascaded").toString(), "its own relationships are not dependents: " + deleted);
    }

    private static List<String> messages(JsonNode problems) {
        List<String> messages = new ArrayList<>();
        problems.forEach(problem -> messages.add(problem.path("object").asText() + ": " + problem.path("dependency").asText() + ": "
                + problem.path("reason").asText()));
        return messages;
    }
}
