package io.joinery.policies.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.joinery.policies.AccessDenied;
import io.joinery.policies.Session;
import io.joinery.policies.SessionNames;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache of verified tokens (Note [Verified token cache]) as a caller of the authenticator sees
 * it, on a clock the test moves: a token is verified once and then served from the cache, but never
 * outside its own {@code nbf}..{@code exp} (with {@code allowed_skew}), and the role choice stays
 * per request.
 */
class JwtAuthenticatorTest {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-bytes!";
    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    /** A clock the test moves forward. */
    private static final class MovingClock extends Clock {
        private volatile Instant now = START;

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private final MovingClock clock = new MovingClock();

    private JwtAuthenticator authenticator(String extra) {
        JwtConfig config = JwtConfig.parse("{\"type\": \"HS256\", \"key\": \"" + SECRET + "\"" + extra + "}", new SessionNames(false));
        return new JwtAuthenticator(config, new SessionNames(false), Duration.ofSeconds(1), clock);
    }

    private static JWTClaimsSet.Builder claims(String userId) {
        return new JWTClaimsSet.Builder().subject("test").claim(JwtConfig.DEFAULT_NAMESPACE, Map.of(
                "x-joinery-allowed-roles", List.of("user", "member"), "x-joinery-default-role", "user", "x-joinery-user-id", userId));
    }

    private static String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("authorization", "Bearer " + token);
    }

    private static Session session(JwtAuthenticator authenticator, Map<String, String> headers) {
        return authenticator.authenticate(headers).orElseThrow();
    }

    @Test
    void aTokenIsVerifiedOnceAndServedFromTheCacheWithTheSameSession() {
        JwtAuthenticator authenticator = authenticator("");
        String token = sign(claims("7").expirationTime(Date.from(START.plusSeconds(60))).build());
        Session first = session(authenticator, bearer(token));
        Session second = session(authenticator, bearer(token));
        assertEquals(1, authenticator.cachedTokens(), "one entry for one token");
        assertEquals(first, second, "the cached session is the verified one");
        assertEquals(new Session("user", false, Map.of("x-joinery-role", "user", "x-joinery-user-id", "7")), second);
    }

    @Test
    void theRoleChoiceStaysPerRequestWithACachedToken() {
        JwtAuthenticator authenticator = authenticator("");
        String token = sign(claims("7").expirationTime(Date.from(START.plusSeconds(60))).build());
        session(authenticator, bearer(token));
        Session member = session(authenticator, Map.of("authorization", "Bearer " + token, "x-joinery-role", "member"));
        assertEquals("member", member.role());
        assertEquals("7", member.variable("x-joinery-user-id"));
        AccessDenied refused = assertThrows(AccessDenied.class,
                () -> authenticator.authenticate(Map.of("authorization", "Bearer " + token, "x-joinery-role", "admin")));
        assertEquals("Your requested role is not in allowed roles", refused.getMessage());
        assertEquals("user", session(authenticator, bearer(token)).role(), "without the header, the default role again");
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpired() {
        JwtAuthenticator authenticator = authenticator("");
        String token = sign(claims("7").expirationTime(Date.from(START.plusSeconds(60))).build());
        session(authenticator, bearer(token));
        clock.advance(Duration.ofSeconds(59));
        assertEquals("user", session(authenticator, bearer(token)).role(), "still valid a second before exp");
        clock.advance(Duration.ofSeconds(1));
        AccessDenied refused = assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(token)));
        assertEquals(AccessDenied.Reason.INVALID_JWT, refused.reason());
        assertTrue(refused.getMessage().contains("Expired JWT"), refused.getMessage());
        assertEquals(0, authenticator.cachedTokens(), "the expired entry is gone");
        assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(token)), "and stays refused");
    }

    @Test
    void theAllowedSkewWidensTheCachedLifetimeAsItWidensTheCheck() {
        JwtAuthenticator authenticator = authenticator(", \"allowed_skew\": 10");
        String token = sign(claims("7").expirationTime(Date.from(START.plusSeconds(60))).build());
        session(authenticator, bearer(token));
        clock.advance(Duration.ofSeconds(69));
        assertEquals("user", session(authenticator, bearer(token)).role(), "within exp + allowed_skew");
        clock.advance(Duration.ofSeconds(1));
        AccessDenied refused = assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(token)));
        assertTrue(refused.getMessage().contains("Expired JWT"), refused.getMessage());
    }

    @Test
    void aTokenIsNotAcceptedBeforeItsNotBeforeTimeAndIsOnceItPassed() {
        JwtAuthenticator authenticator = authenticator("");
        String token = sign(claims("7").notBeforeTime(Date.from(START.plusSeconds(30))).expirationTime(Date.from(START.plusSeconds(90))).build());
        AccessDenied refused = assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(token)));
        assertTrue(refused.getMessage().contains("before use time"), refused.getMessage());
        assertEquals(0, authenticator.cachedTokens(), "a refusal is not kept");
        clock.advance(Duration.ofSeconds(30));
        assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(token)), "nbf itself is still too early (nimbus: strictly after)");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("user", session(authenticator, bearer(token)).role());
    }

    @Test
    void refusedTokensAreNotKept() {
        JwtAuthenticator authenticator = authenticator("");
        String missingRoles = sign(new JWTClaimsSet.Builder().claim(JwtConfig.DEFAULT_NAMESPACE, Map.of("x-joinery-default-role", "user"))
                .expirationTime(Date.from(START.plusSeconds(60))).build());
        for (int i = 0; i < 2; i++) {
            AccessDenied refused = assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(missingRoles)));
            assertEquals(AccessDenied.Reason.JWT_MISSING_ROLE_CLAIMS, refused.reason());
        }
        String forged = sign(claims("7").expirationTime(Date.from(START.plusSeconds(60))).build()) + "x";
        assertThrows(AccessDenied.class, () -> authenticator.authenticate(bearer(forged)));
        assertEquals(0, authenticator.cachedTokens());
    }

    @Test
    void theCacheStaysWithinItsBound() {
        JwtAuthenticator authenticator = authenticator("");
        for (int user = 0; user <= VerifiedTokens.MAX_ENTRIES; user++) {
            session(authenticator, bearer(sign(claims(String.valueOf(user)).expirationTime(Date.from(START.plusSeconds(60))).build())));
        }
        assertTrue(authenticator.cachedTokens() <= VerifiedTokens.MAX_ENTRIES, authenticator.cachedTokens() + " entries");
    }

    @Test
    void theBearerWordIsCheckedWithoutARegularExpression() {
        JwtAuthenticator authenticator = authenticator("");
        String token = sign(claims("7").expirationTime(Date.from(START.plusSeconds(60))).build());
        assertEquals("user", session(authenticator, Map.of("authorization", "  bearer \t" + token + " ")).role());
        for (String malformed : List.of("Basic " + token, "Bearer", "Bearer a b", "Bearertoken", token)) {
            AccessDenied refused = assertThrows(AccessDenied.class, () -> authenticator.authenticate(Map.of("authorization", malformed)), malformed);
            assertEquals("Malformed Authorization header", refused.getMessage(), malformed);
        }
    }
}
