package io.joinery.it.remote;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A remote on an older graphql-js (Apollo Server 3, as Hasura's own test remote) refuses the newer
 * introspection fields with HTTP 400; the sidecar asks again with the older query and serves the
 * remote as any other (issue 18, cause 2; Note [Introspection of older servers] in RemoteSchema).
 */
class OlderRemoteIntrospectionTest {

    @Test
    void aRemoteThatRefusesTheNewerIntrospectionFieldsIsServed() {
        try (TestDatabase db = TestDatabase.create("older_remote").load("/it/schema.sql");
             TestGraphqlServer remote = new TestGraphqlServer().olderIntrospection();
             TestSidecar sidecar = TestSidecar.start(db.url(), "/it/metadata-older-remote.yaml", Map.of("PROFILES_URL", remote.url()))) {
            assertTrue(remote.bodies().stream().anyMatch(body -> body.contains("isOneOf")), "the newer query was tried first");

            GraphqlResponse answer = sidecar.client().query("{ hello(name: \"Ada\") author(where: {id: {_eq: 1}}) { id profile { bio } } }");

            assertEquals(JsonTrees.parse("{\"hello\": \"Hello, Ada\", \"author\": [{\"id\": 1, \"profile\": {\"bio\": \"bio of 1\"}}]}"),
                    answer.data(), answer.toString());
            assertTrue(answer.errors().isMissingNode(), answer.toString());
            assertEquals(List.of(), sidecar.sidecar().inconsistencies().problems(), "the remote is consistent");
        }
    }
}
