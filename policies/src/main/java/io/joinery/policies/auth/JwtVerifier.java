package io.joinery.policies.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import io.joinery.policies.AccessDenied;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a token and returns its claims, or refuses it ({@code invalid-jwt}, "Could not verify JWT:
 * ..." as Hasura says): not a JWT, unsigned ({@code alg: none}), signed with another algorithm than
 * the configured key's (so an HS256 token made with an RSA public key as its secret is refused
 * before any check: Note [One algorithm per key]), no key of the JWK set matching its {@code kid}
 * after fetching the set again, a bad signature, expired ({@code exp}), not yet valid
 * ({@code nbf}), another audience or issuer. The checks are nimbus' ({@link JWSVerifier},
 * {@link DefaultJWTClaimsVerifier}); {@code allowed_skew} widens {@code exp} and {@code nbf}.
 *
 * <p>Note [One algorithm per key]: a fixed key verifies tokens of exactly its configured
 * algorithm; a JWK set's key, tokens of its own family only (RSA: RS/PS, EC: ES of its curve,
 * Ed25519: EdDSA) and never HMAC, and of its {@code alg} when the key names one.
 */
final class JwtVerifier {

    private final JwtConfig.Keys keys;
    private final JwksSource jwks;
    private final DefaultJWTClaimsVerifier<?> claims;

    /** {@code clock}: what "now" is for {@code exp} and {@code nbf} (the same clock as the token cache's, Note [Verified token cache]). */
    JwtVerifier(JwtConfig config, JwksSource jwks, Clock clock) {
        this.keys = config.keys();
        this.jwks = jwks;
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        config.issuer().ifPresent(exact::issuer);
        this.claims = new DefaultJWTClaimsVerifier<SecurityContext>(config.audience().isEmpty() ? null : config.audience(), exact.build(),
                config.audience().isEmpty() ? Set.of() : Set.of("aud"), Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        this.claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, config.allowedSkew().toSeconds()));
    }

    /**
     * Which keys verify tokens now: a fixed key's never change (0); a JWK set's move when a fetch
     * brings another set (refreshing the set first when its cache lifetime ended, as
     * {@link #verify} would). Note [Verified token cache].
     */
    long keysGeneration() {
        return jwks == null ? 0 : jwks.generation();
    }

    JWTClaimsSet verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw invalid("the token is not a JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw invalid("the token is not signed (alg: none)");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw invalid("encrypted tokens are not supported");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!verified(signed, verifiers(signed, algorithm))) {
            throw invalid("the signature does not verify");
        }
        JWTClaimsSet set;
        try {
            set = signed.getJWTClaimsSet();
            claims.verify(set, null);
        } catch (ParseException e) {
            throw invalid("its claims are not a JSON object");
        } catch (BadJWTException e) {
            throw invalid(printable(e.getMessage(), 200));
        }
        return set;
    }

    private List<JWSVerifier> verifiers(SignedJWT signed, JWSAlgorithm algorithm) {
        return switch (keys) {
            case JwtConfig.Keys.Fixed fixed -> {
                if (!fixed.algorithm().equals(algorithm)) {
                    throw invalid("the token is signed with " + algorithm + ", this server accepts " + fixed.algorithm());
                }
                yield List.of(fixed.verifier());
            }
            case JwtConfig.Keys.FromUrl url -> {
                if (JwtKeys.HMAC.contains(algorithm)) {
                    throw invalid("the token is signed with " + algorithm + ", which a JWK set does not verify");
                }
                List<JWSVerifier> found = jwks.candidates(signed.getHeader()).stream()
                        .map(key -> JwtKeys.fromJwk(key, algorithm)).flatMap(Optional::stream).toList();
                if (found.isEmpty() && !jwks.available()) {
                    throw invalid("the JWK set to verify it with cannot be fetched");
                }
                if (found.isEmpty()) {
                    String kid = signed.getHeader().getKeyID();
                    throw invalid(kid == null ? "no key of the JWK set verifies " + algorithm
                            : "no key of the JWK set has kid '" + printable(kid, 64) + "' for " + algorithm);
                }
                yield found;
            }
        };
    }

    private static boolean verified(SignedJWT signed, List<JWSVerifier> verifiers) {
        for (JWSVerifier verifier : verifiers) {
            try {
                if (signed.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException e) {
                throw invalid("the signature cannot be checked: " + e.getMessage());
            }
        }
        return false;
    }

    /** What the client sent (a {@code kid}, a claim in nimbus' message), cut short and without anything but printable ASCII. */
    private static String printable(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?").replace("'", "?");
    }

    private static AccessDenied invalid(String why) {
        return new AccessDenied(AccessDenied.Reason.INVALID_JWT, "Could not verify JWT: " + why);
    }
}
