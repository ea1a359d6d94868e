package io.joinery.policies.auth;

import io.joinery.policies.Session;
import io.joinery.policies.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens a {@link JwtAuthenticator} verified lately, each with what it vouches for (a
 * {@link Grant}), so that a client sending the same token again costs a digest and a map lookup
 * instead of a signature check and a parse of its claims.
 *
 * <p>Note [Verified token cache]:
 * <ul>
 * <li>The key is the SHA-256 of the token ({@link Sha256}); the token itself, a bearer credential,
 *     is not kept.</li>
 * <li>An entry is used only inside the token's own validity: from {@code nbf} (less
 *     {@code allowed_skew}) to {@code exp} (plus {@code allowed_skew}), on the authenticator's clock,
 *     the same bounds the verifier checks (it refuses a token outside them, so such a token is never
 *     kept). Past them the entry is dropped and the token verified again, which refuses it with the
 *     verifier's own message ("Expired JWT"). A token without {@code exp} is kept until evicted.</li>
 * <li>An entry remembers the generation of the keys it was verified with, taken before the check
 *     ({@link JwtVerifier#keysGeneration()}): a fixed key never changes; a JWK set's generation moves
 *     when a fetch brings a set that differs from the last one. An entry of another generation is a
 *     miss, so a token signed by a key that left the set is refused from the moment the new set is
 *     fetched, exactly as without the cache, and Hasura's behaviour (it checks every token against
 *     its current set, refreshed per the set's {@code Cache-Control}) is kept: asking for the
 *     generation refreshes an expired set, as verifying would. A set fetched again unchanged keeps
 *     the entries.</li>
 * <li>Refusals are never kept (a bad token costs its check each time, as before).</li>
 * <li>At most {@link #MAX_ENTRIES} entries: when full, the expired ones go; if that frees nothing,
 *     all go (the worst case is the cost without a cache: one check per request).</li>
 * <li>The request's role choice stays per request ({@code x-joinery-role} among the token's allowed
 *     roles); the {@link Session} of each role a token was used with is kept in its entry.</li>
 * </ul>
 */
final class VerifiedTokens {

    static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<Key, Grant> entries = new ConcurrentHashMap<>();

    /** The SHA-256 of a token, as four longs (equality and hash without a copy of the bytes). */
    record Key(long a, long b, long c, long d) {
        static Key of(String token) {
            ByteBuffer digest = ByteBuffer.wrap(Sha256.digest().digest(token.getBytes(StandardCharsets.UTF_8)));
            return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
        }
    }

    /**
     * What a verified token vouches for: its allowed roles, its default role, its other session
     * variables, and when it may be used (Note [Verified token cache]).
     */
    static final class Grant {
        private final List<String> allowedRoles;
        private final String defaultRole;
        private final Map<String, String> variables;
        private final Instant notBefore;
        private final Instant expires;
        private final long keysGeneration;
        private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

        Grant(List<String> allowedRoles, String defaultRole, Map<String, String> variables, Instant notBefore, Instant expires,
              long keysGeneration) {
            this.allowedRoles = List.copyOf(allowedRoles);
            this.defaultRole = defaultRole;
            this.variables = Map.copyOf(variables);
            this.notBefore = notBefore;
            this.expires = expires;
            this.keysGeneration = keysGeneration;
        }

        String defaultRole() {
            return defaultRole;
        }

        boolean allows(String role) {
            return allowedRoles.contains(role);
        }

        /** The session of {@code role} if a request of this token already got it (so the role is valid and allowed), else null. */
        Session knownSession(String role) {
            return sessions.get(role);
        }

        /** The session of {@code role}, which the caller checked is valid and allowed. */
        Session session(String role) {
            return sessions.computeIfAbsent(role, r -> {
                Map<String, String> withRole = new LinkedHashMap<>(variables);
                withRole.put(Session.ROLE, r);
                return new Session(r, false, withRole);
            });
        }

        boolean usableAt(Instant now, long generation) {
            return generation == keysGeneration && now.isAfter(notBefore) && now.isBefore(expires);
        }
    }

    /** The grant of a token verified with keys of {@code generation} and usable at {@code now}, or null. */
    Grant find(Key key, Instant now, long generation) {
        Grant grant = entries.get(key);
        if (grant == null) {
            return null;
        }
        if (!grant.usableAt(now, generation)) {
            entries.remove(key, grant);
            return null;
        }
        return grant;
    }

    void keep(Key key, Grant grant, Instant now) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(kept -> !now.isBefore(kept.expires));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, grant);
    }

    int size() {
        return entries.size();
    }
}
