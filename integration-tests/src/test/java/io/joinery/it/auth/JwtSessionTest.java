package io.joinery.it.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import io.joinery.it.support.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JWT sessions through the real GraphQL listener, with real tokens signed by keys made for the run:
 * HS256 with audience and issuer (the Authorization header), RS256 with a stringified Hasura
 * namespace in a cookie (the migration aid on), ES256 with a {@code claims_map} in a header of its
 * own, and EdDSA. What a token's role and variables see is what the admin acting as that role with
 * those variables sees; every refusal is a 401 in Hasura's shape with its code and no data.
 */
class JwtSessionTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";
    private static final String AUDIENCE = "app";
    private static final String ISSUER = "https://issuer.test";
    private static final String QUERY = "{ article(order_by: {id: asc}) { id author_id published } }";

    private static final RSAKey RSA = TestTokens.rsaKey("rsa-1");
    private static final ECKey EC = TestTokens.ecKey(Curve.P_256, "ec-1");
    private static final KeyPair ED = TestTokens.ed25519();

    private static TestDatabase db;
    private static TestSidecar hs;
    private static TestSidecar rs;
    private static TestSidecar es;
    private static TestSidecar ed;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create("jwt").load("/it/schema.sql");
        hs = sidecar(secret().put("type", "HS256").put("key", SECRET).put("audience", AUDIENCE).put("issuer", ISSUER), Map.of());
        rs = sidecar(secret().put("type", "RS256").put("key", TestTokens.pem(RSA.toPublicKey())).put("claims_format", "stringified_json")
                .put("allowed_skew", 30).set("header", JSON.createObjectNode().put("type", "Cookie").put("name", "token")),
                Map.of("JOINERY_ACCEPT_HASURA_SESSION", "true"));
        ObjectNode claimsMap = JSON.createObjectNode();
        claimsMap.putObject("x-joinery-allowed-roles").put("path", "$.roles");
        claimsMap.putObject("x-joinery-default-role").put("path", "$.roles[0]");
        claimsMap.putObject("x-joinery-user-id").put("path", "$.user.id");
        claimsMap.putObject("x-joinery-org").put("path", "$['org']").put("default", "acme");
        es = sidecar(secret().put("type", "ES256").put("key", TestTokens.pem(EC.toPublicKey())).<ObjectNode>set("claims_map", claimsMap)
                .set("header", JSON.createObjectNode().put("type", "CustomHeader").put("name", "X-App-Token")), Map.of());
        ed = sidecar(secret().put("type", "EdDSA").put("key", TestTokens.pem(ED.getPublic())), Map.of());
    }

    private static ObjectNode secret() {
        return JSON.createObjectNode();
    }

    private static TestSidecar sidecar(ObjectNode jwtSecret, Map<String, String> env) {
        Map<String, String> variables = new LinkedHashMap<>(env);
        variables.put("JOINERY_JWT_SECRET", JsonTrees.write(jwtSecret));
        return TestSidecar.start(db.url(), "/it/metadata.yaml", variables);
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar a = hs; TestSidecar b = rs; TestSidecar c = es; TestSidecar d = ed) {
            // the sidecars close first, then the database
        }
    }

    /** What the admin acting as {@code role} with {@code x-joinery-user-id: userId} sees. */
    private static JsonNode seenBy(TestSidecar sidecar, String role, String userId) {
        GraphqlResponse answer = sidecar.client().withHeaders(Map.of("x-joinery-role", role, "x-joinery-user-id", userId)).query(QUERY);
        assertEquals(200, answer.status(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
        return answer.data();
    }

    private static GraphqlClient bearer(TestSidecar sidecar, String token) {
        return sidecar.client().without("x-joinery-admin-secret").withHeaders(Map.of("Authorization", "Bearer " + token));
    }

    private static JWTClaimsSet.Builder hsClaims(Map<String, Object> variables) {
        return TestTokens.claims("user", List.of("user", "member"), variables).audience(AUDIENCE).issuer(ISSUER);
    }

    private static String hsToken(JWTClaimsSet claims) {
        return TestTokens.sign(TestTokens.hmac(JWSAlgorithm.HS256, SECRET), claims);
    }

    private static void assertRefused(GraphqlResponse answer, String code, String message) {
        assertEquals(401, answer.status(), answer.toString());
        JsonNode error = answer.errors().path(0);
        assertEquals(code, error.path("extensions").path("code").asText(), answer.toString());
        assertTrue(error.path("message").asText().contains(message), "expected '" + message + "' in " + answer);
        assertTrue(answer.json().path("data").isMissingNode(), "no data: " + answer);
    }

    @Test
    void aTokenGivesItsDefaultRoleAndItsSessionVariables() {
        JsonNode own = seenBy(hs, "user", "1");
        assertNotEquals(seenBy(hs, "user", "2"), own, "the test needs a filter on x-joinery-user-id");
        GraphqlResponse answer = bearer(hs, hsToken(hsClaims(Map.of("x-joinery-user-id", "1")).build())).query(QUERY);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(own, answer.data(), answer.toString());
    }

    @Test
    void theTokenNotTheRequestHeadersGivesTheSessionVariables() {
        GraphqlResponse answer = bearer(hs, hsToken(hsClaims(Map.of("x-joinery-user-id", "1")).build()))
                .withHeaders(Map.of("x-joinery-user-id", "2")).query(QUERY);
        assertEquals(seenBy(hs, "user", "1"), answer.data(), answer.toString());
    }

    @Test
    void theRoleHeaderPicksAmongTheAllowedRoles() {
        GraphqlResponse answer = bearer(hs, hsToken(hsClaims(Map.of("x-joinery-user-id", "1")).build()))
                .withHeaders(Map.of("x-joinery-role", "member")).query("{ author(order_by: {id: asc}) { id } }");
        GraphqlResponse asMember = hs.client().withHeaders(Map.of("x-joinery-role", "member", "x-joinery-user-id", "1"))
                .query("{ author(order_by: {id: asc}) { id } }");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(asMember.data(), answer.data(), answer.toString());
        assertTrue(answer.errors().isMissingNode(), answer.toString());
    }

    @Test
    void aRoleOutsideTheAllowedOnesIsRefused() {
        GraphqlResponse answer = bearer(hs, hsToken(hsClaims(Map.of("x-joinery-user-id", "1")).build()))
                .withHeaders(Map.of("x-joinery-role", "admin")).query(QUERY);
        assertRefused(answer, "access-denied", "Your requested role is not in allowed roles");
    }

    static Stream<Arguments> badTokens() {
        Instant now = Instant.now();
        Map<String, Object> user = Map.of("x-joinery-user-id", "1");
        String good = hsToken(hsClaims(user).build());
        String other = hsToken(hsClaims(Map.of("x-joinery-user-id", "2")).build());
        return Stream.of(
                Arguments.of("expired", hsToken(hsClaims(user).expirationTime(Date.from(now.minusSeconds(60))).build()), "Expired JWT"),
                Arguments.of("not yet valid", hsToken(hsClaims(user).notBeforeTime(Date.from(now.plusSeconds(600))).build()), "before use time"),
                Arguments.of("bad signature", TestTokens.withSignatureOf(other, good), "the signature does not verify"),
                Arguments.of("another secret", TestTokens.sign(TestTokens.hmac(JWSAlgorithm.HS256, SECRET + "x"), hsClaims(user).build()),
                        "the signature does not verify"),
                Arguments.of("wrong audience", hsToken(hsClaims(user).audience("other-app").build()), "aud claim rejected"),
                Arguments.of("no audience", hsToken(hsClaims(user).audience((String) null).build()), "missing required aud claim"),
                Arguments.of("wrong issuer", hsToken(hsClaims(user).issuer("https://evil.test").build()), "iss claim value rejected"),
                Arguments.of("alg none", TestTokens.unsigned(hsClaims(user).build()), "not signed (alg: none)"),
                Arguments.of("another algorithm", TestTokens.sign(TestTokens.hmac(JWSAlgorithm.HS384, SECRET + SECRET), hsClaims(user).build()),
                        "signed with HS384, this server accepts HS256"),
                Arguments.of("an RSA token", TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, RSA), hsClaims(user).build()),
                        "signed with RS256, this server accepts HS256"),
                Arguments.of("not a JWT", "not.a.jwt", "not a JWT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aTokenThatDoesNotVerifyIsRefused(String name, String token, String message) {
        assertRefused(bearer(hs, token).query(QUERY), "invalid-jwt", message);
    }

    static Stream<Arguments> badClaims() {
        Map<String, Object> roles = Map.of("x-joinery-allowed-roles", List.of("user"));
        return Stream.of(
                Arguments.of("no namespace", TestTokens.expiringIn(600), "jwt-invalid-claims", "claims key: 'https://joinery.io/jwt/claims' not found"),
                Arguments.of("namespace not an object", TestTokens.expiringIn(600).claim(TestTokens.NAMESPACE, "user"), "jwt-invalid-claims",
                        "expecting a json object"),
                Arguments.of("no allowed roles", TestTokens.expiringIn(600).claim(TestTokens.NAMESPACE, Map.of("x-joinery-default-role", "user")),
                        "jwt-missing-role-claims", "JWT claim does not contain x-joinery-allowed-roles"),
                Arguments.of("no default role", TestTokens.expiringIn(600).claim(TestTokens.NAMESPACE, roles),
                        "jwt-missing-role-claims", "JWT claim does not contain x-joinery-default-role"),
                Arguments.of("allowed roles not a list", TestTokens.expiringIn(600).claim(TestTokens.NAMESPACE,
                        Map.of("x-joinery-allowed-roles", "user", "x-joinery-default-role", "user")), "jwt-invalid-claims",
                        "invalid x-joinery-allowed-roles; should be a list of roles"),
                Arguments.of("default role not allowed", TestTokens.claims("member", List.of("user"), Map.of()), "access-denied",
                        "Your requested role is not in allowed roles"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badClaims")
    void aTokenWithoutTheSessionClaimsIsRefused(String name, JWTClaimsSet.Builder claims, String code, String message) {
        assertRefused(bearer(hs, hsToken(claims.audience(AUDIENCE).issuer(ISSUER).build())).query(QUERY), code, message);
    }

    /** Note [Verified token cache]: a token served from the cache is still refused once its exp passed. */
    @Test
    void aCachedTokenIsRefusedOnceItExpired() throws InterruptedException {
        Instant exp = Instant.now().plusSeconds(3);
        String token = hsToken(hsClaims(Map.of("x-joinery-user-id", "1")).expirationTime(Date.from(exp)).build());
        for (int i = 0; i < 2; i++) {
            GraphqlResponse answer = bearer(hs, token).query(QUERY);
            assertEquals(seenBy(hs, "user", "1"), answer.data(), answer.toString());
        }
        Thread.sleep(Math.max(0, java.time.Duration.between(Instant.now(), exp).toMillis()) + 1100);
        assertRefused(bearer(hs, token).query(QUERY), "invalid-jwt", "Expired JWT");
    }

    @Test
    void aMalformedAuthorizationHeaderIsRefused() {
        GraphqlResponse answer = hs.client().without("x-joinery-admin-secret").withHeaders(Map.of("Authorization", "Basic dXNlcjpwYXNz"))
                .query(QUERY);
        assertRefused(answer, "invalid-headers", "Malformed Authorization header");
    }

    @Test
    void aRequestWithoutATokenGetsTheUnauthorizedRole() {
        GraphqlResponse answer = hs.client().without("x-joinery-admin-secret").query(QUERY);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("validation-failed", answer.errors().path(0).path("extensions").path("code").asText(),
                "the unauthorized role has no permission on article: " + answer);
        assertTrue(answer.json().path("data").isMissingNode(), answer.toString());
    }

    @Test
    void theAdminSecretStillWinsAndAWrongOneIsRefusedWhateverTheToken() {
        String token = hsToken(hsClaims(Map.of("x-joinery-user-id", "1")).build());
        GraphqlResponse admin = hs.client().withHeaders(Map.of("Authorization", "Bearer " + token)).query("{ article_aggregate { aggregate { count } } }");
        assertEquals(30, admin.data().path("article_aggregate").path("aggregate").path("count").asInt(), admin.toString());
        GraphqlResponse wrong = hs.client().withHeaders(Map.of("Authorization", "Bearer " + token, "x-joinery-admin-secret", "wrong")).query(QUERY);
        assertRefused(wrong, "access-denied", "invalid x-joinery-admin-secret");
    }

    @Test
    void aHasuraTokenInACookieWorksWithTheMigrationAid() {
        String session = JsonTrees.write(JSON.valueToTree(Map.of("x-hasura-allowed-roles", List.of("user", "member"),
                "x-hasura-default-role", "user", "x-hasura-user-id", "1")));
        String token = TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, RSA), TestTokens.expiringIn(600)
                .claim("https://hasura.io/jwt/claims", session).build());
        GraphqlClient client = rs.client().without("x-joinery-admin-secret").withHeaders(Map.of("Cookie", "theme=dark; token=" + token));
        GraphqlResponse answer = client.query(QUERY);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(seenBy(rs, "user", "1"), answer.data(), answer.toString());
        GraphqlResponse member = client.withHeaders(Map.of("x-hasura-role", "member")).query("{ author(order_by: {id: asc}) { id } }");
        assertEquals(rs.client().withHeaders(Map.of("x-joinery-role", "member", "x-joinery-user-id", "1"))
                .query("{ author(order_by: {id: asc}) { id } }").data(), member.data(), member.toString());
    }

    @Test
    void theAllowedSkewAcceptsATokenJustExpired() {
        String session = "{\"x-joinery-allowed-roles\":[\"user\"],\"x-joinery-default-role\":\"user\",\"x-joinery-user-id\":\"1\"}";
        String token = TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, RSA), TestTokens.expiringIn(-10).claim(TestTokens.NAMESPACE, session).build());
        GraphqlResponse answer = rs.client().without("x-joinery-admin-secret").withHeaders(Map.of("Cookie", "token=" + token)).query(QUERY);
        assertEquals(seenBy(rs, "user", "1"), answer.data(), answer.toString());
        String old = TestTokens.sign(TestTokens.rsa(JWSAlgorithm.RS256, RSA), TestTokens.expiringIn(-60).claim(TestTokens.NAMESPACE, session).build());
        assertRefused(rs.client().without("x-joinery-admin-secret").withHeaders(Map.of("Cookie", "token=" + old)).query(QUERY),
                "invalid-jwt", "Expired JWT");
    }

    @Test
    void anHmacTokenMadeWithThePublicKeyIsRefused() throws Exception {
        String pem = TestTokens.pem(RSA.toPublicKey());
        String session = "{\"x-joinery-allowed-roles\":[\"user\"],\"x-joinery-default-role\":\"user\",\"x-joinery-user-id\":\"1\"}";
        String forged = TestTokens.sign(TestTokens.hmac(JWSAlgorithm.HS256, pem), TestTokens.expiringIn(600).claim(TestTokens.NAMESPACE, session).build());
        assertRefused(rs.client().without("x-joinery-admin-secret").withHeaders(Map.of("Cookie", "token=" + forged)).query(QUERY),
                "invalid-jwt", "signed with HS256, this server accepts RS256");
    }

    @Test
    void aClaimsMapTakesTheSessionFromAnywhereInTheToken() {
        JWTClaimsSet claims = TestTokens.expiringIn(600).claim("roles", List.of("user")).claim("user", Map.of("id", 1)).build();
        GraphqlResponse answer = es.client().without("x-joinery-admin-secret")
                .withHeaders(Map.of("X-App-Token", TestTokens.sign(TestTokens.ec(JWSAlgorithm.ES256, EC), claims))).query(QUERY);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(seenBy(es, "user", "1"), answer.data(), "a numeric claim is the session variable's text: " + answer);
        JWTClaimsSet noUser = TestTokens.expiringIn(600).claim("roles", List.of("user")).build();
        assertRefused(es.client().without("x-joinery-admin-secret")
                        .withHeaders(Map.of("X-App-Token", TestTokens.sign(TestTokens.ec(JWSAlgorithm.ES256, EC), noUser))).query(QUERY),
                "jwt-invalid-claims", "JWT claim from claims_map, x-joinery-user-id not found");
    }

    @Test
    void anEdDsaTokenVerifiesWithItsKeyOnly() {
        JWTClaimsSet claims = TestTokens.claims("user", List.of("user"), Map.of("x-joinery-user-id", "1")).build();
        GraphqlResponse answer = bearer(ed, TestTokens.signEd25519(ED, claims)).query(QUERY);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(seenBy(ed, "user", "1"), answer.data(), answer.toString());
        assertRefused(bearer(ed, TestTokens.signEd25519(TestTokens.ed25519(), claims)).query(QUERY), "invalid-jwt", "the signature does not verify");
    }
}
