package io.joinery.it.remote;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote schema customized as Hasura customizes one (its {@code schema_customization} cases): a type
 * renamed by {@code type_mapping} over the prefix, fields renamed per type by a mapping over a prefix,
 * root fields included. The client sees and asks the new names, at the root and through a table's
 * remote relationship, with aliases and fragments; the remote gets its own names.
 */
class RemoteCustomizationTest {

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("remote_customized").execute("CREATE TABLE writer (id int PRIMARY KEY); INSERT INTO writer VALUES (1), (2)");
        remote = new TestGraphqlServer();
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote-customized.yaml", Map.of("PROFILES_URL", remote.url()));
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        remote.close();
        db.close();
    }

    @Test
    void aRootFieldAndItsFieldsGoByTheirNewNames() {
        GraphqlResponse response = sidecar.client().query("""
                { getProfile(authorId: 3) { p_authorId biography __typename p_account { __typename } }
                  other: getProfile(authorId: 4) { bio: biography ...more } }
                fragment more on FooProfile { p_followers }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"getProfile": {"p_authorId": 3, "biography": "bio of 3", "__typename": "FooProfile", "p_account": {"__typename": "P_Account"}},
                 "other": {"bio": "bio of 4", "p_followers": 40}}"""), response.data(), "renamed");
        assertTrue(remote.bodies().getLast().contains("profile"), remote.bodies().getLast());
    }

    @Test
    void aTablesRemoteRelationshipAnswersInTheNewNames() {
        GraphqlResponse response = sidecar.client().query("{ writer(order_by: {id: asc}) { id profile { biography p_authorId } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"writer": [{"id": 1, "profile": {"biography": "bio of 1", "p_authorId": 1}},
                            {"id": 2, "profile": {"biography": "bio of 2", "p_authorId": 2}}]}"""), response.data(), "joined");
    }

    @Test
    void introspectionAndValidationKnowOnlyTheNewNames() {
        GraphqlResponse type = sidecar.client().query("{ __type(name: \"FooProfile\") { fields { name } } }");
        assertTrue(type.toString().contains("\"biography\"") && type.toString().contains("\"p_authorId\"")
                && !type.toString().contains("\"bio\""), type.toString());
        GraphqlResponse old = sidecar.client().query("{ getProfile(authorId: 3) { bio } }");
        assertEquals("validation-failed", old.errors().path(0).path("extensions").path("code").asText(), old.toString());
        GraphqlResponse oldRoot = sidecar.client().query("{ profile(authorId: 3) { biography } }");
        assertEquals("validation-failed", oldRoot.errors().path(0).path("extensions").path("code").asText(), oldRoot.toString());
    }
}
