package io.joinery.policies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests for the request path (the admin secret's comparison, plan-cache keys, the
 * authentication hook's cache keys).
 *
 * <p>Note [A digest per request, not a provider lookup]: {@code MessageDigest.getInstance} walks
 * the security providers and checks the algorithm constraints on every call; under load it was a
 * fifth of all the bytes a request allocated (JFR, Q1). A fresh digest is a clone of one made once.
 */
public final class Sha256 {

    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
            PROTOTYPE.clone();
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new ExceptionInInitializerError("every JDK has a cloneable SHA-256: " + e);
        }
    }

    private Sha256() {
    }

    /** A new, empty digest. */
    public static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("checked when the class was loaded", e);
        }
    }

    /** The digest of {@code value}'s UTF-8 bytes. */
    public static byte[] of(String value) {
        return digest().digest(value.getBytes(StandardCharsets.UTF_8));
    }
}
