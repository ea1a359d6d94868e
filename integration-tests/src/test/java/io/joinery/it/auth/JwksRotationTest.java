package io.joinery.it.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import io.joinery.it.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code jwk_url} served by a local JWKS server (WireMock) that rotates its keys: the set is
 * fetched once and kept while its {@code Cache-Control} allows, fetched again when a token names a
 * {@code kid} it does not have, but never more often than the floor, however many made-up
 * {@code kid}s arrive; a key that left the set verifies nothing any more. RSA, EC and Ed25519 keys
 * of the set verify tokens of their own algorithms only.
 */
class JwksRotationTest {

    /** Long enough that two requests of a test fall within it on a machine busy with other builds (at 400 ms they did not always). */
    private static final long FLOOR_MS = 1000;
    private static final String QUERY = "{ article(order_by: {id: asc}) { id author_id published } }";
    private static final RSAKey FIRST = TestTokens.rsaKey("rsa-1");
    private static final RSAKey SECOND = TestTokens.rsaKey("rsa-2");
    private static final ECKey EC = TestTokens.ecKey(Curve.P_256, "ec-1");
    private static final KeyPair ED = TestTokens.ed25519();

    private static TestDatabase db;
    private static WireMockServer jwks;
    private static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("jwks").load("/it/schema.sql");
        jwks = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jwks.start();
        sidecar = TestSidecar.start(db.url(), "/it/metadata.yaml", Map.of(
                "JOINERY_JWT_SECRET", "{\"jwk_url\": \"" + jwks.baseUrl() + "/jwks.json\"}",
                "JOINERY_JWKS_REFETCH_FLOOR_MS", String.valueOf(FLOOR_MS)));
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar closingSidecar = sidecar) {
            jwks.stop();
        }
    }

    private static JWK edJwk() {
        byte[] spki = ED.getPublic().getEncoded();
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length))).keyID("ed-1").build();
    }

    private static void serve(String cacheControl, JWK... keys) {
        jwks.resetAll();
        List<JWK> publicKeys = Arrays.stream(keys).map(JWK::toPublicJWK).toList();
        jwks.stubFor(get(urlEqualTo("/jwks.json")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader("Cache-Control", cacheControl)
                .withBody(new JWKSet(publicKeys).toString())));
    }

    private static int fetches() {
        return jwks.countRequestsMatching(getRequestedFor(urlEqualTo("/jwks.json")).build()).getCount();
    }

    private static JWTClaimsSet claims() {
        return TestTokens.claims("user", List.of("user"), Map.of("x-joinery-user-id", "1")).build();
    }

    private static GraphqlResponse ask(String token) {
        return sidecar.client().without("x-joinery-admin-secret").withHeaders(Map.of("Authorization", "Bearer " + token)).query(QUERY);
    }

    private static JsonNode expected() {
        return sidecar.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", "1")).query(QUERY).data();
    }

    private static void assertServed(GraphqlResponse answer) {
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(expected(), answer.data(), answer.toString());
    }

    private static void assertInvalid(GraphqlResponse answer, String message) {
        assertEquals(401, answer.status(), answer.toString());
        assertEquals("invalid-jwt", answer.errors().path(0).path("extensions").path("code").asText(), answer.toString());
        assertTrue(answer.errors().path(0).path("message").asText().contains(message), answer.toString());
        assertTrue(answer.json().path("data").isMissingNode(), answer.toString());
    }

    @Test
    void keysRotateWithinTheFloorAndTheCacheLifetime() throws InterruptedException {
        serve("max-age=300", FIRST, EC, edJwk());
        Thread.sleep(FLOOR_MS + 100);
        assertServed(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims())));
        assertServed(ask(TestTokens.sign(TestTokens.ec(JWSAlgorithm.ES256, EC), claims())));
        assertServed(ask(TestTokens.signEd25519(ED, claims())));
        assertEquals(1, fetches(), "one fetch for every key of the set while it is fresh");

        assertInvalid(ask(TestTokens.sign(TestTokens.hmac(JWSAlgorithm.HS256, "a-secret-of-at-least-thirty-two-bytes!"), claims())),
                "HS256, which a JWK set does not verify");
        assertInvalid(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST).withKeyId("ec-1"), claims())), "no key of the JWK set has kid 'ec-1'");

        serve("max-age=300", SECOND);
        Thread.sleep(FLOOR_MS + 100);
        assertServed(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, SECOND), claims())));
        assertEquals(1, fetches(), "a token with a new kid fetched the rotated set once");

        Thread.sleep(FLOOR_MS + 100);
        assertInvalid(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims())), "no key of the JWK set has kid 'rsa-1'");
        assertEquals(2, fetches(), "a kid that left the set is looked for once more, then refused");

        long started = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            assertInvalid(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST).withKeyId("made-up-" + i), claims())), "no key of the JWK set");
        }
        long floors = (System.nanoTime() - started) / 1_000_000 / FLOOR_MS;
        assertTrue(fetches() <= 3 + floors, "made-up kids do not hammer the JWKS server: " + fetches() + " fetches in " + (floors + 1)
                + " floor(s)");
    }

    @Test
    void aSetWhoseCacheLifetimeEndedIsFetchedAgain() throws InterruptedException {
        serve("max-age=0", FIRST);
        Thread.sleep(FLOOR_MS + 100);
        assertServed(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims())));
        int before = fetches();
        assertTrue(before >= 1, "the set was fetched");
        assertServed(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims())));
        assertEquals(before, fetches(), "max-age=0 is still kept for the floor");
        Thread.sleep(FLOOR_MS + 100);
        assertServed(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims())));
        assertEquals(before + 1, fetches(), "after the floor an expired set is fetched again");
    }

    /** Note [Verified token cache]: the cache keeps no token of a key that left the set once the new set is fetched. */
    @Test
    void aCachedTokenOfAKeyThatLeftTheSetIsRefusedOnceTheNewSetIsFetched() throws InterruptedException {
        serve("max-age=0", FIRST);
        Thread.sleep(FLOOR_MS + 100);
        String first = TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims());
        assertServed(ask(first));
        assertServed(ask(first));

        serve("max-age=0", SECOND);
        Thread.sleep(FLOOR_MS + 100);
        assertInvalid(ask(first), "no key of the JWK set has kid 'rsa-1'");
        assertEquals(1, fetches(), "the expired set was fetched again on the cached token's request, as when verifying");

        serve("max-age=300", FIRST);
        Thread.sleep(FLOOR_MS + 100);
        String again = TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims());
        assertServed(ask(again));
        serve("max-age=300", SECOND);
        Thread.sleep(FLOOR_MS + 100);
        assertServed(ask(TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, SECOND), claims())));
        assertEquals(1, fetches(), "a token with a new kid fetched the rotated set");
        assertInvalid(ask(again), "no key of the JWK set has kid 'rsa-1'");
    }

    @Test
    void withoutAJwkSetTokensAreRefused() {
        try (TestSidecar unreachable = TestSidecar.start(db.url(), "/it/metadata.yaml", Map.of(
                "JOINERY_JWT_SECRET", "{\"jwk_url\": \"http://127.0.0.1:1/jwks.json\"}"))) {
            GraphqlResponse answer = unreachable.client().without("x-joinery-admin-secret")
                    .withHeaders(Map.of("Authorization", "Bearer " + TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, FIRST), claims())))
                    .query(QUERY);
            assertInvalid(answer, "the JWK set to verify it with cannot be fetched");
            assertTrue(!answer.text().contains("127.0.0.1"), "the URL stays in the log: " + answer);
        }
    }
}
