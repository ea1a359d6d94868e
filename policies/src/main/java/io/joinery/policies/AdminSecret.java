package io.joinery.policies;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * The admin secret and THE one comparison with it, for both listeners ({@link SessionResolver} on
 * the GraphQL one, {@code AdminAuth} on the admin one). Both sides are hashed first, so the
 * comparison ({@link MessageDigest#isEqual}) takes the same time whatever the presented value and
 * its length.
 */
public final class AdminSecret {

    private final Optional<byte[]> digest;

    /** An empty or absent secret means none: every caller is admin. */
    public AdminSecret(Optional<String> secret) {
        this.digest = secret.filter(s -> !s.isEmpty()).map(Sha256::of);
    }

    public boolean configured() {
        return digest.isPresent();
    }

    /** Whether {@code presented} is the secret (always true when none is configured; false for null otherwise). */
    public boolean admits(String presented) {
        if (digest.isEmpty()) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(Sha256.of(presented), digest.get());
    }

}
