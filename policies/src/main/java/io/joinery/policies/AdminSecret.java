package io.joinery.policies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
        this.digest = secret.filter(s -> !s.isEmpty()).map(AdminSecret::sha256);
    }

    public boolean configured() {
        return digest.isPresent();
    }

    /** Whether {@code presented} is the secret (always true when none is configured; false for null otherwise). */
    public boolean admits(String presented) {
        if (digest.isEmpty()) {
            return true;
        }
        return presented != null && MessageDigest.isEqual(sha256(presented), digest.get());
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
