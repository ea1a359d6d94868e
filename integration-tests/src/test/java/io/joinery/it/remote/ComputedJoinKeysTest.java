package io.joinery.it.remote;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote relationship keyed by a scalar computed field (Hasura's {@code hasura_fields} naming one, its
 * {@code remote_join_with_computed_field} cases): the function's value per row is the key, computed in the
 * rows' one statement (with the request's session when the function takes it), and the join is one call.
 */
class ComputedJoinKeysTest {

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("computed_keys").execute("""
                CREATE TABLE writer (id int PRIMARY KEY, bonus int NOT NULL);
                INSERT INTO writer VALUES (1, 10), (2, 20);
                CREATE FUNCTION writer_profile_id(w writer) RETURNS int STABLE LANGUAGE sql AS $$ SELECT w.id + w.bonus $$;
                CREATE FUNCTION writer_profile_id_session(w writer, hasura_session json) RETURNS int STABLE LANGUAGE sql AS
                  $$ SELECT w.id + (hasura_session ->> 'x-joinery-offset')::int $$;
                CREATE FUNCTION writer_shifted(w writer, by int) RETURNS int STABLE LANGUAGE sql AS $$ SELECT w.id + by $$;
                """);
        remote = new TestGraphqlServer();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-computed-keys.yaml", Map.of("PROFILES_URL", remote.url()));
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        remote.close();
        db.close();
    }

    @Test
    void aComputedFieldIsTheKeyOfOneCall() {
        int before = remote.requests();
        GraphqlResponse response = sidecar.client().query("{ writer(order_by: {id: asc}) { id profile { authorId bio } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"writer": [{"id": 1, "profile": {"authorId": 11, "bio": "bio of 11"}},
                            {"id": 2, "profile": {"authorId": 22, "bio": "bio of 22"}}]}"""), response.data(), "joined by profile_id");
        assertEquals(1, remote.requests() - before, "one call for both rows");
    }

    @Test
    void aComputedKeyWithTheSessionArgumentGetsTheRequestsSession() {
        GraphqlResponse response = sidecar.client().withHeaders(Map.of("x-joinery-offset", "100"))
                .query("{ writer(order_by: {id: asc}) { id profileBySession { authorId } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"writer": [{"id": 1, "profileBySession": {"authorId": 101}}, {"id": 2, "profileBySession": {"authorId": 102}}]}"""),
                response.data(), "joined by profile_id_session");
    }

    @Test
    void aRoleSeesTheRelationshipOnlyWithItsComputedKey() {
        GraphqlResponse reader = sidecar.client().withHeaders(Map.of("x-joinery-role", "reader"))
                .query("{ writer(where: {id: {_eq: 2}}) { id profile { authorId } } }");
        assertTrue(reader.errors().isMissingNode(), reader.toString());
        assertEquals(22, reader.data().path("writer").path(0).path("profile").path("authorId").asInt(), reader.toString());
        GraphqlResponse stranger = sidecar.client().withHeaders(Map.of("x-joinery-role", "stranger"))
                .query("{ writer { id profile { authorId } } }");
        assertEquals("validation-failed", stranger.errors().path(0).path("extensions").path("code").asText(), stranger.toString());
    }

    @Test
    void aComputedFieldThatTakesArgsIsNoKey() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sidecar.adminUri("/admin/v1/inconsistencies"))
                .header("X-Joinery-Admin-Secret", TestSidecar.ADMIN_SECRET).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(answer.body().contains("shiftedProfile") && answer.body().contains("takes args"), answer.statusCode() + " " + answer.body());
        GraphqlResponse response = sidecar.client().query("{ writer { shiftedProfile { authorId } } }");
        assertEquals("validation-failed", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
    }
}
