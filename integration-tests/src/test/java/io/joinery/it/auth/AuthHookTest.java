package io.joinery.it.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authentication hook (WireMock) in GET and POST mode, through the real GraphQL listener: its
 * 200 answer is the session (Hasura's {@code x-hasura-*} names too, with the migration aid), its
 * 401 refuses, a failing hook is the server's 500 without details, and an answer with
 * {@code Cache-Control} is reused for the same credentials while it is fresh, never for others.
 */
class AuthHookTest {

    private static final String QUERY = "{ article(order_by: {id: asc}) { id author_id published } }";
    private static TestDatabase db;
    private static WireMockServer hook;
    private static TestSidecar viaGet;
    private static TestSidecar viaPost;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("auth_hook").load("/it/schema.sql");
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        viaGet = TestSidecar.start(db.url(), "/it/metadata.yaml", Map.of("JOINERY_AUTH_HOOK", hook.baseUrl() + "/auth",
                "JOINERY_UNAUTHORIZED_ROLE", "", "JOINERY_ACCEPT_HASURA_SESSION", "true"));
        viaPost = TestSidecar.start(db.url(), "/it/metadata.yaml", Map.of("JOINERY_AUTH_HOOK", hook.baseUrl() + "/auth",
                "JOINERY_AUTH_HOOK_MODE", "POST", "JOINERY_UNAUTHORIZED_ROLE", ""));
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar a = viaGet; TestSidecar b = viaPost) {
            hook.stop();
        }
    }

    @BeforeEach
    void stubs() {
        hook.resetAll();
        hook.stubFor(get(urlEqualTo("/auth")).withHeader("Authorization", equalTo("Bearer alice")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"x-hasura-role\": \"user\", \"x-hasura-user-id\": \"1\", \"Cache-Control\": \"max-age=60\"}")));
        hook.stubFor(get(urlEqualTo("/auth")).withHeader("Authorization", equalTo("Bearer bob")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"x-joinery-role\": \"user\", \"x-joinery-user-id\": \"2\"}")));
        hook.stubFor(get(urlEqualTo("/auth")).withHeader("Authorization", equalTo("Bearer mallory")).willReturn(aResponse().withStatus(401)));
        hook.stubFor(get(urlEqualTo("/auth")).withHeader("Authorization", equalTo("Bearer broken")).willReturn(aResponse().withStatus(500)
                .withBody("stack trace of the hook")));
        hook.stubFor(get(urlEqualTo("/auth")).withHeader("Authorization", equalTo("Bearer roleless")).willReturn(aResponse().withStatus(200)
                .withBody("{\"x-joinery-user-id\": \"1\"}")));
        hook.stubFor(post(urlEqualTo("/auth")).willReturn(aResponse().withStatus(200).withHeader("Cache-Control", "max-age=60")
                .withBody("{\"x-joinery-role\": \"user\", \"x-joinery-user-id\": \"1\"}")));
    }

    private static GraphqlClient caller(TestSidecar sidecar, String token) {
        return sidecar.client().without("x-joinery-admin-secret").withHeaders(Map.of("Authorization", "Bearer " + token));
    }

    private static JsonNode seenBy(TestSidecar sidecar, String userId) {
        return sidecar.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", userId)).query(QUERY).data();
    }

    private static int hookCalls() {
        return hook.countRequestsMatching(getRequestedFor(urlEqualTo("/auth")).build()).getCount();
    }

    @Test
    void theHooksAnswerIsTheSessionAndIsKeptAsLongAsItSays() {
        GraphqlResponse first = caller(viaGet, "alice").query(QUERY);
        assertEquals(200, first.status(), first.toString());
        assertEquals(seenBy(viaGet, "1"), first.data(), "x-hasura-* names read as x-joinery-*: " + first);
        GraphqlResponse again = caller(viaGet, "alice").query(QUERY);
        assertEquals(first.data(), again.data(), again.toString());
        assertEquals(1, hookCalls(), "the second request used the cached answer (max-age=60)");

        GraphqlResponse other = caller(viaGet, "bob").query(QUERY);
        assertEquals(seenBy(viaGet, "2"), other.data(), "another token is not served from alice's entry: " + other);
        caller(viaGet, "bob").query(QUERY);
        assertEquals(3, hookCalls(), "an answer without Cache-Control is not kept");
    }

    @Test
    void theHookGetsTheClientsHeadersButNeverTheAdminSecret() {
        caller(viaGet, "bob").withHeaders(Map.of("x-joinery-role", "user", "X-Tenant", "acme")).query(QUERY);
        LoggedRequest request = hook.findAll(getRequestedFor(urlEqualTo("/auth"))).getFirst();
        assertEquals("Bearer bob", request.getHeader("Authorization"));
        assertEquals("acme", request.getHeader("X-Tenant"));
        assertEquals("user", request.getHeader("x-joinery-role"));
        viaGet.client().withHeaders(Map.of("Authorization", "Bearer bob")).query(QUERY);
        hook.findAll(getRequestedFor(urlEqualTo("/auth"))).forEach(r -> assertNull(r.getHeader("x-joinery-admin-secret"), "the secret left the sidecar"));
        assertEquals(1, hookCalls(), "a caller with the admin secret does not go to the hook");
    }

    @Test
    void aRefusalIsA401AndAFailingHookA500WithoutDetails() {
        GraphqlResponse refused = caller(viaGet, "mallory").query(QUERY);
        assertEquals(401, refused.status(), refused.toString());
        assertEquals("access-denied", refused.errors().path(0).path("extensions").path("code").asText(), refused.toString());
        assertEquals("Authentication hook unauthorized this request", refused.errors().path(0).path("message").asText());
        assertTrue(refused.json().path("data").isMissingNode(), refused.toString());
        caller(viaGet, "mallory").query(QUERY);
        assertEquals(2, hookCalls(), "a refusal is never kept");

        for (String token : List.of("broken", "roleless")) {
            GraphqlResponse failed = caller(viaGet, token).query(QUERY);
            assertEquals(500, failed.status(), failed.toString());
            assertEquals("unexpected", failed.errors().path(0).path("extensions").path("code").asText(), failed.toString());
            assertFalse(failed.text().contains("stack trace") || failed.text().contains("127.0.0.1"), "nothing of the hook: " + failed);
            assertTrue(failed.json().path("data").isMissingNode(), failed.toString());
        }
    }

    @Test
    void thePostHookGetsTheHeadersAndTheRequest() {
        GraphqlResponse answer = caller(viaPost, "carol").query(QUERY);
        assertEquals(seenBy(viaPost, "1"), answer.data(), answer.toString());
        caller(viaPost, "carol").query(QUERY);
        caller(viaPost, "carol").query("{ author { id } }");
        List<LoggedRequest> calls = hook.findAll(postRequestedFor(urlEqualTo("/auth")));
        assertEquals(2, calls.size(), "the same request is served from the cache, another operation asks again");
        JsonNode body = JsonTrees.parse(calls.getFirst().getBodyAsString());
        assertEquals("Bearer carol", body.path("headers").path("authorization").asText(), body.toString());
        assertEquals(QUERY, body.path("request").path("query").asText(), body.toString());
        assertTrue(body.path("headers").path("x-joinery-admin-secret").isMissingNode(), body.toString());
    }
}
